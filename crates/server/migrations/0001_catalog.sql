-- Catalog: cooperatives, products, variants, images, certifications.
-- Portable SQL: the same statements run on PostgreSQL but for the id columns
-- (INTEGER PRIMARY KEY here, GENERATED ALWAYS AS IDENTITY there). Timestamps are
-- RFC 3339 UTC text, dates YYYY-MM-DD text, money whole đồng in BIGINT.

CREATE TABLE cooperatives (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('htx', 'tht', 'union')),
    province_code     INTEGER NOT NULL,
    commune_code      INTEGER NOT NULL,
    commune_name      TEXT NOT NULL,
    street            TEXT NOT NULL,
    founded_year      INTEGER,
    member_count      INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    sectors           TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    story_vi          TEXT NOT NULL DEFAULT '',
    story_en          TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL,               -- E.164
    logo_url          TEXT,
    banner_url        TEXT,
    bank_bin          TEXT,
    bank_account      TEXT,
    bank_account_name TEXT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'suspended')),
    created_at        TEXT NOT NULL
);
CREATE INDEX cooperatives_province ON cooperatives (province_code);

CREATE TABLE products (
    id                   INTEGER PRIMARY KEY,
    cooperative_id       BIGINT NOT NULL REFERENCES cooperatives (id),
    slug                 TEXT NOT NULL UNIQUE,
    name_vi              TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    description_vi       TEXT NOT NULL DEFAULT '',
    description_en       TEXT NOT NULL DEFAULT '',
    brand                TEXT NOT NULL DEFAULT '',
    category             TEXT NOT NULL,
    origin_province_code INTEGER NOT NULL,
    ocop_stars           INTEGER NOT NULL DEFAULT 0 CHECK (ocop_stars BETWEEN 0 AND 5),
    status               TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'published', 'hidden')),
    sold_count           BIGINT NOT NULL DEFAULT 0,
    -- Kept by catalog::refresh_product_aggregates whenever variants change, so lists
    -- sort and filter on price and stock without touching variants.
    price_min            BIGINT NOT NULL DEFAULT 0,
    stock_total          BIGINT NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX products_listing ON products (status, created_at);
CREATE INDEX products_category ON products (category, status);
CREATE INDEX products_cooperative ON products (cooperative_id);
CREATE INDEX products_price ON products (status, price_min);
CREATE INDEX products_sold ON products (status, sold_count);

CREATE TABLE variants (
    id           INTEGER PRIMARY KEY,
    product_id   BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    label        TEXT NOT NULL,
    unit         TEXT NOT NULL,
    net_weight_g INTEGER NOT NULL CHECK (net_weight_g >= 0),
    price        BIGINT NOT NULL CHECK (price > 0),
    -- Never negative, even under concurrent orders: updates use `stock - n WHERE stock >= n`.
    stock        BIGINT NOT NULL CHECK (stock >= 0),
    gtin         TEXT UNIQUE
);
CREATE INDEX variants_product ON variants (product_id, position);

CREATE TABLE product_images (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    url        TEXT NOT NULL,
    alt_vi     TEXT NOT NULL,
    alt_en     TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL
);
CREATE INDEX product_images_product ON product_images (product_id, position);

CREATE TABLE certifications (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('vietgap', 'globalgap', 'organic', 'ocop')),
    number     TEXT NOT NULL,
    issuer     TEXT NOT NULL,
    expires_on TEXT NOT NULL
);
CREATE INDEX certifications_product ON certifications (product_id);
CREATE INDEX certifications_kind ON certifications (kind, product_id);
