//! Product page: gallery, pack sizes with price and stock, trust details, the
//! cooperative, traceability and related products.

use crate::{
    api,
    components::{
        async_view::Loaded,
        icons::PinIcon,
        product_card::ProductGrid,
        trust::{CertBadge, OcopStars},
    },
    i18n::{t, use_i18n},
    meta::{self, PageInfo, PageMeta},
    routes, use_lang,
};
use crate::{
    cart::{Cart, CartLine},
    components::stepper::Stepper,
};
use domain::{
    catalog::{CertKind, Certification, CooperativeSummary, Date, Image, Product, ProductSummary, Variant},
    geo,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let product = Resource::new(slug, |slug| async move { api::product(&slug).await });
    view! {
        <Loaded resource=product skeleton=ProductSkeleton let:p>
            <ProductView product=p/>
        </Loaded>
    }
}

#[component]
fn ProductSkeleton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="product-layout skeleton" aria-busy="true">
            <span class="visually-hidden">{t!(i18n, loading)}</span>
            <div class="gallery"><div class="gallery-main skeleton-block"></div></div>
            <div class="product-info">
                <div class="skeleton-line"></div>
                <div class="skeleton-line short"></div>
                <div class="skeleton-line price"></div>
            </div>
        </div>
    }
}

#[component]
fn ProductView(product: Product) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let Product { summary, description, variants, images, certifications, producer, related, lots, .. } = product;
    let name = summary.name.clone();
    let title_name = name.clone();
    let province = geo::province(summary.origin_province_code).map(|p| p.name).unwrap_or_default();

    let meta = product_meta(&summary, &description, &variants, &images, lang());
    view! {
        <PageMeta info=meta/>
        <Title text=move || title_name.get(lang()).to_owned()/>
        <nav class="breadcrumb" aria-label="breadcrumb">
            <A href=routes::HOME>{t!(i18n, home)}</A>
            <span aria-hidden="true">" › "</span>
            <A href=routes::category(summary.category)>{move || summary.category.name(lang())}</A>
        </nav>
        <div class="product-layout">
            <Gallery images/>
            <div class="product-info">
                <h1 class="product-title">{move || name.get(lang()).to_owned()}</h1>
                <dl class="facts">
                    <div><dt>{t!(i18n, brand)}</dt><dd>{summary.brand.clone()}</dd></div>
                    <div><dt>{t!(i18n, origin)}</dt><dd><PinIcon/>" "{province}</dd></div>
                </dl>
                <div class="product-badges">
                    <OcopStars stars=summary.ocop_stars/>
                    {summary.cert_kinds.iter().filter(|k| **k != CertKind::Ocop).map(|k| view! { <CertBadge kind=*k/> }).collect_view()}
                </div>
                <VariantPicker product=summary.clone() variants/>
            </div>
        </div>

        <section class="section product-details">
            <h2>{t!(i18n, description)}</h2>
            <p class="description">{move || description.get(lang()).to_owned()}</p>
        </section>
        {(!certifications.is_empty()).then(|| view! { <Certifications certifications/> })}
        <CooperativeCard cooperative=producer/>
        <crate::pages::lot::ProductLotList lots coop=summary.cooperative.slug.clone() product=summary.slug.clone()/>
        {(!related.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="related-title">
                <h2 id="related-title">{t!(i18n, related_products)}</h2>
                <ProductGrid products=related/>
            </section>
        })}
    }
}

