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
        CertKind, Category, CoopKind, CoopStatus, Cooperative, CooperativeRef, CooperativeSummary,
        Certification, Date, Image, Product, ProductStatus, ProductSummary, Variant,
    },
    money::Vnd,
    phone::Phone,
    query::{PageQuery, ProductQuery, Sort},
};
use sqlx::{QueryBuilder, Row, sqlite::SqliteRow};
use std::collections::HashMap;

/// Products buyers may see: published, by an approved cooperative.
pub(crate) const VISIBLE: &str = "p.status = 'published' AND c.status = 'approved'";

const SUMMARY_COLUMNS: &str = "p.id, p.slug, p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, \
     p.ocop_stars, p.price_min, p.stock_total, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province";

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {what} {value:?} in the database").into())
}

fn category(row: &SqliteRow) -> sqlx::Result<Category> {
    let code: String = row.try_get("category")?;
    Category::from_code(&code).ok_or_else(|| decode_err("category", &code))
}

fn summary_from_row(row: &SqliteRow) -> sqlx::Result<ProductSummary> {
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

fn image_from_row(row: &SqliteRow) -> sqlx::Result<Image> {
    Ok(Image {
        url: row.try_get("url")?,
        alt: I18nText { vi: row.try_get("alt_vi")?, en: row.try_get("alt_en")? },
        width: row.try_get::<i64, _>("width")? as u32,
        height: row.try_get::<i64, _>("height")? as u32,
    })
}

fn certification_from_row(row: &SqliteRow) -> sqlx::Result<Certification> {
    let kind: String = row.try_get("kind")?;
    let expires: String = row.try_get("expires_on")?;
    Ok(Certification {
        kind: CertKind::from_code(&kind).ok_or_else(|| decode_err("certification kind", &kind))?,
        number: row.try_get("number")?,
        issuer: row.try_get("issuer")?,
        expires_on: Date::parse(&expires).ok_or_else(|| decode_err("date", &expires))?,
    })
}

fn id_list(ids: &[i64]) -> String {
    // Ids are integers from our own rows: safe to inline, and one statement serves any count.
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Fills each summary's first image and its valid certification kinds (two queries per page).
async fn attach_images_and_certs(st: &AppState, items: &mut [ProductSummary]) -> sqlx::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids = id_list(&items.iter().map(|p| p.id).collect::<Vec<_>>());
    let images = sqlx::query(&format!(
        "SELECT product_id, url, alt_vi, alt_en, width, height FROM product_images
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

/// FROM and WHERE of a product listing; shared by the page query and its count.
fn push_listing_filters<'a>(b: &mut QueryBuilder<'a, crate::db::Db>, q: &'a ProductQuery, fts: Option<String>, today: String) {
    if let Some(m) = fts {
        b.push(" FROM product_search JOIN products p ON p.id = product_search.rowid JOIN cooperatives c ON c.id = p.cooperative_id WHERE product_search MATCH ");
        b.push_bind(m);
        b.push(" AND ");
    } else {
        b.push(" FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE ");
    }
    b.push(VISIBLE);
    if let Some(cat) = q.category {
        b.push(" AND p.category = ").push_bind(cat.code());
    }
    if let Some(prov) = q.province {
        b.push(" AND p.origin_province_code = ").push_bind(i64::from(prov));
    }
    if let Some(cert) = q.cert {
        match cert.requirement() {
            Ok(kind) => {
                b.push(" AND EXISTS (SELECT 1 FROM certifications ce WHERE ce.product_id = p.id AND ce.kind = ")
                    .push_bind(kind.code())
                    .push(" AND ce.expires_on >= ")
                    .push_bind(today)
                    .push(")");
            }
            Err(stars) => {
                b.push(" AND p.ocop_stars = ").push_bind(i64::from(stars));
            }
        }
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
    if let Some(slug) = &q.cooperative {
        b.push(" AND c.slug = ").push_bind(slug.as_str());
    }
}

/// One page of products for a validated query.
pub async fn find_products(st: &AppState, q: &ProductQuery) -> sqlx::Result<Page<ProductSummary>> {
    let fts = q.q.as_deref().and_then(search::match_expression);
    if q.q.is_some() && fts.is_none() {
        // Only punctuation was typed: nothing can match.
        return Ok(Page { items: vec![], total: 0, page: q.page, per_page: q.per_page });
    }
    let today = st.clock.today_vn().as_str().to_owned();

    let mut count = QueryBuilder::new("SELECT COUNT(*)");
    push_listing_filters(&mut count, q, fts.clone(), today.clone());
    let total: i64 = count.build_query_scalar().fetch_one(&st.db).await?;

    let mut b = QueryBuilder::new(format!("SELECT {SUMMARY_COLUMNS}"));
    let ranked = fts.is_some();
    push_listing_filters(&mut b, q, fts, today);
    b.push(match q.effective_sort() {
        // Name matches weigh ten times description matches; ties go to what sells.
        Sort::Relevance if ranked => " ORDER BY bm25(product_search, 10.0, 1.0), p.sold_count DESC, p.id",
        Sort::Relevance | Sort::Newest => " ORDER BY p.created_at DESC, p.id DESC",
        Sort::PriceAsc => " ORDER BY p.price_min ASC, p.id",
        Sort::PriceDesc => " ORDER BY p.price_min DESC, p.id",
        Sort::BestSelling => " ORDER BY p.sold_count DESC, p.id",
    });
    b.push(" LIMIT ").push_bind(i64::from(q.per_page));
    b.push(" OFFSET ").push_bind(i64::from(q.page - 1) * i64::from(q.per_page));
    let rows = b.build().fetch_all(&st.db).await?;
    let mut items = rows.iter().map(summary_from_row).collect::<sqlx::Result<Vec<_>>>()?;
    attach_images_and_certs(st, &mut items).await?;
    Ok(Page { items, total: total as u64, page: q.page, per_page: q.per_page })
}

/// List published products, with search, filters, sort and paging.
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
pub async fn list_products(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Page<ProductSummary>>> {
    let q = ProductQuery::from_query_string(raw.as_deref().unwrap_or(""))?;
    Ok(Json(find_products(&st, &q).await?))
}

async fn cooperative_summaries(st: &AppState, where_sql: &str, bind: Option<String>, limit_offset: Option<(i64, i64)>) -> sqlx::Result<Vec<(CooperativeSummary, SqliteRow)>> {
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
pub async fn list_cooperatives(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<Page<CooperativeSummary>>> {
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
pub async fn get_product(State(st): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<Product>> {
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

    let variants = sqlx::query(
        "SELECT id, label, unit, net_weight_g, price, stock, gtin FROM variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(summary.id)
    .fetch_all(&st.db)
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
    .collect::<sqlx::Result<Vec<_>>>()?;

    let images = sqlx::query("SELECT url, alt_vi, alt_en, width, height FROM product_images WHERE product_id = $1 ORDER BY position, id")
        .bind(summary.id)
        .fetch_all(&st.db)
        .await?
        .iter()
        .map(image_from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    let certifications = sqlx::query("SELECT kind, number, issuer, expires_on FROM certifications WHERE product_id = $1 ORDER BY kind, id")
        .bind(summary.id)
        .fetch_all(&st.db)
        .await?
        .iter()
        .map(certification_from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    let producer = cooperative_summaries(&st, "c.id = $1", Some(row.try_get::<i64, _>("cooperative_id")?.to_string()), None)
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

    Ok(Json(Product {
        summary,
        description: I18nText { vi: row.try_get("description_vi")?, en: row.try_get("description_en")? },
        status: ProductStatus::from_code(&status).ok_or_else(|| decode_err("status", &status))?,
        variants,
        images,
        certifications,
        producer,
        related,
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
