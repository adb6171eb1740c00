//! The app shell: context providers, layout and router.

use crate::{
    components::layout::{Footer, Header},
    i18n::{I18nContextProvider, Locale, t_string, use_i18n},
    pages::{home::Home, not_found::NotFound, product::ProductPage},
};
use leptos::{prelude::*, wasm_bindgen::JsCast};
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The cookie leptos_i18n keeps the chosen language in.
const LANG_COOKIE: &str = "lang";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider cookie_name=LANG_COOKIE>
            <DefaultToVietnamese/>
            <Shell/>
        </I18nContextProvider>
    }
}

/// Vietnamese unless the visitor chose English before: the browser's language list
/// (often English on phones sold in Vietnam) does not decide.
#[component]
fn DefaultToVietnamese() -> impl IntoView {
    let i18n = use_i18n();
    let chosen = document()
        .unchecked_ref::<web_sys::HtmlDocument>()
        .cookie()
        .unwrap_or_default()
        .split(';')
        .any(|c| c.trim().starts_with(&format!("{LANG_COOKIE}=")));
    if !chosen {
        i18n.set_locale(Locale::vi);
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title formatter=move |page: String| {
            let site = t_string!(i18n, site_name);
            if page.is_empty() { site.to_string() } else { format!("{page} · {site}") }
        }/>
        <Router>
            <a class="skip-link" href="#main">{move || t_string!(i18n, skip_to_content)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/san-pham/:slug") view=ProductPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
