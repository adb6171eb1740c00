//! The demo's featured products and campaigns (`seed/promotion.json`).

use crate::{api::promotion, clock::Clock};
use domain::{
    I18nText, coop_status_sql,
    curation::{CampaignRequest, CampaignRule, CampaignSelection},
};
use serde::Deserialize;
use sqlx::SqliteConnection;

pub const DEMO_JSON: &str = include_str!("../../seed/promotion.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoPromotion {
    /// Product slugs pinned to the home page, in order.
    pub featured: Vec<String>,
    pub campaigns: Vec<DemoCampaign>,
}

/// A demo campaign; its dates are relative to the day the demo is loaded.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCampaign {
    pub title: I18nText,
    pub description: I18nText,
    pub banner: String,
    pub starts_in_days: i64,
    pub ends_in_days: i64,
    pub selection: CampaignSelection,
    #[serde(default)]
    pub rule: CampaignRule,
    #[serde(default)]
    pub product_slugs: Vec<String>,
}

impl DemoCampaign {
    pub fn request(&self, clock: &Clock) -> CampaignRequest {
        let day = |n: i64| {
            let d = (clock.now().to_offset(time::macros::offset!(+7)) + time::Duration::days(n)).date();
            domain::catalog::Date::from_ymd(d.year(), u8::from(d.month()), d.day())
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default()
        };
        CampaignRequest {
            title: self.title.clone(),
            description: self.description.clone(),
            banner: self.banner.clone(),
            starts_on: day(self.starts_in_days),
            ends_on: day(self.ends_in_days),
            selection: self.selection,
            rule: self.rule.clone(),
            product_slugs: self.product_slugs.clone(),
        }
    }
}

pub fn demo() -> anyhow::Result<DemoPromotion> {
    Ok(serde_json::from_str(DEMO_JSON)?)
}

/// Seeds the demo's featured products and campaigns, and dates the approval of the
/// approved demo cooperatives (their registration day). Runs inside the demo's
/// transaction, after the catalog; the campaigns pass the same checks as staff input.
pub async fn load_demo(conn: &mut SqliteConnection, clock: &Clock) -> anyhow::Result<()> {
    let demo = demo()?;
    let now = clock.now_rfc3339();
    sqlx::query(concat!(
        "UPDATE cooperatives SET approved_at = created_at WHERE status = ",
        coop_status_sql!(Approved),
        " AND approved_at IS NULL"
    ))
    .execute(&mut *conn)
    .await?;
    for (pos, slug) in demo.featured.iter().enumerate() {
        let id: i64 = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("featured demo product {slug} does not exist"))?;
        sqlx::query("INSERT INTO featured_products (product_id, position, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(pos as i64)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
    }
    for c in &demo.campaigns {
        let v = c.request(clock).validate().map_err(|e| anyhow::anyhow!("demo campaign {:?}: {e:?}", c.title.vi))?;
        promotion::create(conn, &v, &now).await.map_err(|e| anyhow::anyhow!("demo campaign {:?}: {e}", c.title.vi))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::curation::ScheduleState;
    use std::collections::HashSet;

    #[test]
    fn the_demo_has_six_featured_products_and_one_running_campaign() {
        let demo = demo().expect("promotion.json matches the seed schema");
        assert_eq!(demo.featured.len(), 6);
        let catalog = crate::seed::demo().unwrap();
        let published: HashSet<&str> = catalog
            .cooperatives
            .iter()
            .filter(|c| c.status == domain::catalog::CoopStatus::Approved)
            .flat_map(|c| &c.products)
            .filter(|p| p.status == domain::catalog::ProductStatus::Published)
            .map(|p| p.slug.as_str())
            .collect();
        for slug in demo.featured.iter().chain(demo.campaigns.iter().flat_map(|c| &c.product_slugs)) {
            assert!(published.contains(slug.as_str()), "{slug} is not a published demo product");
        }
        let clock = Clock::fixed(time::macros::datetime!(2026-06-15 10:00 UTC));
        let today = clock.today_vn();
        let running = demo
            .campaigns
            .iter()
            .map(|c| c.request(&clock).validate().expect("demo campaigns are valid"))
            .filter(|v| ScheduleState::of(Some(&v.starts_on), Some(&v.ends_on), &today) == ScheduleState::Running)
            .count();
        assert_eq!(running, 1);
    }
}