/// The product's title, description, preview image and schema.org `Product` (one `Offer`
/// per pack size, in VND, with its availability) and `BreadcrumbList`.
fn product_meta(
    summary: &ProductSummary,
    description: &domain::I18nText,
    variants: &[Variant],
    images: &[Image],
    lang: domain::Lang,
) -> PageInfo {
    let name = summary.name.get(lang).to_owned();
    let path = routes::product(&summary.slug);
    let image = images.first().map(|i| i.url.clone()).or_else(|| summary.image.as_ref().map(|i| i.url.clone()));
    let price = summary.price_from.format(lang);
    let text = meta::summary(description.get(lang), 150);
    let description = format!("{price} · {} · {text}", summary.cooperative.name);
    let offers: Vec<_> = variants
        .iter()
        .map(|v| {
            serde_json::json!({
                "@type": "Offer",
                "name": v.label,
                "sku": v.gtin.as_ref().map(|g| g.as_str().to_owned()).unwrap_or_else(|| v.id.to_string()),
                "price": v.price.dong(),
                "priceCurrency": "VND",
                "availability": if v.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                "url": meta::absolute(&path),
            })
        })
        .collect();
    let mut product = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "description": description.clone(),
        "brand": { "@type": "Brand", "name": summary.brand },
        "category": summary.category.name(lang),
        "url": meta::absolute(&path),
        "offers": offers,
        "manufacturer": {
            "@type": "Organization",
            "name": summary.cooperative.name,
            "url": meta::absolute(&routes::cooperative(&summary.cooperative.slug)),
        },
    });
    if let Some(img) = &image {
        product["image"] = serde_json::json!([meta::absolute(img)]);
    }
    if let Some(gtin) = variants.iter().find_map(|v| v.gtin.as_ref()) {
        product["gtin"] = serde_json::json!(gtin.as_str());
    }
    let crumbs = meta::breadcrumbs(&[
        ("Chợ HTX".to_owned(), routes::HOME.to_owned()),
        (summary.category.name(lang).to_owned(), routes::category(summary.category)),
        (name.clone(), path.clone()),
    ]);
    PageInfo { title: name, description, path, image, kind: "product", json_ld: vec![product, crumbs] }
}

/// The photos, the first one large; the thumbnails pick it (an island).
#[island]
fn Gallery(images: Vec<Image>) -> impl IntoView {
    crate::island::enter();
    let lang = use_lang();
    let selected = RwSignal::new(0usize);
    let main_images = images.clone();
    let main = move || {
        main_images.get(selected.get()).cloned().map(|img| {
            let alt = img.alt.clone();
            view! {
                // The first image is above the fold: load it eagerly; width/height keep the space.
                <img class="gallery-main" src=img.url alt=move || alt.get(lang()).to_owned() width=img.width height=img.height fetchpriority="high"/>
            }
        })
    };
    let thumbs = (images.len() > 1).then(|| {
        view! {
            <div class="gallery-thumbs">
                {images.into_iter().enumerate().map(|(i, img)| {
                    let alt = img.alt.clone();
                    view! {
                        <button type="button" class="thumb" aria-pressed=move || (selected.get() == i).to_string() on:click=move |_| selected.set(i)>
                            <img src=img.url alt=move || alt.get(lang()).to_owned() width=img.width height=img.height loading="lazy"/>
                        </button>
                    }
                }).collect_view()}
            </div>
        }
    });
    view! { <div class="gallery">{main}{thumbs}</div> }
}

