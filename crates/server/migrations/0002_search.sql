-- Full-text search over text folded by domain::text::fold (no marks, đ→d, lowercase),
-- so the tokenizer must not fold again. rowid = products.id. SQLite-specific by nature:
-- the PostgreSQL path will use its own index (tsvector or pg_trgm) behind the same module.
CREATE VIRTUAL TABLE product_search USING fts5(
    name,  -- product names (vi and en) and brand: a match here ranks first
    extra, -- cooperative, province, category and description
    tokenize = 'unicode61 remove_diacritics 0'
);
