//! What staff put in front of buyers: featured products (pinned in order, on a
//! schedule), campaigns / online fairs (products by hand or by rule, on dates), and the
//! home page composed from them (`GET /api/v1/home`).
//!
//! Schedules are dates in Vietnam's calendar, inclusive, read from `st.clock` — so tests
//! move the clock and watch features and campaigns come and go. Nothing is switched on
//! or off by a job: every read filters by today, and by `catalog::VISIBLE`, so expired,
//! hidden or suspended products drop out by themselves.

use crate::{
    AppState,
    auth::{Staff, Viewer},
    db::{
        audit::{self, Action},
        decode_err, id_list, opt_int,
        products::{
            SUMMARY_COLUMNS, VISIBLE, attach_images_and_certs, category_counts, cooperative_summaries, summary_from_row,
        },
    },
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{
    I18nText,
    api::ErrorBody,
    catalog::{Category, CertKind, Date, ProductSummary},
    coop_status_sql,
    curation::{
        CAMPAIGN_PRODUCTS_MAX, Campaign, CampaignRequest, CampaignRule, CampaignSelection, CampaignSummary,
        FeaturedItem, FeaturedUpdate, HomeCampaign, HomePage, PickedProduct, ScheduleState, ValidCampaign,
        banner_image,
    },
    text::slugify,
    validate::{Errors, FieldError},
};
use serde_json::json;
use sqlx::{QueryBuilder, Row, SqliteConnection, sqlite::SqliteRow};
use std::collections::{HashMap, HashSet};

/// Running campaigns shown on the home page, and products shown with each.
const HOME_CAMPAIGNS: i64 = 3;
const HOME_CAMPAIGN_PRODUCTS: usize = 4;
const HOME_NEW_COOPERATIVES: usize = 4;

/// Product summaries for `ids`, in that order (ids without a row are skipped).
async fn summaries_in_order(st: &AppState, ids: &[i64]) -> sqlx::Result<Vec<ProductSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id IN ({})",
        id_list(ids)
    ))
    .fetch_all(&st.db)
    .await?;
    let mut by_id: HashMap<i64, ProductSummary> =
        rows.iter().map(summary_from_row).map(|s| s.map(|s| (s.id, s))).collect::<sqlx::Result<_>>()?;
    let mut items: Vec<ProductSummary> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    attach_images_and_certs(st, &mut items).await?;
    Ok(items)
}

fn optional_date(row: &SqliteRow, column: &str) -> sqlx::Result<Option<Date>> {
    let v: Option<String> = row.try_get(column)?;
    v.map(|s| Date::parse(&s).ok_or_else(|| decode_err("date", &s))).transpose()
}

// ---------------------------------------------------------------------------------------
// Featured products

async fn featured_items(st: &AppState) -> ApiResult<Vec<FeaturedItem>> {
    let today = st.clock.today_vn();
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, f.starts_on, f.ends_on, ({VISIBLE}) AS visible
         FROM featured_products f JOIN products p ON p.id = f.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         ORDER BY f.position"
    ))
    .fetch_all(&st.db)
    .await?;
    let mut summaries = rows.iter().map(summary_from_row).collect::<sqlx::Result<Vec<_>>>()?;
    attach_images_and_certs(st, &mut summaries).await?;
    summaries
        .into_iter()
        .zip(&rows)
        .map(|(product, r)| {
            let starts_on = optional_date(r, "starts_on")?;
            let ends_on = optional_date(r, "ends_on")?;
            Ok(FeaturedItem {
                product,
                visible: r.try_get::<i64, _>("visible")? != 0,
                state: ScheduleState::of(starts_on.as_ref(), ends_on.as_ref(), &today),
                starts_on,
                ends_on,
            })
        })
        .collect()
}

