-- Orders: one per cooperative of a cart, with a price snapshot per line, a status
-- history, and the idempotency keys that make "place order" safe to retry.
-- Portable SQL as in 0001: money whole đồng in BIGINT, timestamps RFC 3339 UTC text.

CREATE TABLE orders (
    id                   INTEGER PRIMARY KEY,
    -- "DH" + 8 characters without 0/O/1/I: what buyers read out and type as transfer note.
    number               TEXT NOT NULL UNIQUE,
    -- SHA-256 (hex) of the secret tracking token; the token itself is never stored here.
    token_hash           TEXT NOT NULL,
    cooperative_id       BIGINT NOT NULL REFERENCES cooperatives (id),
    -- Accounts come later: a buyer who was signed in.
    buyer_user_id        BIGINT,
    buyer_name           TEXT NOT NULL,
    buyer_phone          TEXT NOT NULL,          -- E.164
    province_code        INTEGER NOT NULL,
    commune_code         INTEGER NOT NULL,
    commune_name         TEXT NOT NULL,
    street               TEXT NOT NULL,
    note                 TEXT NOT NULL DEFAULT '',
    payment_method       TEXT NOT NULL CHECK (payment_method IN ('cod', 'bank_transfer')),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    subtotal             BIGINT NOT NULL CHECK (subtotal >= 0),
    shipping_fee         BIGINT NOT NULL CHECK (shipping_fee >= 0),
    total                BIGINT NOT NULL CHECK (total >= 0),
    -- Bank transfer: the account the buyer was told to pay, as it was when ordering.
    payment_bank_bin     TEXT,
    payment_account      TEXT,
    payment_account_name TEXT,
    payment_purpose      TEXT,
    vietqr_payload       TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX orders_cooperative ON orders (cooperative_id, created_at);
CREATE INDEX orders_buyer ON orders (buyer_user_id);

-- A snapshot of what was bought: later catalog edits or deletions do not change it,
-- so variant_id and product_id carry no foreign key.
CREATE TABLE order_items (
    id              INTEGER PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    variant_id      BIGINT NOT NULL,
    product_id      BIGINT NOT NULL,
    product_slug    TEXT NOT NULL,
    product_name_vi TEXT NOT NULL,
    product_name_en TEXT NOT NULL DEFAULT '',
    variant_label   TEXT NOT NULL,
    unit_price      BIGINT NOT NULL CHECK (unit_price > 0),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    line_total      BIGINT NOT NULL CHECK (line_total > 0)
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status   TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    at       TEXT NOT NULL,
    note     TEXT
);
CREATE INDEX order_events_order ON order_events (order_id, at);

-- One row per `Idempotency-Key` of a placed order: the hash of the request it came
-- with and the response it got, replayed when the same request is sent again.
-- Written as the first statement of the order transaction; kept for 24 hours.
CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    response     TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
