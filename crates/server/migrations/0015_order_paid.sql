-- A bank-transfer order the cooperative has marked paid (the money arrived), and when.
ALTER TABLE orders ADD COLUMN paid_at TEXT;
