//! Provinces (34, compiled in: `domain::geo`) and their communes (the data in
//! [`crate::divisions`]). Without the commune file the communes route answers 503.

use crate::{
    AppState,
    http::error::{ApiError, ApiPath, ApiResult},
};
use axum::{Json, extract::State};
use domain::{
    api::{ErrorBody, ProvinceItem},
    geo,
    order::Commune,
};

/// The 34 provinces and centrally-run cities, in Vietnamese alphabetical order.
#[utoipa::path(get, path = "/provinces", tag = "geo", responses((status = 200, body = Vec<ProvinceItem>)))]
pub async fn list_provinces() -> Json<Vec<ProvinceItem>> {
    Json(geo::provinces_by_name().into_iter().map(ProvinceItem::from).collect())
}

/// A province's communes (xã, phường, đặc khu), in Vietnamese alphabetical order.
#[utoipa::path(
    get, path = "/provinces/{code}/communes", tag = "geo",
    params(("code" = u8, Path, description = "Province code (one of the 34 after 2025)")),
    responses(
        (status = 200, body = Vec<Commune>),
        (status = 404, description = "No such province", body = ErrorBody),
        (status = 503, description = "The commune table is not loaded", body = ErrorBody), crate::http::error::BadParameters)
)]
pub async fn list_communes(
    State(st): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<Commune>>> {
    let province = code.parse::<u8>().ok().and_then(geo::province).ok_or(ApiError::NotFound("province"))?;
    let communes = st.divisions.require()?.communes(province.code).ok_or(ApiError::NotFound("province"))?;
    Ok(Json(communes.to_vec()))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(list_provinces)).routes(routes!(list_communes))
}
