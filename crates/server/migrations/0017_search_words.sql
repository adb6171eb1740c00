-- Which rule cut the words in product_search (search::WORDS_VERSION): at start the server
-- reindexes every product when the stored version is older (search::reindex_if_stale),
-- so a change to domain::text::search_words reaches existing databases. One row. Portable SQL.
CREATE TABLE search_index_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    words_version INTEGER NOT NULL
);
INSERT INTO search_index_state (id, words_version) VALUES (1, 0);
