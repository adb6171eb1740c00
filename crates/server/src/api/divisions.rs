//! Provinces (34, compiled in: `domain::geo`) and their communes (3,321, data loaded at
//! start from `Config::divisions_path`). Without the file the table is empty: the
//! communes route answers 503 and orders are refused, everything else works.

use crate::{
    AppState,
    http::error::{ApiError, ApiResult},
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use domain::{
    api::{ErrorBody, ProvinceItem},
    geo,
    order::Commune,
    text::vietnamese_sort_key,
    validate::{Errors, FieldError},
};
use serde::Deserialize;
use std::collections::HashMap;

/// The commune table, read once at start.
#[derive(Clone, Debug, Default)]
pub struct Divisions {
    communes: HashMap<u8, Vec<Commune>>,
    province_of: HashMap<u32, u8>,
}

#[derive(Deserialize)]
struct FileProvince {
    code: u8,
    wards: Vec<FileCommune>,
}

#[derive(Deserialize)]
struct FileCommune {
    code: u32,
    name: String,
}

impl Divisions {
    /// Parses the divisions JSON: an array of provinces with `code` and `wards[]`.
    /// Provinces that are not among the 34 are an error: the file is from another era.
    pub fn parse(json: &str) -> anyhow::Result<Divisions> {
        let provinces: Vec<FileProvince> = serde_json::from_str(json)?;
        let mut d = Divisions::default();
        for p in provinces {
            if geo::province(p.code).is_none() {
                anyhow::bail!("province {} is not one of the 34 provinces of 2025", p.code);
            }
            let mut communes: Vec<Commune> =
                p.wards.into_iter().map(|w| Commune { code: w.code, name: w.name }).collect();
            communes.sort_by_cached_key(|c| (vietnamese_sort_key(&c.name), c.code));
            for c in &communes {
                if let Some(other) = d.province_of.insert(c.code, p.code) {
                    anyhow::bail!("commune {} is listed in provinces {other} and {}", c.code, p.code);
                }
            }
            d.communes.insert(p.code, communes);
        }
        Ok(d)
    }

    /// Reads the file; a missing or broken file is logged and gives an empty table.
    pub fn load_or_empty(path: &std::path::Path) -> Divisions {
        let loaded = std::fs::read_to_string(path).map_err(anyhow::Error::from).and_then(|s| Divisions::parse(&s));
        match loaded {
            Ok(d) => {
                tracing::info!("loaded {} communes from {}", d.province_of.len(), path.display());
                d
            }
            Err(e) => {
                tracing::warn!(
                    "no commune table ({}: {e:#}); addresses cannot be checked, so orders are refused until it is there",
                    path.display()
                );
                Divisions::default()
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.province_of.is_empty()
    }

    /// A province's communes in Vietnamese alphabetical order.
    pub fn communes(&self, province_code: u8) -> Option<&[Commune]> {
        self.communes.get(&province_code).map(Vec::as_slice)
    }

    /// A commune and the code of its province.
    pub fn commune(&self, code: u32) -> Option<(u8, &Commune)> {
        let province = *self.province_of.get(&code)?;
        let c = self.communes.get(&province)?.iter().find(|c| c.code == code)?;
        Some((province, c))
    }

    /// The commune of an address, or the error for `field`: unknown, or not in the
    /// chosen province. A code of 0 (nothing chosen) is left to the caller's own checks.
    pub fn check_commune(
        &self,
        province_code: u8,
        commune_code: u32,
        field: &str,
        errors: &mut Errors,
    ) -> Option<Commune> {
        match self.commune(commune_code) {
            _ if commune_code == 0 => None,
            None => {
                errors.add(field, FieldError::UnknownChoice);
                None
            }
            Some((province, _)) if province != province_code => {
                errors.add(field, FieldError::CommuneNotInProvince);
                None
            }
            Some((_, c)) => Some(c.clone()),
        }
    }

    /// 503 while the table is empty.
    pub fn require(&self) -> ApiResult<&Divisions> {
        if self.is_empty() {
            Err(ApiError::status(
                StatusCode::SERVICE_UNAVAILABLE,
                "divisions_unavailable",
                "The list of communes is not available on this server; addresses cannot be checked.",
            ))
        } else {
            Ok(self)
        }
    }
}

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
        (status = 503, description = "The commune table is not loaded", body = ErrorBody),
    )
)]
pub async fn list_communes(State(st): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<Vec<Commune>>> {
    let province = code.parse::<u8>().ok().and_then(geo::province).ok_or(ApiError::NotFound("province"))?;
    let communes = st.divisions.require()?.communes(province.code).ok_or(ApiError::NotFound("province"))?;
    Ok(Json(communes.to_vec()))
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new().routes(routes!(list_provinces)).routes(routes!(list_communes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_communes_and_maps_them_to_their_province() {
        let d = Divisions::parse(
            r#"[{"code":92,"name":"Cần Thơ","wards":[
                {"code":3,"name":"Xã Đông Thuận"},{"code":1,"name":"Phường Ô Môn"},
                {"code":2,"name":"Phường An Bình"},{"code":4,"name":"Xã Dương Xuân"}]}]"#,
        )
        .unwrap();
        let names: Vec<&str> = d.communes(92).unwrap().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Phường An Bình", "Phường Ô Môn", "Xã Dương Xuân", "Xã Đông Thuận"]);
        assert_eq!(d.commune(3).map(|(p, c)| (p, c.name.as_str())), Some((92, "Xã Đông Thuận")));
        assert!(d.commune(5).is_none());
        assert!(d.communes(1).is_none());
    }

    #[test]
    fn refuses_provinces_from_before_2025() {
        assert!(Divisions::parse(r#"[{"code":94,"wards":[]}]"#).is_err());
    }
}
