//! Moderation by trade-promotion staff: the queue of pending cooperatives and products,
//! approve / reject / suspend a cooperative, approve / reject / hide a product, and the
//! staff lists to find what to act on. Which action applies to which status is
//! `domain::curation`'s rule; every decision is written to the audit log with the record
//! before and after, in the same transaction.
//!
//! A rejected cooperative stays pending with its reason (`status_reason`) until its admin
//! resubmits; a rejected product goes back to draft with its `review_note`. Both reasons
//! are shown to the cooperative (`GET /cooperatives/{slug}/review`).

use crate::{
    AppState,
    auth::{SlugMember, Staff, Viewer, admin_of},
    db::{
        Db,
        audit::{self, Action},
        int, narrow,
        products::{
            self as catalog, SUMMARY_COLUMNS, attach_images_and_certs, certification_from_row, summary_from_row,
        },
        search,
    },
    http::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, optional_choice},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    I18nText,
    api::{ErrorBody, Page},
    catalog::{BankAccount, CoopStatus, CooperativeRef, ProductStatus},
    coop_status_sql,
    curation::{
        CooperativeDecision, CooperativeReview, ModerationAction, ModerationQueue, ProductDecision, QueueCooperative,
        QueueProduct, ReasonRequest, ReviewedProduct, StaffCooperative, StaffProduct, cooperative_after, product_after,
    },
    product_status_sql,
    text::fold,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqliteConnection, Transaction, sqlite::SqliteRow};

fn invalid_transition(what: &str, status: impl std::fmt::Display, action: ModerationAction) -> ApiError {
    ApiError::status(
        StatusCode::CONFLICT,
        ErrorCode::InvalidTransition,
        format!("A {status} {what} cannot be {}d.", action.code().trim_end_matches('e')),
    )
}

/// Takes SQLite's write lock with a write that changes nothing, so the read that follows
/// cannot be overtaken by another writer (the rule placing an order follows too).
/// `table` is one of our own table names, never input.
async fn lock(conn: &mut SqliteConnection, table: &'static str, slug: &str) -> ApiResult<()> {
    sqlx::query(&format!("UPDATE {table} SET status = status WHERE slug = $1")).bind(slug).execute(conn).await?;
    Ok(())
}

/// The reason `action` carries: checked for reject, suspend and hide (required there),
/// empty for approve.
fn reason_for(action: ModerationAction, reason: Option<&ReasonRequest>) -> ApiResult<String> {
    Ok(match (action.needs_reason(), reason) {
        (true, Some(r)) => r.validate()?,
        (true, None) => ReasonRequest::default().validate()?,
        (false, _) => String::new(),
    })
}

/// A moderation decision on one cooperative or product, as the audit log names it.
struct Decision<'a> {
    staff: &'a Viewer,
    /// `cooperative` or `product`.
    entity: &'static str,
    slug: &'a str,
    action: ModerationAction,
}

