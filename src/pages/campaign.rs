//! `/phien-cho/{slug}`: a campaign's (online fair's) public page — its banner, dates and
//! story, and its products. After its last day it says it has ended.

use crate::{
    api,
    components::{
        async_view::Loaded,
        product_card::{ProductGrid, ProductGridSkeleton},
    },
    i18n::{t, use_i18n},
    meta::{self, PageInfo, PageMeta},
    routes, use_lang,
};
use domain::curation::{Campaign, ScheduleState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let campaign = Resource::new(move || slug.get(), |slug| async move { api::campaign(&slug).await });
    view! {
        <Loaded resource=campaign skeleton=|| view! {
            <div class="campaign-hero skeleton-block"></div>
            <ProductGridSkeleton count=4/>
        } let:c>
            <CampaignView campaign=c/>
        </Loaded>
    }
}

#[component]
fn CampaignView(campaign: Campaign) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let Campaign { summary, products, .. } = campaign;
    let title = summary.title.clone();
    let heading = summary.title.clone();
    let description = summary.description.clone();
    let alt = summary.banner.alt.clone();
    let (starts, ends, state) = (summary.starts_on.clone(), summary.ends_on.clone(), summary.state);
    let first_day = starts.clone();
    let info = PageInfo {
        title: title.get(lang()).to_owned(),
        description: meta::summary(description.get(lang()), 200),
        path: routes::campaign(&summary.slug),
        image: Some(summary.banner.url.clone()),
        kind: "website",
        json_ld: vec![meta::breadcrumbs(&[
            ("Chợ HTX".to_owned(), routes::HOME.to_owned()),
            (title.get(lang()).to_owned(), routes::campaign(&summary.slug)),
        ])],
    };
    view! {
        <PageMeta info/>
        <Title text=move || title.get(lang()).to_owned()/>
        <p class="breadcrumb"><A href=routes::HOME>{t!(i18n, home)}</A>" › "{t!(i18n, campaign_label)}</p>
        <section class="campaign-hero" data-state=state.code()>
            <img class="campaign-banner" src=summary.banner.url.clone() alt=move || alt.get(lang()).to_owned()
                width=summary.banner.width height=summary.banner.height/>
            <div class="campaign-hero-text">
                <p class="eyebrow">{t!(i18n, campaign_label)}</p>
                <h1>{move || heading.get(lang()).to_owned()}</h1>
                <p class="campaign-dates">
                    {move || format!("{} – {}", starts.format(lang()), ends.format(lang()))}
                </p>
                <p class="campaign-description">{move || description.get(lang()).to_owned()}</p>
                {(state == ScheduleState::Ended).then(|| view! { <p class="notice">{t!(i18n, campaign_ended)}</p> })}
                {(state == ScheduleState::Scheduled).then(|| view! {
                    <p class="notice">{t!(i18n, campaign_not_started, date = move || first_day.format(lang()))}</p>
                })}
            </div>
        </section>
        <section class="section" aria-labelledby="campaign-products">
            <h2 id="campaign-products">{t!(i18n, campaign_products, count = products.len())}</h2>
            <ProductGrid products/>
        </section>
    }
}
