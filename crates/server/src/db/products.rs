//! Typed readers of product rows shared by the features: summaries, pack sizes, photos,
//! certifications, cooperative summaries, and the denormalized aggregates.

use crate::{
    AppState,
    db::{decode_err, id_list, int, narrow, opt_int},
};
use domain::{
    I18nText,
    api::CategoryCount,
    catalog::{
        Category, CertKind, Certification, CoopKind, CoopStatus, CooperativeRef, CooperativeSummary, Date, Image,
        ProductSummary, Rendition, Variant,
    },
    coop_status_sql,
    curation::{banner_image, default_coop_banner},
    money::Vnd,
    product_status_sql,
    seller::SellerImage,
};
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};
use std::collections::HashMap;

/// Products buyers may see: published, by an approved cooperative.
pub(crate) const VISIBLE: &str =
    concat!("p.status = ", product_status_sql!(Published), " AND c.status = ", coop_status_sql!(Approved));

/// [`VISIBLE`] for a query on `products p` alone (listings, search).
pub(crate) const VISIBLE_PRODUCT: &str = concat!(
    "p.status = ",
    product_status_sql!(Published),
    " AND p.cooperative_id NOT IN (SELECT id FROM cooperatives WHERE status <> ",
    coop_status_sql!(Approved),
    ")"
);

pub(crate) const SUMMARY_COLUMNS: &str = "p.id, p.slug, p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, \
     p.ocop_stars, p.price_min, p.stock_total, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province";

pub(crate) fn summary_from_row(row: &SqliteRow) -> sqlx::Result<ProductSummary> {
    Ok(ProductSummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: I18nText { vi: row.try_get("name_vi")?, en: row.try_get("name_en")? },
        brand: row.try_get("brand")?,
        category: row.try_get("category")?,
        origin_province_code: int::<u8>(row, "origin_province_code")?,
        ocop_stars: int::<u8>(row, "ocop_stars")?,
        cooperative: CooperativeRef {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            province_code: int::<u8>(row, "coop_province")?,
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
        width: int::<u32>(row, "width")?,
        height: int::<u32>(row, "height")?,
        renditions: renditions_of(row),
    })
}

pub(crate) fn certification_from_row(row: &SqliteRow) -> sqlx::Result<Certification> {
    let kind: CertKind = row.try_get("kind")?;
    let expires: String = row.try_get("expires_on")?;
    Ok(Certification {
        kind,
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
            net_weight_g: int::<u32>(r, "net_weight_g")?,
            price: Vnd::new(r.try_get("price")?),
            stock: narrow::<u32>("stock", r.try_get::<i64, _>("stock")?.max(0))?,
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

/// Fills each summary's first image and its valid certification kinds (two queries per page).
/// Adds a certification to a product (the seller's editor and the demo seed).
pub async fn insert_certification(
    conn: &mut SqliteConnection,
    product_id: i64,
    kind: CertKind,
    number: &str,
    issuer: &str,
    expires_on: &Date,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO certifications (product_id, kind, number, issuer, expires_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(product_id)
    .bind(kind)
    .bind(number)
    .bind(issuer)
    .bind(expires_on.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

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
        if let std::collections::hash_map::Entry::Vacant(e) = first.entry(pid) {
            e.insert(image_from_row(row)?);
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

/// An image stored as JSON in `column` (a cooperative's logo or banner), if any.
pub fn json_image(row: &SqliteRow, column: &str) -> sqlx::Result<Option<Image>> {
    let text: Option<String> = row.try_get(column)?;
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(t) => serde_json::from_str(t).map(Some).map_err(|_| crate::db::decode_err(column, t)),
    }
}

/// Images stored as a JSON array in `column` (a cooperative's gallery).
pub fn json_images(row: &SqliteRow, column: &str) -> sqlx::Result<Vec<Image>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|_| crate::db::decode_err(column, &text))
}

pub(crate) async fn cooperative_summaries(
    st: &AppState,
    where_sql: &str,
    bind: Option<String>,
    limit_offset: Option<(i64, i64)>,
) -> sqlx::Result<Vec<(CooperativeSummary, SqliteRow)>> {
    const PUBLISHED: &str = concat!("p.status = ", product_status_sql!(Published));
    let sql = format!(
        "SELECT c.*, (SELECT COUNT(*) FROM products p WHERE p.cooperative_id = c.id AND {PUBLISHED}) AS product_count,
            (SELECT p.category FROM products p WHERE p.cooperative_id = c.id AND {PUBLISHED}
             GROUP BY p.category ORDER BY COUNT(*) DESC, p.category LIMIT 1) AS main_category
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
            let kind: CoopKind = row.try_get("kind")?;
            let status: CoopStatus = row.try_get("status")?;
            let banner: Option<String> = row.try_get("banner_url")?;
            let name: String = row.try_get("name")?;
            let s = CooperativeSummary {
                id: row.try_get("id")?,
                slug: row.try_get("slug")?,
                kind,
                province_code: int::<u8>(&row, "province_code")?,
                commune_name: row.try_get("commune_name")?,
                member_count: int::<u32>(&row, "member_count")?,
                founded_year: opt_int::<u16>(&row, "founded_year")?,
                product_count: int::<u32>(&row, "product_count")?,
                banner: Some(match (json_image(&row, "banner_json")?, banner) {
                    (Some(image), _) => image,
                    (None, Some(url)) => Image {
                        url,
                        alt: I18nText { vi: name.clone(), en: name.clone() },
                        width: 400,
                        height: 300,
                        renditions: Vec::new(),
                    },
                    (None, None) => {
                        let main: Option<Category> = row.try_get("main_category")?;
                        banner_image(default_coop_banner(main), &I18nText { vi: name.clone(), en: name.clone() })
                    }
                }),
                status,
                name,
            };
            Ok((s, row))
        })
        .collect()
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

/// The renditions column of a `product_images` row (absent or bad JSON: none).
pub fn renditions_of(row: &SqliteRow) -> Vec<Rendition> {
    row.try_get::<String, _>("renditions").ok().and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()
}

pub fn seller_image_of(r: &SqliteRow) -> sqlx::Result<SellerImage> {
    Ok(SellerImage { id: r.try_get("id")?, image: image_from_row(r)? })
}

/// A product's images in display order.
pub async fn images_of(conn: &mut SqliteConnection, product_id: i64) -> sqlx::Result<Vec<SellerImage>> {
    sqlx::query("SELECT * FROM product_images WHERE product_id = $1 ORDER BY position, id")
        .bind(product_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(seller_image_of)
        .collect::<sqlx::Result<Vec<_>>>()
}

/// How many visible products each category has, in the categories' order.
pub async fn category_counts(db: &crate::db::Pool) -> sqlx::Result<Vec<CategoryCount>> {
    let rows = sqlx::query(&format!(
        "SELECT p.category, COUNT(*) AS n FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE} GROUP BY p.category"
    ))
    .fetch_all(db)
    .await?;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for r in &rows {
        counts.insert(r.try_get("category")?, int(r, "n")?);
    }
    Ok(Category::ALL
        .iter()
        .map(|c| CategoryCount {
            category: *c,
            name: I18nText { vi: c.name(domain::Lang::Vi).into(), en: c.name(domain::Lang::En).into() },
            count: counts.get(c.code()).copied().unwrap_or(0),
        })
        .collect())
}
