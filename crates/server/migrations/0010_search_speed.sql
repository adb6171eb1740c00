-- Catalog listing and search speed on large catalogs (100,000 products: a page in a few
-- milliseconds; crates/server/benches/search.rs). Portable SQL.
--
-- Listings read an index in the order they show, carrying the filter columns, so a page
-- and its capped count stop early and never read the wide product rows
-- (catalog::listing_page). They replace the narrower indexes of 0001 with the same
-- leading columns.
DROP INDEX products_listing;
DROP INDEX products_price;
DROP INDEX products_sold;
DROP INDEX products_category;
CREATE INDEX products_newest ON products (status, created_at, cooperative_id, category, origin_province_code, price_min, stock_total, ocop_stars);
CREATE INDEX products_cheapest ON products (status, price_min, cooperative_id, category, origin_province_code, stock_total, ocop_stars);
CREATE INDEX products_best_selling ON products (status, sold_count, cooperative_id, category, origin_province_code, price_min, stock_total, ocop_stars);
CREATE INDEX products_category ON products (category, status, created_at, cooperative_id);
-- The few cooperatives that are not approved, read by every listing and search
-- (catalog::VISIBLE_PRODUCT) without reading the cooperatives' wide rows.
CREATE INDEX cooperatives_status ON cooperatives (status);
-- Searches join their best matches by id to a price or stock filter, or to the key of
-- the sort they are shown in: narrow covering indexes (search::find_page).
CREATE INDEX products_search_price ON products (id, price_min, stock_total);
CREATE INDEX products_search_sold ON products (id, sold_count);
CREATE INDEX products_search_created ON products (id, created_at);
