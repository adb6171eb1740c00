//! Home: composed by trade-promotion staff (`GET /api/v1/home`) — the running campaign
//! as a hero with a few of its products, other running campaigns, the featured products
//! in the chosen order, categories, the cooperatives approved most recently — then the
//! newest products. Nothing is hard-coded: with nothing featured the best sellers take
//! the featured slot, and without a campaign the site's own welcome leads.

use crate::{
    api,
    components::{
        async_view::Loaded,
        product_card::{ProductGrid, ProductGridSkeleton},
    },
    i18n::{t, t_string, use_i18n},
    meta::{self, PageInfo, PageMeta},
    routes, use_lang,
};
use domain::{
    api::CategoryCount,
    catalog::CooperativeSummary,
    curation::{HomeCampaign, HomePage},
    geo,
    query::{ProductQuery, Sort},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

const SHELF_SIZE: u32 = 8;

fn shelf_query(sort: Sort) -> ProductQuery {
    ProductQuery { sort, per_page: SHELF_SIZE, ..Default::default() }
}

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new(|| (), |_| api::home());
    let newest = Resource::new(|| (), |_| async { api::products(&shelf_query(Sort::Newest)).await.map(|p| p.items) });
    let info = PageInfo {
        title: String::new(),
        description: t_string!(i18n, meta_home_description).to_owned(),
        path: routes::HOME.to_owned(),
        image: None,
        kind: "website",
        json_ld: vec![serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Chợ HTX",
            "url": meta::absolute(routes::HOME),
            "potentialAction": {
                "@type": "SearchAction",
                "target": meta::absolute("/san-pham?q={search_term_string}"),
                "query-input": "required name=search_term_string",
            },
        })],
    };

    view! {
        <PageMeta info/>
        <Title text=""/>
        // A campaign takes the stage: the welcome shrinks to a line.
        <Suspense fallback=|| view! { <Hero compact=false/> }>
            {move || Suspend::new(async move {
                let compact = home.await.is_ok_and(|h| !h.campaigns.is_empty());
                view! { <Hero compact/> }
            })}
        </Suspense>

        <Loaded resource=home skeleton=|| view! {
            <div class="campaign-spot skeleton-block"></div>
            <section class="section"><ProductGridSkeleton count=4/></section>
        } let:page>
            <Composed page/>
        </Loaded>

        <section class="section" aria-labelledby="new-title">
            <div class="section-head">
                <h2 id="new-title">{t!(i18n, new_products)}</h2>
                <A href=routes::catalog(&ProductQuery { sort: Sort::Newest, ..Default::default() }) attr:class="see-all">
                    {t!(i18n, see_all)}" →"
                </A>
            </div>
            <Loaded resource=newest skeleton=|| view! { <ProductGridSkeleton count=SHELF_SIZE as usize/> } let:products>
                <ProductGrid products/>
            </Loaded>
        </section>
    }
}

