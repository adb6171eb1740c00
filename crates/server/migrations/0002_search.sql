-- Full-text search over text folded by domain::text::fold (no marks, đ→d, lowercase),
-- so the tokenizer must not fold again. rowid = products.id. SQLite-specific by nature:
-- the PostgreSQL path will use its own index (tsvector or pg_trgm) behind the same module.
--
-- `facets` holds one token per static filter (_k<category> _p<province> _o<ocop stars>
-- _c<cooperative id>, written by search::index_product), so a search filters inside the
-- index. '_' is a token character here and never part of a folded word, so no search
-- text can match a facet.
-- Contentless: search only needs rowids, so the text is not stored a second time
-- (contentless_delete lets search::index_product replace a product's row).
-- Prefix indexes for 1 to 6 characters: the last word of a query is a prefix ("gao st2"),
-- and a prefix without its own index merges every matching term's doclist on each query.
CREATE VIRTUAL TABLE product_search USING fts5(
    name,   -- the Vietnamese product name: the first ranking tiers look here
    alias,  -- English name and brand
    extra,  -- cooperative, provinces, category and description
    facets,
    content = '',
    contentless_delete = 1,
    prefix = '1 2 3 4 5 6',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
