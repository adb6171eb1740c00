//! Traceability lots: members of a cooperative record lots of their products and the
//! lots' events; anyone reads a lot by its GS1 Digital Link; the server resolves the
//! Digital Link path `/01/{gtin}/10/{lot}` itself (the app, or the product page for
//! `?linkType=gs1:pip`) and draws the lot's QR code.
//!
//! A lot is public only while its product is visible to buyers (`VISIBLE`: published, of
//! an approved cooperative): a pending product is not yet checked, a hidden one was taken
//! down. Unknown and unpublished lots are the same 404 — except to the cooperative's own
//! members (signed in), who read and print their lots before the product is on sale; those
//! answers are never cached publicly.

use crate::http::pages::Pages;
use crate::{
    AppState,
    auth::{MaybeViewer, Member, Viewer},
    db::{
        audit::{self, Action},
        date, decode_err, id_list, int, json_list,
        lots::{insert_event, insert_lot, link_from_row},
        products::{VISIBLE, product_certifications, product_images},
    },
    http::{
        error::{ApiBytes, ApiError, ApiJson, ApiPath, ApiResult},
        origin::origin,
        qr::qr_svg,
    },
};
use axum::{
    Json, Router,
    extract::{Query, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use domain::{
    I18nText,
    api::ErrorBody,
    catalog::{CoopKind, CooperativeRef, ProductStatus},
    gs1::{self, DigitalLink},
    gtin::Gtin,
    phone::Phone,
    trace::{
        EventKind, EventPhoto, EventRequest, EventTime, Inspection, Lot, LotEvent, LotLink, LotPack, LotPlace,
        LotRequest, ProductLotList, ProductLots, TraceLot, TraceProducer, TraceProduct,
    },
    validate::{Errors, FieldError},
};
use serde::Deserialize;
use sqlx::{Row, SqliteConnection, sqlite::SqliteRow};
use std::collections::HashMap;

const LOT_COLUMNS: &str = "l.id, l.gtin, l.lot_code, l.pack_label, l.quantity, l.unit, l.plot_code, l.area, \
     l.province_code, l.commune_code, l.commune_name, l.produced_on, l.best_before, l.practices, l.inputs, l.created_at";

fn lot_from_row(row: &SqliteRow, origin: &str) -> sqlx::Result<Lot> {
    let gtin_text: String = row.try_get("gtin")?;
    let gtin = Gtin::parse(&gtin_text).map_err(|_| decode_err("gtin", &gtin_text))?;
    let lot_code: String = row.try_get("lot_code")?;
    let link = DigitalLink::lot(gtin.clone(), lot_code.clone());
    Ok(Lot {
        id: row.try_get("id")?,
        url: link.uri(origin),
        label_url: format!("{origin}{}", gs1::label_path(&gtin, &lot_code)),
        gtin,
        lot_code,
        pack_label: row.try_get("pack_label")?,
        quantity: row.try_get::<i64, _>("quantity")?.clamp(0, i64::from(u32::MAX)) as u32,
        unit: row.try_get("unit")?,
        plot_code: row.try_get("plot_code")?,
        area: row.try_get("area")?,
        province_code: int::<u8>(row, "province_code")?,
        commune_code: int::<u32>(row, "commune_code")?,
        commune_name: row.try_get("commune_name")?,
        produced_on: date(row, "produced_on")?,
        best_before: date(row, "best_before")?,
        practices: row.try_get("practices")?,
        inputs: json_list(row, "inputs")?,
        inspections: Vec::new(),
        events: Vec::new(),
        created_at: row.try_get("created_at")?,
    })
}

/// The lots with these ids, in this order, with their inspections and events.
async fn load_lots(conn: &mut SqliteConnection, ids: &[i64], origin: &str) -> sqlx::Result<Vec<Lot>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let rows =
        sqlx::query(&format!("SELECT {LOT_COLUMNS} FROM lots l WHERE l.id IN ({list})")).fetch_all(&mut *conn).await?;
    let mut lots: HashMap<i64, Lot> = HashMap::new();
    for row in &rows {
        let lot = lot_from_row(row, origin)?;
        lots.insert(lot.id, lot);
    }
    let inspections = sqlx::query(&format!(
        "SELECT lot_id, lab, tested_on, result, passed, document_url FROM lot_inspections
         WHERE lot_id IN ({list}) ORDER BY lot_id, position, id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for row in &inspections {
        if let Some(lot) = lots.get_mut(&row.try_get("lot_id")?) {
            lot.inspections.push(Inspection {
                lab: row.try_get("lab")?,
                tested_on: date(row, "tested_on")?,
                result: row.try_get("result")?,
                passed: row.try_get::<i64, _>("passed")? != 0,
                document_url: row.try_get("document_url")?,
            });
        }
    }
    let events = sqlx::query(&format!(
        "SELECT id, lot_id, kind, at, place, location_code, actor, note, photos, corrects_event_id FROM lot_events
         WHERE lot_id IN ({list}) ORDER BY lot_id, at, id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for row in &events {
        if let Some(lot) = lots.get_mut(&row.try_get("lot_id")?) {
            lot.events.push(event_from_row(row)?);
        }
    }
    for lot in lots.values_mut() {
        mark_corrected(&mut lot.events);
    }
    Ok(ids.iter().filter_map(|id| lots.remove(id)).collect())
}

fn event_from_row(row: &SqliteRow) -> sqlx::Result<LotEvent> {
    let kind: EventKind = row.try_get("kind")?;
    let at: String = row.try_get("at")?;
    Ok(LotEvent {
        id: row.try_get("id")?,
        kind,
        at: EventTime::parse(&at).ok_or_else(|| decode_err("event time", &at))?,
        place: row.try_get("place")?,
        location_code: row.try_get("location_code")?,
        actor: row.try_get("actor")?,
        note: row.try_get("note")?,
        photos: json_list(row, "photos")?,
        corrects: row.try_get("corrects_event_id")?,
        corrected_by: None,
    })
}

/// Points each corrected event at the event that corrects it.
fn mark_corrected(events: &mut [LotEvent]) {
    let corrections: Vec<(i64, i64)> = events.iter().filter_map(|e| e.corrects.map(|old| (old, e.id))).collect();
    for (old, new) in corrections {
        if let Some(e) = events.iter_mut().find(|e| e.id == old) {
            e.corrected_by = Some(new);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The seller's side

/// The product `slug` of the cooperative `coop_id`.
async fn own_product(st: &AppState, coop_id: i64, slug: &str) -> ApiResult<SqliteRow> {
    sqlx::query(
        "SELECT id, slug, name_vi, name_en, brand, status FROM products WHERE slug = $1 AND cooperative_id = $2",
    )
    .bind(slug)
    .bind(coop_id)
    .fetch_optional(&st.db)
    .await?
    .ok_or(ApiError::NotFound("product"))
}

/// A cooperative's products and their lots (newest first), for the seller's lot overview.
#[utoipa::path(get, path = "/seller/{coop}/lots", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug")),
    responses((status = 200, body = Vec<ProductLotList>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list_coop_lots(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
) -> ApiResult<Json<Vec<ProductLotList>>> {
    let origin = origin(&st);
    let products = sqlx::query(
        "SELECT p.id, p.slug, p.name_vi, p.name_en, p.status,
            EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.gtin IS NOT NULL) AS has_gtin
         FROM products p WHERE p.cooperative_id = $1 ORDER BY p.name_vi, p.id",
    )
    .bind(coop_id)
    .fetch_all(&st.db)
    .await?;
    let lots = sqlx::query(
        "SELECT l.product_id, l.gtin, l.lot_code, l.pack_label, l.produced_on, l.best_before FROM lots l
         JOIN products p ON p.id = l.product_id WHERE p.cooperative_id = $1 ORDER BY l.produced_on DESC, l.id DESC",
    )
    .bind(coop_id)
    .fetch_all(&st.db)
    .await?;
    let mut by_product: HashMap<i64, Vec<LotLink>> = HashMap::new();
    for row in &lots {
        by_product.entry(row.try_get("product_id")?).or_default().push(link_from_row(row, &origin)?);
    }
    let items = products
        .iter()
        .map(|r| {
            Ok(ProductLotList {
                slug: r.try_get("slug")?,
                name: I18nText { vi: r.try_get("name_vi")?, en: r.try_get("name_en")? },
                status: r.try_get("status")?,
                has_gtin: r.try_get::<i64, _>("has_gtin")? != 0,
                lots: by_product.remove(&r.try_get::<i64, _>("id")?).unwrap_or_default(),
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Json(items))
}

async fn product_lots_of(st: &AppState, coop: &str, coop_id: i64, slug: &str, origin: &str) -> ApiResult<ProductLots> {
    let product = own_product(st, coop_id, slug).await?;
    let product_id: i64 = product.try_get("id")?;
    let packs = sqlx::query(
        "SELECT label, unit, gtin FROM variants WHERE product_id = $1 AND gtin IS NOT NULL ORDER BY position, id",
    )
    .bind(product_id)
    .fetch_all(&st.db)
    .await?
    .iter()
    .filter_map(|r| {
        let gtin: String = r.try_get("gtin").ok()?;
        Some(LotPack { gtin: Gtin::parse(&gtin).ok()?, label: r.try_get("label").ok()?, unit: r.try_get("unit").ok()? })
    })
    .collect();
    let coop_row =
        sqlx::query("SELECT name, province_code, commune_code, commune_name, street FROM cooperatives WHERE id = $1")
            .bind(coop_id)
            .fetch_one(&st.db)
            .await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM lots WHERE product_id = $1 ORDER BY produced_on DESC, id DESC")
            .bind(product_id)
            .fetch_all(&st.db)
            .await?;
    let mut conn = st.db.acquire().await?;
    let lots = load_lots(&mut conn, &ids, origin).await?;
    Ok(ProductLots {
        slug: product.try_get("slug")?,
        name: I18nText { vi: product.try_get("name_vi")?, en: product.try_get("name_en")? },
        brand: product.try_get("brand")?,
        status: product.try_get("status")?,
        cooperative: CooperativeRef {
            slug: coop.to_owned(),
            name: coop_row.try_get("name")?,
            province_code: int::<u8>(&coop_row, "province_code")?,
        },
        packs,
        place: LotPlace {
            province_code: int::<u8>(&coop_row, "province_code")?,
            commune_code: int::<u32>(&coop_row, "commune_code")?,
            commune_name: coop_row.try_get("commune_name")?,
            street: coop_row.try_get("street")?,
        },
        lots,
    })
}

/// A product's lots with every detail and event, its pack sizes that have a GTIN, and
/// the cooperative's place (the default of a new lot). Members of its cooperative only.
#[utoipa::path(get, path = "/seller/{coop}/products/{slug}/lots", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug"), ("slug" = String, Path, description = "The product's slug")),
    responses((status = 200, body = ProductLots), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn product_lots(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((coop, slug)): ApiPath<(String, String)>,
) -> ApiResult<Json<ProductLots>> {
    Ok(Json(product_lots_of(&st, &coop, coop_id, &slug, &origin(&st)).await?))
}

/// Creates a lot of one of the product's pack sizes (its GTIN). Members of the product's
/// cooperative only; `lot_exists` on `lot_code` when that GTIN has the lot already.
#[utoipa::path(post, path = "/seller/{coop}/products/{slug}/lots", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug"), ("slug" = String, Path, description = "The product's slug")),
    request_body = LotRequest,
    responses((status = 201, body = Lot), (status = 400, description = "Invalid fields", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, description = "`divisions_unavailable`: the commune cannot be checked", body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn create_lot(
    State(st): State<AppState>,
    Member { coop_id, viewer, .. }: Member,
    ApiPath((_coop, slug)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<LotRequest>,
) -> ApiResult<(StatusCode, Json<Lot>)> {
    let product = own_product(&st, coop_id, &slug).await?;
    let product_id: i64 = product.try_get("id")?;
    let divisions = st.divisions.require()?;
    let (valid, mut errors) = match req.validate(&st.clock.today_vn()) {
        Ok(v) => (Some(v), Errors::new()),
        Err(e) => (None, e),
    };
    let commune = divisions.check_commune(req.province_code, req.commune_code, "commune_code", &mut errors);
    let pack = match valid.as_ref() {
        Some(v) => {
            let pack = sqlx::query("SELECT label, unit FROM variants WHERE product_id = $1 AND gtin = $2")
                .bind(product_id)
                .bind(v.gtin.as_str())
                .fetch_optional(&st.db)
                .await?;
            if pack.is_none() {
                errors.add("gtin", FieldError::UnknownChoice);
            }
            pack
        }
        None => None,
    };
    let (Some(valid), Some(commune), Some(pack), true) = (valid, commune, pack, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let pack_label: String = pack.try_get("label")?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let id = insert_lot(&mut tx, product_id, &valid, &pack_label, &commune.name, Some(viewer.id), &now).await?;
    let Some(id) = id else {
        return Err(ApiError::field("lot_code", FieldError::LotExists));
    };
    let lot = load_lots(&mut tx, &[id], &origin(&st)).await?.pop().ok_or(ApiError::NotFound("lot"))?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "lot.create",
        entity: "lot",
        entity_id: id.to_string(),
        before: None,
        after: audit::json(&lot),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(lot)))
}

/// The lot `id` if it belongs to a product of the cooperative `coop_id`.
async fn own_lot(st: &AppState, coop_id: i64, id: i64) -> ApiResult<()> {
    sqlx::query_scalar::<_, i64>(
        "SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id WHERE l.id = $1 AND p.cooperative_id = $2",
    )
    .bind(id)
    .bind(coop_id)
    .fetch_optional(&st.db)
    .await?
    .map(|_| ())
    .ok_or(ApiError::NotFound("lot"))
}

/// Uploads a photo for a lot's event (the raw file as the body, at most 10 MiB), checked
/// and re-encoded like product photos; its URL then goes into the event's `photos`.
#[utoipa::path(post, path = "/seller/{coop}/lots/{id}/photos", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug"), ("id" = i64, Path, description = "The lot's id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG, PNG or WebP file"),
    responses((status = 201, body = EventPhoto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_event_photo(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, id)): ApiPath<(String, i64)>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<(StatusCode, Json<EventPhoto>)> {
    own_lot(&st, coop_id, id).await?;
    let (renditions, (width, height)) = crate::http::photos::store_photo(&st, "lots", body).await?;
    let url = renditions.last().expect("at least one copy").url.clone();
    Ok((StatusCode::CREATED, Json(EventPhoto { url, width, height })))
}

/// One lot with its details and events. Members of its cooperative only.
#[utoipa::path(get, path = "/seller/{coop}/lots/{id}", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug"), ("id" = i64, Path, description = "The lot's id")),
    responses((status = 200, body = Lot), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn get_lot(
    State(st): State<AppState>,
    Member { coop_id, .. }: Member,
    ApiPath((_coop, id)): ApiPath<(String, i64)>,
) -> ApiResult<Json<Lot>> {
    own_lot(&st, coop_id, id).await?;
    let mut conn = st.db.acquire().await?;
    let lot = load_lots(&mut conn, &[id], &origin(&st)).await?.pop().ok_or(ApiError::NotFound("lot"))?;
    Ok(Json(lot))
}

/// Adds an event to a lot's timeline (events are never edited or deleted: a correction
/// is another event). Members of the lot's cooperative only.
#[utoipa::path(post, path = "/seller/{coop}/lots/{id}/events", tag = "traceability",
    params(("coop" = String, Path, description = "The cooperative's slug"), ("id" = i64, Path, description = "The lot's id")),
    request_body = EventRequest,
    responses((status = 201, body = LotEvent), (status = 400, description = "Invalid fields", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn add_event(
    State(st): State<AppState>,
    Member { coop_id, viewer, .. }: Member,
    ApiPath((_coop, id)): ApiPath<(String, i64)>,
    ApiJson(req): ApiJson<EventRequest>,
) -> ApiResult<(StatusCode, Json<LotEvent>)> {
    own_lot(&st, coop_id, id).await?;
    let valid = req.validate(&st.clock.now_vn())?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    if let Some(old) = valid.corrects {
        // An event of this lot that no other event corrects yet (a correction of a
        // correction corrects the latest one). The insert below holds the write lock.
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT e.id FROM lot_events e WHERE e.id = $1 AND e.lot_id = $2
               AND NOT EXISTS (SELECT 1 FROM lot_events c WHERE c.corrects_event_id = e.id)",
        )
        .bind(old)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_none() {
            return Err(ApiError::field("corrects", FieldError::UnknownChoice));
        }
    }
    let row = insert_event(&mut tx, id, &valid, Some(viewer.id), &now).await?;
    let event = event_from_row(&row)?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: if valid.corrects.is_some() { "lot.event.correct" } else { "lot.event.add" },
        entity: "lot",
        entity_id: id.to_string(),
        before: None,
        after: audit::json(&event),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(event)))
}

// ---------------------------------------------------------------------------------------
// The public side

/// The lot a Digital Link names, with its product and cooperative: when it is public, or
/// when `viewer` is a member of its cooperative. The second value says whether it is public.
async fn find_public_lot(
    st: &AppState,
    viewer: Option<&Viewer>,
    gtin: &str,
    lot: &str,
) -> ApiResult<(SqliteRow, bool)> {
    let gtin = Gtin::parse(gtin).map_err(|_| ApiError::NotFound("lot"))?;
    let row = sqlx::query(&format!(
        "SELECT l.id AS lot_id, p.id AS product_id, p.slug, p.name_vi, p.name_en, p.brand, p.origin_province_code,
            p.ocop_stars, p.status AS product_status, c.slug AS coop_slug, c.name AS coop_name, c.kind, c.street,
            c.commune_name, c.province_code, c.phone, c.status AS coop_status,
            CASE WHEN {VISIBLE} THEN 1 ELSE 0 END AS public
         FROM lots l JOIN products p ON p.id = l.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE l.gtin = $1 AND l.lot_code = $2
           AND ({VISIBLE} OR EXISTS (SELECT 1 FROM memberships m WHERE m.cooperative_id = c.id AND m.user_id = $3))"
    ))
    .bind(gtin.as_str())
    .bind(lot)
    .bind(viewer.map(|v| v.id))
    .fetch_optional(&st.db)
    .await?
    .ok_or(ApiError::NotFound("lot"))?;
    let public = row.try_get::<i64, _>("public")? == 1;
    Ok((row, public))
}

/// Public answers are cached by anyone; a member's view of an unpublished lot by no one.
fn lot_cache(public: bool, max_age: &'static str) -> HeaderValue {
    if public { HeaderValue::from_static(max_age) } else { HeaderValue::from_static("private, no-store") }
}

/// A lot as a consumer sees it after scanning its label: the ten items of Circular
/// 02/2024/TT-BKHCN (see `domain::trace::TraceLot`), with links to the product and the
/// cooperative. `lot` is percent-decoded (`HX%2F01` is the lot `HX/01`).
#[utoipa::path(get, path = "/lots/{gtin}/{lot}", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-14 (GTIN-8/12/13 are padded)"), ("lot" = String, Path, description = "The lot code, percent-encoded")),
    responses((status = 200, body = TraceLot), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn public_lot(
    State(st): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    ApiPath((gtin, lot)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let (row, public) = find_public_lot(&st, viewer.as_ref(), &gtin, &lot).await?;
    let origin = origin(&st);
    let lot_id: i64 = row.try_get("lot_id")?;
    let product_id: i64 = row.try_get("product_id")?;
    let mut conn = st.db.acquire().await?;
    let mut lot = load_lots(&mut conn, &[lot_id], &origin).await?.pop().ok_or(ApiError::NotFound("lot"))?;
    // The public timeline tells what happened: a corrected event gives way to its correction.
    lot.events.retain(|e| e.corrected_by.is_none());
    let image = product_images(&mut conn, product_id).await?.into_iter().next();
    let standards = product_certifications(&mut conn, product_id).await?;
    let kind: CoopKind = row.try_get("kind")?;
    let phone: String = row.try_get("phone")?;
    let link = lot.link();
    let body = TraceLot {
        gtin: lot.gtin.clone(),
        lot_code: lot.lot_code.clone(),
        trace_code: link.human_readable(),
        url: lot.url.clone(),
        label_url: lot.label_url.clone(),
        qr_url: format!("{origin}{}", gs1::qr_path(&lot.gtin, &lot.lot_code)),
        product: TraceProduct {
            slug: row.try_get("slug")?,
            name: I18nText { vi: row.try_get("name_vi")?, en: row.try_get("name_en")? },
            brand: row.try_get("brand")?,
            image,
            origin_province_code: int::<u8>(&row, "origin_province_code")?,
            ocop_stars: int::<u8>(&row, "ocop_stars")?,
            on_sale: row.try_get::<ProductStatus, _>("product_status")? == ProductStatus::Published,
        },
        producer: TraceProducer {
            slug: row.try_get("coop_slug")?,
            name: row.try_get("coop_name")?,
            kind,
            street: row.try_get("street")?,
            commune_name: row.try_get("commune_name")?,
            province_code: int::<u8>(&row, "province_code")?,
            phone: Phone::parse(&phone).map_err(|_| decode_err("phone", &phone))?,
        },
        lot,
        standards,
    };
    Ok(([(header::CACHE_CONTROL, lot_cache(public, "public, max-age=60"))], Json(body)).into_response())
}

/// The QR code of a lot's GS1 Digital Link (exactly `url` of the lot), as SVG.
#[utoipa::path(get, path = "/lots/{gtin}/{lot}/qr.svg", tag = "traceability",
    params(("gtin" = String, Path, description = "GTIN-14"), ("lot" = String, Path, description = "The lot code, percent-encoded")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn lot_qr(
    State(st): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    ApiPath((gtin, lot)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let (_, public) = find_public_lot(&st, viewer.as_ref(), &gtin, &lot).await?;
    let gtin = Gtin::parse(&gtin).map_err(|_| ApiError::NotFound("lot"))?;
    let uri = DigitalLink::lot(gtin, lot).uri(&origin(&st));
    let svg = qr_svg(&uri)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (header::CACHE_CONTROL, lot_cache(public, "public, max-age=3600")),
        ],
        svg,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// The Digital Link resolver

#[derive(Debug, Default, Deserialize)]
pub struct ResolverQuery {
    #[serde(rename = "linkType")]
    link_type: Option<String>,
}

/// `/01/{gtin}` and `/01/{gtin}/10/{lot}`, outside `/api`: the lot's page (or the page
/// saying it does not exist, with 404); with `?linkType=gs1:pip` (product information
/// page) a redirect to the product's page.
pub fn resolver(state: AppState, pages: Pages) -> Router {
    Router::new()
        .route("/01/{gtin}", get(resolve_gtin))
        .route("/01/{gtin}/10/{lot}", get(resolve_lot))
        .with_state((state, pages))
}

fn wants_pip(q: &ResolverQuery) -> bool {
    q.link_type.as_deref().is_some_and(|t| t == "gs1:pip" || t == "https://gs1.org/voc/pip" || t == "pip")
}

/// The slug of the on-sale product with this GTIN.
async fn product_of_gtin(st: &AppState, gtin: &Gtin) -> ApiResult<Option<String>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT p.slug FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE v.gtin = $1 AND {VISIBLE}"
    ))
    .bind(gtin.as_str())
    .fetch_optional(&st.db)
    .await?)
}

async fn resolve_lot(
    State((st, pages)): State<(AppState, Pages)>,
    axum::extract::Path((gtin, lot)): axum::extract::Path<(String, String)>,
    Query(q): Query<ResolverQuery>,
    req: Request,
) -> Response {
    if wants_pip(&q) {
        let slug = match find_public_lot(&st, None, &gtin, &lot).await {
            Ok((row, _)) => row.try_get("slug").ok(),
            _ => match Gtin::parse(&gtin) {
                Ok(g) => product_of_gtin(&st, &g).await.ok().flatten(),
                Err(_) => None,
            },
        };
        if let Some(slug) = slug {
            return Redirect::temporary(&format!("/san-pham/{slug}")).into_response();
        }
    }
    pages.render(req).await
}

async fn resolve_gtin(
    State((st, pages)): State<(AppState, Pages)>,
    axum::extract::Path(gtin): axum::extract::Path<String>,
    req: Request,
) -> Response {
    // A GTIN alone names the product: its page is the only information there is.
    if let Ok(g) = Gtin::parse(&gtin)
        && let Ok(Some(slug)) = product_of_gtin(&st, &g).await
    {
        return Redirect::temporary(&format!("/san-pham/{slug}")).into_response();
    }
    pages.render(req).await
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(public_lot))
        .routes(routes!(lot_qr))
        .routes(routes!(list_coop_lots))
        .routes(routes!(get_lot))
        .routes(routes!(product_lots, create_lot))
        .routes(routes!(add_event))
        .merge(
            utoipa_axum::router::OpenApiRouter::new()
                .routes(routes!(upload_event_photo))
                .layer(axum::extract::DefaultBodyLimit::max(crate::http::photos::UPLOAD_MAX_BYTES)),
        )
}
