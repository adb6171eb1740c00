//! The API router. Routes are registered through utoipa-axum, so the OpenAPI document
//! at `/api/openapi.json` is generated from the same list and cannot miss a route.

use crate::{
    AppState, audit, auth, catalog, curation, divisions, error, images, lots, me, members, orders, promotion, seller,
    staff, stats,
};
use axum::extract::DefaultBodyLimit;
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use domain::api::{ErrorBody, Health};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(OpenApi)]
#[openapi(
    info(title = "Chợ HTX API", description = "Catalog, orders and accounts of the Chợ HTX cooperative marketplace. Money is whole đồng; text is Vietnamese NFC."),
    tags(
        (name = "catalog", description = "Products, cooperatives and categories"),
        (name = "geo", description = "Provinces and communes after the 2025 reform"),
        (name = "orders", description = "Cart quotes, placing and tracking orders, VietQR payment"),
        (name = "accounts", description = "Sign-up, sign-in, sessions, my orders and addresses, cooperative registration and members. Unsafe requests of a signed-in session need the X-CSRF-Token header from GET /session."),
        (name = "staff", description = "Trade-promotion staff only"),
        (name = "traceability", description = "Traceability lots: members record lots and their events; anyone reads a lot by its GS1 Digital Link (GTIN + lot), with its QR code"),
        (name = "seller", description = "The seller console: members of a cooperative manage its products, photos, orders and see its sales"),
    ),
)]
struct ApiDoc;

/// 200 when the database answers.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn health(State(st): State<AppState>) -> Result<Json<Health>, (StatusCode, Json<ErrorBody>)> {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&st.db).await {
        Ok(_) => Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })),
        Err(e) => {
            tracing::error!("health check: {e}");
            let body = ErrorBody {
                error: domain::api::ErrorDetail {
                    code: "unavailable".into(),
                    message: "The database does not answer.".into(),
                    fields: Default::default(),
                },
            };
            Err((StatusCode::SERVICE_UNAVAILABLE, Json(body)))
        }
    }
}

pub fn openapi_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(catalog::list_products))
        .routes(routes!(catalog::get_product))
        .routes(routes!(catalog::list_cooperatives))
        .routes(routes!(catalog::get_cooperative))
        .routes(routes!(catalog::list_categories))
        .routes(routes!(divisions::list_provinces))
        .routes(routes!(divisions::list_communes))
        .routes(routes!(orders::quote))
        .routes(routes!(orders::create_order))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::vietqr_svg))
        .routes(routes!(auth::session))
        .routes(routes!(auth::sign_up))
        .routes(routes!(auth::sign_in))
        .routes(routes!(auth::sign_out))
        .routes(routes!(auth::password_reset))
        .routes(routes!(auth::password_reset_confirm))
        .routes(routes!(me::my_orders))
        .routes(routes!(orders::my_order))
        .routes(routes!(me::list_addresses, me::add_address))
        .routes(routes!(me::delete_address))
        .routes(routes!(members::register))
        .routes(routes!(members::list_members, members::add_member))
        .routes(routes!(members::remove_member))
        .routes(routes!(staff::create_staff))
        .routes(routes!(audit::list))
        // Trade promotion: moderation, featured products, campaigns, home, statistics.
        .routes(routes!(curation::queue))
        .routes(routes!(curation::list_cooperatives))
        .routes(routes!(curation::list_products))
        .routes(routes!(curation::approve_cooperative))
        .routes(routes!(curation::reject_cooperative))
        .routes(routes!(curation::suspend_cooperative))
        .routes(routes!(curation::approve_product))
        .routes(routes!(curation::reject_product))
        .routes(routes!(curation::hide_product))
        .routes(routes!(curation::cooperative_review))
        .routes(routes!(curation::resubmit_cooperative))
        .routes(routes!(promotion::list_featured, promotion::save_featured))
        .routes(routes!(promotion::list_campaigns, promotion::create_campaign))
        .routes(routes!(promotion::get_staff_campaign, promotion::update_campaign, promotion::delete_campaign))
        .routes(routes!(promotion::get_campaign))
        .routes(routes!(promotion::home))
        .routes(routes!(stats::stats))
        .routes(routes!(stats::stats_csv))
        .routes(routes!(seller::list_products, seller::create_product))
        .routes(routes!(seller::get_product, seller::save_product))
        .routes(routes!(seller::submit_product))
        .routes(routes!(seller::list_orders))
        .routes(routes!(seller::get_order))
        .routes(routes!(seller::order_action))
        .routes(routes!(seller::dashboard))
        .routes(routes!(images::set_alt, images::remove))
        .routes(routes!(images::reorder))
        // Traceability lots and their GS1 Digital Links.
        .routes(routes!(lots::public_lot))
        .routes(routes!(lots::lot_qr))
        .routes(routes!(lots::list_coop_lots))
        .routes(routes!(lots::get_lot))
        .routes(routes!(lots::product_lots, lots::create_lot))
        .routes(routes!(lots::add_event))
        // Photos are the one body larger than the API's 64 KiB.
        .merge(
            OpenApiRouter::new().routes(routes!(images::upload)).layer(DefaultBodyLimit::max(images::UPLOAD_MAX_BYTES)),
        );
    OpenApiRouter::with_openapi(ApiDoc::openapi()).routes(routes!(health)).nest("/api/v1", v1)
}

/// `/api/*`: the routes, the document, and JSON errors for anything else under `/api`.
pub fn api_router(state: AppState) -> Router {
    let (router, doc) = openapi_router().split_for_parts();
    let doc = std::sync::Arc::new(doc);
    router
        .route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .route("/api", get(error::api_not_found))
        .route("/api/{*rest}", get(error::api_not_found).post(error::api_not_found).delete(error::api_not_found))
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}
