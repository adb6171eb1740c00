//! Catalog routes: products, cooperatives, categories. The SQL lives beside its handler.

use crate::{
    AppState,
    error::{ApiError, ApiResult},
    search,
};
use axum::{
    Json,
    extract::{Path, RawQuery, State},
};
use domain::{
    I18nText,
    api::{CategoryCount, ErrorBody, Page},
    catalog::{
        Category, CertKind, Certification, CoopKind, CoopStatus, Cooperative, CooperativeRef, CooperativeSummary, Date,
        Image, Product, ProductStatus, ProductSummary, Variant,
    },
    money::Vnd,
    phone::Phone,
    query::{PageQuery, ProductQuery, Sort},
};
use sqlx::{QueryBuilder, Row, SqliteConnection, sqlite::SqliteRow};
use std::collections::HashMap;

/// Products buyers may see: published, by an approved cooperative.
pub(crate) const VISIBLE: &str = "p.status = 'published' AND c.status = 'approved'";
/// [`VISIBLE`] for a query on `products p` alone (listings, search).
pub(crate) const VISIBLE_PRODUCT: &str =
    "p.status = 'published' AND p.cooperative_id NOT IN (SELECT id FROM cooperatives WHERE status <> 'approved')";

pub(crate) const SUMMARY_COLUMNS: &str = "p.id, p.slug, p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, \
     p.ocop_stars, p.price_min, p.stock_total, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province";

pub(crate) fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {what} {value:?} in the database").into())
}

fn category(row: &SqliteRow) -> sqlx::Result<Category> {
    let code: String = row.try_get("category")?;
    Category::from_code(&code).ok_or_else(|| decode_err("category", &code))
}

pub(crate) fn summary_from_row(row: &SqliteRow) -> sqlx::Result<ProductSummary> {
    Ok(ProductSummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: I18nText { vi: row.try_get("name_vi")?, en: row.try_get("name_en")? },
        brand: row.try_get("brand")?,
        category: category(row)?,
        origin_province_code: row.try_get::<i64, _>("origin_province_code")? as u8,
        ocop_stars: row.try_get::<i64, _>("ocop_stars")? as u8,
        cooperative: CooperativeRef {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            province_code: row.try_get::<i64, _>("coop_province")? as u8,
        },
        price_from: Vnd::new(row.try_get("price_min")?),
        in_stock: row.try_get::<i64, _>("stock_total")? > 0,
        image: None,
        cert_kinds: Vec::new(),
    })
}

pub(crate) fn image_from_row(row: &SqliteRow) -> sqlx::Result<Image> {
    Ok(Image {
        url: row.try_get("url")?,
        alt: I18nText { vi: row.try_get("alt_vi")?, en: row.try_get("alt_en")? },
        width: row.try_get::<i64, _>("width")? as u32,
        height: row.try_get::<i64, _>("height")? as u32,
        renditions: crate::images::renditions_of(row),
    })
}

pub(crate) fn certification_from_row(row: &SqliteRow) -> sqlx::Result<Certification> {
    let kind: String = row.try_get("kind")?;
    let expires: String = row.try_get("expires_on")?;
    Ok(Certification {
        kind: CertKind::from_code(&kind).ok_or_else(|| decode_err("certification kind", &kind))?,
        number: row.try_get("number")?,
        issuer: row.try_get("issuer")?,
        expires_on: Date::parse(&expires).ok_or_else(|| decode_err("date", &expires))?,
    })
}

/// A product's pack sizes, in the seller's order.
pub(crate) async fn product_variants(conn: &mut SqliteConnection, product_id: i64) -> sqlx::Result<Vec<Variant>> {
    sqlx::query(
        "SELECT id, label, unit, net_weight_g, price, stock, gtin FROM variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let gtin: Option<String> = r.try_get("gtin")?;
        Ok(Variant {
            id: r.try_get("id")?,
            label: r.try_get("label")?,
            unit: r.try_get("unit")?,
            net_weight_g: r.try_get::<i64, _>("net_weight_g")? as u32,
            price: Vnd::new(r.try_get("price")?),
            stock: r.try_get::<i64, _>("stock")?.max(0) as u32,
            gtin: gtin.map(|g| domain::gtin::Gtin::parse(&g).map_err(|_| decode_err("gtin", &g))).transpose()?,
        })
    })
    .collect()
}

