//! Chợ HTX browser app (Leptos, client-side rendered, built by Trunk).
//!
//! `app` holds the router and layout; `pages` one module per page; `components` the
//! reusable pieces; `api` the one typed client of the server's JSON API.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod routes;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use domain::Lang;
use i18n::{Locale, use_i18n};

/// The current language as the domain crate knows it (for money, dates, bilingual text).
pub fn use_lang() -> impl Fn() -> Lang + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || match i18n.get_locale() {
        Locale::vi => Lang::Vi,
        Locale::en => Lang::En,
    }
}
