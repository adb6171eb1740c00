//! Statistics: the staff dashboard's range, tables and shapes.

use super::schedule::optional_date;
use crate::{
    I18nText,
    catalog::{Category, CoopKind, CoopStatus, Date, code_enum},
    money::Vnd,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

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

/// `?from=&to=` of the statistics: dates inclusive; the server fills what is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
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
        self.htx.saturating_add(self.tht).saturating_add(self.union)
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