/// A product's photos, in the seller's order.
pub(crate) async fn product_images(conn: &mut SqliteConnection, product_id: i64) -> sqlx::Result<Vec<Image>> {
    sqlx::query(
        "SELECT url, alt_vi, alt_en, width, height, renditions FROM product_images WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(image_from_row)
    .collect()
}

/// A product's certifications, by kind.
pub(crate) async fn product_certifications(
    conn: &mut SqliteConnection,
    product_id: i64,
) -> sqlx::Result<Vec<Certification>> {
    sqlx::query("SELECT kind, number, issuer, expires_on FROM certifications WHERE product_id = $1 ORDER BY kind, id")
        .bind(product_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(certification_from_row)
        .collect()
}

fn id_list(ids: &[i64]) -> String {
    // Ids are integers from our own rows: safe to inline, and one statement serves any count.
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Fills each summary's first image and its valid certification kinds (two queries per page).
pub(crate) async fn attach_images_and_certs(st: &AppState, items: &mut [ProductSummary]) -> sqlx::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids = id_list(&items.iter().map(|p| p.id).collect::<Vec<_>>());
    let images = sqlx::query(&format!(
        "SELECT product_id, url, alt_vi, alt_en, width, height, renditions FROM product_images
         WHERE product_id IN ({ids}) ORDER BY product_id, position, id"
    ))
    .fetch_all(&st.db)
    .await?;
    let mut first: HashMap<i64, Image> = HashMap::new();
    for row in &images {
        let pid: i64 = row.try_get("product_id")?;
        if !first.contains_key(&pid) {
            first.insert(pid, image_from_row(row)?);
        }
    }
    let certs = sqlx::query(&format!(
        "SELECT DISTINCT product_id, kind FROM certifications WHERE product_id IN ({ids}) AND expires_on >= $1"
    ))
    .bind(st.clock.today_vn().as_str())
    .fetch_all(&st.db)
    .await?;
    let mut kinds: HashMap<i64, Vec<CertKind>> = HashMap::new();
    for row in &certs {
        let code: String = row.try_get("kind")?;
        if let Some(k) = CertKind::from_code(&code) {
            kinds.entry(row.try_get("product_id")?).or_default().push(k);
        }
    }
    for p in items {
        p.image = first.remove(&p.id);
        let mut k = kinds.remove(&p.id).unwrap_or_default();
        k.sort();
        p.cert_kinds = k;
    }
    Ok(())
}

/// The filters that change without the product being edited (price, stock, certificates
/// expiring), as `AND …` terms on `p`.
pub(crate) fn push_dynamic_filters<'a>(b: &mut QueryBuilder<'a, crate::db::Db>, q: &'a ProductQuery, today: String) {
    if let Some(Ok(kind)) = q.cert.map(|c| c.requirement()) {
        b.push(" AND EXISTS (SELECT 1 FROM certifications ce WHERE ce.product_id = p.id AND ce.kind = ")
            .push_bind(kind.code())
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
fn push_listing_filters<'a>(b: &mut QueryBuilder<'a, crate::db::Db>, q: &'a ProductQuery, today: String) {
    b.push(" FROM products p WHERE ");
    b.push(VISIBLE_PRODUCT);
    if let Some(cat) = q.category {
        b.push(" AND p.category = ").push_bind(cat.code());
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
        search::order_by(sort, "s.")
    ));
}

/// The summaries and the count of a [`push_counted_page`] statement.
fn read_counted_page(rows: &[SqliteRow]) -> sqlx::Result<(Vec<ProductSummary>, u64)> {
    let total: i64 = rows.first().map(|r| r.try_get("total")).transpose()?.unwrap_or(0);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if row.try_get::<Option<i64>, _>("id")?.is_some() {
            items.push(summary_from_row(row)?);
        }
    }
    Ok((items, total as u64))
}

