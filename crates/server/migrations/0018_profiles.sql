-- Cooperatives' own websites: the profile's new fields, staff hiding a profile, and
-- the domains that show a cooperative's page.
ALTER TABLE cooperatives ADD COLUMN summary_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN summary_en TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN zalo TEXT NOT NULL DEFAULT '';          -- E.164 or ''
ALTER TABLE cooperatives ADD COLUMN facebook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN hours_vi TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN hours_en TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE cooperatives ADD COLUMN longitude DOUBLE PRECISION;
-- Uploaded pictures as JSON images (url, size, renditions); logo_url/banner_url keep the
-- largest copy's URL for the readers that only need it.
ALTER TABLE cooperatives ADD COLUMN logo_json TEXT;
ALTER TABLE cooperatives ADD COLUMN banner_json TEXT;
ALTER TABLE cooperatives ADD COLUMN gallery TEXT NOT NULL DEFAULT '[]';     -- JSON array of images
-- Set while staff hide the public page (NULL: shown).
ALTER TABLE cooperatives ADD COLUMN profile_hidden_reason TEXT;

CREATE TABLE cooperative_domains (
    domain         TEXT PRIMARY KEY,                 -- lower-case host name
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL
);
CREATE INDEX cooperative_domains_cooperative ON cooperative_domains (cooperative_id);
