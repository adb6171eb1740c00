//! Product listings without search text, and the SQL pieces every product listing shares
//! (dynamic filters, the counted page, the ORDER BY of a sort).

use crate::{
    AppState,
    db::{
        narrow,
        products::{SUMMARY_COLUMNS, VISIBLE, VISIBLE_PRODUCT, summary_from_row},
    },
};
use domain::{
    api::COUNT_LIMIT,
    catalog::ProductSummary,
    query::{ProductQuery, Sort},
};
use sqlx::{QueryBuilder, Row, sqlite::SqliteRow};

/// The filters that change without the product being edited (price, stock, certificates
/// expiring), as `AND …` terms on `p`.
pub(crate) fn push_dynamic_filters<'a>(b: &mut QueryBuilder<'a, crate::db::Db>, q: &'a ProductQuery, today: String) {
    if let Some(Ok(kind)) = q.cert.map(|c| c.requirement()) {
        b.push(" AND EXISTS (SELECT 1 FROM certifications ce WHERE ce.product_id = p.id AND ce.kind = ")
            .push_bind(kind)
            .push(" AND ce.expires_on >= ")
            .push_bind(today)
            .push(")");
    }
    if let Some(min) = q.min_price {
        b.push(" AND p.price_min >= ").push_bind(min.dong());
    }
    if let Some(max) = q.max_price {
        b.push(" AND p.price_min <= ").push_bind(max.dong());
    }
    if q.in_stock {
        b.push(" AND p.stock_total > 0");
    }
}

/// FROM and WHERE of a product listing without search text; shared by its page and count.
/// Products only (the few cooperatives that are not approved are read once), so SQLite
/// reads the sort's covering index in order and stops at the page.
pub(crate) fn push_listing_filters<'a>(b: &mut QueryBuilder<'a, crate::db::Db>, q: &'a ProductQuery, today: String) {
    b.push(" FROM products p WHERE ");
    b.push(VISIBLE_PRODUCT);
    if let Some(cat) = q.category {
        b.push(" AND p.category = ").push_bind(cat);
    }
    if let Some(prov) = q.province {
        b.push(" AND p.origin_province_code = ").push_bind(i64::from(prov));
    }
    if let Some(Err(stars)) = q.cert.map(|c| c.requirement()) {
        b.push(" AND p.ocop_stars = ").push_bind(i64::from(stars));
    }
    if let Some(slug) = &q.cooperative {
        b.push(" AND p.cooperative_id = (SELECT id FROM cooperatives WHERE slug = ").push_bind(slug.as_str()).push(")");
    }
    push_dynamic_filters(b, q, today);
}

/// One statement for a page of product summaries and its capped count: `count` pushes a
/// query whose rows are counted (with its LIMIT), `page` one with the columns `id, tier`
/// of the page's products. Read it with [`read_counted_page`]. The page is one row with a
/// NULL id when empty, so the count always comes back.
pub(crate) fn push_counted_page<'a>(
    b: &mut QueryBuilder<'a, crate::db::Db>,
    sort: Sort,
    count: impl FnOnce(&mut QueryBuilder<'a, crate::db::Db>),
    page: impl FnOnce(&mut QueryBuilder<'a, crate::db::Db>),
) {
    b.push("SELECT t.total, s.* FROM (SELECT COUNT(*) AS total FROM (");
    count(b);
    b.push(format!(
        ") AS counted) AS t LEFT JOIN (SELECT {SUMMARY_COLUMNS}, p.created_at, p.sold_count, pg.tier FROM ("
    ));
    page(b);
    b.push(format!(
        ") AS pg JOIN products p ON p.id = pg.id JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE}) AS s ON 1 = 1 ORDER BY {}",
        order_by(sort, "s.")
    ));
}

/// The summaries and the count of a [`push_counted_page`] statement.
pub(crate) fn read_counted_page(rows: &[SqliteRow]) -> sqlx::Result<(Vec<ProductSummary>, u64)> {
    let total: i64 = rows.first().map(|r| r.try_get("total")).transpose()?.unwrap_or(0);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if row.try_get::<Option<i64>, _>("id")?.is_some() {
            items.push(summary_from_row(row)?);
        }
    }
    Ok((items, narrow("total", total)?))
}

/// A page of a listing without search text and its capped count, both read from the
/// sort's covering index.
pub(crate) async fn listing_page(st: &AppState, q: &ProductQuery, today: String) -> sqlx::Result<Vec<SqliteRow>> {
    let sort = q.effective_sort(); // without search text, relevance is newest
    let mut b = QueryBuilder::new("");
    let t = today.clone();
    push_counted_page(
        &mut b,
        sort,
        |b| {
            b.push("SELECT 1");
            push_listing_filters(b, q, t);
            b.push(" LIMIT ").push_bind(RANKED + 1);
        },
        |b| {
            b.push("SELECT p.id, 0 AS tier");
            push_listing_filters(b, q, today);
            b.push(format!(" ORDER BY {}", order_by(sort, "p.")));
            b.push(" LIMIT ").push_bind(i64::from(q.per_page));
            b.push(" OFFSET ").push_bind(i64::from(q.page - 1) * i64::from(q.per_page));
        },
    );
    b.build().fetch_all(&st.db).await
}

/// The ORDER BY of a sort over columns named as in `products` (and `tier` for relevance:
/// the tier, then the most recently added). Ties go by id, in the direction of the sort.
pub(crate) fn order_by(sort: Sort, qualifier: &str) -> String {
    let p = qualifier;
    match sort {
        Sort::Relevance => format!("{p}tier, {p}id DESC"),
        Sort::Newest => format!("{p}created_at DESC, {p}id DESC"),
        Sort::PriceAsc => format!("{p}price_min, {p}id"),
        Sort::PriceDesc => format!("{p}price_min DESC, {p}id DESC"),
        Sort::BestSelling => format!("{p}sold_count DESC, {p}id DESC"),
    }
}

/// The most matches a search ranks and pages through; one more is counted to tell
/// "exactly 1000" from "more than 1000".
pub const RANKED: i64 = COUNT_LIMIT as i64;