/// A page of a listing without search text and its capped count, both read from the
/// sort's covering index.
async fn listing_page(st: &AppState, q: &ProductQuery, today: String) -> sqlx::Result<Vec<SqliteRow>> {
    let sort = q.effective_sort(); // without search text, relevance is newest
    let mut b = QueryBuilder::new("");
    let t = today.clone();
    push_counted_page(
        &mut b,
        sort,
        |b| {
            b.push("SELECT 1");
            push_listing_filters(b, q, t);
            b.push(" LIMIT ").push_bind(search::RANKED + 1);
        },
        |b| {
            b.push("SELECT p.id, 0 AS tier");
            push_listing_filters(b, q, today);
            b.push(format!(" ORDER BY {}", search::order_by(sort, "p.")));
            b.push(" LIMIT ").push_bind(i64::from(q.per_page));
            b.push(" OFFSET ").push_bind(i64::from(q.page - 1) * i64::from(q.per_page));
        },
    );
    b.build().fetch_all(&st.db).await
}

/// One page of products for a validated query. `total` counts up to
/// [`domain::api::COUNT_LIMIT`]; above it, it is `COUNT_LIMIT + 1` ("more than").
pub async fn find_products(st: &AppState, q: &ProductQuery) -> sqlx::Result<Page<ProductSummary>> {
    let today = st.clock.today_vn().as_str().to_owned();
    let rows = match q.q.as_deref().map(search::SearchText::parse) {
        Some(Some(text)) => search::find_page(st, q, &text, &today).await?,
        // Only punctuation was typed: nothing can match.
        Some(None) => Vec::new(),
        None => listing_page(st, q, today).await?,
    };
    let (mut items, total) = read_counted_page(&rows)?;
    attach_images_and_certs(st, &mut items).await?;
    Ok(Page { items, total, page: q.page, per_page: q.per_page })
}

/// List published products, with search, filters, sort and paging.
///
/// `total` counts up to 1,000 products (`domain::api::COUNT_LIMIT`); 1,001 means "more than
/// 1,000". A search pages through its 1,000 best matches, in the order asked for.
#[utoipa::path(
    get, path = "/products", tag = "catalog",
    params(
        ("q" = Option<String>, Query, description = "Search text; accents and case are ignored (\"gao st25\" finds \"Gạo ST25\")"),
        ("category" = Option<Category>, Query, description = "Category code"),
        ("province" = Option<u8>, Query, description = "Origin province code (one of the 34 after 2025)"),
        ("cert" = Option<domain::query::CertFilter>, Query, description = "Certification, or exact OCOP stars (ocop3/ocop4/ocop5)"),
        ("min_price" = Option<i64>, Query, description = "Lowest price from, in đồng"),
        ("max_price" = Option<i64>, Query, description = "Highest price from, in đồng"),
        ("in_stock" = Option<bool>, Query, description = "Only products with stock"),
        ("cooperative" = Option<String>, Query, description = "Only this cooperative's products (slug)"),
        ("sort" = Option<Sort>, Query, description = "relevance (default; newest without q), newest, price_asc, price_desc, best_selling"),
        ("page" = Option<u32>, Query, description = "1 to 10000, default 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 100, default 24"),
    ),
    responses(
        (status = 200, body = Page<ProductSummary>),
        (status = 400, description = "Invalid parameters, per field", body = ErrorBody),
    )
)]
pub async fn list_products(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Page<ProductSummary>>> {
    let q = ProductQuery::from_query_string(raw.as_deref().unwrap_or(""))?;
    Ok(Json(find_products(&st, &q).await?))
}

pub(crate) async fn cooperative_summaries(
    st: &AppState,
    where_sql: &str,
    bind: Option<String>,
    limit_offset: Option<(i64, i64)>,
) -> sqlx::Result<Vec<(CooperativeSummary, SqliteRow)>> {
    let sql = format!(
        "SELECT c.*, (SELECT COUNT(*) FROM products p WHERE p.cooperative_id = c.id AND p.status = 'published') AS product_count
         FROM cooperatives c WHERE {where_sql} ORDER BY c.name, c.id{}",
        if limit_offset.is_some() { " LIMIT $2 OFFSET $3" } else { "" }
    );
    let mut query = sqlx::query(&sql).bind(bind);
    if let Some((limit, offset)) = limit_offset {
        query = query.bind(limit).bind(offset);
    }
    let rows = query.fetch_all(&st.db).await?;
    rows.into_iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let status: String = row.try_get("status")?;
            let banner: Option<String> = row.try_get("banner_url")?;
            let name: String = row.try_get("name")?;
            let s = CooperativeSummary {
                id: row.try_get("id")?,
                slug: row.try_get("slug")?,
                kind: CoopKind::from_code(&kind).ok_or_else(|| decode_err("kind", &kind))?,
                province_code: row.try_get::<i64, _>("province_code")? as u8,
                commune_name: row.try_get("commune_name")?,
                member_count: row.try_get::<i64, _>("member_count")? as u32,
                founded_year: row.try_get::<Option<i64>, _>("founded_year")?.map(|y| y as u16),
                product_count: row.try_get::<i64, _>("product_count")? as u32,
                banner: banner.map(|url| Image {
                    url,
                    alt: I18nText { vi: name.clone(), en: name.clone() },
                    width: 400,
                    height: 300,
                    renditions: Vec::new(),
                }),
                status: CoopStatus::from_code(&status).ok_or_else(|| decode_err("status", &status))?,
                name,
            };
            Ok((s, row))
        })
        .collect()
}

