//! Catalog routes: products, cooperatives, categories. The SQL lives beside its handler.

use crate::{
    AppState,
    db::{
        decode_err, facets, int,
        listing::{listing_page, read_counted_page},
        lots::product_lot_links,
        narrow,
        products::{
            SUMMARY_COLUMNS, VISIBLE, attach_images_and_certs, category_counts, certification_from_row,
            cooperative_summaries, json_image, json_images, product_certifications, product_images, product_variants,
            summary_from_row,
        },
        search,
    },
    http::{
        error::{ApiError, ApiPath, ApiResult},
        origin::origin,
    },
};
use axum::{
    Json,
    extract::{RawQuery, State},
};
use domain::{
    I18nText,
    api::{CategoryCount, ErrorBody, Page, ProductResults},
    catalog::{Category, Cooperative, CooperativeSummary, Product, ProductStatus, ProductSummary},
    coop_status_sql,
    phone::Phone,
    product_status_sql,
    profile::GeoPoint,
    query::{PageQuery, ProductQuery, Sort, decode_pairs, parse_flag},
};
use sqlx::Row;

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

/// How many categories and popular searches an empty result suggests.
const SUGGESTIONS: usize = 6;

/// [`find_products`], and what the catalog needs around it: the facets (when
/// `with_facets`); when nothing matches, the search again with its mistyped words
/// corrected (`corrected_query`), and else categories and popular searches to try.
pub async fn search_products(st: &AppState, q: &ProductQuery, with_facets: bool) -> sqlx::Result<ProductResults> {
    let mut page = find_products(st, q).await?;
    let mut shown = q.clone();
    let mut corrected_query = None;
    if page.total == 0
        && let Some(text) = &q.q
        && let Some(fixed) = st.vocabulary.get(&st.db).await?.correct(text)
    {
        let fixed_query = ProductQuery { q: Some(fixed.clone()), ..q.clone() };
        let fixed_page = find_products(st, &fixed_query).await?;
        if fixed_page.total > 0 {
            (page, shown, corrected_query) = (fixed_page, fixed_query, Some(fixed));
        }
    }
    let facets = if with_facets {
        let today = st.clock.today_vn().as_str().to_owned();
        match shown.q.as_deref().map(search::SearchText::parse) {
            Some(None) => Some(domain::api::Facets { complete: true, ..Default::default() }),
            Some(Some(text)) => Some(facets::facets(st, &shown, Some(&text), &today).await?),
            None => Some(facets::facets(st, &shown, None, &today).await?),
        }
    } else {
        None
    };
    let (mut suggested_categories, mut popular_searches) = (Vec::new(), Vec::new());
    if page.total == 0 {
        suggested_categories = category_counts(&st.db).await?.into_iter().filter(|c| c.count > 0).collect();
        suggested_categories.sort_by_key(|c| std::cmp::Reverse(c.count));
        suggested_categories.truncate(SUGGESTIONS);
        popular_searches = popular_searches_of(st).await?;
    }
    Ok(ProductResults {
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        facets,
        corrected_query,
        suggested_categories,
        popular_searches,
    })
}

/// Search texts that find the best-selling visible products: their names.
async fn popular_searches_of(st: &AppState) -> sqlx::Result<Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT p.name_vi FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE}
         ORDER BY p.sold_count DESC, p.id DESC LIMIT {SUGGESTIONS}"
    ))
    .fetch_all(&st.db)
    .await?;
    Ok(names)
}

