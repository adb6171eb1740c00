-- Pack-size ids are never reused. Orders keep `order_items.variant_id` (no foreign key,
-- see 0003); SQLite gives a plain INTEGER PRIMARY KEY row the highest id + 1, so after
-- the newest pack size was removed another cooperative's new one got its id, and
-- cancelling the old order restocked it. AUTOINCREMENT never hands out an id twice.
--
-- SQLite-only: SQLite cannot make an existing column AUTOINCREMENT, so the table is
-- rebuilt with the same rows and ids (no table references `variants`, so dropping it
-- cascades nowhere). On PostgreSQL the id is GENERATED ALWAYS AS IDENTITY, which never
-- reuses ids, and this migration has no counterpart.
CREATE TABLE variants_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO variants_new (id, product_id, position, label, unit, net_weight_g, price, stock, gtin)
    SELECT id, product_id, position, label, unit, net_weight_g, price, stock, gtin FROM variants;
DROP TABLE variants;
ALTER TABLE variants_new RENAME TO variants;
CREATE INDEX variants_product ON variants (product_id, position);
-- Ids already removed but named by orders are not handed out either.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'variants', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'variants');
UPDATE sqlite_sequence
    SET seq = MAX(seq, (SELECT COALESCE(MAX(variant_id), 0) FROM order_items))
    WHERE name = 'variants';