/// List approved cooperatives.
#[utoipa::path(
    get, path = "/cooperatives", tag = "catalog",
    params(
        ("province" = Option<u8>, Query, description = "Province code"),
        ("page" = Option<u32>, Query, description = "1 to 10000, default 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 100, default 24"),
    ),
    responses((status = 200, body = Page<CooperativeSummary>), (status = 400, body = ErrorBody))
)]
pub async fn list_cooperatives(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Page<CooperativeSummary>>> {
    let q = PageQuery::from_query_string(raw.as_deref().unwrap_or(""))?;
    let where_sql = "c.status = 'approved' AND ($1 IS NULL OR c.province_code = $1)";
    let province = q.province.map(|p| p.to_string());
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM cooperatives c WHERE {where_sql}"))
        .bind(province.clone())
        .fetch_one(&st.db)
        .await?;
    let offset = i64::from(q.page - 1) * i64::from(q.per_page);
    let items = cooperative_summaries(&st, where_sql, province, Some((i64::from(q.per_page), offset)))
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    Ok(Json(Page { items, total: total as u64, page: q.page, per_page: q.per_page }))
}

/// A cooperative's page: its story, place, contact and certifications.
#[utoipa::path(
    get, path = "/cooperatives/{slug}", tag = "catalog",
    params(("slug" = String, Path, description = "The cooperative's slug")),
    responses((status = 200, body = Cooperative), (status = 404, body = ErrorBody))
)]
pub async fn get_cooperative(State(st): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<Cooperative>> {
    let (summary, row) = cooperative_summaries(&st, "c.status = 'approved' AND c.slug = $1", Some(slug), None)
        .await?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound("cooperative"))?;
    let certs = sqlx::query(
        "SELECT DISTINCT ce.kind, ce.number, ce.issuer, ce.expires_on FROM certifications ce
         JOIN products p ON p.id = ce.product_id WHERE p.cooperative_id = $1 AND p.status = 'published'
         ORDER BY ce.kind, ce.number",
    )
    .bind(summary.id)
    .fetch_all(&st.db)
    .await?;
    let sectors: String = row.try_get("sectors")?;
    let phone: String = row.try_get("phone")?;
    Ok(Json(Cooperative {
        commune_code: row.try_get::<i64, _>("commune_code")? as u32,
        street: row.try_get("street")?,
        sectors: serde_json::from_str(&sectors).map_err(|e| anyhow::anyhow!("sectors: {e}"))?,
        story: I18nText { vi: row.try_get("story_vi")?, en: row.try_get("story_en")? },
        phone: Phone::parse(&phone).map_err(|_| decode_err("phone", &phone))?,
        certifications: certs.iter().map(certification_from_row).collect::<sqlx::Result<_>>()?,
        joined_at: row.try_get("created_at")?,
        summary,
    }))
}

