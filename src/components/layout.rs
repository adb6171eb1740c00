//! Header and footer shared by every page.

use crate::{
    components::{
        account_menu::AccountMenu,
        icons::{CartIcon, Logo},
        search_box::SearchBox,
    },
    i18n::{Locale, t, t_string, use_i18n},
    routes,
};
use leptos::prelude::*;
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
                <div class="header-actions">
                    <LanguageSwitch/>
                    <AccountMenu/>
                    <CartLink/>
                </div>
            </div>
        </header>
    }
}

/// One button that switches to the other language; its label is in that language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.get_locale() {
            Locale::vi => Locale::en,
            Locale::en => Locale::vi,
        };
        i18n.set_locale(next);
    };
    let other_lang = move || match i18n.get_locale() {
        Locale::vi => "en",
        Locale::en => "vi",
    };
    view! {
        <button type="button" class="lang-switch" on:click=toggle lang=other_lang>
            {move || other_lang().to_uppercase()}
            <span class="visually-hidden">" – "{move || t_string!(i18n, switch_to_other_language)}</span>
        </button>
    }
}

#[component]
fn CartLink() -> impl IntoView {
    let i18n = use_i18n();
    let cart = crate::cart::Cart::get();
    let count = Signal::derive(move || cart.count());
    view! {
        <A href=routes::CART attr:class="cart-link">
            <CartIcon/>
            <span class="visually-hidden">{move || t_string!(i18n, cart)}" "</span>
            <span class="cart-badge" class:empty=move || count.get() == 0>{count}</span>
        </A>
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
                <p class="muted">{t!(i18n, footer_open_source)} " · MIT / Apache-2.0"</p>
            </div>
        </footer>
    }
}
