-- Traceability lots (truy xuất nguồn gốc): a lot of one trade item (GTIN) of a product,
-- its inspections and its event timeline. Portable SQL as in 0001.
--
-- A lot keeps the GTIN and pack label it was made under (not a reference to the
-- variant): a printed label's GTIN never changes, even if the pack size is edited or
-- removed later. (gtin, lot_code) is what a GS1 Digital Link names, so it is unique.

CREATE TABLE lots (
    id             INTEGER PRIMARY KEY,
    product_id     BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    gtin           TEXT NOT NULL,
    lot_code       TEXT NOT NULL,
    pack_label     TEXT NOT NULL DEFAULT '',
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    unit           TEXT NOT NULL,
    plot_code      TEXT NOT NULL DEFAULT '',
    area           TEXT NOT NULL DEFAULT '',
    province_code  INTEGER NOT NULL,
    commune_code   INTEGER NOT NULL,
    commune_name   TEXT NOT NULL,
    produced_on    TEXT NOT NULL,                -- YYYY-MM-DD
    best_before    TEXT NOT NULL,                -- YYYY-MM-DD
    practices      TEXT NOT NULL DEFAULT '',
    inputs         TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    created_by     BIGINT REFERENCES users (id),
    created_at     TEXT NOT NULL,
    UNIQUE (gtin, lot_code)
);
CREATE INDEX lots_product ON lots (product_id, produced_on);

CREATE TABLE lot_inspections (
    id           INTEGER PRIMARY KEY,
    lot_id       BIGINT NOT NULL REFERENCES lots (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    lab          TEXT NOT NULL,
    tested_on    TEXT NOT NULL,
    result       TEXT NOT NULL,
    passed       INTEGER NOT NULL DEFAULT 1,
    document_url TEXT
);
CREATE INDEX lot_inspections_lot ON lot_inspections (lot_id, position);

-- Append-only: the application never updates or deletes an event.
CREATE TABLE lot_events (
    id            INTEGER PRIMARY KEY,
    lot_id        BIGINT NOT NULL REFERENCES lots (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('planting', 'care', 'harvest', 'processing', 'packing', 'inspection', 'shipping')),
    at            TEXT NOT NULL,                -- RFC 3339 with +07:00
    place         TEXT NOT NULL,
    location_code TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    photos        TEXT NOT NULL DEFAULT '[]',   -- JSON array of URLs
    created_by    BIGINT REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX lot_events_lot ON lot_events (lot_id, at);