impl Decision<'_> {
    /// Writes the decision's audit row (`{entity}.{action}`, the record before and after)
    /// in its transaction, then commits: the change and its record go together.
    async fn record<T: Serialize>(
        &self,
        mut tx: Transaction<'_, Db>,
        before: &T,
        after: &T,
        now: &str,
    ) -> ApiResult<()> {
        Action {
            actor_id: self.staff.id,
            actor_name: &self.staff.name,
            action: &format!("{}.{}", self.entity, self.action),
            entity: self.entity,
            entity_id: self.slug.to_owned(),
            before: audit::json(before),
            after: audit::json(after),
        }
        .record(&mut tx, now)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Cooperatives

async fn moderate_cooperative(
    st: &AppState,
    staff: &Viewer,
    slug: &str,
    action: ModerationAction,
    reason: Option<&ReasonRequest>,
) -> ApiResult<Json<CooperativeDecision>> {
    let reason = reason_for(action, reason)?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    lock(&mut tx, "cooperatives", slug).await?;
    let row = sqlx::query("SELECT id, status, status_reason FROM cooperatives WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("cooperative"))?;
    let id: i64 = row.try_get("id")?;
    let current: CoopStatus = row.try_get("status")?;
    let before =
        CooperativeDecision { slug: slug.to_owned(), status: current, status_reason: row.try_get("status_reason")? };
    let status =
        cooperative_after(before.status, action).ok_or_else(|| invalid_transition("cooperative", current, action))?;
    let after = CooperativeDecision { slug: slug.to_owned(), status, status_reason: reason };
    sqlx::query(concat!(
        "UPDATE cooperatives SET status = $1, status_reason = $2,
            approved_at = CASE WHEN $1 = ",
        coop_status_sql!(Approved),
        " THEN $3 ELSE approved_at END
         WHERE id = $4"
    ))
    .bind(after.status)
    .bind(&after.status_reason)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Decision { staff, entity: "cooperative", slug, action }.record(tx, &before, &after, &now).await?;
    Ok(Json(after))
}

/// Approves a pending cooperative (it may then sell), or reinstates a suspended one.
#[utoipa::path(post, path = "/staff/cooperatives/{slug}/approve", tag = "staff",
    params(("slug" = String, Path)),
    responses((status = 200, body = CooperativeDecision), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Not pending or suspended", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn approve_cooperative(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CooperativeDecision>> {
    moderate_cooperative(&st, &staff, &slug, ModerationAction::Approve, None).await
}

/// Returns a pending cooperative for fixes, with the reason it will read. It stays
/// pending and leaves the queue until its admin resubmits.
#[utoipa::path(post, path = "/staff/cooperatives/{slug}/reject", tag = "staff",
    params(("slug" = String, Path)), request_body = ReasonRequest,
    responses((status = 200, body = CooperativeDecision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn reject_cooperative(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> ApiResult<Json<CooperativeDecision>> {
    moderate_cooperative(&st, &staff, &slug, ModerationAction::Reject, Some(&req)).await
}

/// Suspends an approved cooperative: its products leave the shop until it is approved again.
#[utoipa::path(post, path = "/staff/cooperatives/{slug}/suspend", tag = "staff",
    params(("slug" = String, Path)), request_body = ReasonRequest,
    responses((status = 200, body = CooperativeDecision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn suspend_cooperative(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> ApiResult<Json<CooperativeDecision>> {
    moderate_cooperative(&st, &staff, &slug, ModerationAction::Suspend, Some(&req)).await
}

// ---------------------------------------------------------------------------------------
// Products

async fn moderate_product(
    st: &AppState,
    staff: &Viewer,
    slug: &str,
    action: ModerationAction,
    reason: Option<&ReasonRequest>,
) -> ApiResult<Json<ProductDecision>> {
    let note = reason_for(action, reason)?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    lock(&mut tx, "products", slug).await?;
    let row = sqlx::query(
        "SELECT p.id, p.status, p.review_note, c.status AS coop_status FROM products p
         JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("product"))?;
    let id: i64 = row.try_get("id")?;
    let current: ProductStatus = row.try_get("status")?;
    let before = ProductDecision { slug: slug.to_owned(), status: current, review_note: row.try_get("review_note")? };
    let status = product_after(before.status, action).ok_or_else(|| invalid_transition("product", current, action))?;
    if status == ProductStatus::Published && row.try_get::<CoopStatus, _>("coop_status")? != CoopStatus::Approved {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::CooperativeNotApproved,
            "The product's cooperative is not approved: approve the cooperative first.",
        ));
    }
    let after = ProductDecision { slug: slug.to_owned(), status, review_note: note };
    sqlx::query("UPDATE products SET status = $1, review_note = $2, updated_at = $3 WHERE id = $4")
        .bind(after.status)
        .bind(&after.review_note)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    search::index_product(&mut tx, id).await?;
    Decision { staff, entity: "product", slug, action }.record(tx, &before, &after, &now).await?;
    Ok(Json(after))
}

/// Publishes a pending product (or shows a hidden one again). Its cooperative must be approved.
#[utoipa::path(post, path = "/staff/products/{slug}/approve", tag = "staff",
    params(("slug" = String, Path)),
    responses((status = 200, body = ProductDecision), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Not pending or hidden, or the cooperative is not approved", body = ErrorBody), crate::http::error::BadParameters))]
pub async fn approve_product(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ProductDecision>> {
    moderate_product(&st, &staff, &slug, ModerationAction::Approve, None).await
}

/// Sends a pending product back to draft with the reason; the cooperative fixes it and
/// submits it again.
#[utoipa::path(post, path = "/staff/products/{slug}/reject", tag = "staff",
    params(("slug" = String, Path)), request_body = ReasonRequest,
    responses((status = 200, body = ProductDecision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn reject_product(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> ApiResult<Json<ProductDecision>> {
    moderate_product(&st, &staff, &slug, ModerationAction::Reject, Some(&req)).await
}

/// Takes a published (or pending) product off the shop, with the reason.
#[utoipa::path(post, path = "/staff/products/{slug}/hide", tag = "staff",
    params(("slug" = String, Path)), request_body = ReasonRequest,
    responses((status = 200, body = ProductDecision), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn hide_product(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> ApiResult<Json<ProductDecision>> {
    moderate_product(&st, &staff, &slug, ModerationAction::Hide, Some(&req)).await
}

// ---------------------------------------------------------------------------------------
// The queue

async fn queue_cooperative(conn: &mut SqliteConnection, row: &SqliteRow) -> ApiResult<QueueCooperative> {
    let id: i64 = row.try_get("id")?;
    let admins = sqlx::query(
        "SELECT u.name, COALESCE(u.email, u.phone) AS login FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.cooperative_id = $1 AND m.role = 'admin' ORDER BY u.name",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok(format!("{} ({})", r.try_get::<String, _>("name")?, r.try_get::<String, _>("login")?)))
    .collect::<sqlx::Result<Vec<_>>>()?;
    let certifications = sqlx::query(
        "SELECT DISTINCT ce.kind, ce.number, ce.issuer, ce.expires_on FROM certifications ce
         JOIN products p ON p.id = ce.product_id WHERE p.cooperative_id = $1 ORDER BY ce.kind, ce.number",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(certification_from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    let product_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE cooperative_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let bank_bin: Option<String> = row.try_get("bank_bin")?;
    let bank = match (bank_bin, row.try_get::<Option<String>, _>("bank_account")?) {
        (Some(bin), Some(account_number)) if !bin.is_empty() => Some(BankAccount {
            bin,
            account_number,
            account_name: row.try_get::<Option<String>, _>("bank_account_name")?.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(QueueCooperative {
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        status: row.try_get("status")?,
        status_reason: row.try_get("status_reason")?,
        registration_number: row.try_get("registration_number")?,
        province_code: int::<u8>(row, "province_code")?,
        commune_name: row.try_get("commune_name")?,
        street: row.try_get("street")?,
        phone: row.try_get("phone")?,
        bank,
        registered_at: row.try_get("created_at")?,
        admins,
        product_count: narrow("product_count", product_count)?,
        certifications,
    })
}

async fn queue_product(conn: &mut SqliteConnection, row: &SqliteRow) -> ApiResult<QueueProduct> {
    let id: i64 = row.try_get("id")?;
    let images = catalog::product_images(conn, id).await?;
    let certifications = catalog::product_certifications(conn, id).await?;
    let variants = catalog::product_variants(conn, id).await?;
    let category: domain::catalog::Category = row.try_get("category")?;
    Ok(QueueProduct {
        slug: row.try_get("slug")?,
        name: I18nText { vi: row.try_get("name_vi")?, en: row.try_get("name_en")? },
        description: I18nText { vi: row.try_get("description_vi")?, en: row.try_get("description_en")? },
        brand: row.try_get("brand")?,
        category,
        origin_province_code: int::<u8>(row, "origin_province_code")?,
        ocop_stars: int::<u8>(row, "ocop_stars")?,
        status: row.try_get("status")?,
        cooperative: CooperativeRef {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            province_code: int::<u8>(row, "coop_province")?,
        },
        cooperative_status: row.try_get("coop_status")?,
        images,
        certifications,
        variants,
        review_note: row.try_get("review_note")?,
        submitted_at: row.try_get("updated_at")?,
    })
}

/// At most this many of each kind are listed at once, oldest first.
const QUEUE_LIMIT: i64 = 100;

/// What waits for staff: pending cooperatives (not returned for fixes) and pending
/// products, oldest first, with everything needed to decide.
#[utoipa::path(get, path = "/staff/queue", tag = "staff",
    responses((status = 200, body = ModerationQueue), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn queue(State(st): State<AppState>, _: Staff) -> ApiResult<Json<ModerationQueue>> {
    let mut conn = st.db.acquire().await?;
    let coop_rows = sqlx::query(concat!(
        "SELECT * FROM cooperatives WHERE status = ",
        coop_status_sql!(Pending),
        " AND status_reason = '' ORDER BY created_at, id LIMIT $1"
    ))
    .bind(QUEUE_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let mut cooperatives = Vec::with_capacity(coop_rows.len());
    for r in &coop_rows {
        cooperatives.push(queue_cooperative(&mut conn, r).await?);
    }
    let product_rows = sqlx::query(
        concat!("SELECT p.*, c.slug AS coop_slug, c.name AS coop_name, c.province_code AS coop_province, c.status AS coop_status
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = ", product_status_sql!(Pending), " ORDER BY p.updated_at, p.id LIMIT $1"),
    )
    .bind(QUEUE_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let mut products = Vec::with_capacity(product_rows.len());
    for r in &product_rows {
        products.push(queue_product(&mut conn, r).await?);
    }
    let returned: i64 = sqlx::query_scalar(concat!(
        "SELECT COUNT(*) FROM cooperatives WHERE status = ",
        coop_status_sql!(Pending),
        " AND status_reason <> ''"
    ))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Json(ModerationQueue {
        cooperatives,
        products,
        returned_cooperatives: narrow("count", returned)?,
        today: Some(st.clock.today_vn()),
    }))
}

// ---------------------------------------------------------------------------------------
// Staff lists

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CooperativeListQuery {
    /// pending, approved or suspended; all when absent.
    status: Option<String>,
    /// Part of the name, accents and case ignored.
    q: Option<String>,
}

/// Every cooperative (any status), by name, to find one to suspend or reinstate.
#[utoipa::path(get, path = "/staff/cooperatives", tag = "staff", params(CooperativeListQuery),
    responses((status = 200, body = Vec<StaffCooperative>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_cooperatives(
    State(st): State<AppState>,
    _: Staff,
    ApiQuery(q): ApiQuery<CooperativeListQuery>,
) -> ApiResult<Json<Vec<StaffCooperative>>> {
    let status = optional_choice("status", q.status.as_deref(), CoopStatus::from_code)?;
    let rows = sqlx::query(
        "SELECT c.*, (SELECT COUNT(*) FROM products p WHERE p.cooperative_id = c.id) AS product_count
         FROM cooperatives c WHERE ($1 IS NULL OR c.status = $1) ORDER BY c.name, c.id",
    )
    .bind(status)
    .fetch_all(&st.db)
    .await?;
    let needle = q.q.as_deref().map(fold).filter(|n| !n.trim().is_empty());
    let mut out = Vec::new();
    for r in &rows {
        let name: String = r.try_get("name")?;
        if let Some(n) = &needle
            && !fold(&name).contains(n.trim())
        {
            continue;
        }
        out.push(StaffCooperative {
            slug: r.try_get("slug")?,
            name,
            kind: r.try_get("kind")?,
            province_code: int::<u8>(r, "province_code")?,
            status: r.try_get("status")?,
            status_reason: r.try_get("status_reason")?,
            registration_number: r.try_get("registration_number")?,
            product_count: int::<u32>(r, "product_count")?,
            registered_at: r.try_get("created_at")?,
        });
        if out.len() >= 200 {
            break;
        }
    }
    Ok(Json(out))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// draft, pending, published or hidden; all when absent.
    status: Option<String>,
    /// Search text, as in the catalog.
    q: Option<String>,
    /// 1 or more, default 1 (24 per page).
    page: Option<u32>,
}

const STAFF_PAGE: u32 = 24;

/// Every product (any status), newest change first, to find one to hide or show again.
#[utoipa::path(get, path = "/staff/products", tag = "staff", params(ProductListQuery),
    responses((status = 200, body = Page<StaffProduct>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_products(
    State(st): State<AppState>,
    _: Staff,
    ApiQuery(q): ApiQuery<ProductListQuery>,
) -> ApiResult<Json<Page<StaffProduct>>> {
    let status = optional_choice("status", q.status.as_deref(), ProductStatus::from_code)?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let fts = q.q.as_deref().and_then(search::match_expression);
    if q.q.as_deref().is_some_and(|t| !t.trim().is_empty()) && fts.is_none() {
        return Ok(Json(Page { items: vec![], total: 0, page, per_page: STAFF_PAGE }));
    }
    let from = if fts.is_some() {
        "FROM product_search JOIN products p ON p.id = product_search.rowid JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE product_search MATCH $1 AND ($2 IS NULL OR p.status = $2)"
    } else {
        "FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE ($1 IS NULL OR 1) AND ($2 IS NULL OR p.status = $2)"
    };
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) {from}")).bind(fts.clone()).bind(status).fetch_one(&st.db).await?;
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, p.status, p.review_note, c.status AS coop_status {from}
         ORDER BY p.updated_at DESC, p.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(fts)
    .bind(status)
    .bind(i64::from(STAFF_PAGE))
    .bind(i64::from(page - 1) * i64::from(STAFF_PAGE))
    .fetch_all(&st.db)
    .await?;
    let mut summaries = rows.iter().map(summary_from_row).collect::<sqlx::Result<Vec<_>>>()?;
    attach_images_and_certs(&st, &mut summaries).await?;
    let items = summaries
        .into_iter()
        .zip(&rows)
        .map(|(summary, r)| {
            Ok(StaffProduct {
                summary,
                status: r.try_get("status")?,
                review_note: r.try_get("review_note")?,
                cooperative_status: r.try_get("coop_status")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Json(Page { items, total: narrow("total", total)?, page, per_page: STAFF_PAGE }))
}

// ---------------------------------------------------------------------------------------
// The cooperative's side

async fn review_of(st: &AppState, coop_id: i64) -> ApiResult<CooperativeReview> {
    let row = sqlx::query("SELECT slug, status, status_reason FROM cooperatives WHERE id = $1")
        .bind(coop_id)
        .fetch_one(&st.db)
        .await?;
    let status: CoopStatus = row.try_get("status")?;
    let status_reason: String = row.try_get("status_reason")?;
    let products = sqlx::query(concat!(
        "SELECT slug, name_vi, name_en, status, review_note FROM products
         WHERE cooperative_id = $1 AND review_note <> '' AND status IN (",
        product_status_sql!(Draft),
        ", ",
        product_status_sql!(Hidden),
        ") ORDER BY updated_at DESC, id DESC"
    ))
    .bind(coop_id)
    .fetch_all(&st.db)
    .await?
    .iter()
    .map(|r| {
        Ok(ReviewedProduct {
            slug: r.try_get("slug")?,
            name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
            status: r.try_get("status")?,
            review_note: r.try_get("review_note")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(CooperativeReview {
        slug: row.try_get("slug")?,
        can_resubmit: status == CoopStatus::Pending && !status_reason.is_empty(),
        status,
        status_reason,
        products,
    })
}

/// The cooperative's review: its status and why, and its products sent back or hidden
/// with the reasons. Members of the cooperative only.
#[utoipa::path(get, path = "/cooperatives/{slug}/review", tag = "accounts",
    params(("slug" = String, Path)),
    responses((status = 200, body = CooperativeReview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn cooperative_review(
    State(st): State<AppState>,
    SlugMember(member): SlugMember,
) -> ApiResult<Json<CooperativeReview>> {
    Ok(Json(review_of(&st, member.coop_id).await?))
}

/// After fixing what staff asked for, the cooperative's admin sends it back to the
/// queue. Only a pending cooperative that was returned can be resubmitted (409 otherwise).
#[utoipa::path(post, path = "/cooperatives/{slug}/resubmit", tag = "accounts",
    params(("slug" = String, Path)),
    responses((status = 200, body = CooperativeReview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn resubmit_cooperative(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CooperativeReview>> {
    let id = admin_of(&st, &viewer, &slug).await?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    lock(&mut tx, "cooperatives", &slug).await?;
    let reason: Option<String> = sqlx::query_scalar(concat!(
        "SELECT status_reason FROM cooperatives WHERE id = $1 AND status = ",
        coop_status_sql!(Pending),
        " AND status_reason <> ''"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(reason) = reason else {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::NothingToResubmit,
            "Only a cooperative that staff returned for fixes can be resubmitted.",
        ));
    };
    sqlx::query("UPDATE cooperatives SET status_reason = '' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "cooperative.resubmit",
        entity: "cooperative",
        entity_id: slug.clone(),
        before: Some(json!({"status": "pending", "status_reason": reason})),
        after: Some(json!({"status": "pending", "status_reason": ""})),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(Json(review_of(&st, id).await?))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(list_cooperatives))
        .routes(routes!(list_products))
        .routes(routes!(approve_cooperative))
        .routes(routes!(reject_cooperative))
        .routes(routes!(suspend_cooperative))
        .routes(routes!(approve_product))
        .routes(routes!(reject_product))
        .routes(routes!(hide_product))
        .routes(routes!(cooperative_review))
        .routes(routes!(resubmit_cooperative))
}
