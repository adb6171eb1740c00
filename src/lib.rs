//! Chợ HTX app (Leptos). The server renders every page with it (feature `ssr`, see
//! [`shell`]) and the browser hydrates that HTML with the same components compiled to
//! wasm by Trunk (feature `hydrate`, entry [`hydrate`]).
//!
//! `app` holds the router and layout; `pages` one module per page; `components` the
//! reusable pieces; `api` the one typed client of the server's JSON API (in process on
//! the server, `fetch` in the browser).

pub mod api;
pub mod app;
pub mod cart;
pub mod components;
pub mod consoles;
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

/// The browser's entry point: the page shell's script calls it once the wasm is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