#[component]
fn Composed(page: HomePage) -> impl IntoView {
    let i18n = use_i18n();
    let HomePage { campaigns, featured, categories, new_cooperatives } = page;
    let mut campaigns = campaigns.into_iter();
    let lead = campaigns.next();
    let others: Vec<HomeCampaign> = campaigns.collect();
    view! {
        {lead.map(|c| view! { <CampaignSpot campaign=c/> })}
        {(!others.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="more-campaigns-title">
                <h2 id="more-campaigns-title">{t!(i18n, home_more_campaigns)}</h2>
                <ul class="campaign-cards">
                    {others.into_iter().map(|c| view! { <CampaignCard campaign=c/> }).collect_view()}
                </ul>
            </section>
        })}
        {if featured.is_empty() {
            view! { <BestSellers/> }.into_any()
        } else {
            view! {
                <section class="section featured" aria-labelledby="featured-title">
                    <div class="section-head">
                        <h2 id="featured-title">{t!(i18n, home_featured)}</h2>
                    </div>
                    <ProductGrid products=featured/>
                </section>
            }.into_any()
        }}
        <section class="section" aria-labelledby="categories-title">
            <h2 id="categories-title">{t!(i18n, categories)}</h2>
            <CategoryGrid categories/>
        </section>
        {(!new_cooperatives.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="new-coops-title">
                <h2 id="new-coops-title">{t!(i18n, home_new_cooperatives)}</h2>
                <ul class="coop-tiles">
                    {new_cooperatives.into_iter().map(|c| view! { <CoopTile coop=c/> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The running campaign on stage: banner, title, dates, story, a few products.
#[component]
fn CampaignSpot(campaign: HomeCampaign) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let HomeCampaign { summary, products } = campaign;
    let href = routes::campaign(&summary.slug);
    let (title, description, alt) = (summary.title.clone(), summary.description.clone(), summary.banner.alt.clone());
    let ends = summary.ends_on.clone();
    let count = summary.product_count;
    view! {
        <section class="campaign-spot" aria-labelledby="campaign-spot-title">
            <A href=href.clone() attr:class="campaign-spot-banner" attr:tabindex="-1" attr:aria-hidden="true">
                <img src=summary.banner.url.clone() alt=move || alt.get(lang()).to_owned() width=summary.banner.width height=summary.banner.height/>
            </A>
            <div class="campaign-spot-text">
                <p class="eyebrow">{t!(i18n, home_campaign_running)}</p>
                <h2 id="campaign-spot-title"><A href=href.clone()>{move || title.get(lang()).to_owned()}</A></h2>
                <p class="campaign-dates">{t!(i18n, home_campaign_until)}" "{move || ends.format(lang())}</p>
                <p class="campaign-description">{move || description.get(lang()).to_owned()}</p>
                <A href=href attr:class="button button-primary">{t!(i18n, home_campaign_cta, count = count)}</A>
            </div>
            {(!products.is_empty()).then(|| view! {
                <div class="campaign-spot-products"><ProductGrid products/></div>
            })}
        </section>
    }
}

#[component]
fn CampaignCard(campaign: HomeCampaign) -> impl IntoView {
    let lang = use_lang();
    let s = campaign.summary;
    let (title, alt) = (s.title.clone(), s.banner.alt.clone());
    let ends = s.ends_on.clone();
    view! {
        <li>
            <A href=routes::campaign(&s.slug) attr:class="campaign-card">
                <img src=s.banner.url.clone() alt=move || alt.get(lang()).to_owned() width=s.banner.width height=s.banner.height loading="lazy"/>
                <span class="campaign-card-title">{move || title.get(lang()).to_owned()}</span>
                <span class="campaign-card-dates">{move || format!("→ {}", ends.format(lang()))}</span>
            </A>
        </li>
    }
}

#[component]
fn Hero(compact: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero" class:hero-compact=compact>
            <div class="hero-text">
                <h1>{t!(i18n, hero_title)}</h1>
                <p>{t!(i18n, hero_text)}</p>
                <A href=routes::CATALOG attr:class="button button-primary">{t!(i18n, hero_cta)}</A>
            </div>
            <img class="hero-art" src="/images/products/paddy.svg" alt="" width="400" height="300"/>
        </section>
    }
}

/// The featured slot when staff feature nothing: what sells most.
#[component]
fn BestSellers() -> impl IntoView {
    let i18n = use_i18n();
    let best =
        Resource::new(|| (), |_| async { api::products(&shelf_query(Sort::BestSelling)).await.map(|p| p.items) });
    view! {
        <section class="section" aria-labelledby="best-title">
            <div class="section-head">
                <h2 id="best-title">{t!(i18n, best_sellers)}</h2>
                <A href=routes::catalog(&ProductQuery { sort: Sort::BestSelling, ..Default::default() }) attr:class="see-all">
                    {t!(i18n, see_all)}" →"
                </A>
            </div>
            <Loaded resource=best skeleton=|| view! { <ProductGridSkeleton count=SHELF_SIZE as usize/> } let:products>
                <ProductGrid products/>
            </Loaded>
        </section>
    }
}

#[component]
fn CategoryGrid(categories: Vec<CategoryCount>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    view! {
        <ul class="category-grid">
            {categories.into_iter().map(|c| {
                let category = c.category;
                let name = c.name.clone();
                view! {
                    <li>
                        <A href=routes::category(category) attr:class="category-tile">
                            <img src=format!("/images/products/{}.svg", category.image_key()) alt="" width="400" height="300" loading="lazy"/>
                            <span class="category-name">{move || name.get(lang()).to_owned()}</span>
                            <span class="category-count">{t!(i18n, category_count, count = c.count)}</span>
                        </A>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn CoopTile(coop: CooperativeSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let province = geo::province(coop.province_code).map(|p| p.short_name).unwrap_or_default();
    let kind = coop.kind;
    view! {
        <li>
            <A href=routes::cooperative(&coop.slug) attr:class="coop-tile">
                {coop.banner.map(|b| view! { <img src=b.url alt="" width=b.width height=b.height loading="lazy"/> })}
                <span class="coop-tile-body">
                    <span class="coop-tile-name">{coop.name}</span>
                    <span class="coop-tile-meta">{move || kind.name(lang())}" · "{province}</span>
                    <span class="coop-tile-meta">{t!(i18n, products_count, count = coop.product_count)}</span>
                </span>
            </A>
        </li>
    }
}
