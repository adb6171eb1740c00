//! Campaigns (online fairs): their banners, product rules, requests and the shapes shown.

use super::schedule::{ScheduleState, required_date};
use crate::{
    I18nText,
    catalog::{Category, CertKind, Date, Image, ProductSummary, code_enum},
    geo,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

code_enum!(
    /// How a campaign's products are chosen.
    CampaignSelection {
        Manual = "manual",
        Rule = "rule",
    }
);

/// The banner of a cooperative that has not uploaded one: the shipped banner closest to
/// what it mostly sells (its products' main category), so a new cooperative's page looks
/// like a shop from its first day.
pub fn default_coop_banner(main_category: Option<crate::catalog::Category>) -> &'static str {
    use crate::catalog::Category::*;
    match main_category {
        Some(CoffeeTeaSpices) => "highlands",
        Some(Fruit | Seafood | Vegetables) => "mekong",
        Some(Handicrafts | ProcessedFoods) => "ocop",
        Some(RiceGrains) | None => "harvest",
    }
}

/// Campaign banners shipped with the app (`/images/campaigns/{key}.svg`, 1200×400).
pub const CAMPAIGN_BANNERS: &[&str] = &["tet", "ocop", "mekong", "highlands", "harvest"];

pub fn banner_url(key: &str) -> String {
    format!("/images/campaigns/{key}.svg")
}

/// The banner of a campaign as an image (alt text is its title).
pub fn banner_image(key: &str, title: &I18nText) -> Image {
    Image { url: banner_url(key), alt: title.clone(), width: 1200, height: 400, renditions: Vec::new() }
}

/// A rule choosing products: every given criterion must hold (a valid certification of
/// the kind, at least the OCOP stars).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRule {
    #[serde(default)]
    pub category: Option<Category>,
    /// Origin province.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub province: Option<u8>,
    #[serde(default)]
    pub cert: Option<CertKind>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 3, maximum = 5))]
    pub min_ocop_stars: Option<u8>,
}

impl CampaignRule {
    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.province.is_none() && self.cert.is_none() && self.min_ocop_stars.is_none()
    }

    fn check(&self, e: &mut Errors) {
        if self.is_empty() {
            e.add("rule", FieldError::Required);
        }
        if let Some(p) = self.province
            && geo::province(p).is_none()
        {
            e.add("rule.province", FieldError::UnknownChoice);
        }
        if let Some(s) = self.min_ocop_stars {
            e.range("rule.min_ocop_stars", i64::from(s), i64::from(crate::catalog::OCOP_MIN_STARS), 5);
        }
    }
}

pub const TITLE_MAX: u32 = 120;
pub const CAMPAIGN_DESCRIPTION_MAX: u32 = 1000;
/// At most this many products picked by hand; a rule shows at most as many.
pub const CAMPAIGN_PRODUCTS_MAX: u32 = 48;

/// `POST /api/v1/staff/campaigns` and `PUT …/{slug}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRequest {
    /// Vietnamese required, English optional.
    pub title: I18nText,
    pub description: I18nText,
    /// One of [`CAMPAIGN_BANNERS`].
    pub banner: String,
    /// `YYYY-MM-DD`, inclusive.
    pub starts_on: String,
    pub ends_on: String,
    pub selection: CampaignSelection,
    #[serde(default)]
    pub rule: CampaignRule,
    /// The products picked by hand, in order (manual selection).
    #[serde(default)]
    pub product_slugs: Vec<String>,
}

impl Default for CampaignRequest {
    fn default() -> Self {
        CampaignRequest {
            title: I18nText::default(),
            description: I18nText::default(),
            banner: CAMPAIGN_BANNERS[0].into(),
            starts_on: String::new(),
            ends_on: String::new(),
            selection: CampaignSelection::Manual,
            rule: CampaignRule::default(),
            product_slugs: Vec::new(),
        }
    }
}

/// A checked campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCampaign {
    pub title: I18nText,
    pub description: I18nText,
    pub banner: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub selection: CampaignSelection,
    /// Empty for a manual selection.
    pub rule: CampaignRule,
    /// Empty for a rule.
    pub product_slugs: Vec<String>,
}

impl CampaignRequest {
    pub fn validate(&self) -> Result<ValidCampaign, Errors> {
        let mut e = Errors::new();
        let title = I18nText {
            vi: e.text("title.vi", &self.title.vi, TITLE_MAX),
            en: e.optional_text("title.en", &self.title.en, TITLE_MAX),
        };
        let description = I18nText {
            vi: e.text("description.vi", &self.description.vi, CAMPAIGN_DESCRIPTION_MAX),
            en: e.optional_text("description.en", &self.description.en, CAMPAIGN_DESCRIPTION_MAX),
        };
        let banner = self.banner.trim().to_owned();
        if !CAMPAIGN_BANNERS.contains(&banner.as_str()) {
            e.add("banner", FieldError::UnknownChoice);
        }
        let starts_on = required_date(&mut e, "starts_on", &self.starts_on);
        let ends_on = required_date(&mut e, "ends_on", &self.ends_on);
        if let (Some(s), Some(end)) = (&starts_on, &ends_on)
            && end < s
        {
            e.add("ends_on", FieldError::EndsBeforeStart);
        }
        let mut product_slugs = Vec::new();
        let mut rule = CampaignRule::default();
        match self.selection {
            CampaignSelection::Manual => {
                if self.product_slugs.is_empty() {
                    e.add("product_slugs", FieldError::Required);
                } else if self.product_slugs.len() > CAMPAIGN_PRODUCTS_MAX as usize {
                    e.add("product_slugs", FieldError::TooMany { max: CAMPAIGN_PRODUCTS_MAX });
                }
                let mut seen = HashSet::new();
                for (i, s) in self.product_slugs.iter().enumerate() {
                    let s = s.trim().to_owned();
                    if s.is_empty() {
                        e.add(format!("product_slugs.{i}"), FieldError::Required);
                    } else if !seen.insert(s.clone()) {
                        e.add(format!("product_slugs.{i}"), FieldError::Duplicate);
                    } else {
                        product_slugs.push(s);
                    }
                }
            }
            CampaignSelection::Rule => {
                self.rule.check(&mut e);
                rule = self.rule.clone();
            }
        }
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if e.is_empty() => Ok(ValidCampaign {
                title,
                description,
                banner,
                starts_on,
                ends_on,
                selection: self.selection,
                rule,
                product_slugs,
            }),
            _ => Err(e),
        }
    }
}

