//! Trade promotion (xúc tiến thương mại): what the alliance's staff decide and compose —
//! moderation of cooperatives and products, featured products on a schedule, campaigns
//! (online fairs), the home page built from them, and the statistics they report on.
//!
//! The rules live here once, for the staff console and the server alike:
//! - which moderation action may move a cooperative or product from which status
//!   ([`cooperative_after`], [`product_after`]), and which need a reason;
//! - when a scheduled feature or campaign runs ([`ScheduleState::of`], dates inclusive,
//!   in Vietnam's calendar);
//! - what a valid featured list, campaign or statistics range is.

use crate::{
    I18nText,
    api::CategoryCount,
    catalog::{
        BankAccount, Category, CertKind, Certification, CoopKind, CoopStatus, CooperativeRef, CooperativeSummary, Date,
        Image, ProductStatus, ProductSummary, Variant, code_enum,
    },
    geo,
    money::Vnd,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

// ---------------------------------------------------------------------------------------
// Moderation

code_enum!(
    /// What staff do to a cooperative or a product.
    ModerationAction {
        Approve = "approve",
        Reject = "reject",
        Suspend = "suspend",
        Hide = "hide",
    }
);

impl ModerationAction {
    /// Rejecting, suspending and hiding tell the cooperative why.
    pub const fn needs_reason(self) -> bool {
        !matches!(self, ModerationAction::Approve)
    }
}

/// The status a cooperative gets from `action`, or `None` when the action does not apply.
///
/// - approve: a pending (or suspended) cooperative starts (again) to sell;
/// - reject: a pending cooperative stays pending with the reason, until it resubmits;
/// - suspend: an approved cooperative stops selling (its products disappear).
pub fn cooperative_after(status: CoopStatus, action: ModerationAction) -> Option<CoopStatus> {
    use {CoopStatus::*, ModerationAction::*};
    match (status, action) {
        (Pending | Suspended, Approve) => Some(Approved),
        (Pending, Reject) => Some(Pending),
        (Approved, Suspend) => Some(Suspended),
        _ => None,
    }
}

/// The status a product gets from `action`, or `None` when the action does not apply.
///
/// - approve: a pending (or hidden) product is published;
/// - reject: a pending product goes back to draft with the reason, to be fixed and
///   submitted again;
/// - hide: a published or pending product is taken off the shop.
pub fn product_after(status: ProductStatus, action: ModerationAction) -> Option<ProductStatus> {
    use {ModerationAction::*, ProductStatus::*};
    match (status, action) {
        (Pending | Hidden, Approve) => Some(Published),
        (Pending, Reject) => Some(Draft),
        (Published | Pending, Hide) => Some(Hidden),
        _ => None,
    }
}

/// The actions that apply to a cooperative in `status`, in the order buttons show them.
pub fn cooperative_actions(status: CoopStatus) -> Vec<ModerationAction> {
    ModerationAction::ALL.iter().copied().filter(|a| cooperative_after(status, *a).is_some()).collect()
}

/// The actions that apply to a product in `status`.
pub fn product_actions(status: ProductStatus) -> Vec<ModerationAction> {
    ModerationAction::ALL.iter().copied().filter(|a| product_after(status, *a).is_some()).collect()
}

pub const REASON_MAX: u32 = 500;

/// The body of reject, suspend and hide: why, in words the cooperative will read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonRequest {
    pub reason: String,
}

impl ReasonRequest {
    /// The trimmed reason, or `reason: required | too_long`.
    pub fn validate(&self) -> Result<String, Errors> {
        let mut e = Errors::new();
        let reason = e.text("reason", &self.reason, REASON_MAX);
        e.into_result(reason)
    }
}

/// What a moderation action left behind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeDecision {
    pub slug: String,
    pub status: CoopStatus,
    /// Why it is not (or no longer) approved; empty once approved.
    pub status_reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDecision {
    pub slug: String,
    pub status: ProductStatus,
    /// Why it was sent back or hidden; empty once published.
    pub review_note: String,
}

