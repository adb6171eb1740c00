//! A cooperative's own mini-website at `/htx/{slug}` (and at `/` of its own domain):
//! banner and logo, story, specialties, gallery, members, certifications, contact (phone,
//! Zalo, email, Facebook), opening hours, place with a directions link, and its products.

use crate::{
    api,
    components::{
        async_view::Loaded,
        icons::PinIcon,
        product_card::{ProductGrid, ProductGridSkeleton},
        trust::CertBadge,
    },
    i18n::{t, t_string, use_i18n},
    meta::{self, PageInfo, PageMeta},
    routes, use_lang,
};
use domain::{
    catalog::Cooperative,
    geo,
    profile::zalo_url,
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
    let tagline = coop.tagline.clone();
    let hours = coop.hours.clone();
    let phone = coop.phone.clone();
    let kind = s.kind;
    let path = routes::cooperative(&s.slug);
    let short = if coop.tagline.get(lang()).trim().is_empty() {
        meta::summary(coop.story.get(lang()), 150)
    } else {
        coop.tagline.get(lang()).to_owned()
    };
    let description = format!("{} · {province} · {short}", kind.name(lang()));
    let mut same_as: Vec<String> = coop.facebook.iter().cloned().collect();
    same_as.extend(coop.zalo.as_ref().map(zalo_url));
    let logo = coop.logo.as_ref().or(s.banner.as_ref()).map(|i| meta::absolute(&i.url));
    let organization = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": s.name,
        "url": meta::absolute(&path),
        "description": coop.story.get(lang()),
        "telephone": coop.phone.e164(),
        "email": coop.email,
        "foundingDate": s.founded_year.map(|y| y.to_string()),
        "numberOfEmployees": { "@type": "QuantitativeValue", "value": s.member_count },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": coop.street,
            "addressLocality": s.commune_name,
            "addressRegion": province,
            "addressCountry": "VN",
        },
        "location": coop.location.map(|p| serde_json::json!({
            "@type": "Place",
            "geo": { "@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lng },
        })),
        "logo": logo,
        "sameAs": same_as,
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
    let name = s.name.clone();
    view! {
        <PageMeta info/>
        <section class="coop-hero">
            {s.banner.clone().map(|b| {
                let srcset = b.srcset();
                view! { <img class="coop-banner" src=b.url.clone() srcset=srcset sizes="100vw" alt="" width=b.width height=b.height fetchpriority="high"/> }
            })}
            <div class="coop-hero-text">
                {coop.logo.clone().map(|l| {
                    let srcset = l.srcset();
                    let alt = format!("{} {}", t_string!(i18n, coop_logo), name);
                    view! { <img class="coop-logo" src=l.url.clone() srcset=srcset sizes="96px" alt=alt width=l.width height=l.height/> }
                })}
                <div>
                    <p class="eyebrow">{move || kind.name(lang())}</p>
                    <h1>{s.name.clone()}</h1>
                    {move || {
                        let t = tagline.get(lang()).to_owned();
                        (!t.is_empty()).then(|| view! { <p class="coop-tagline">{t}</p> })
                    }}
                    <p class="coop-place"><PinIcon/>" "{coop.street.clone()}", "{s.commune_name.clone()}", "{province}</p>
                </div>
            </div>
        </section>
        <div class="coop-layout">
            <div class="coop-main">
                <section class="section coop-story">
                    <h2>{t!(i18n, our_story)}</h2>
                    {move || {
                        story
                            .get(lang())
                            .split("\n")
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| view! { <p class="description">{p.to_owned()}</p> })
                            .collect_view()
                    }}
                    {(!coop.sectors.is_empty()).then(|| view! {
                        <h3 class="coop-subhead">{t!(i18n, coop_specialties)}</h3>
                        <ul class="tags">{coop.sectors.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul>
                    })}
                </section>
                {(!coop.gallery.is_empty()).then(|| {
                    let gallery = coop.gallery.clone();
                    view! {
                        <section class="section coop-gallery" aria-labelledby="coop-gallery">
                            <h2 id="coop-gallery">{t!(i18n, coop_gallery)}</h2>
                            <ul class="coop-gallery-grid">
                                {gallery.into_iter().map(|g| {
                                    let srcset = g.srcset();
                                    let alt = g.alt.clone();
                                    view! {
                                        <li><img src=g.url.clone() srcset=srcset sizes="(min-width: 860px) 30vw, 50vw"
                                            alt=move || alt.get(lang()).to_owned() width=g.width height=g.height loading="lazy"/></li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                })}
            </div>
            <aside class="section coop-card">
                <ul class="coop-facts column">
                    <li>{t!(i18n, members, count = s.member_count)}</li>
                    {s.founded_year.map(|year| view! { <li>{t!(i18n, founded, year = year)}</li> })}
                    <li>{t!(i18n, products_count, count = s.product_count)}</li>
                </ul>
                <h2 class="coop-subhead">{t!(i18n, contact)}</h2>
                <dl class="coop-contact">
                    <dt>{t!(i18n, coop_phone)}</dt>
                    <dd><a href=format!("tel:{}", phone.e164())>{phone.national()}</a></dd>
                    {coop.zalo.clone().map(|z| view! {
                        <dt>{t!(i18n, coop_zalo)}</dt>
                        <dd><a href=zalo_url(&z) rel="noopener">{z.national()}</a></dd>
                    })}
                    {coop.email.clone().map(|m| view! {
                        <dt>{t!(i18n, coop_email)}</dt>
                        <dd><a href=format!("mailto:{m}")>{m.clone()}</a></dd>
                    })}
                    {coop.facebook.clone().map(|f| view! {
                        <dt>{t!(i18n, coop_facebook)}</dt>
                        <dd><a href=f.clone() rel="noopener">{f.trim_start_matches("https://").to_owned()}</a></dd>
                    })}
                    {move || {
                        let h = hours.get(lang()).to_owned();
                        (!h.is_empty()).then(|| view! {
                            <dt>{t!(i18n, coop_hours)}</dt>
                            <dd>{h}</dd>
                        })
                    }}
                    <dt>{t!(i18n, coop_address)}</dt>
                    <dd>
                        {coop.street.clone()}", "{s.commune_name.clone()}", "{province}
                        {coop.location.map(|p| view! {
                            <br/>
                            <a class="coop-directions" href=p.directions_url() rel="noopener">{t!(i18n, coop_directions)}</a>
                        })}
                    </dd>
                </dl>
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
