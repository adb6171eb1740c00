//! The administrative divisions: the 34 provinces are compiled in (`domain::geo`); their
//! communes (3,321) are data, loaded at start from `Config::divisions_path` into
//! [`Divisions`], which `AppState` holds. Without the file the table is empty: addresses
//! cannot be checked, so the communes route answers 503 and orders are refused (see
//! [`Divisions::require`]); everything else works. The routes are `api::divisions`.

use domain::{
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

    /// The table, or [`Unavailable`] (503 `divisions_unavailable`) while it is empty.
    pub fn require(&self) -> Result<&Divisions, Unavailable> {
        if self.is_empty() { Err(Unavailable) } else { Ok(self) }
    }
}

/// The commune table is not loaded (the API answers 503 `divisions_unavailable`).
#[derive(Debug, thiserror::Error)]
#[error("the list of communes is not available on this server; addresses cannot be checked")]
pub struct Unavailable;

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
