//! Chợ HTX app (Leptos). The server renders every page with it (feature `ssr`, see
//! [`shell`]); in the browser, two bundles built by Trunk take over ([`bundles`]): the
//! storefront's islands (feature `hydrate`, entry [`hydrate`]) and the whole app rendered
//! in the browser for the cart, checkout, accounts and consoles (feature `csr`, entry `mount`).
//!
//! `app` holds the router and layout; `pages` one module per page; `components` the
//! reusable pieces; `api` the one typed client of the server's JSON API (in process on
//! the server, `fetch` in the browser).

pub mod api;
pub mod app;
pub mod bundles;
pub mod cart;
pub mod components;
pub mod consoles;
pub mod island;
pub mod meta;
pub mod pages;
pub mod routes;
pub mod session;
#[cfg(feature = "ssr")]
pub mod shell;
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

/// The storefront bundle's entry point, called by the page's loader script once the wasm
/// is loaded; the loader then hydrates each island on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}

/// The app bundle's entry point: renders the whole app in place of the server's
/// placeholder page, in the language the server chose (`<html lang>`, kept in the
/// language cookie so the app starts in it).
#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount() {
    console_error_panic_hook::set_once();
    let document = leptos::prelude::document();
    let lang = document.document_element().and_then(|html| html.get_attribute("lang"));
    if let Some(locale) = lang.and_then(|lang| lang.parse::<i18n::Locale>().ok()) {
        island::save_lang_cookie(locale);
    }
    if let Some(body) = document.body() {
        body.set_inner_html("");
    }
    leptos::mount::mount_to_body(app::App);
}