/// A cooperative waiting for a decision, with what staff check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub status: CoopStatus,
    /// Set while the cooperative is returned for fixes (or suspended).
    pub status_reason: String,
    /// Business registration or tax number.
    pub registration_number: String,
    pub province_code: u8,
    pub commune_name: String,
    pub street: String,
    /// E.164.
    pub phone: String,
    pub bank: Option<BankAccount>,
    /// RFC 3339, UTC.
    pub registered_at: String,
    /// The admins who registered it: "name (login)".
    pub admins: Vec<String>,
    pub product_count: u32,
    /// Certifications across its products.
    pub certifications: Vec<Certification>,
}

/// A product waiting for a decision, with its images, certifications and pack sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueProduct {
    pub slug: String,
    pub name: I18nText,
    pub description: I18nText,
    pub brand: String,
    pub category: Category,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    pub status: ProductStatus,
    pub cooperative: CooperativeRef,
    pub cooperative_status: CoopStatus,
    pub images: Vec<Image>,
    pub certifications: Vec<Certification>,
    pub variants: Vec<Variant>,
    /// The note of the last rejection, if it was sent back before.
    pub review_note: String,
    /// RFC 3339, UTC: when it was last changed (submitted).
    pub submitted_at: String,
}

/// `GET /api/v1/staff/queue`: everything waiting for staff, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationQueue {
    pub cooperatives: Vec<QueueCooperative>,
    pub products: Vec<QueueProduct>,
    /// Pending cooperatives sent back for fixes (not waiting for staff).
    pub returned_cooperatives: u32,
    /// Today in Vietnam: certifications that expired before it are flagged.
    pub today: Option<Date>,
}

/// A cooperative in the staff list (any status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub province_code: u8,
    pub status: CoopStatus,
    pub status_reason: String,
    pub registration_number: String,
    pub product_count: u32,
    pub registered_at: String,
}

/// A product in the staff list (any status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffProduct {
    #[serde(flatten)]
    pub summary: ProductSummary,
    pub status: ProductStatus,
    pub review_note: String,
    pub cooperative_status: CoopStatus,
}

/// A cooperative's own view of its review (`GET /api/v1/cooperatives/{slug}/review`):
/// why it is not approved, and which of its products were sent back or hidden and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeReview {
    pub slug: String,
    pub status: CoopStatus,
    pub status_reason: String,
    /// Pending with a reason: staff returned it; the admin may resubmit after fixing.
    pub can_resubmit: bool,
    pub products: Vec<ReviewedProduct>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedProduct {
    pub slug: String,
    pub name: I18nText,
    pub status: ProductStatus,
    pub review_note: String,
}

// ---------------------------------------------------------------------------------------
// Schedules

code_enum!(
    /// Where a dated feature or campaign stands today.
    ScheduleState {
        Scheduled = "scheduled",
        Running = "running",
        Ended = "ended",
    }
);

impl ScheduleState {
    /// Dates are inclusive, in Vietnam's calendar; a missing start has started, a
    /// missing end never ends.
    pub fn of(starts_on: Option<&Date>, ends_on: Option<&Date>, today: &Date) -> ScheduleState {
        if starts_on.is_some_and(|s| s > today) {
            ScheduleState::Scheduled
        } else if ends_on.is_some_and(|e| e < today) {
            ScheduleState::Ended
        } else {
            ScheduleState::Running
        }
    }
}

/// A date field of a request: `None` when empty, `invalid_date` when not a date.
/// Years a statistics range may cover: calendar arithmetic on the server stays in range.
pub const STATS_YEARS: std::ops::RangeInclusive<u32> = 2000..=2100;

/// A date of a statistics range: valid, and within [`STATS_YEARS`].
fn stats_date(errors: &mut Errors, field: &str, value: Option<&str>) -> Option<Date> {
    let d = optional_date(errors, field, value)?;
    if STATS_YEARS.contains(&d.year()) {
        Some(d)
    } else {
        errors.add(
            field,
            FieldError::OutOfRange { min: i64::from(*STATS_YEARS.start()), max: i64::from(*STATS_YEARS.end()) },
        );
        None
    }
}

