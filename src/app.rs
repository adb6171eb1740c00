//! The app shell: context providers, layout and router.

use crate::{
    cart::Cart,
    components::layout::{Footer, Header},
    consoles::ConsoleRoutes,
    i18n::{I18nContextProvider, Locale, t_string, use_i18n},
    island::AppRouterContext,
    pages::{
        account::AccountPage,
        auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage},
        campaign::CampaignPage,
        cart::CartPage,
        catalog::CatalogPage,
        checkout::CheckoutPage,
        cooperative::CooperativePage,
        home::Home,
        invitation::InvitationPage,
        labels::{LabelPage, LabelSheetPage},
        lot::LotPage,
        not_found::{NotFound, OfflinePage},
        order::{OrderLookupPage, OrderPage, OrderPlacedPage},
        product::ProductPage,
    },
    session::Session,
};
use leptos::prelude::*;
use leptos_i18n::context::{CookieOptions, UseLocalesOptions};
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The cookie that keeps the chosen language: the server reads it to render the page in
/// that language, so hydration finds the same text.
pub const LANG_COOKIE: &str = "chohtx_lang";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Vietnamese unless the visitor chose English before: the browser's language list
    // (often English on phones sold in Vietnam) does not decide, on the server
    // (Accept-Language) or in the browser.
    let no_header = UseLocalesOptions::default().ssr_lang_header_getter(|| None);
    view! {
        <I18nContextProvider cookie_name=LANG_COOKIE cookie_options=lang_cookie_options() ssr_lang_header_getter=no_header>
            <Shell/>
        </I18nContextProvider>
    }
}

/// How long the language cookie keeps a choice.
pub const LANG_COOKIE_DAYS: i64 = 400;

/// The language cookie: the whole site, for [`LANG_COOKIE_DAYS`] (in milliseconds here).
pub fn lang_cookie_options() -> CookieOptions<Locale> {
    CookieOptions::<Locale>::default().path("/").max_age(LANG_COOKIE_DAYS * 24 * 3600 * 1000)
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    Cart::provide();
    Session::provide();
    view! {
        <Title formatter=move |page: String| {
            let site = t_string!(i18n, site_name);
            if page.is_empty() { site.to_string() } else { format!("{page} · {site}") }
        }/>
        <Router>
        <AppRouterContext>
            <LanguageFromLink/>
            <a class="skip-link" href="#main">{move || t_string!(i18n, skip_to_content)}</a>
            // Shown by the page's script (`shell`) while the browser is offline.
            <p class="offline-banner" role="status">{move || t_string!(i18n, offline_banner)}</p>
            <Header/>
            <main id="main" tabindex="-1">
                {if rendered_in_browser() { view! { <InBrowser/> }.into_any() } else { view! { <AppRoutes/> }.into_any() }}
            </main>
            <Footer/>
        </AppRouterContext>
        </Router>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/san-pham") view=CatalogPage/>
                    <Route path=path!("/danh-muc/:category") view=CatalogPage/>
                    <Route path=path!("/san-pham/:slug") view=ProductPage/>
                    <Route path=path!("/htx/:slug") view=CooperativePage/>
                    // The cart, checkout, orders, accounts and consoles render in the browser only
                    // (the app's bundle, see `bundles`): the server sends a placeholder.
                    <Route path=path!("/gio-hang") view=CartPage/>
                    <Route path=path!("/thanh-toan") view=CheckoutPage/>
                    <Route path=path!("/dat-hang-thanh-cong") view=OrderPlacedPage/>
                    <Route path=path!("/don-hang/:number") view=OrderPage/>
                    <Route path=path!("/tra-cuu-don-hang") view=OrderLookupPage/>
                    <Route path=path!("/dang-nhap") view=SignInPage/>
                    <Route path=path!("/dang-ky") view=SignUpPage/>
                    <Route path=path!("/quen-mat-khau") view=ForgotPasswordPage/>
                    <Route path=path!("/dat-lai-mat-khau") view=ResetPasswordPage/>
                    <Route path=path!("/tai-khoan") view=AccountPage/>
                    <Route path=path!("/loi-moi/:token") view=InvitationPage/>
                    // Traceability: the GS1 Digital Link of a lot and its labels (the seller console has the lots).
                    <Route path=path!("/01/:gtin/10/:lot") view=LotPage/>
                    <Route path=path!("/tem/:gtin/:lot") view=LabelPage/>
                    <Route path=path!("/tem/:gtin/:lot/a4") view=LabelSheetPage/>
                    <Route path=path!("/phien-cho/:slug") view=CampaignPage/>
                    <Route path=path!("/ngoai-tuyen") view=OfflinePage/>
                    // Seller and trade-promotion consoles, members, registering a cooperative.
                    <ConsoleRoutes/>
                </Routes>
    }
}

/// Whether this page is the app bundle's, rendered in the browser (on the server: a
/// placeholder instead of the page).
fn rendered_in_browser() -> bool {
    #[cfg(feature = "ssr")]
    let app_page = use_context::<http::request::Parts>()
        .is_some_and(|parts| crate::bundles::Bundle::for_path(parts.uri.path()) == crate::bundles::Bundle::App);
    #[cfg(not(feature = "ssr"))]
    let app_page = false;
    app_page
}

/// `?lang=en` (or `vi`), the `hreflang` alternate of every page, renders the page in that
/// language (and keeps the choice, like the header's switch).
#[component]
fn LanguageFromLink() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    match query.read_untracked().get(crate::meta::LANG_PARAM).as_deref() {
        Some("en") => i18n.set_locale(Locale::en),
        Some("vi") => i18n.set_locale(Locale::vi),
        _ => {}
    }
}

/// The server's placeholder for a page of the app's bundle: a skeleton until the bundle
/// renders the page over it, and a plain sentence when JavaScript is off.
#[component]
fn InBrowser() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <noscript><p class="notice" role="alert">{t_string!(i18n, needs_app)}</p></noscript>
        <crate::session::PageSkeleton/>
    }
}
