//! The app's URLs, in one place, so links and the router agree.

use domain::{catalog::Category, query::ProductQuery};

pub const HOME: &str = "/";
pub const CATALOG: &str = "/san-pham";
pub const CART: &str = "/gio-hang";

pub fn product(slug: &str) -> String {
    format!("/san-pham/{slug}")
}

pub fn cooperative(slug: &str) -> String {
    format!("/htx/{slug}")
}

pub fn catalog(query: &ProductQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() { CATALOG.to_owned() } else { format!("{CATALOG}?{qs}") }
}

pub fn category(category: Category) -> String {
    catalog(&ProductQuery { category: Some(category), ..Default::default() })
}
