-- Trade promotion: moderation notes, featured products on a schedule, campaigns
-- (online fairs). Portable SQL as in 0001; dates are YYYY-MM-DD text in Vietnam's
-- calendar, inclusive; timestamps RFC 3339 UTC text.

-- Why staff sent a product back to draft or hid it (shown to the cooperative); cleared
-- when it is published.
ALTER TABLE products ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
-- When staff last approved the cooperative: "newly approved" on the home page.
ALTER TABLE cooperatives ADD COLUMN approved_at TEXT;

-- Products pinned to the home page, in `position` order. A product is pinned once.
CREATE TABLE featured_products (
    product_id BIGINT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    starts_on  TEXT,
    ends_on    TEXT,
    created_at TEXT NOT NULL,
    CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX featured_products_position ON featured_products (position);

CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    title_vi         TEXT NOT NULL,
    title_en         TEXT NOT NULL DEFAULT '',
    description_vi   TEXT NOT NULL,
    description_en   TEXT NOT NULL DEFAULT '',
    banner           TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    selection        TEXT NOT NULL CHECK (selection IN ('manual', 'rule')),
    -- The rule (selection = 'rule'): every criterion given must hold.
    rule_category    TEXT,
    rule_province    INTEGER,
    rule_cert        TEXT,
    rule_min_ocop    INTEGER CHECK (rule_min_ocop IS NULL OR rule_min_ocop BETWEEN 1 AND 5),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX campaigns_dates ON campaigns (starts_on, ends_on);

-- Products picked by hand (selection = 'manual'), in order.
CREATE TABLE campaign_products (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    product_id  BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, product_id)
);
CREATE INDEX campaign_products_product ON campaign_products (product_id);
