//! The app's URLs, in one place, so links and the router agree.

use domain::{catalog::Category, query::ProductQuery};

pub const HOME: &str = "/";
pub const CATALOG: &str = "/san-pham";
pub const CART: &str = "/gio-hang";
pub const CHECKOUT: &str = "/thanh-toan";
pub const ORDER_PLACED: &str = "/dat-hang-thanh-cong";

pub fn product(slug: &str) -> String {
    format!("/san-pham/{slug}")
}

pub fn cooperative(slug: &str) -> String {
    format!("/htx/{slug}")
}

/// The catalog for `query`: a category page when it names one category.
pub fn catalog(query: &ProductQuery) -> String {
    let (base, rest) = match query.category {
        Some(c) => (category(c), ProductQuery { category: None, ..query.clone() }),
        None => (CATALOG.to_owned(), query.clone()),
    };
    let qs = rest.to_query_string();
    if qs.is_empty() { base } else { format!("{base}?{qs}") }
}

/// A category page; its other filters go in the query.
pub fn category(category: Category) -> String {
    format!("/danh-muc/{}", category.code())
}

/// An order's tracking page, opened by its secret token.
pub fn order(number: &str, token: &str) -> String {
    format!("/don-hang/{number}?token={token}")
}
