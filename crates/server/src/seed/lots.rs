//! Demo lots (`seed/lots.json`): for every demo product with a GTIN, a lot with a full
//! event timeline (flagship products get one per pack size), written from a production
//! profile (rice, fish sauce, fruit, tea…) and placed in time relative to the clock, so
//! the lots are fresh whenever the demo database is made.
//!
//! Like the catalog seed, every lot and event goes through the same rules as a seller's
//! input (`LotRequest::validate`, `EventRequest::validate`): a bad profile fails the load.

use crate::{
    clock::Clock,
    db::{
        int,
        lots::{insert_event, insert_lot},
    },
};
use domain::trace::{EventKind, EventRequest, InspectionInput, LotRequest, add_days};
use serde::Deserialize;
use sqlx::{Row, SqliteConnection};
use std::collections::BTreeMap;

pub const LOTS_JSON: &str = include_str!("../../seed/lots.json");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoLots {
    pub labs: Labs,
    pub profiles: BTreeMap<String, Profile>,
    pub products: BTreeMap<String, ProductSpec>,
}

/// The public testing centres by region (Quatest 1 in Hà Nội, 2 in Đà Nẵng, 3 in TP HCM).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labs {
    pub north: String,
    pub central: String,
    pub south: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub quantity: u32,
    /// How many days before today the lot was produced (packed).
    pub age_days: i64,
    pub shelf_life_days: i64,
    pub practices: String,
    pub inputs: Vec<String>,
    pub inspection: InspectionSpec,
    pub events: Vec<EventSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionSpec {
    /// Days after the production date.
    pub days: i64,
    pub result: String,
}

/// One event; texts may name `{area}`, `{commune}`, `{street}`, `{coop}`, `{lab}`,
/// `{material}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    pub kind: EventKind,
    /// Days after the production date (negative: before).
    pub days: i64,
    /// `HH:MM`, Vietnam's time.
    pub time: String,
    pub place: String,
    /// `plot` (the growing-area code), `facility` (the cooperative's facility code) or empty.
    pub code: String,
    pub actor: String,
    pub note: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    pub profile: String,
    /// The product part of lot and area codes, e.g. `ST25`.
    pub code: String,
    /// A fixed lot code instead of `{code}-{YYMMDD}`.
    #[serde(default)]
    pub lot: Option<String>,
    /// A fixed growing-area code instead of `VN-{province}-{code}-{n}`.
    #[serde(default)]
    pub plot: Option<String>,
    pub area: String,
    /// The raw material, for the texts of processed goods and crafts.
    #[serde(default)]
    pub material: Option<String>,
    /// One lot per pack size with a GTIN (else only the first).
    #[serde(default)]
    pub all_packs: bool,
    #[serde(default)]
    pub shelf_life_days: Option<i64>,
}

pub fn demo_lots() -> anyhow::Result<DemoLots> {
    Ok(serde_json::from_str(LOTS_JSON)?)
}

impl Labs {
    fn for_province(&self, code: u8) -> &str {
        match code {
            0..=42 => &self.north,
            43..=56 => &self.central,
            _ => &self.south,
        }
    }
}