/// A campaign as lists, the home page and staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    pub slug: String,
    pub title: I18nText,
    pub description: I18nText,
    pub banner: Image,
    /// The banner's key (one of [`CAMPAIGN_BANNERS`]).
    pub banner_key: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub state: ScheduleState,
    pub selection: CampaignSelection,
    /// Products buyers can see in it now.
    pub product_count: u32,
}

/// A product picked by hand, as the editor shows it (also when no longer visible).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickedProduct {
    pub slug: String,
    pub name: I18nText,
    pub visible: bool,
}

/// A campaign's page (`GET /api/v1/campaigns/{slug}`) and its editor (staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    #[serde(flatten)]
    pub summary: CampaignSummary,
    pub rule: CampaignRule,
    /// What buyers see: visible products, in the chosen order (by hand) or best-selling
    /// first (rule).
    pub products: Vec<ProductSummary>,
    /// Staff only: the hand-picked products, visible or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub picks: Vec<PickedProduct>,
}

impl Campaign {
    /// The request that would save this campaign unchanged (the editor starts from it).
    pub fn to_request(&self) -> CampaignRequest {
        CampaignRequest {
            title: self.summary.title.clone(),
            description: self.summary.description.clone(),
            banner: self.summary.banner_key.clone(),
            starts_on: self.summary.starts_on.as_str().into(),
            ends_on: self.summary.ends_on.as_str().into(),
            selection: self.summary.selection,
            rule: self.rule.clone(),
            product_slugs: self.picks.iter().map(|p| p.slug.clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> CampaignRequest {
        CampaignRequest {
            title: I18nText { vi: "Phiên chợ OCOP Cần Thơ".into(), en: String::new() },
            description: I18nText { vi: "Đặc sản 4 sao".into(), en: String::new() },
            banner: "ocop".into(),
            starts_on: "2026-06-01".into(),
            ends_on: "2026-06-30".into(),
            selection: CampaignSelection::Rule,
            rule: CampaignRule { province: Some(92), min_ocop_stars: Some(4), ..Default::default() },
            product_slugs: vec!["ignored".into()],
        }
    }

    #[test]
    fn campaigns_need_a_title_dates_in_order_and_a_selection() {
        let v = campaign().validate().unwrap();
        assert!(v.product_slugs.is_empty(), "a rule campaign keeps no hand-picked products");
        let mut c = campaign();
        c.title.vi = String::new();
        c.banner = "https://evil.example/x.png".into();
        c.ends_on = "2026-05-31".into();
        c.rule = CampaignRule::default();
        let e = c.validate().unwrap_err();
        assert_eq!(e.get("title.vi"), Some(&FieldError::Required));
        assert_eq!(e.get("banner"), Some(&FieldError::UnknownChoice));
        assert_eq!(e.get("ends_on"), Some(&FieldError::EndsBeforeStart));
        assert_eq!(e.get("rule"), Some(&FieldError::Required));
        let mut c = campaign();
        c.rule = CampaignRule { province: Some(99), min_ocop_stars: Some(6), ..Default::default() };
        let e = c.validate().unwrap_err();
        assert_eq!(e.get("rule.province"), Some(&FieldError::UnknownChoice));
        assert_eq!(e.get("rule.min_ocop_stars"), Some(&FieldError::OutOfRange { min: 3, max: 5 }));
        c.rule = CampaignRule { min_ocop_stars: Some(2), ..Default::default() };
        let e = c.validate().unwrap_err();
        assert_eq!(
            e.get("rule.min_ocop_stars"),
            Some(&FieldError::OutOfRange { min: 3, max: 5 }),
            "OCOP starts at 3 ★"
        );
        let mut c = campaign();
        c.selection = CampaignSelection::Manual;
        c.product_slugs = vec![];
        c.starts_on = String::new();
        let e = c.validate().unwrap_err();
        assert_eq!(e.get("product_slugs"), Some(&FieldError::Required));
        assert_eq!(e.get("starts_on"), Some(&FieldError::Required));
        c.product_slugs = vec!["a".into(), "a".into()];
        assert_eq!(c.validate().unwrap_err().get("product_slugs.1"), Some(&FieldError::Duplicate));
    }
}
