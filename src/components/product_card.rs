//! Product cards and grids, as lists of products show them.

use crate::{
    components::trust::{CertBadge, OcopStars},
    i18n::{t, use_i18n},
    routes, use_lang,
};
use domain::{
    catalog::{CertKind, ProductSummary},
    geo,
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let href = routes::product(&product.slug);
    let province = geo::province(product.origin_province_code).map(|p| p.short_name).unwrap_or_default();
    let ProductSummary { name, image, cooperative, price_from, in_stock, ocop_stars, cert_kinds, .. } = product;
    let alt_name = name.clone();
    view! {
        <article class="product-card" class:sold-out=!in_stock>
            <A href=href attr:class="product-card-link">
                <div class="product-card-image">
                    {image.map(|img| view! {
                        <img
                            src=img.url
                            alt=move || alt_name.get(lang()).to_owned()
                            width=img.width
                            height=img.height
                            loading="lazy"
                            decoding="async"
                        />
                    })}
                    {(!in_stock).then(|| view! { <span class="stock-flag">{t!(i18n, out_of_stock)}</span> })}
                </div>
                <div class="product-card-body">
                    <h3 class="product-card-name">{move || name.get(lang()).to_owned()}</h3>
                    <p class="product-card-coop">{cooperative.name}</p>
                    <p class="product-card-origin">{province}</p>
                    <div class="product-card-badges">
                        <OcopStars stars=ocop_stars/>
                        {cert_kinds.into_iter().filter(|k| *k != CertKind::Ocop).map(|kind| view! { <CertBadge kind/> }).collect_view()}
                    </div>
                    <p class="price">
                        <span class="price-from">{t!(i18n, price_from)}" "</span>
                        <span class="price-amount">{move || price_from.format(lang())}</span>
                    </p>
                </div>
            </A>
        </article>
    }
}

#[component]
pub fn ProductGrid(products: Vec<ProductSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if products.is_empty() {
        return view! { <p class="empty">{t!(i18n, no_products)}</p> }.into_any();
    }
    view! {
        <div class="product-grid">
            {products.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
        </div>
    }
    .into_any()
}

/// Placeholder cards of the same size while products load.
#[component]
pub fn ProductGridSkeleton(#[prop(default = 8)] count: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="product-grid" aria-busy="true">
            <span class="visually-hidden">{t!(i18n, loading)}</span>
            {(0..count).map(|_| view! {
                <div class="product-card skeleton" aria-hidden="true">
                    <div class="product-card-image"></div>
                    <div class="product-card-body">
                        <div class="skeleton-line"></div>
                        <div class="skeleton-line short"></div>
                        <div class="skeleton-line price"></div>
                    </div>
                </div>
            }).collect_view()}
        </div>
    }
}
