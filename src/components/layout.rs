//! Header and footer shared by every page.

use crate::{
    components::icons::{CartIcon, Logo, SearchIcon},
    i18n::{Locale, t, t_string, use_i18n},
    routes,
};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Keep what was searched in the box on the results page.
    let current_q = move || query.read().get("q").unwrap_or_default();
    view! {
        <header class="site-header">
            <div class="header-inner">
                <A href=routes::HOME attr:class="brand">
                    <Logo/>
                    <span class="brand-name">{t!(i18n, site_name)}</span>
                </A>
                <Form action=routes::CATALOG method="get" attr:class="search" attr:role="search">
                    <label class="visually-hidden" for="site-search">{t!(i18n, search_label)}</label>
                    <input
                        id="site-search"
                        type="search"
                        name="q"
                        enterkeyhint="search"
                        autocomplete="off"
                        placeholder=move || t_string!(i18n, search_placeholder)
                        prop:value=current_q
                    />
                    <button type="submit" class="search-button">
                        <SearchIcon/>
                        <span class="visually-hidden">{t!(i18n, search_button)}</span>
                    </button>
                </Form>
                <div class="header-actions">
                    <LanguageSwitch/>
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
        <button
            type="button"
            class="lang-switch"
            on:click=toggle
            lang=other_lang
            aria-label=move || t_string!(i18n, switch_to_other_language)
        >
            <span aria-hidden="true">{move || other_lang().to_uppercase()}</span>
        </button>
    }
}

#[component]
fn CartLink() -> impl IntoView {
    let i18n = use_i18n();
    let count = crate::components::layout::cart_count();
    view! {
        <A href=routes::CART attr:class="cart-link" attr:aria-label=move || format!("{} ({})", t_string!(i18n, cart), count.get())>
            <CartIcon/>
            <span class="cart-badge" class:empty=move || count.get() == 0 aria-hidden="true">{count}</span>
        </A>
    }
}

/// Items in the cart. The cart itself arrives with the storefront; until then, zero.
pub fn cart_count() -> Signal<u32> {
    use_context::<Signal<u32>>().unwrap_or(Signal::stored(0))
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