/// List published products, with search, filters, sort and paging.
///
/// `total` counts up to 1,000 products (`domain::api::COUNT_LIMIT`); 1,001 means "more than
/// 1,000". A search pages through its 1,000 best matches, in the order asked for. Letters
/// and digits are separate words ("ST25", "st-25" and "st 25" search alike). A search
/// that matches nothing is tried again with each mistyped word corrected to the closest
/// word of the catalog (`corrected_query` then names the text the results are for); when
/// still nothing matches, `suggested_categories` and `popular_searches` say what to try.
#[utoipa::path(
    get, path = "/products", tag = "catalog",
    params(
        ("q" = Option<String>, Query, max_length = 100, description = "Search text; accents and case are ignored (\"gao st25\" finds \"Gạo ST25\")"),
        ("category" = Option<Category>, Query, description = "Category code"),
        ("province" = Option<u8>, Query, minimum = 1, maximum = 99, description = "Origin province code (one of the 34 after 2025)"),
        ("cert" = Option<domain::query::CertFilter>, Query, description = "Certification, or exact OCOP stars (ocop3/ocop4/ocop5)"),
        ("min_price" = Option<i64>, Query, minimum = 0, description = "Lowest price from, in đồng"),
        ("max_price" = Option<i64>, Query, minimum = 0, description = "Highest price from, in đồng"),
        ("in_stock" = Option<bool>, Query, description = "Only products with stock"),
        ("cooperative" = Option<String>, Query, description = "Only this cooperative's products (slug)"),
        ("sort" = Option<Sort>, Query, description = "relevance (default; newest without q), newest, price_asc, price_desc, best_selling"),
        ("page" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "1 to 10000, default 1"),
        ("per_page" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100, default 24"),
        ("facets" = Option<bool>, Query, description = "Also count the products per category, province and certification (`facets`)"),
    ),
    responses(
        (status = 200, body = ProductResults),
        (status = 400, description = "Invalid parameters, per field", body = ErrorBody),
    )
)]
pub async fn list_products(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<ProductResults>> {
    let raw = raw.as_deref().unwrap_or("");
    let q = ProductQuery::from_query_string(raw)?;
    let with_facets = match decode_pairs(raw).iter().rev().find(|(k, _)| k == "facets").map(|(_, v)| v.trim()) {
        None | Some("") => false,
        Some(v) if let Some(flag) = parse_flag(v) => flag,
        Some(_) => {
            let mut errors = domain::validate::Errors::new();
            errors.add("facets", domain::validate::FieldError::UnknownChoice);
            return Err(errors.into());
        }
    };
    Ok(Json(search_products(&st, &q, with_facets).await?))
}

/// List approved cooperatives.
#[utoipa::path(
    get, path = "/cooperatives", tag = "catalog",
    params(
        ("province" = Option<u8>, Query, minimum = 1, maximum = 99, description = "Province code"),
        ("page" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "1 to 10000, default 1"),
        ("per_page" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100, default 24"),
    ),
    responses((status = 200, body = Page<CooperativeSummary>), (status = 400, body = ErrorBody))
)]
pub async fn list_cooperatives(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Page<CooperativeSummary>>> {
    let q = PageQuery::from_query_string(raw.as_deref().unwrap_or(""))?;
    let where_sql = concat!("c.status = ", coop_status_sql!(Approved), " AND ($1 IS NULL OR c.province_code = $1)");
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
    Ok(Json(Page { items, total: narrow("total", total)?, page: q.page, per_page: q.per_page }))
}

/// A cooperative's page: its story, place, contact, pictures and certifications. 404 for
/// an unknown cooperative, one not approved, and one whose page staff hid.
#[utoipa::path(
    get, path = "/cooperatives/{slug}", tag = "catalog",
    params(("slug" = String, Path, description = "The cooperative's slug")),
    responses((status = 200, body = Cooperative), (status = 404, body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn get_cooperative(
    State(st): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Cooperative>> {
    let (summary, row) = cooperative_summaries(
        &st,
        concat!("c.status = ", coop_status_sql!(Approved), " AND c.profile_hidden_reason IS NULL AND c.slug = $1"),
        Some(slug),
        None,
    )
    .await?
    .into_iter()
    .next()
    .ok_or(ApiError::NotFound("cooperative"))?;
    let certs = sqlx::query(concat!(
        "SELECT DISTINCT ce.kind, ce.number, ce.issuer, ce.expires_on FROM certifications ce
         JOIN products p ON p.id = ce.product_id WHERE p.cooperative_id = $1 AND p.status = ",
        product_status_sql!(Published),
        "
         ORDER BY ce.kind, ce.number"
    ))
    .bind(summary.id)
    .fetch_all(&st.db)
    .await?;
    let sectors: String = row.try_get("sectors")?;
    let phone: String = row.try_get("phone")?;
    let zalo: String = row.try_get("zalo")?;
    let email: String = row.try_get("email")?;
    let facebook: String = row.try_get("facebook_url")?;
    let (lat, lng): (Option<f64>, Option<f64>) = (row.try_get("latitude")?, row.try_get("longitude")?);
    Ok(Json(Cooperative {
        tagline: I18nText { vi: row.try_get("summary_vi")?, en: row.try_get("summary_en")? },
        logo: json_image(&row, "logo_json")?,
        gallery: json_images(&row, "gallery")?,
        email: (!email.is_empty()).then_some(email),
        zalo: if zalo.is_empty() { None } else { Some(Phone::parse(&zalo).map_err(|_| decode_err("zalo", &zalo))?) },
        facebook: (!facebook.is_empty()).then_some(facebook),
        hours: I18nText { vi: row.try_get("hours_vi")?, en: row.try_get("hours_en")? },
        location: lat.zip(lng).map(|(lat, lng)| GeoPoint { lat, lng }),
        commune_code: int::<u32>(&row, "commune_code")?,
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
    responses((status = 200, body = Product), (status = 404, body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn get_product(State(st): State<AppState>, ApiPath(slug): ApiPath<String>) -> ApiResult<Json<Product>> {
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
    let status: ProductStatus = row.try_get("status")?;

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
    .bind(summary.category)
    .bind(summary.id)
    .bind(producer.id)
    .fetch_all(&st.db)
    .await?;
    let mut related = related_rows.iter().map(summary_from_row).collect::<sqlx::Result<Vec<_>>>()?;
    attach_images_and_certs(&st, &mut related).await?;
    let lots = product_lot_links(&st, summary.id, &origin(&st)).await?;

    Ok(Json(Product {
        summary,
        description: I18nText { vi: row.try_get("description_vi")?, en: row.try_get("description_en")? },
        status,
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
    Ok(Json(category_counts(&st.db).await?))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(list_products))
        .routes(routes!(get_product))
        .routes(routes!(list_cooperatives))
        .routes(routes!(get_cooperative))
        .routes(routes!(list_categories))
}