/// A small stable number from a text, for demo area and facility codes.
fn stable_number(text: &str, modulo: u32) -> u32 {
    text.bytes().fold(17u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % modulo
}

/// Seeds the demo lots of every product with a GTIN. Returns the number of lots.
pub async fn seed_demo_lots(conn: &mut SqliteConnection, clock: &Clock) -> anyhow::Result<usize> {
    let demo = demo_lots()?;
    let today = clock.today_vn();
    let now = clock.now_vn();
    let created_at = clock.now_rfc3339();
    let products = sqlx::query(
        "SELECT p.id, p.slug, c.name AS coop_name, c.street, c.commune_code, c.commune_name, c.province_code
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.gtin IS NOT NULL) ORDER BY p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut count = 0;
    for row in &products {
        let slug: String = row.try_get("slug")?;
        let Some(spec) = demo.products.get(&slug) else {
            anyhow::bail!("seed/lots.json has no lot for the product {slug}, which has a GTIN");
        };
        let profile =
            demo.profiles.get(&spec.profile).ok_or_else(|| anyhow::anyhow!("unknown lot profile {}", spec.profile))?;
        let product_id: i64 = row.try_get("id")?;
        let province = int::<u8>(row, "province_code")?;
        let coop: String = row.try_get("coop_name")?;
        let street: String = row.try_get("street")?;
        let commune_name: String = row.try_get("commune_name")?;
        let commune_code = int::<u32>(row, "commune_code")?;
        let lab = demo.labs.for_province(province);
        let material = spec.material.clone().unwrap_or_else(|| "Nguyên liệu".into());
        let fill = |text: &str| {
            text.replace("{area}", &spec.area)
                .replace("{commune}", &commune_name)
                .replace("{street}", &street)
                .replace("{coop}", &coop)
                .replace("{lab}", lab)
                .replace("{material}", &material)
        };
        let plot = spec
            .plot
            .clone()
            .unwrap_or_else(|| format!("VN-{province:02}-{}-{:03}", spec.code, 10 + stable_number(&slug, 90)));
        let facility = format!("CSDG-{province:02}-{:04}", 1000 + stable_number(&coop, 9000));
        let produced_on = add_days(&today, -profile.age_days).ok_or_else(|| anyhow::anyhow!("date out of range"))?;
        let day = |days: i64| add_days(&produced_on, days).ok_or_else(|| anyhow::anyhow!("date out of range"));
        let best_before = day(spec.shelf_life_days.unwrap_or(profile.shelf_life_days))?;
        let lot_code = spec.lot.clone().unwrap_or_else(|| {
            let d = produced_on.as_str();
            format!("{}-{}{}{}", spec.code, &d[2..4], &d[5..7], &d[8..10])
        });
        let packs = sqlx::query(
            "SELECT label, unit, gtin FROM variants WHERE product_id = $1 AND gtin IS NOT NULL ORDER BY position, id",
        )
        .bind(product_id)
        .fetch_all(&mut *conn)
        .await?;
        let take = if spec.all_packs { packs.len() } else { 1 };
        for (i, pack) in packs.iter().take(take).enumerate() {
            let request = LotRequest {
                gtin: pack.try_get("gtin")?,
                lot_code: lot_code.clone(),
                quantity: i64::from(profile.quantity / (i as u32 + 1)),
                unit: pack.try_get("unit")?,
                plot_code: plot.clone(),
                area: spec.area.clone(),
                province_code: province,
                commune_code,
                produced_on: produced_on.as_str().into(),
                best_before: best_before.as_str().into(),
                practices: fill(&profile.practices),
                inputs: profile.inputs.iter().map(|t| fill(t)).collect(),
                inspections: vec![InspectionInput {
                    lab: lab.to_owned(),
                    tested_on: day(profile.inspection.days)?.as_str().into(),
                    result: profile.inspection.result.clone(),
                    passed: true,
                    document_url: String::new(),
                }],
            };
            let valid = request.validate(&today).map_err(|e| anyhow::anyhow!("demo lot of {slug}: {e:?}"))?;
            let label: String = pack.try_get("label")?;
            let lot_id = insert_lot(conn, product_id, &valid, &label, &commune_name, None, &created_at)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .ok_or_else(|| anyhow::anyhow!("demo lot {lot_code} of {slug} exists twice"))?;
            for event in &profile.events {
                let request = EventRequest {
                    kind: Some(event.kind),
                    at: format!("{}T{}", day(event.days)?.as_str(), event.time),
                    place: fill(&event.place),
                    location_code: match event.code.as_str() {
                        "plot" => plot.clone(),
                        "facility" => facility.clone(),
                        _ => String::new(),
                    },
                    actor: fill(&event.actor),
                    note: fill(&event.note),
                    photos: Vec::new(),
                    corrects: None,
                };
                let valid = request.validate(&now).map_err(|e| anyhow::anyhow!("demo event of {slug}: {e:?}"))?;
                insert_event(conn, lot_id, &valid, None, &created_at).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_product_with_a_gtin_has_a_lot_profile() {
        let lots = demo_lots().expect("lots.json matches the seed schema");
        let demo = crate::seed::demo().unwrap();
        for p in demo.cooperatives.iter().flat_map(|c| &c.products) {
            if p.variants.iter().any(|v| v.gtin.is_some()) {
                let spec = lots.products.get(&p.slug).unwrap_or_else(|| panic!("no demo lot for {}", p.slug));
                assert!(lots.profiles.contains_key(&spec.profile), "{}: profile {}", p.slug, spec.profile);
            }
        }
        for slug in lots.products.keys() {
            assert!(
                demo.cooperatives.iter().flat_map(|c| &c.products).any(|p| &p.slug == slug),
                "{slug} is not a demo product"
            );
        }
    }

    #[test]
    fn profiles_cover_the_timeline_and_stay_in_the_past() {
        let lots = demo_lots().unwrap();
        for (name, p) in &lots.profiles {
            // Nothing after today: the lot was produced `age_days` ago.
            assert!(p.events.iter().all(|e| e.days < p.age_days), "{name}: an event in the future");
            assert!(p.inspection.days < p.age_days, "{name}: inspection in the future");
            assert!(p.events.len() >= 5, "{name}: a full timeline");
            for kind in [EventKind::Harvest, EventKind::Packing, EventKind::Inspection, EventKind::Shipping] {
                assert!(p.events.iter().any(|e| e.kind == kind), "{name}: no {kind}");
            }
            let days: Vec<i64> = p.events.iter().map(|e| e.days).collect();
            assert!(days.is_sorted(), "{name}: events in time order");
        }
    }
}