fn optional_date(errors: &mut Errors, field: &str, value: Option<&str>) -> Option<Date> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    let d = Date::parse(v);
    if d.is_none() {
        errors.add(field, FieldError::InvalidDate);
    }
    d
}

fn required_date(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.add(field, FieldError::Required);
        return None;
    }
    optional_date(errors, field, Some(value))
}

// ---------------------------------------------------------------------------------------
// Featured products

/// At most this many products are pinned at once.
pub const FEATURED_MAX: u32 = 24;

/// One pinned product, with an optional schedule (dates inclusive).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeaturedEntry {
    pub product_slug: String,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// `PUT /api/v1/staff/featured`: the whole list, in the order the home page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeaturedUpdate {
    pub items: Vec<FeaturedEntry>,
}

/// A checked entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidFeatured {
    pub product_slug: String,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl FeaturedUpdate {
    /// Errors by `items.{i}.{field}`: unknown slugs are the server's to find.
    pub fn validate(&self) -> Result<Vec<ValidFeatured>, Errors> {
        let mut e = Errors::new();
        if self.items.len() > FEATURED_MAX as usize {
            e.add("items", FieldError::TooMany { max: FEATURED_MAX });
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let slug = item.product_slug.trim().to_owned();
            let field = format!("items.{i}.product_slug");
            if slug.is_empty() {
                e.add(&field, FieldError::Required);
            } else if !seen.insert(slug.clone()) {
                e.add(&field, FieldError::Duplicate);
            }
            let starts_on = optional_date(&mut e, &format!("items.{i}.starts_on"), item.starts_on.as_deref());
            let ends_on = optional_date(&mut e, &format!("items.{i}.ends_on"), item.ends_on.as_deref());
            if let (Some(s), Some(end)) = (&starts_on, &ends_on)
                && end < s
            {
                e.add(format!("items.{i}.ends_on"), FieldError::EndsBeforeStart);
            }
            out.push(ValidFeatured { product_slug: slug, starts_on, ends_on });
        }
        e.into_result(out)
    }
}

/// A pinned product as staff see it: whether buyers can see it, and its schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeaturedItem {
    pub product: ProductSummary,
    /// Published by an approved cooperative; otherwise the home page skips it.
    pub visible: bool,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub state: ScheduleState,
}

// ---------------------------------------------------------------------------------------
// Campaigns

code_enum!(
    /// How a campaign's products are chosen.
    CampaignSelection {
        Manual = "manual",
        Rule = "rule",
    }
);

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
    pub province: Option<u8>,
    #[serde(default)]
    pub cert: Option<CertKind>,
    #[serde(default)]
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
            e.range("rule.min_ocop_stars", i64::from(s), 1, 5);
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

// ---------------------------------------------------------------------------------------
// Home

/// A running campaign on the home page, with a few of its products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeCampaign {
    #[serde(flatten)]
    pub summary: CampaignSummary,
    pub products: Vec<ProductSummary>,
}

/// `GET /api/v1/home`: what the home page shows, composed by staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomePage {
    /// Running campaigns, the newest start first: the first is the hero.
    pub campaigns: Vec<HomeCampaign>,
    /// Featured products running today and visible, in the chosen order.
    pub featured: Vec<ProductSummary>,
    pub categories: Vec<CategoryCount>,
    /// Cooperatives approved most recently.
    pub new_cooperatives: Vec<CooperativeSummary>,
}

// ---------------------------------------------------------------------------------------
// Statistics

/// `?from=&to=` of the statistics: dates inclusive; the server fills what is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct StatsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The longest range the statistics cover at once.
pub const STATS_MAX_MONTHS: usize = 60;

impl StatsQuery {
    /// The range, with `default` for what is missing; `to` must not be before `from`.
    pub fn validate(&self, default: (Date, Date)) -> Result<(Date, Date), Errors> {
        let mut e = Errors::new();
        let from = stats_date(&mut e, "from", self.from.as_deref());
        let to = stats_date(&mut e, "to", self.to.as_deref());
        let from = from.unwrap_or(default.0);
        let to = to.unwrap_or(default.1);
        if to < from {
            e.add("to", FieldError::EndsBeforeStart);
        } else if months_between(&from, &to).len() > STATS_MAX_MONTHS {
            e.add("from", FieldError::TooMany { max: STATS_MAX_MONTHS as u32 });
        }
        e.into_result((from, to))
    }
}

