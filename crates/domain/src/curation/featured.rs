//! Featured products: the pinned list on the home page, each with an optional schedule.

use super::schedule::{ScheduleState, optional_date};
use crate::{
    catalog::{Date, ProductSummary},
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
