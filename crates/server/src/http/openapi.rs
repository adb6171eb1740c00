//! The API router. Routes are registered through utoipa-axum, so the OpenAPI document
//! at `/api/openapi.json` is generated from the same list and cannot miss a route.

use crate::{
    AppState,
    api::{audit, catalog, curation, divisions, lots, me, members, orders, promotion, seller, sites, staff, stats},
    auth,
    http::error,
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use domain::api::ErrorCode;
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
    // Enums that only appear as query or path parameters: utoipa-axum collects the schemas
    // of bodies and responses, not of parameters, so they are registered here.
    components(schemas(domain::query::CertFilter, domain::query::Sort, domain::curation::StatsTable)),
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
                    code: ErrorCode::Unavailable.as_str().into(),
                    message: "The database does not answer.".into(),
                    fields: Default::default(),
                },
            };
            Err((StatusCode::SERVICE_UNAVAILABLE, Json(body)))
        }
    }
}

pub fn openapi_router() -> OpenApiRouter<AppState> {
    // Each feature lists its own routes; the OpenAPI document is generated from them.
    let v1 = OpenApiRouter::new()
        .merge(auth::routes())
        .merge(catalog::routes())
        .merge(divisions::routes())
        .merge(orders::routes())
        .merge(me::routes())
        .merge(members::routes())
        .merge(staff::routes())
        .merge(sites::routes())
        .merge(audit::routes())
        .merge(curation::routes())
        .merge(promotion::routes())
        .merge(stats::routes())
        .merge(seller::routes())
        .merge(lots::routes());
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
