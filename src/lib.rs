//! Chợ HTX browser app (Leptos, client-side rendered, built by Trunk).
//!
//! `app` holds the router and layout; `pages` one module per page; `components` the
//! reusable pieces; `api` the one typed client of the server's JSON API.

pub mod api;
pub mod app;
pub mod cart;
pub mod components;
pub mod pages;
pub mod routes;
pub mod session;
pub mod storage;
pub mod time;
pub mod upload;
pub mod url;

// The translations (locales/*.json, configured in Cargo.toml) compiled into the `i18n`
// module. The macro is deprecated in favour of leptos_i18n_build in build.rs, which
// generates the same module but drags ICU's data-export crates (with an HTTP client)
// into every build profile: minutes of compile time for no change in the bundle.
#[allow(deprecated)]
mod i18n_module {
    leptos_i18n::load_locales!();
}
pub use i18n_module::i18n;

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
