//! Home: what the shop offers, by category, newest and best-selling.

use crate::{
    api,
    components::{
        async_view::Loaded,
        product_card::{ProductGrid, ProductGridSkeleton},
    },
    i18n::{t, use_i18n},
    routes, use_lang,
};
use domain::{
    api::CategoryCount,
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
    let categories = LocalResource::new(api::categories);
    let newest = LocalResource::new(|| async { api::products(&shelf_query(Sort::Newest)).await.map(|p| p.items) });
    let best = LocalResource::new(|| async { api::products(&shelf_query(Sort::BestSelling)).await.map(|p| p.items) });

    view! {
        <Title text=""/>
        <section class="hero">
            <div class="hero-text">
                <h1>{t!(i18n, hero_title)}</h1>
                <p>{t!(i18n, hero_text)}</p>
                <A href=routes::CATALOG attr:class="button button-primary">{t!(i18n, hero_cta)}</A>
            </div>
            <img class="hero-art" src="/images/products/paddy.svg" alt="" width="400" height="300"/>
        </section>

        <section class="section" aria-labelledby="categories-title">
            <h2 id="categories-title">{t!(i18n, categories)}</h2>
            <Loaded resource=categories skeleton=|| view! { <div class="category-grid skeleton-block"></div> } let:cats>
                <CategoryGrid categories=cats/>
            </Loaded>
        </section>

        <Shelf title_id="new-title" title=move || t!(i18n, new_products).into_any() sort=Sort::Newest resource=newest/>
        <Shelf title_id="best-title" title=move || t!(i18n, best_sellers).into_any() sort=Sort::BestSelling resource=best/>
    }
}

#[component]
fn Shelf(
    title_id: &'static str,
    title: impl Fn() -> AnyView + Send + Sync + 'static,
    sort: Sort,
    resource: LocalResource<Result<Vec<domain::catalog::ProductSummary>, api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby=title_id>
            <div class="section-head">
                <h2 id=title_id>{title}</h2>
                <A href=routes::catalog(&ProductQuery { sort, ..Default::default() }) attr:class="see-all">
                    {t!(i18n, see_all)}" →"
                </A>
            </div>
            <Loaded resource skeleton=|| view! { <ProductGridSkeleton count=SHELF_SIZE as usize/> } let:products>
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
