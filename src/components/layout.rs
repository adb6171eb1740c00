//! Header and footer shared by every page.

use crate::{
    components::{
        account_menu::AccountMenu,
        icons::{CartIcon, Logo},
        search_box::SearchBox,
    },
    i18n::{Locale, t, t_string, use_i18n},
    island, routes,
};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <div class="header-inner">
                <A href=routes::HOME attr:class="brand">
                    <Logo/>
                    <span class="brand-name">{t!(i18n, site_name)}</span>
                </A>
                <SearchBox/>
                <HeaderActions/>
            </div>
        </header>
    }
}

/// The header's corner: language, account and cart (an island).
#[island]
fn HeaderActions() -> impl IntoView {
    island::enter();
    view! {
        <div class="header-actions">
            <LanguageSwitch/>
            <AccountMenu/>
            <CartLink/>
        </div>
    }
}

/// A link to this page in the other language; its label is in that language. Without
/// the app it is a page load (`?lang=`, which the server keeps in the language cookie);
/// in the app the page switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let url = island::current_url();
    let other = move || match i18n.get_locale() {
        Locale::vi => Locale::en,
        Locale::en => Locale::vi,
    };
    let in_app = island::in_app();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let next = other();
        island::save_lang_cookie(next);
        if in_app {
            ev.prevent_default();
            i18n.set_locale(next);
        }
    };
    let href = move || island::with_param(&url.get(), crate::meta::LANG_PARAM, other().as_str());
    view! {
        <a class="lang-switch" href=href on:click=on_click lang=move || other().as_str() rel="alternate" hreflang=move || other().as_str()>
            {move || other().as_str().to_ascii_uppercase()}
            <span class="visually-hidden">" – "{move || t_string!(i18n, switch_to_other_language)}</span>
        </a>
    }
}

#[component]
fn CartLink() -> impl IntoView {
    let i18n = use_i18n();
    let cart = crate::cart::Cart::get();
    let count = Signal::derive(move || cart.count());
    view! {
        <a href=routes::CART class="cart-link">
            <CartIcon/>
            <span class="visually-hidden">{move || t_string!(i18n, cart)}" "</span>
            <span class="cart-badge" class:empty=move || count.get() == 0>{count}</span>
        </a>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="footer-inner">
                <div class="footer-brand">
                    <Logo/>
                    <strong>{t!(i18n, site_name)}</strong>
                </div>
                <p>{t!(i18n, footer_about)}</p>
                <p><a href=crate::routes::ORDER_LOOKUP class="footer-link">{t!(i18n, lookup_link)}</a></p>
                <p class="muted">{t!(i18n, footer_open_source)} " · MIT / Apache-2.0"</p>
            </div>
        </footer>
    }
}
