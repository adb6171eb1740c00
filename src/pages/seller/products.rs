//! `/ban-hang/{coop}/san-pham`: the cooperative's products, every status, with a search
//! (`?q=`, with or without diacritics) and a status filter (`?status=`), both in the URL.

use super::{ProductStatusBadge, api, product_status_label, use_seller};
use crate::{
    components::async_view::Loaded,
    i18n::{t, t_string, use_i18n},
    pages::order::local_time,
    routes, use_lang,
};
use domain::catalog::ProductStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
};
use std::time::Duration;

#[component]
pub fn ProductListPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(use_seller().slug());
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let status = Memo::new(move |_| query.read().get("status").and_then(|s| ProductStatus::from_code(&s)));
    let products = LocalResource::new(move || {
        let (coop, q, status) = (coop.get_value(), q.get(), status.get());
        async move { api::products(&coop, &q, status).await }
    });

    // The URL holds the filters; typing waits a moment before it changes.
    let go = move |q: String, status: Option<ProductStatus>| {
        let mut parts = Vec::new();
        if !q.trim().is_empty() {
            parts.push(format!("q={}", crate::url::encode(q.trim())));
        }
        if let Some(s) = status {
            parts.push(format!("status={}", s.code()));
        }
        let base = routes::seller_products(&coop.get_value());
        let url = if parts.is_empty() { base } else { format!("{base}?{}", parts.join("&")) };
        navigate(&url, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let typed = RwSignal::new(q.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = {
        let go = go.clone();
        move |ev| {
            let value = event_target_value(&ev);
            typed.set(value.clone());
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let go = go.clone();
            let handle =
                set_timeout_with_handle(move || go(value, status.get_untracked()), Duration::from_millis(350)).ok();
            pending.set_value(handle);
        }
    };
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            go(typed.get_untracked(), status.get_untracked());
        }
    };
    let on_status = move |ev| go(q.get_untracked(), ProductStatus::from_code(&event_target_value(&ev)));

    view! {
        <Title text=move || t_string!(i18n, seller_nav_products)/>
        <div class="seller-title-row">
            <h1 class="seller-title">{t!(i18n, seller_products_title)}</h1>
            <A href=routes::seller_new_product(&coop.get_value()) attr:class="button button-primary">{t!(i18n, seller_new_product)}</A>
        </div>
        <form class="seller-filters" role="search" on:submit=on_submit>
            <div class="field">
                <label for="product-search">{t!(i18n, seller_search_products)}</label>
                <input id="product-search" type="search" name="q" autocomplete="off" prop:value=move || typed.get() on:input=on_input/>
            </div>
            <div class="field">
                <label for="product-status">{t!(i18n, seller_status)}</label>
                <select id="product-status" name="status" on:change=on_status prop:value=move || status.get().map(|s| s.code()).unwrap_or("")>
                    <option value="" selected=move || status.get().is_none()>{t!(i18n, seller_all_statuses)}</option>
                    {ProductStatus::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.code() selected=move || status.get() == Some(s)>{move || product_status_label(i18n, s)}</option> }
                    }).collect_view()}
                </select>
            </div>
        </form>
        <Loaded resource=products skeleton=|| view! { <div class="skeleton-block"></div> } let:list>
            {if list.is_empty() {
                let filtered = !q.get_untracked().is_empty() || status.get_untracked().is_some();
                view! {
                    <div class="empty-state">
                        <p>{move || if filtered { t_string!(i18n, seller_no_matching_products) } else { t_string!(i18n, seller_no_products) }}</p>
                        <A href=routes::seller_new_product(&coop.get_value()) attr:class="button">{t!(i18n, seller_new_product)}</A>
                    </div>
                }.into_any()
            } else {
                let count = list.len();
                view! {
                    <p class="result-count" role="status">{t!(i18n, result_count, count = count)}</p>
                    <ul class="seller-rows seller-card product-rows">
                        {list.into_iter().map(|p| {
                            let href = routes::seller_product(&coop.get_value(), &p.slug);
                            let name = p.name.clone();
                            let (price, stock) = (p.price_min, p.stock_total);
                            view! {
                                <li>
                                    <A href=href attr:class="seller-row">
                                        {match p.image_url.clone() {
                                            Some(src) => view! { <img class="seller-thumb" src=src alt="" width="56" height="42" loading="lazy"/> }.into_any(),
                                            None => view! { <span class="seller-thumb empty" aria-hidden="true"></span> }.into_any(),
                                        }}
                                        <span class="seller-row-main">
                                            <span class="seller-row-title">{move || name.get(lang()).to_owned()}</span>
                                            <span class="muted">
                                                {move || price.format(lang())}" · "
                                                {move || if stock == 0 { t_string!(i18n, out_of_stock).to_owned() } else { format!("{} {stock}", t_string!(i18n, seller_stock_left)) }}
                                            </span>
                                            <span class="muted small">{t!(i18n, seller_updated)}" "{local_time(&p.updated_at)}</span>
                                        </span>
                                        <span class="seller-row-side"><ProductStatusBadge status=p.status/></span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}
