//! The seller console's API, for members of a cooperative: its products (editor,
//! submit for review), its orders (confirm, ship, deliver, cancel with stock restored)
//! and its dashboard. Every route takes an `auth::Member` (or calls `auth::membership`), so a person reaches
//! only the cooperatives they belong to.
//!
//! Publishing: a new product is a draft; "submit" makes it pending, and staff approval
//! (curation) publishes it. Only an approved cooperative can submit. Edits to a
//! published product go live at once (the cooperative was vetted); staff can hide it.

use crate::{
    AppState,
    auth::Member,
    db::{
        int, narrow,
        orders::{ORDER_ROW_SQL, give_back_stock, order_from_row},
        products::{images_of, insert_certification, refresh_product_aggregates},
        search,
    },
    http::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, optional_choice},
};
use domain::api::ErrorCode;
use domain::{order_status_sql, product_status_sql};

pub mod images;
pub mod profile;
use axum::{Json, extract::State, http::StatusCode};
use domain::{
    I18nText,
    account::OrderSummary,
    api::ErrorBody,
    catalog::{Category, CertKind, CooperativeRef, Date, ProductStatus},
    money::Vnd,
    order::{Order, OrderStatus, PaymentMethod},
    seller::{
        CertificationInput, Dashboard, DaySales, LOW_STOCK, LowStock, OrderAction, ProductDraft, ProductRevenue,
        ProvinceBuyers, SellerOrderRow, SellerProduct, SellerProductRow, ValidDraft, VariantInput,
    },
    text::{fold, slugify},
    validate::{Errors, FieldError},
};
use serde::Deserialize;
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};

/// The product `slug` of cooperative `coop_id`: (id, status). 404 for another's product.
pub async fn product_of(conn: &mut SqliteConnection, coop_id: i64, slug: &str) -> ApiResult<(i64, ProductStatus)> {
    let row = sqlx::query("SELECT id, status FROM products WHERE slug = $1 AND cooperative_id = $2")
        .bind(slug)
        .bind(coop_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError::NotFound("product"))?;
    let status: ProductStatus = row.try_get("status")?;
    Ok((row.try_get("id")?, status))
}

// ---------------------------------------------------------------------------------------
// Products

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// Words of the name, with or without diacritics.
    q: Option<String>,
    status: Option<String>,
}

/// The cooperative's products, every status, most recently edited first.
#[utoipa::path(get, path = "/seller/{coop}/products", tag = "seller", params(("coop" = String, Path), ProductListQuery),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Vec<SellerProductRow>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list_products(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiQuery(q): ApiQuery<ProductListQuery>,
) -> ApiResult<Json<Vec<SellerProductRow>>> {
    let status = optional_choice("status", q.status.as_deref(), ProductStatus::from_code)?;
    let rows = sqlx::query(
        "SELECT p.slug, p.name_vi, p.name_en, p.status, p.price_min, p.stock_total, p.updated_at,
            (SELECT i.url FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_url
         FROM products p WHERE p.cooperative_id = $1 AND ($2 IS NULL OR p.status = $2)
         ORDER BY p.updated_at DESC, p.id DESC",
    )
    .bind(coop_id)
    .bind(status)
    .fetch_all(&st.db)
    .await?;
    let words: Vec<String> =
        q.q.as_deref().map(fold).unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    let mut list = Vec::new();
    for r in &rows {
        let name = I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? };
        let folded = fold(&format!("{} {}", name.vi, name.en));
        if !words.iter().all(|w| folded.contains(w.as_str())) {
            continue;
        }
        let status: ProductStatus = r.try_get("status")?;
        list.push(SellerProductRow {
            slug: r.try_get("slug")?,
            name,
            status,
            price_min: Vnd::new(r.try_get("price_min")?),
            stock_total: narrow::<u32>("stock_total", r.try_get::<i64, _>("stock_total")?.max(0))?,
            image_url: r.try_get("image_url")?,
            updated_at: r.try_get("updated_at")?,
        });
    }
    Ok(Json(list))
}