/// The pinned products in their order, with schedules and whether buyers see them.
#[utoipa::path(get, path = "/staff/featured", tag = "staff",
    responses((status = 200, body = Vec<FeaturedItem>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_featured(State(st): State<AppState>, _: Staff) -> ApiResult<Json<Vec<FeaturedItem>>> {
    Ok(Json(featured_items(&st).await?))
}

/// The audit form of the list: slug and dates, in order.
fn featured_audit(items: &[FeaturedItem]) -> serde_json::Value {
    json!(
        items
            .iter()
            .map(|i| json!({"product": i.product.slug, "starts_on": i.starts_on, "ends_on": i.ends_on}))
            .collect::<Vec<_>>()
    )
}

/// Replaces the featured list: the products in the order given (the home page's
/// order), each with optional start and end dates. A product not visible to buyers can
/// stay pinned (it drops out of the home page by itself) but cannot be newly pinned.
#[utoipa::path(put, path = "/staff/featured", tag = "staff", request_body = FeaturedUpdate,
    responses((status = 200, body = Vec<FeaturedItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn save_featured(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiJson(req): ApiJson<FeaturedUpdate>,
) -> ApiResult<Json<Vec<FeaturedItem>>> {
    let items = req.validate()?;
    let before = featured_items(&st).await?;
    let pinned: HashSet<&str> = before.iter().map(|i| i.product.slug.as_str()).collect();
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // The first statement writes, so SQLite takes the write lock before any read.
    sqlx::query("DELETE FROM featured_products").execute(&mut *tx).await?;
    let mut errors = Errors::new();
    for (i, item) in items.iter().enumerate() {
        let row = sqlx::query(&format!(
            "SELECT p.id, ({VISIBLE}) AS visible FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.slug = $1"
        ))
        .bind(&item.product_slug)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            errors.add(format!("items.{i}.product_slug"), FieldError::UnknownChoice);
            continue;
        };
        if row.try_get::<i64, _>("visible")? == 0 && !pinned.contains(item.product_slug.as_str()) {
            errors.add(format!("items.{i}.product_slug"), FieldError::Unavailable);
            continue;
        }
        sqlx::query(
            "INSERT INTO featured_products (product_id, position, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.try_get::<i64, _>("id")?)
        .bind(i as i64)
        .bind(item.starts_on.as_ref().map(Date::as_str))
        .bind(item.ends_on.as_ref().map(Date::as_str))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let after = json!(
        items
            .iter()
            .map(|i| json!({"product": i.product_slug, "starts_on": i.starts_on, "ends_on": i.ends_on}))
            .collect::<Vec<_>>()
    );
    Action {
        actor_id: staff.id,
        actor_name: &staff.name,
        action: "featured.update",
        entity: "featured",
        entity_id: "home".into(),
        before: Some(featured_audit(&before)),
        after: Some(after),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(Json(featured_items(&st).await?))
}

// ---------------------------------------------------------------------------------------
// Campaigns

/// A campaign's row, decoded.
struct CampaignRow {
    id: i64,
    summary: CampaignSummary,
    rule: CampaignRule,
}

fn campaign_from_row(row: &SqliteRow, today: &Date) -> sqlx::Result<CampaignRow> {
    let title = I18nText { vi: row.try_get("title_vi")?, en: row.try_get("title_en")? };
    let banner_key: String = row.try_get("banner")?;
    let starts: String = row.try_get("starts_on")?;
    let ends: String = row.try_get("ends_on")?;
    let starts_on = Date::parse(&starts).ok_or_else(|| decode_err("date", &starts))?;
    let ends_on = Date::parse(&ends).ok_or_else(|| decode_err("date", &ends))?;
    let selection: CampaignSelection = row.try_get("selection")?;
    let category: Option<String> = row.try_get("rule_category")?;
    let cert: Option<String> = row.try_get("rule_cert")?;
    Ok(CampaignRow {
        id: row.try_get("id")?,
        rule: CampaignRule {
            category: category.as_deref().and_then(Category::from_code),
            province: opt_int::<u8>(row, "rule_province")?,
            cert: cert.as_deref().and_then(CertKind::from_code),
            min_ocop_stars: opt_int::<u8>(row, "rule_min_ocop")?,
        },
        summary: CampaignSummary {
            slug: row.try_get("slug")?,
            banner: banner_image(&banner_key, &title),
            banner_key,
            title,
            description: I18nText { vi: row.try_get("description_vi")?, en: row.try_get("description_en")? },
            state: ScheduleState::of(Some(&starts_on), Some(&ends_on), today),
            starts_on,
            ends_on,
            selection,
            product_count: 0,
        },
    })
}

/// The ids of the products buyers see in a campaign now: picks in order, or the rule's
/// matches best-selling first.
async fn campaign_product_ids(st: &AppState, c: &CampaignRow) -> sqlx::Result<Vec<i64>> {
    match c.summary.selection {
        CampaignSelection::Manual => {
            sqlx::query_scalar(&format!(
                "SELECT p.id FROM campaign_products cp JOIN products p ON p.id = cp.product_id
                 JOIN cooperatives c ON c.id = p.cooperative_id WHERE cp.campaign_id = $1 AND {VISIBLE} ORDER BY cp.position"
            ))
            .bind(c.id)
            .fetch_all(&st.db)
            .await
        }
        CampaignSelection::Rule => {
            let mut b = QueryBuilder::new(format!(
                "SELECT p.id FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE}"
            ));
            let r = &c.rule;
            if let Some(cat) = r.category {
                b.push(" AND p.category = ").push_bind(cat);
            }
            if let Some(p) = r.province {
                b.push(" AND p.origin_province_code = ").push_bind(i64::from(p));
            }
            if let Some(kind) = r.cert {
                b.push(" AND EXISTS (SELECT 1 FROM certifications ce WHERE ce.product_id = p.id AND ce.kind = ")
                    .push_bind(kind)
                    .push(" AND ce.expires_on >= ")
                    .push_bind(st.clock.today_vn().as_str().to_owned())
                    .push(")");
            }
            if let Some(stars) = r.min_ocop_stars {
                b.push(" AND p.ocop_stars >= ").push_bind(i64::from(stars));
            }
            b.push(" ORDER BY p.sold_count DESC, p.id LIMIT ").push_bind(i64::from(CAMPAIGN_PRODUCTS_MAX));
            b.build_query_scalar().fetch_all(&st.db).await
        }
    }
}

const CAMPAIGN_ORDER: &str = "ORDER BY starts_on DESC, id DESC";

/// Which campaigns [`campaign_rows`] reads.
enum Campaigns<'a> {
    All,
    BySlug(&'a str),
    /// Those running on a day (`YYYY-MM-DD`).
    RunningOn(&'a str),
}

impl Campaigns<'_> {
    /// The condition, with `$1` bound to [`Campaigns::param`].
    fn condition(&self) -> &'static str {
        match self {
            Campaigns::All => "$1 IS NULL",
            Campaigns::BySlug(_) => "slug = $1",
            Campaigns::RunningOn(_) => "starts_on <= $1 AND ends_on >= $1",
        }
    }

    fn param(&self) -> Option<&str> {
        match self {
            Campaigns::All => None,
            Campaigns::BySlug(v) | Campaigns::RunningOn(v) => Some(v),
        }
    }
}

async fn campaign_rows(st: &AppState, which: Campaigns<'_>) -> ApiResult<Vec<CampaignRow>> {
    let today = st.clock.today_vn();
    let rows = sqlx::query(&format!("SELECT * FROM campaigns WHERE {} {CAMPAIGN_ORDER}", which.condition()))
        .bind(which.param())
        .fetch_all(&st.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut c = campaign_from_row(r, &today)?;
        c.summary.product_count = u32::try_from(campaign_product_ids(st, &c).await?.len()).unwrap_or(u32::MAX);
        out.push(c);
    }
    Ok(out)
}

/// The full campaign; with `picks` for staff.
async fn load_campaign(st: &AppState, slug: &str, with_picks: bool) -> ApiResult<Option<Campaign>> {
    let Some(c) = campaign_rows(st, Campaigns::BySlug(slug)).await?.into_iter().next() else {
        return Ok(None);
    };
    let ids = campaign_product_ids(st, &c).await?;
    let products = summaries_in_order(st, &ids).await?;
    let picks = if with_picks && c.summary.selection == CampaignSelection::Manual {
        sqlx::query(&format!(
            "SELECT p.slug, p.name_vi, p.name_en, ({VISIBLE}) AS visible FROM campaign_products cp
             JOIN products p ON p.id = cp.product_id JOIN cooperatives c ON c.id = p.cooperative_id
             WHERE cp.campaign_id = $1 ORDER BY cp.position"
        ))
        .bind(c.id)
        .fetch_all(&st.db)
        .await?
        .iter()
        .map(|r| {
            Ok(PickedProduct {
                slug: r.try_get("slug")?,
                name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
                visible: r.try_get::<i64, _>("visible")? != 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    Ok(Some(Campaign { summary: c.summary, rule: c.rule, products, picks }))
}

/// Every campaign, the latest start first, with its state today.
#[utoipa::path(get, path = "/staff/campaigns", tag = "staff",
    responses((status = 200, body = Vec<CampaignSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_campaigns(State(st): State<AppState>, _: Staff) -> ApiResult<Json<Vec<CampaignSummary>>> {
    Ok(Json(campaign_rows(&st, Campaigns::All).await?.into_iter().map(|c| c.summary).collect()))
}

/// A campaign for its editor: the hand-picked products include those buyers no longer see.
#[utoipa::path(get, path = "/staff/campaigns/{slug}", tag = "staff", params(("slug" = String, Path)),
    responses((status = 200, body = Campaign), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_staff_campaign(
    State(st): State<AppState>,
    _: Staff,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(load_campaign(&st, &slug, true).await?.ok_or(ApiError::NotFound("campaign"))?))
}

/// Resolves hand-picked slugs to product ids; unknown ones, and products buyers cannot
/// see unless already picked (`keep`), are field errors.
async fn resolve_picks(conn: &mut SqliteConnection, slugs: &[String], keep: &HashSet<String>) -> ApiResult<Vec<i64>> {
    let mut errors = Errors::new();
    let mut ids = Vec::new();
    for (i, slug) in slugs.iter().enumerate() {
        let row = sqlx::query(&format!(
            "SELECT p.id, ({VISIBLE}) AS visible FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            None => errors.add(format!("product_slugs.{i}"), FieldError::UnknownChoice),
            Some(r) if r.try_get::<i64, _>("visible")? == 0 && !keep.contains(slug) => {
                errors.add(format!("product_slugs.{i}"), FieldError::Unavailable)
            }
            Some(r) => ids.push(r.try_get("id")?),
        }
    }
    errors.into_result(ids).map_err(ApiError::from)
}

/// Writes a campaign's fields and hand-picked products.
async fn write_campaign(
    conn: &mut SqliteConnection,
    id: i64,
    v: &ValidCampaign,
    picks: &[i64],
    now: &str,
) -> ApiResult<()> {
    sqlx::query(
        "UPDATE campaigns SET title_vi = $1, title_en = $2, description_vi = $3, description_en = $4, banner = $5,
            starts_on = $6, ends_on = $7, selection = $8, rule_category = $9, rule_province = $10, rule_cert = $11,
            rule_min_ocop = $12, updated_at = $13
         WHERE id = $14",
    )
    .bind(&v.title.vi)
    .bind(&v.title.en)
    .bind(&v.description.vi)
    .bind(&v.description.en)
    .bind(&v.banner)
    .bind(v.starts_on.as_str())
    .bind(v.ends_on.as_str())
    .bind(v.selection)
    .bind(v.rule.category)
    .bind(v.rule.province.map(i64::from))
    .bind(v.rule.cert)
    .bind(v.rule.min_ocop_stars.map(i64::from))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM campaign_products WHERE campaign_id = $1").bind(id).execute(&mut *conn).await?;
    for (pos, product_id) in picks.iter().enumerate() {
        sqlx::query("INSERT INTO campaign_products (campaign_id, product_id, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(product_id)
            .bind(pos as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Creates a campaign row with a slug from its Vietnamese title (unique; `moi` is the
/// console's "new" page, so never a slug). Returns (id, slug).
async fn insert_campaign(conn: &mut SqliteConnection, v: &ValidCampaign, now: &str) -> ApiResult<(i64, String)> {
    let base = match slugify(&v.title.vi) {
        s if s.is_empty() => "phien-cho".to_owned(),
        s => s.chars().take(60).collect::<String>().trim_end_matches('-').to_owned(),
    };
    let mut n = 1;
    loop {
        let slug = if n == 1 && base != "moi" { base.clone() } else { format!("{base}-{n}") };
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO campaigns (slug, title_vi, description_vi, banner, starts_on, ends_on, selection, created_at, updated_at)
             VALUES ($1, '', '', '', $2, $3, 'manual', $4, $4) ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(&slug)
        .bind(v.starts_on.as_str())
        .bind(v.ends_on.as_str())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = id {
            return Ok((id, slug));
        }
        n += 1;
    }
}

pub async fn create(conn: &mut SqliteConnection, v: &ValidCampaign, now: &str) -> ApiResult<String> {
    let (id, slug) = insert_campaign(conn, v, now).await?;
    let picks = resolve_picks(conn, &v.product_slugs, &HashSet::new()).await?;
    write_campaign(conn, id, v, &picks, now).await?;
    Ok(slug)
}

/// The audit form of a campaign: what staff entered, and its slug.
fn campaign_audit(slug: &str, request: &CampaignRequest) -> Option<serde_json::Value> {
    let mut value = audit::json(request)?;
    value["slug"] = json!(slug);
    Some(value)
}

async fn record(
    conn: &mut SqliteConnection,
    staff: &Viewer,
    action: &str,
    slug: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    now: &str,
) -> ApiResult<()> {
    Action {
        actor_id: staff.id,
        actor_name: &staff.name,
        action,
        entity: "campaign",
        entity_id: slug.into(),
        before,
        after,
    }
    .record(conn, now)
    .await?;
    Ok(())
}

/// Creates a campaign (online fair). Its products are picked by hand (`product_slugs`,
/// in order) or chosen by a rule (category, province, valid certification, at least N
/// OCOP stars).
#[utoipa::path(post, path = "/staff/campaigns", tag = "staff", request_body = CampaignRequest,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn create_campaign(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiJson(req): ApiJson<CampaignRequest>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let v = req.validate()?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let slug = create(&mut tx, &v, &now).await?;
    record(&mut tx, &staff, "campaign.create", &slug, None, campaign_audit(&slug, &req), &now).await?;
    tx.commit().await?;
    let campaign = load_campaign(&st, &slug, true).await?.ok_or(ApiError::NotFound("campaign"))?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

/// Changes a campaign; its slug (and so its page's address) stays.
#[utoipa::path(put, path = "/staff/campaigns/{slug}", tag = "staff", params(("slug" = String, Path)),
    request_body = CampaignRequest,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn update_campaign(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<CampaignRequest>,
) -> ApiResult<Json<Campaign>> {
    let v = req.validate()?;
    let before = load_campaign(&st, &slug, true).await?.ok_or(ApiError::NotFound("campaign"))?;
    let keep: HashSet<String> = before.picks.iter().map(|p| p.slug.clone()).collect();
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let id: Option<i64> = sqlx::query_scalar("UPDATE campaigns SET updated_at = $1 WHERE slug = $2 RETURNING id")
        .bind(&now)
        .bind(&slug)
        .fetch_optional(&mut *tx)
        .await?;
    let id = id.ok_or(ApiError::NotFound("campaign"))?;
    let picks = resolve_picks(&mut tx, &v.product_slugs, &keep).await?;
    write_campaign(&mut tx, id, &v, &picks, &now).await?;
    let (before, after) = (campaign_audit(&slug, &before.to_request()), campaign_audit(&slug, &req));
    record(&mut tx, &staff, "campaign.update", &slug, before, after, &now).await?;
    tx.commit().await?;
    Ok(Json(load_campaign(&st, &slug, true).await?.ok_or(ApiError::NotFound("campaign"))?))
}

/// Deletes a campaign; its page answers 404 from then on.
#[utoipa::path(delete, path = "/staff/campaigns/{slug}", tag = "staff", params(("slug" = String, Path)),
    responses((status = 204, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn delete_campaign(
    State(st): State<AppState>,
    Staff(staff): Staff,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let before = load_campaign(&st, &slug, true).await?.ok_or(ApiError::NotFound("campaign"))?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let done = sqlx::query("DELETE FROM campaigns WHERE slug = $1").bind(&slug).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound("campaign"));
    }
    record(&mut tx, &staff, "campaign.delete", &slug, campaign_audit(&slug, &before.to_request()), None, &now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A campaign's public page: before it starts (the page says when), while it runs, and
/// after it ended (marked so).
#[utoipa::path(get, path = "/campaigns/{slug}", tag = "catalog", params(("slug" = String, Path)),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_campaign(State(st): State<AppState>, ApiPath(slug): ApiPath<String>) -> ApiResult<Json<Campaign>> {
    Ok(Json(load_campaign(&st, &slug, false).await?.ok_or(ApiError::NotFound("campaign"))?))
}

// ---------------------------------------------------------------------------------------
// Home

/// What the home page shows: running campaigns (the first is the hero), featured
/// products running today in their order, categories, and the cooperatives approved
/// most recently. Every list may be empty.
#[utoipa::path(get, path = "/home", tag = "catalog", responses((status = 200, body = HomePage)))]
pub async fn home(State(st): State<AppState>) -> ApiResult<Json<HomePage>> {
    let today = st.clock.today_vn();
    let today = today.as_str();

    let mut campaigns = Vec::new();
    let rows = campaign_rows(&st, Campaigns::RunningOn(today)).await?;
    for c in rows.into_iter().take(HOME_CAMPAIGNS as usize) {
        let ids = campaign_product_ids(&st, &c).await?;
        let products = summaries_in_order(&st, &ids[..ids.len().min(HOME_CAMPAIGN_PRODUCTS)]).await?;
        campaigns.push(HomeCampaign { summary: c.summary, products });
    }

    let featured_ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT p.id FROM featured_products f JOIN products p ON p.id = f.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE {VISIBLE} AND (f.starts_on IS NULL OR f.starts_on <= $1) AND (f.ends_on IS NULL OR f.ends_on >= $1)
         ORDER BY f.position"
    ))
    .bind(today)
    .fetch_all(&st.db)
    .await?;
    let featured = summaries_in_order(&st, &featured_ids).await?;

    let categories = category_counts(&st.db).await?;

    let newest: Vec<i64> = sqlx::query_scalar(concat!(
        "SELECT id FROM cooperatives WHERE status = ",
        coop_status_sql!(Approved),
        " ORDER BY COALESCE(approved_at, created_at) DESC, id DESC LIMIT $1"
    ))
    .bind(HOME_NEW_COOPERATIVES as i64)
    .fetch_all(&st.db)
    .await?;
    let mut new_cooperatives = Vec::new();
    if !newest.is_empty() {
        let mut found: HashMap<i64, _> =
            cooperative_summaries(&st, &format!("c.id IN ({}) AND ($1 IS NULL OR 1)", id_list(&newest)), None, None)
                .await?
                .into_iter()
                .map(|(s, _)| (s.id, s))
                .collect();
        new_cooperatives = newest.iter().filter_map(|id| found.remove(id)).collect();
    }

    Ok(Json(HomePage { campaigns, featured, categories, new_cooperatives }))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(list_featured, save_featured))
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_staff_campaign, update_campaign, delete_campaign))
        .routes(routes!(get_campaign))
        .routes(routes!(home))
}
