use crate::{
    i18n::{t, t_string, use_i18n},
    routes,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::components::async_view::set_not_found_status();
    view! {
        <Title text=move || t_string!(i18n, not_found_title)/>
        <section class="not-found">
            <p class="not-found-code" aria-hidden="true">"404"</p>
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_text)}</p>
            // A way on: a search (a plain GET form, working without JavaScript) or home.
            <form class="not-found-search" role="search" action=routes::CATALOG method="get">
                <label for="not-found-q" class="visually-hidden">{t!(i18n, search_label)}</label>
                <input id="not-found-q" name="q" type="search" placeholder=move || t_string!(i18n, search_placeholder)/>
                <button type="submit" class="button button-primary">{t!(i18n, search_button)}</button>
            </form>
            <A href=routes::HOME attr:class="button">{t!(i18n, back_home)}</A>
        </section>
    }
}

/// What the service worker shows offline for a page it has no copy of (`routes::OFFLINE`,
/// precached in the language of the visit that installed the worker).
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, offline_title)/>
        <leptos_meta::Meta name="robots" content="noindex"/>
        <section class="not-found offline-page">
            <h1>{t!(i18n, offline_title)}</h1>
            <p>{t!(i18n, offline_text)}</p>
            <a href=routes::HOME class="button button-primary">{t!(i18n, back_home)}</a>
            " "
            <a href=routes::CART class="button">{t!(i18n, offline_cart)}</a>
        </section>
    }
}