/// Every month `YYYY-MM` from `from`'s to `to`'s, inclusive.
pub fn months_between(from: &Date, to: &Date) -> Vec<String> {
    let ym = |d: &Date| {
        let s = d.as_str();
        (s[0..4].parse::<u32>().unwrap_or(0), s[5..7].parse::<u32>().unwrap_or(1))
    };
    let (mut y, mut m) = ym(from);
    let end = ym(to);
    let mut out = Vec::new();
    while (y, m) <= end {
        out.push(format!("{y:04}-{m:02}"));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

code_enum!(
    /// The tables of the statistics, each exported as CSV.
    StatsTable {
        Cooperatives = "cooperatives",
        Products = "products",
        Orders = "orders",
        Traceability = "traceability",
        TopProducts = "top_products",
        NewCooperatives = "new_cooperatives",
    }
);

/// Approved cooperatives of a province, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvinceCooperatives {
    pub province_code: u8,
    pub htx: u32,
    pub tht: u32,
    pub union: u32,
}

impl ProvinceCooperatives {
    pub fn total(&self) -> u32 {
        self.htx + self.tht + self.union
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryProducts {
    pub category: Category,
    pub published: u32,
}

/// Orders of a month (Vietnam time), cancelled ones left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthSales {
    /// `YYYY-MM`.
    pub month: String,
    pub orders: u32,
    /// Value of the goods (order subtotals, shipping not included).
    pub sales: Vnd,
}

/// The share of approved cooperatives that publish traceability lots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Traceability {
    pub cooperatives: u32,
    pub with_lots: u32,
}

impl Traceability {
    /// Per mille, rounded: 375 is 37.5 %.
    pub fn share_permille(&self) -> u32 {
        if self.cooperatives == 0 {
            0
        } else {
            ((u64::from(self.with_lots) * 1000 + u64::from(self.cooperatives) / 2) / u64::from(self.cooperatives))
                as u32
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopProduct {
    pub slug: String,
    pub name: I18nText,
    pub cooperative: String,
    pub quantity: u32,
    pub sales: Vnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub province_code: u8,
    pub status: CoopStatus,
    /// RFC 3339, UTC.
    pub registered_at: String,
}

/// `GET /api/v1/staff/stats`: the alliance's dashboard for a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub from: Date,
    pub to: Date,
    /// Now: approved cooperatives by province and kind, most first.
    pub cooperatives_by_province: Vec<ProvinceCooperatives>,
    /// Now: products buyers can see, by category.
    pub products_by_category: Vec<CategoryProducts>,
    /// In the range: one entry per month, empty months included.
    pub orders_by_month: Vec<MonthSales>,
    /// Now.
    pub traceability: Traceability,
    /// In the range: the ten products sold most (by quantity).
    pub top_products: Vec<TopProduct>,
    /// Registered in the range, newest first.
    pub new_cooperatives: Vec<NewCooperative>,
    /// Registered since the first day of this month (Vietnam time), whatever the range.
    pub new_this_month: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn moderation_moves_only_where_it_applies() {
        use ModerationAction::*;
        assert_eq!(cooperative_after(CoopStatus::Pending, Approve), Some(CoopStatus::Approved));
        assert_eq!(cooperative_after(CoopStatus::Pending, Reject), Some(CoopStatus::Pending));
        assert_eq!(cooperative_after(CoopStatus::Approved, Reject), None);
        assert_eq!(cooperative_after(CoopStatus::Approved, Suspend), Some(CoopStatus::Suspended));
        assert_eq!(cooperative_after(CoopStatus::Suspended, Approve), Some(CoopStatus::Approved));
        assert_eq!(cooperative_after(CoopStatus::Approved, Hide), None);
        assert_eq!(product_after(ProductStatus::Pending, Reject), Some(ProductStatus::Draft));
        assert_eq!(product_after(ProductStatus::Draft, Approve), None, "drafts are submitted first");
        assert_eq!(product_after(ProductStatus::Published, Hide), Some(ProductStatus::Hidden));
        assert_eq!(product_after(ProductStatus::Hidden, Approve), Some(ProductStatus::Published));
        assert_eq!(product_after(ProductStatus::Published, Suspend), None);
        assert_eq!(cooperative_actions(CoopStatus::Pending), vec![Approve, Reject]);
        assert_eq!(product_actions(ProductStatus::Published), vec![Hide]);
        assert!(Reject.needs_reason() && Hide.needs_reason() && !Approve.needs_reason());
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(
            ReasonRequest { reason: "  Thiếu giấy chứng nhận  ".into() }.validate().unwrap(),
            "Thiếu giấy chứng nhận"
        );
        let e = ReasonRequest { reason: " ".into() }.validate().unwrap_err();
        assert_eq!(e.get("reason"), Some(&FieldError::Required));
        let e = ReasonRequest { reason: "x".repeat(501) }.validate().unwrap_err();
        assert_eq!(e.get("reason"), Some(&FieldError::TooLong { max: 500 }));
    }

    #[test]
    fn schedules_are_inclusive_and_open_ended() {
        let today = d("2026-06-15");
        assert_eq!(ScheduleState::of(None, None, &today), ScheduleState::Running);
        assert_eq!(ScheduleState::of(Some(&d("2026-06-15")), Some(&d("2026-06-15")), &today), ScheduleState::Running);
        assert_eq!(ScheduleState::of(Some(&d("2026-06-16")), None, &today), ScheduleState::Scheduled);
        assert_eq!(ScheduleState::of(None, Some(&d("2026-06-14")), &today), ScheduleState::Ended);
    }

    #[test]
    fn featured_lists_are_checked_per_item() {
        let entry = |slug: &str, s: Option<&str>, e: Option<&str>| FeaturedEntry {
            product_slug: slug.into(),
            starts_on: s.map(Into::into),
            ends_on: e.map(Into::into),
        };
        let ok = FeaturedUpdate {
            items: vec![entry("a", Some("2026-01-01"), Some("2026-01-31")), entry("b", Some(""), None)],
        };
        let v = ok.validate().unwrap();
        assert_eq!(v[1].starts_on, None);
        let bad = FeaturedUpdate {
            items: vec![
                entry("a", None, None),
                entry("a", Some("2026-02-30"), None),
                entry("c", Some("2026-03-02"), Some("2026-03-01")),
            ],
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("items.1.product_slug"), Some(&FieldError::Duplicate));
        assert_eq!(e.get("items.1.starts_on"), Some(&FieldError::InvalidDate));
        assert_eq!(e.get("items.2.ends_on"), Some(&FieldError::EndsBeforeStart));
        let many = FeaturedUpdate { items: (0..25).map(|i| entry(&format!("p{i}"), None, None)).collect() };
        assert_eq!(many.validate().unwrap_err().get("items"), Some(&FieldError::TooMany { max: 24 }));
    }

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
        assert_eq!(e.get("rule.min_ocop_stars"), Some(&FieldError::OutOfRange { min: 1, max: 5 }));
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

    #[test]
    fn stats_ranges_default_and_list_every_month() {
        let default = (d("2025-07-01"), d("2026-06-15"));
        assert_eq!(StatsQuery::default().validate(default.clone()).unwrap(), default);
        let q = StatsQuery { from: Some("2026-06-20".into()), to: None };
        assert_eq!(q.validate(default.clone()).unwrap_err().get("to"), Some(&FieldError::EndsBeforeStart));
        let months = months_between(&d("2025-11-30"), &d("2026-02-01"));
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let q = StatsQuery { from: Some("2000-01-01".into()), to: None };
        assert!(q.validate(default).is_err());
        assert_eq!(Traceability { cooperatives: 8, with_lots: 3 }.share_permille(), 375);
        assert_eq!(Traceability::default().share_permille(), 0);
    }
}