/// Everything the editor shows for one product.
pub async fn load_seller_product(conn: &mut SqliteConnection, product_id: i64) -> ApiResult<SellerProduct> {
    let p = sqlx::query("SELECT * FROM products WHERE id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    let status: ProductStatus = p.try_get("status")?;
    let category: String = p.try_get("category")?;
    let variants = sqlx::query("SELECT * FROM variants WHERE product_id = $1 ORDER BY position, id")
        .bind(product_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|v| {
            Ok(VariantInput {
                id: Some(v.try_get("id")?),
                label: v.try_get("label")?,
                unit: v.try_get("unit")?,
                net_weight_g: v.try_get("net_weight_g")?,
                price: v.try_get("price")?,
                stock: v.try_get("stock")?,
                stock_seen: Some(v.try_get("stock")?),
                gtin: v.try_get::<Option<String>, _>("gtin")?.unwrap_or_default(),
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let certifications =
        sqlx::query("SELECT kind, number, issuer, expires_on FROM certifications WHERE product_id = $1 ORDER BY id")
            .bind(product_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|c| {
                let kind: String = c.try_get("kind")?;
                Ok(CertificationInput {
                    kind: CertKind::from_code(&kind),
                    number: c.try_get("number")?,
                    issuer: c.try_get("issuer")?,
                    expires_on: c.try_get("expires_on")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
    let images = images_of(conn, product_id).await?;
    Ok(SellerProduct {
        slug: p.try_get("slug")?,
        status,
        review_note: review_note(&p),
        draft: ProductDraft {
            name: I18nText { vi: p.try_get("name_vi")?, en: p.try_get("name_en")? },
            description: I18nText { vi: p.try_get("description_vi")?, en: p.try_get("description_en")? },
            category: Category::from_code(&category),
            brand: p.try_get("brand")?,
            origin_province_code: int::<u8>(&p, "origin_province_code")?,
            ocop_stars: int::<u8>(&p, "ocop_stars")?,
            certifications,
            variants,
        },
        images,
        updated_at: p.try_get("updated_at")?,
    })
}

/// Why staff sent the product back or hid it.
fn review_note(row: &SqliteRow) -> String {
    row.try_get::<Option<String>, _>("review_note").ok().flatten().unwrap_or_default()
}

/// Writes a checked draft over product `product_id`: fields, certifications, and pack
/// sizes (kept by id, added, or removed), then its aggregates and search entry.
async fn write_draft(conn: &mut SqliteConnection, product_id: i64, d: &ValidDraft, now: &str) -> ApiResult<()> {
    // A GTIN belongs to one pack size in the whole catalog.
    let mut taken = Errors::new();
    for (i, v) in d.variants.iter().enumerate() {
        if let Some(g) = &v.gtin {
            let other: Option<i64> = sqlx::query_scalar("SELECT id FROM variants WHERE gtin = $1 AND product_id <> $2")
                .bind(g.as_str())
                .bind(product_id)
                .fetch_optional(&mut *conn)
                .await?;
            if other.is_some() {
                taken.add(format!("variants.{i}.gtin"), FieldError::Duplicate);
            }
        }
        if let Some(id) = v.id {
            let own: Option<i64> = sqlx::query_scalar("SELECT id FROM variants WHERE id = $1 AND product_id = $2")
                .bind(id)
                .bind(product_id)
                .fetch_optional(&mut *conn)
                .await?;
            if own.is_none() {
                taken.add(format!("variants.{i}.id"), FieldError::UnknownChoice);
            }
        }
    }
    if !taken.is_empty() {
        return Err(taken.into());
    }
    sqlx::query(
        "UPDATE products SET name_vi = $1, name_en = $2, description_vi = $3, description_en = $4, brand = $5,
            category = $6, origin_province_code = $7, ocop_stars = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&d.name.vi)
    .bind(&d.name.en)
    .bind(&d.description.vi)
    .bind(&d.description.en)
    .bind(&d.brand)
    .bind(d.category)
    .bind(d.origin_province_code as i64)
    .bind(d.ocop_stars as i64)
    .bind(now)
    .bind(product_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM certifications WHERE product_id = $1").bind(product_id).execute(&mut *conn).await?;
    for c in &d.certifications {
        insert_certification(&mut *conn, product_id, c.kind, &c.number, &c.issuer, &c.expires_on).await?;
    }
    // Pack sizes no longer listed go; GTINs are cleared first so a GTIN can move
    // between pack sizes of the same product in one save.
    let kept: Vec<i64> = d.variants.iter().filter_map(|v| v.id).collect();
    let existing: Vec<i64> = sqlx::query_scalar("SELECT id FROM variants WHERE product_id = $1")
        .bind(product_id)
        .fetch_all(&mut *conn)
        .await?;
    for id in existing.iter().filter(|id| !kept.contains(id)) {
        sqlx::query("DELETE FROM variants WHERE id = $1").bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE variants SET gtin = NULL WHERE product_id = $1").bind(product_id).execute(&mut *conn).await?;
    for (pos, v) in d.variants.iter().enumerate() {
        let q = match v.id {
            // An existing pack size's stock moves by what the seller changed on screen
            // (`stock_seen` → `stock`), so orders placed meanwhile stay counted.
            Some(id) => sqlx::query(
                "UPDATE variants SET position = $1, label = $2, unit = $3, net_weight_g = $4, price = $5,
                    stock = CASE WHEN $6 IS NULL THEN $7 WHEN stock + $7 - $6 < 0 THEN 0
                        WHEN stock + $7 - $6 > $8 THEN $8 ELSE stock + $7 - $6 END, gtin = $9
                 WHERE id = $10",
            )
            .bind(pos as i64)
            .bind(&v.label)
            .bind(&v.unit)
            .bind(v.net_weight_g as i64)
            .bind(v.price.dong())
            .bind(v.stock_seen.map(i64::from))
            .bind(v.stock as i64)
            .bind(domain::seller::MAX_STOCK)
            .bind(v.gtin.as_ref().map(|g| g.as_str().to_owned()))
            .bind(id),
            None => sqlx::query(
                "INSERT INTO variants (position, label, unit, net_weight_g, price, stock, gtin, product_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(pos as i64)
            .bind(&v.label)
            .bind(&v.unit)
            .bind(v.net_weight_g as i64)
            .bind(v.price.dong())
            .bind(v.stock as i64)
            .bind(v.gtin.as_ref().map(|g| g.as_str().to_owned()))
            .bind(product_id),
        };
        q.execute(&mut *conn).await?;
    }
    refresh_product_aggregates(conn, product_id).await?;
    search::index_product(conn, product_id).await?;
    Ok(())
}

/// Creates a draft product.
#[utoipa::path(post, path = "/seller/{coop}/products", tag = "seller", params(("coop" = String, Path)),
    request_body = ProductDraft,
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 201, body = SellerProduct), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn create_product(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> ApiResult<(StatusCode, Json<SellerProduct>)> {
    let valid = draft.validate()?;
    let now = st.clock.now_rfc3339();
    let base: String = match slugify(&valid.name.vi) {
        s if s.is_empty() => "san-pham".into(),
        s => s.chars().take(70).collect::<String>().trim_end_matches('-').to_owned(),
    };
    let mut tx = st.db.begin().await?;
    let mut slug = base.clone();
    let mut n = 1;
    let id = loop {
        let id: Option<i64> = sqlx::query_scalar(
            concat!("INSERT INTO products (cooperative_id, slug, name_vi, category, origin_province_code, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, ", product_status_sql!(Draft), ", $6, $6) ON CONFLICT (slug) DO NOTHING RETURNING id"),
        )
        .bind(coop_id)
        .bind(&slug)
        .bind(&valid.name.vi)
        .bind(valid.category)
        .bind(valid.origin_province_code as i64)
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        match id {
            Some(id) => break id,
            None => {
                n += 1;
                slug = format!("{base}-{n}");
            }
        }
    };
    write_draft(&mut tx, id, &valid, &now).await?;
    let product = load_seller_product(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// The editor's data for one of the cooperative's products.
#[utoipa::path(get, path = "/seller/{coop}/products/{slug}", tag = "seller", params(("coop" = String, Path), ("slug" = String, Path)),
    responses((status = 200, body = SellerProduct), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_product(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
) -> ApiResult<Json<SellerProduct>> {
    let mut conn = st.db.acquire().await?;
    let (id, _) = product_of(&mut conn, coop_id, &slug).await?;
    Ok(Json(load_seller_product(&mut conn, id).await?))
}

/// Saves the editor's draft over the product (all fields, certifications, pack sizes).
#[utoipa::path(put, path = "/seller/{coop}/products/{slug}", tag = "seller", params(("coop" = String, Path), ("slug" = String, Path)),
    request_body = ProductDraft,
    responses((status = 200, body = SellerProduct), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn save_product(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> ApiResult<Json<SellerProduct>> {
    let valid = draft.validate()?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let (id, _) = product_of(&mut tx, coop_id, &slug).await?;
    write_draft(&mut tx, id, &valid, &now).await?;
    let product = load_seller_product(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(product))
}

/// Submits a draft (or a product sent back) for staff review. The cooperative must be
/// approved, and every image needs its Vietnamese alt text.
#[utoipa::path(post, path = "/seller/{coop}/products/{slug}/submit", tag = "seller",
    params(("coop" = String, Path), ("slug" = String, Path)),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = SellerProduct), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn submit_product(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
) -> ApiResult<Json<SellerProduct>> {
    let mut tx = st.db.begin().await?;
    let coop_status: String =
        sqlx::query_scalar("SELECT status FROM cooperatives WHERE id = $1").bind(coop_id).fetch_one(&mut *tx).await?;
    if coop_status != "approved" {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::CooperativeNotApproved,
            "Your cooperative is not approved yet: products can be submitted once staff approve it.",
        ));
    }
    let (id, status) = product_of(&mut tx, coop_id, &slug).await?;
    if !matches!(status, ProductStatus::Draft | ProductStatus::Hidden) {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::NotADraft,
            "Only a draft or a hidden product can be submitted for review.",
        ));
    }
    let product = load_seller_product(&mut tx, id).await?;
    // The stored draft must still pass today's rules; a listing shows at least one photo.
    product.draft.validate()?.check_on(&st.clock.today_vn())?;
    let mut e = Errors::new();
    if product.images.is_empty() {
        e.add("images", FieldError::NeedsPhoto);
    }
    for (i, img) in product.images.iter().enumerate() {
        if img.image.alt.vi.trim().is_empty() {
            e.add(format!("images.{i}.alt.vi"), FieldError::Required);
        }
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    sqlx::query(concat!(
        "UPDATE products SET status = ",
        product_status_sql!(Pending),
        ", updated_at = $1 WHERE id = $2"
    ))
    .bind(st.clock.now_rfc3339())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let product = load_seller_product(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(product))
}

// ---------------------------------------------------------------------------------------
// Orders

fn seller_row(r: &SqliteRow, coop: &CooperativeRef) -> ApiResult<SellerOrderRow> {
    let status: OrderStatus = r.try_get("status")?;
    let method: PaymentMethod = r.try_get("payment_method")?;
    Ok(SellerOrderRow {
        summary: OrderSummary {
            number: r.try_get("number")?,
            cooperative: coop.clone(),
            status,
            total: Vnd::new(r.try_get("total")?),
            item_count: int::<u32>(r, "item_count")?,
            created_at: r.try_get("created_at")?,
        },
        buyer_name: r.try_get("buyer_name")?,
        province_code: int::<u8>(r, "province_code")?,
        payment_method: method,
    })
}

const SELLER_ORDER_ROW: &str =
    "SELECT o.number, o.status, o.total, o.created_at, o.buyer_name, o.province_code, o.payment_method,
    (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count
    FROM orders o";

async fn coop_ref(st: &AppState, coop_id: i64) -> ApiResult<CooperativeRef> {
    let r = sqlx::query("SELECT slug, name, province_code FROM cooperatives WHERE id = $1")
        .bind(coop_id)
        .fetch_one(&st.db)
        .await?;
    Ok(CooperativeRef {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        province_code: int::<u8>(&r, "province_code")?,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    status: Option<String>,
}

/// The cooperative's orders, newest first, optionally of one status.
#[utoipa::path(get, path = "/seller/{coop}/orders", tag = "seller", params(("coop" = String, Path), OrderListQuery),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Vec<SellerOrderRow>), (status = 403, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list_orders(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiQuery(q): ApiQuery<OrderListQuery>,
) -> ApiResult<Json<Vec<SellerOrderRow>>> {
    let status = optional_choice("status", q.status.as_deref(), OrderStatus::from_code)?;
    let coop = coop_ref(&st, coop_id).await?;
    let rows = sqlx::query(&format!(
        "{SELLER_ORDER_ROW} WHERE o.cooperative_id = $1 AND ($2 IS NULL OR o.status = $2)
         ORDER BY o.created_at DESC, o.id DESC LIMIT 500"
    ))
    .bind(coop_id)
    .bind(status)
    .fetch_all(&st.db)
    .await?;
    Ok(Json(rows.iter().map(|r| seller_row(r, &coop)).collect::<ApiResult<Vec<_>>>()?))
}

async fn coop_order(st: &AppState, coop_id: i64, number: &str) -> ApiResult<Order> {
    let row = sqlx::query(&format!("{ORDER_ROW_SQL} WHERE o.number = $1 AND o.cooperative_id = $2"))
        .bind(number)
        .bind(coop_id)
        .fetch_optional(&st.db)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    Ok(order_from_row(st, &row).await?)
}

/// One of the cooperative's orders, with the buyer's contact and address.
#[utoipa::path(get, path = "/seller/{coop}/orders/{number}", tag = "seller",
    params(("coop" = String, Path), ("number" = String, Path)),
    responses((status = 200, body = Order), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_order(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, number)): ApiPath<(String, String)>,
) -> ApiResult<Json<Order>> {
    Ok(Json(coop_order(&st, coop_id, &number).await?))
}

/// Moves an order on: confirm, ship (carrier and tracking code), delivered, or cancel
/// with a reason (the stock comes back). The buyer's tracking page shows each step.
#[utoipa::path(post, path = "/seller/{coop}/orders/{number}/status", tag = "seller",
    params(("coop" = String, Path), ("number" = String, Path)), request_body = OrderAction,
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Order), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Not possible from the order's current status", body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn order_action(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, number)): ApiPath<(String, String)>,
    ApiJson(action): ApiJson<OrderAction>,
) -> ApiResult<Json<Order>> {
    let note = action.validate()?;
    let target = action.target();
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // A write first, so the transaction holds the lock before it reads the status.
    let row =
        sqlx::query("UPDATE orders SET updated_at = $1 WHERE number = $2 AND cooperative_id = $3 RETURNING id, status")
            .bind(&now)
            .bind(&number)
            .bind(coop_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ApiError::NotFound("order"))?;
    let order_id: i64 = row.try_get("id")?;
    let current: OrderStatus = row.try_get("status")?;
    if !current.can_become(target) {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            format!("An order that is {} cannot become {}.", current.code(), target.code()),
        ));
    }
    sqlx::query("UPDATE orders SET status = $1 WHERE id = $2").bind(target).bind(order_id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, $4)")
        .bind(order_id)
        .bind(target)
        .bind(&now)
        .bind(&note)
        .execute(&mut *tx)
        .await?;
    if target == OrderStatus::Cancelled {
        give_back_stock(&mut tx, order_id).await?;
    }
    crate::db::outbox::order_status(&mut tx, order_id, target, note.as_deref(), &now).await?;
    tx.commit().await?;
    Ok(Json(coop_order(&st, coop_id, &number).await?))
}

/// Marks a bank-transfer order paid: the money arrived in the cooperative's account. The
/// buyer's tracking page shows the step (and no longer asks for the transfer); the audit
/// log keeps who said so. Once only, and not on a cancelled order.
#[utoipa::path(post, path = "/seller/{coop}/orders/{number}/paid", tag = "seller",
    params(("coop" = String, Path), ("number" = String, Path)),
    responses((status = 200, body = Order), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_transition`: not a bank transfer, cancelled, or already paid", body = ErrorBody),
        (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn mark_paid(
    State(st): State<AppState>,
    Member { coop_id, viewer, .. }: Member,
    ApiPath((_coop, number)): ApiPath<(String, String)>,
) -> ApiResult<Json<Order>> {
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // The write first (the lock), then what it found.
    let row = sqlx::query(
        "UPDATE orders SET updated_at = $1 WHERE number = $2 AND cooperative_id = $3
         RETURNING id, status, payment_method, paid_at",
    )
    .bind(&now)
    .bind(&number)
    .bind(coop_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("order"))?;
    let status: OrderStatus = row.try_get("status")?;
    let method: PaymentMethod = row.try_get("payment_method")?;
    let paid_at: Option<String> = row.try_get("paid_at")?;
    if method != PaymentMethod::BankTransfer || status == OrderStatus::Cancelled || paid_at.is_some() {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::InvalidTransition,
            "Only a bank-transfer order that is not cancelled can be marked paid, once.",
        ));
    }
    let order_id: i64 = row.try_get("id")?;
    sqlx::query("UPDATE orders SET paid_at = $1 WHERE id = $2").bind(&now).bind(order_id).execute(&mut *tx).await?;
    crate::db::audit::Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "order.mark_paid",
        entity: "order",
        entity_id: number.clone(),
        before: None,
        after: crate::db::audit::json(&serde_json::json!({ "paid_at": now })),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(Json(coop_order(&st, coop_id, &number).await?))
}

// ---------------------------------------------------------------------------------------
// Dashboard

/// An order's time, status and goods value, for the dashboard's days.
#[derive(sqlx::FromRow)]
struct OrderTotal {
    created_at: String,
    status: OrderStatus,
    subtotal: i64,
}

/// The orders that are sales: the cooperative confirmed them (and may have shipped or
/// delivered them since). Pending orders may still be cancelled; cancelled ones count nowhere.
const SOLD: &str = concat!(
    "o.status IN (",
    order_status_sql!(Confirmed),
    ", ",
    order_status_sql!(Shipped),
    ", ",
    order_status_sql!(Delivered),
    ")"
);

/// Orders waiting, low stock, sales by day over 90 days, revenue by product, buyers by
/// province. Sales are confirmed orders, valued at their goods (the subtotal: shipping
/// fees are not the cooperative's revenue); orders still awaiting confirmation are a
/// figure of their own.
#[utoipa::path(get, path = "/seller/{coop}/dashboard", tag = "seller", params(("coop" = String, Path)),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Dashboard), (status = 403, body = ErrorBody), (status = 401, description = "`unauthenticated`: no valid session", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn dashboard(State(st): State<AppState>, Member { coop_id, .. }: Member) -> ApiResult<Json<Dashboard>> {
    let coop = coop_ref(&st, coop_id).await?;
    const AWAITING: &str =
        concat!("o.status IN (", order_status_sql!(Pending), ", ", order_status_sql!(Confirmed), ")");
    let awaiting = sqlx::query(&format!(
        "{SELLER_ORDER_ROW} WHERE o.cooperative_id = $1 AND {AWAITING} ORDER BY o.created_at, o.id LIMIT 50"
    ))
    .bind(coop_id)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| seller_row(r, &coop))
    .collect::<ApiResult<Vec<_>>>()?;

    let low_stock = sqlx::query(concat!(
        "SELECT p.slug, p.name_vi, p.name_en, v.label, v.stock FROM variants v JOIN products p ON p.id = v.product_id
         WHERE p.cooperative_id = $1 AND p.status IN (",
        product_status_sql!(Published),
        ", ",
        product_status_sql!(Pending),
        ") AND v.stock <= $2 ORDER BY v.stock, p.name_vi LIMIT 20"
    ))
    .bind(coop_id)
    .bind(LOW_STOCK as i64)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(LowStock {
            product_slug: r.try_get("slug")?,
            product_name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
            variant_label: r.try_get("label")?,
            stock: narrow::<u32>("stock", r.try_get::<i64, _>("stock")?.max(0))?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    // Days are Vietnam's (UTC+7); orders are stored in UTC.
    let today = st.clock.now().to_offset(time::macros::offset!(+7)).date();
    let first_day = today - time::Duration::days(89);
    let since = crate::clock::rfc3339(first_day.midnight().assume_offset(time::macros::offset!(+7)));
    let rows: Vec<OrderTotal> = sqlx::query_as(concat!(
        "SELECT created_at, status, subtotal FROM orders o WHERE cooperative_id = $1 AND status <> ",
        order_status_sql!(Cancelled),
        " AND created_at >= $2"
    ))
    .bind(coop_id)
    .bind(&since)
    .fetch_all(&st.db)
    .await?;
    let mut daily: Vec<DaySales> = (0..90)
        .map(|i| {
            let d = first_day + time::Duration::days(i);
            DaySales {
                date: Date::from_ymd(d.year(), u8::from(d.month()), d.day()).expect("valid date"),
                orders: 0,
                revenue: Vnd::ZERO,
            }
        })
        .collect();
    let mut unconfirmed_30 = Vnd::ZERO;
    for OrderTotal { created_at: at, status, subtotal } in rows {
        let Ok(t) = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339) else { continue };
        let day = t.to_offset(time::macros::offset!(+7)).date();
        let Some(i) = usize::try_from((day - first_day).whole_days()).ok().filter(|i| *i < daily.len()) else {
            continue;
        };
        if status == OrderStatus::Pending {
            if i >= 60 {
                unconfirmed_30 = unconfirmed_30.checked_add(Vnd::new(subtotal)).unwrap_or(unconfirmed_30);
            }
        } else {
            let d = &mut daily[i];
            d.orders += 1;
            d.revenue = d.revenue.checked_add(Vnd::new(subtotal)).unwrap_or(d.revenue);
        }
    }
    let revenue_90 = Vnd::checked_sum(daily.iter().map(|d| d.revenue)).unwrap_or(Vnd::ZERO);
    let revenue_30 = Vnd::checked_sum(daily[60..].iter().map(|d| d.revenue)).unwrap_or(Vnd::ZERO);

    let revenue_by_product = sqlx::query(&format!(
        "SELECT i.product_slug, MAX(i.product_name_vi) AS name_vi, MAX(i.product_name_en) AS name_en,
            SUM(i.quantity) AS quantity, SUM(i.line_total) AS revenue
         FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.cooperative_id = $1 AND {SOLD} AND o.created_at >= $2
         GROUP BY i.product_slug ORDER BY revenue DESC LIMIT 10"
    ))
    .bind(coop_id)
    .bind(&since)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(ProductRevenue {
            slug: r.try_get("product_slug")?,
            name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
            quantity: int::<u32>(r, "quantity")?,
            revenue: Vnd::new(r.try_get("revenue")?),
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let buyers_by_province = sqlx::query(&format!(
        "SELECT province_code, COUNT(DISTINCT buyer_phone) AS buyers, COUNT(*) AS orders FROM orders o
         WHERE cooperative_id = $1 AND {SOLD} AND created_at >= $2
         GROUP BY province_code ORDER BY buyers DESC, orders DESC"
    ))
    .bind(coop_id)
    .bind(&since)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(ProvinceBuyers {
            province_code: int::<u8>(r, "province_code")?,
            buyers: int::<u32>(r, "buyers")?,
            orders: int::<u32>(r, "orders")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    Ok(Json(Dashboard {
        awaiting,
        low_stock,
        daily,
        revenue_30,
        revenue_90,
        unconfirmed_30,
        revenue_by_product,
        buyers_by_province,
    }))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, save_product))
        .routes(routes!(submit_product))
        .routes(routes!(list_orders))
        .routes(routes!(get_order))
        .routes(routes!(order_action))
        .routes(routes!(mark_paid))
        .routes(routes!(dashboard))
        .merge(images::routes())
        .merge(profile::routes())
}
