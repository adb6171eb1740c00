//! A cooperative's own mini-website at `/htx/{slug}`: banner, story, place, members,
//! certifications, contact, and all its products.

use crate::{
    api,
    components::{
        async_view::Loaded,
        icons::PinIcon,
        product_card::{ProductGrid, ProductGridSkeleton},
        trust::CertBadge,
    },
    i18n::{t, use_i18n},
    meta::{self, PageInfo, PageMeta},
    routes, use_lang,
};
use domain::{
    catalog::Cooperative,
    geo,
    query::{MAX_PER_PAGE, ProductQuery},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CooperativePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let coop = Resource::new(slug, |slug| async move { api::cooperative(&slug).await });
    view! {
        <Loaded resource=coop skeleton=|| view! { <div class="coop-banner skeleton-block"></div> } let:c>
            <CooperativeView coop=c/>
        </Loaded>
    }
}

#[component]
fn CooperativeView(coop: Cooperative) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let s = coop.summary.clone();
    let province = geo::province(s.province_code).map(|p| p.name).unwrap_or_default();
    let slug = s.slug.clone();
    let products = Resource::new(
        move || ProductQuery { cooperative: Some(slug.clone()), per_page: MAX_PER_PAGE, ..Default::default() },
        |query| async move { api::products(&query).await.map(|p| p.items) },
    );
    let story = coop.story.clone();
    let phone = coop.phone.clone();
    let kind = s.kind;
    let path = routes::cooperative(&s.slug);
    let description = format!("{} · {province} · {}", kind.name(lang()), meta::summary(coop.story.get(lang()), 150));
    let organization = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": s.name,
        "url": meta::absolute(&path),
        "description": coop.story.get(lang()),
        "telephone": coop.phone.e164(),
        "foundingDate": s.founded_year.map(|y| y.to_string()),
        "numberOfEmployees": { "@type": "QuantitativeValue", "value": s.member_count },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": coop.street,
            "addressLocality": s.commune_name,
            "addressRegion": province,
            "addressCountry": "VN",
        },
        "logo": s.banner.as_ref().map(|b| meta::absolute(&b.url)),
    });
    let crumbs = meta::breadcrumbs(&[("Chợ HTX".to_owned(), routes::HOME.to_owned()), (s.name.clone(), path.clone())]);
    let info = PageInfo {
        title: s.name.clone(),
        description,
        path,
        image: s.banner.as_ref().map(|b| b.url.clone()),
        kind: "profile",
        json_ld: vec![organization, crumbs],
    };
    view! {
        <PageMeta info/>
        <section class="coop-hero">
            {s.banner.clone().map(|b| view! { <img class="coop-banner" src=b.url alt="" width=b.width height=b.height fetchpriority="high"/> })}
            <div class="coop-hero-text">
                <p class="eyebrow">{move || kind.name(lang())}</p>
                <h1>{s.name.clone()}</h1>
                <p class="coop-place"><PinIcon/>" "{coop.street.clone()}", "{s.commune_name.clone()}", "{province}</p>
            </div>
        </section>
        <div class="coop-layout">
            <section class="section coop-story">
                <h2>{t!(i18n, our_story)}</h2>
                <p class="description">{move || story.get(lang()).to_owned()}</p>
                {(!coop.sectors.is_empty()).then(|| view! {
                    <ul class="tags">{coop.sectors.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul>
                })}
            </section>
            <aside class="section coop-card">
                <ul class="coop-facts column">
                    <li>{t!(i18n, members, count = s.member_count)}</li>
                    {s.founded_year.map(|year| view! { <li>{t!(i18n, founded, year = year)}</li> })}
                    <li>{t!(i18n, products_count, count = s.product_count)}</li>
                </ul>
                <p class="contact">
                    {t!(i18n, contact)}": "
                    <a href=format!("tel:{}", phone.e164())>{phone.national()}</a>
                </p>
                {(!coop.certifications.is_empty()).then(|| {
                    let mut kinds: Vec<_> = coop.certifications.iter().map(|c| c.kind).collect();
                    kinds.sort();
                    kinds.dedup();
                    view! {
                        <div class="product-badges">
                            {kinds.into_iter().map(|kind| view! { <CertBadge kind/> }).collect_view()}
                        </div>
                    }
                })}
            </aside>
        </div>
        <section class="section" aria-labelledby="coop-products">
            <h2 id="coop-products">{t!(i18n, coop_products)}</h2>
            <Loaded resource=products skeleton=|| view! { <ProductGridSkeleton count=4/> } let:items>
                <ProductGrid products=items/>
            </Loaded>
        </section>
    }
}