/// Pack sizes with price and stock, the quantity and "add to cart" (an island).
#[island]
fn VariantPicker(product: ProductSummary, variants: Vec<Variant>) -> impl IntoView {
    crate::island::enter();
    let i18n = use_i18n();
    let lang = use_lang();
    let cart = Cart::get();
    let first_in_stock = variants.iter().position(|v| v.stock > 0).unwrap_or(0);
    let selected = RwSignal::new(first_in_stock);
    let quantity = RwSignal::new(1u32);
    let added = RwSignal::new(false);
    let variants = StoredValue::new(variants);
    let current = move || variants.with_value(|v| v.get(selected.get()).cloned());
    let max = Signal::derive(move || current().map(|v| v.stock).unwrap_or(0));
    // A new pack size keeps the quantity within its stock.
    Effect::new(move |_| {
        let m = max.get().max(1);
        if quantity.get_untracked() > m {
            quantity.set(m);
        }
    });
    let product = StoredValue::new(product);
    let add = move |_| {
        let Some(v) = current() else { return };
        let p = product.get_value();
        cart.add(CartLine {
            variant_id: v.id,
            quantity: quantity.get_untracked(),
            product_slug: p.slug.clone(),
            product_name: p.name.clone(),
            variant_label: v.label.clone(),
            unit_price: v.price,
            image_url: p.image.as_ref().map(|i| i.url.clone()),
            cooperative: p.cooperative.clone(),
        });
        added.set(true);
    };

    view! {
        <p class="price price-large">
            {move || current().map(|v| v.price.format(lang()))}
        </p>
        <fieldset class="variants">
            <legend>{t!(i18n, pack_sizes)}</legend>
            {move || variants.with_value(|vs| vs.iter().enumerate().map(|(i, v)| {
                let id = format!("variant-{}", v.id);
                let sold_out = v.stock == 0;
                let label = v.label.clone();
                let price = v.price;
                let stock = v.stock;
                view! {
                    <div class="variant-option">
                        <input type="radio" name="variant" id=id.clone() value=v.id.to_string()
                            prop:checked=move || selected.get() == i
                            disabled=sold_out
                            on:change=move |_| { selected.set(i); added.set(false); }/>
                        <label for=id>
                            <span class="variant-label">{label}</span>
                            <span class="variant-price">{move || price.format(lang())}</span>
                            <span class="variant-stock" class:none=sold_out>
                                {move || if sold_out { t!(i18n, out_of_stock).into_any() } else { t!(i18n, in_stock, count = stock).into_any() }}
                            </span>
                        </label>
                    </div>
                }
            }).collect_view())}
        </fieldset>
        <div class="quantity-row">
            <span class="quantity-label" id="qty-label">{t!(i18n, quantity)}</span>
            <Stepper value=quantity max=max on_change=move |n| { quantity.set(n); added.set(false); } labelled_by="qty-label"/>
        </div>
        <button type="button" class="button button-primary button-wide add-to-cart" disabled=move || { max.get() == 0 } on:click=add>
            {t!(i18n, add_to_cart)}
        </button>
        <p class="added-note" role="status">
            {move || added.get().then(|| view! {
                {t!(i18n, added_to_cart)}" "
                <a href=routes::CART>{t!(i18n, view_cart)}</a>
            })}
        </p>
    }
}

#[component]
fn Certifications(certifications: Vec<Certification>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let today = today();
    view! {
        <section class="section" aria-labelledby="cert-title">
            <h2 id="cert-title">{t!(i18n, certifications)}</h2>
            <ul class="cert-list">
                {certifications.into_iter().map(|c| {
                    let expired = today.as_ref().is_some_and(|d| c.is_expired(d));
                    let expires = c.expires_on.clone();
                    view! {
                        <li class="cert-item" class:expired=expired>
                            <CertBadge kind=c.kind/>
                            <dl>
                                <div><dt>{t!(i18n, cert_number)}</dt><dd>{c.number}</dd></div>
                                <div><dt>{t!(i18n, cert_issuer)}</dt><dd>{c.issuer}</dd></div>
                                <div><dt>{t!(i18n, cert_expires)}</dt><dd>
                                    {move || expires.format(lang())}
                                    {expired.then(|| view! { " " <strong class="expired-flag">{t!(i18n, cert_expired)}</strong> })}
                                </dd></div>
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn today() -> Option<Date> {
    crate::time::today_vn()
}

#[component]
fn CooperativeCard(cooperative: CooperativeSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let province = geo::province(cooperative.province_code).map(|p| p.name).unwrap_or_default();
    let kind = cooperative.kind;
    view! {
        <section class="section coop-card" aria-labelledby="coop-title">
            <p class="eyebrow">{t!(i18n, producer)}</p>
            <h2 id="coop-title">{cooperative.name.clone()}</h2>
            <p class="muted">{move || kind.name(lang())}" · "{cooperative.commune_name.clone()}", "{province}</p>
            <ul class="coop-facts">
                <li>{t!(i18n, members, count = cooperative.member_count)}</li>
                {cooperative.founded_year.map(|year| view! { <li>{t!(i18n, founded, year = year)}</li> })}
                <li>{t!(i18n, products_count, count = cooperative.product_count)}</li>
            </ul>
            <A href=routes::cooperative(&cooperative.slug) attr:class="button">{t!(i18n, visit_cooperative)}</A>
        </section>
    }
}