/// A product page: variants, images, certifications, its cooperative, related products.
#[utoipa::path(
    get, path = "/products/{slug}", tag = "catalog",
    params(("slug" = String, Path, description = "The product's slug")),
    responses((status = 200, body = Product), (status = 404, body = ErrorBody))
)]
pub async fn get_product(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Json<Product>> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, p.description_vi, p.description_en, p.status, p.cooperative_id
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.slug = $1 AND {VISIBLE}"
    ))
    .bind(&slug)
    .fetch_optional(&st.db)
    .await?
    .ok_or(ApiError::NotFound("product"))?;
    let mut summary = summary_from_row(&row)?;
    attach_images_and_certs(&st, std::slice::from_mut(&mut summary)).await?;
    let status: String = row.try_get("status")?;

    let mut conn = st.db.acquire().await?;
    let variants = product_variants(&mut conn, summary.id).await?;
    let images = product_images(&mut conn, summary.id).await?;
    let certifications = product_certifications(&mut conn, summary.id).await?;
    drop(conn);
    let producer =
        cooperative_summaries(&st, "c.id = $1", Some(row.try_get::<i64, _>("cooperative_id")?.to_string()), None)
            .await?
            .into_iter()
            .next()
            .map(|(s, _)| s)
            .ok_or(ApiError::NotFound("cooperative"))?;

    let related_rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE {VISIBLE} AND p.category = $1 AND p.id <> $2 ORDER BY (p.cooperative_id = $3) DESC, p.sold_count DESC, p.id LIMIT 8"
    ))
    .bind(summary.category.code())
    .bind(summary.id)
    .bind(producer.id)
    .fetch_all(&st.db)
    .await?;
    let mut related = related_rows.iter().map(summary_from_row).collect::<sqlx::Result<Vec<_>>>()?;
    attach_images_and_certs(&st, &mut related).await?;
    let lots = crate::lots::product_lot_links(&st, summary.id, &crate::lots::origin(&st, &headers)).await?;

    Ok(Json(Product {
        summary,
        description: I18nText { vi: row.try_get("description_vi")?, en: row.try_get("description_en")? },
        status: ProductStatus::from_code(&status).ok_or_else(|| decode_err("status", &status))?,
        variants,
        images,
        certifications,
        producer,
        related,
        lots,
    }))
}

/// Categories with their number of published products, in catalog order.
#[utoipa::path(get, path = "/categories", tag = "catalog", responses((status = 200, body = Vec<CategoryCount>)))]
pub async fn list_categories(State(st): State<AppState>) -> ApiResult<Json<Vec<CategoryCount>>> {
    let rows = sqlx::query(&format!(
        "SELECT p.category, COUNT(*) AS n FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE} GROUP BY p.category"
    ))
    .fetch_all(&st.db)
    .await?;
    let mut counts: HashMap<String, i64> = HashMap::new();
    for r in &rows {
        counts.insert(r.try_get("category")?, r.try_get("n")?);
    }
    Ok(Json(
        Category::ALL
            .iter()
            .map(|c| CategoryCount {
                category: *c,
                name: I18nText { vi: c.name(domain::Lang::Vi).into(), en: c.name(domain::Lang::En).into() },
                count: counts.get(c.code()).copied().unwrap_or(0) as u64,
            })
            .collect(),
    ))
}

/// Recomputes a product's denormalized price and stock after its variants changed.
/// Every write to `variants` goes through here in the same transaction.
pub async fn refresh_product_aggregates(conn: &mut sqlx::SqliteConnection, product_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE products SET
            price_min = COALESCE((SELECT MIN(price) FROM variants WHERE product_id = $1), 0),
            stock_total = COALESCE((SELECT SUM(stock) FROM variants WHERE product_id = $1), 0)
         WHERE id = $1",
    )
    .bind(product_id)
    .execute(conn)
    .await?;
    Ok(())
}
