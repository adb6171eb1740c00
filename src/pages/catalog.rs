//! The catalog: all products or one category, with search, facets, sort and pages.
//! The whole filter state lives in the URL, so links can be shared and back/forward work.

use crate::{
    api,
    components::{
        async_view::Loaded,
        product_card::{ProductGrid, ProductGridSkeleton},
    },
    i18n::{t, t_string, use_i18n},
    island, routes, use_lang,
};
use domain::{
    api::{Facets, ProductResults},
    catalog::Category,
    geo,
    query::{CertFilter, ProductQuery, Sort},
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The query in the URL: `/san-pham?…` or `/danh-muc/{category}?…`. A malformed URL
/// (hand-edited, old link) falls back to the valid part rather than an error page.
fn current_query() -> Memo<ProductQuery> {
    let query = use_query_map();
    let params = use_params_map();
    Memo::new(move |_| {
        let q = query.read();
        let pairs: Vec<(String, String)> = q.clone().into_iter().map(|(k, v)| (k.into_owned(), v)).collect();
        let mut parsed =
            ProductQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_or_else(|errors| {
                ProductQuery::from_pairs(
                    pairs.iter().filter(|(k, _)| errors.get(k).is_none()).map(|(k, v)| (k.as_str(), v.as_str())),
                )
                .unwrap_or_default()
            });
        if let Some(c) = params.read().get("category").and_then(|c| Category::from_code(&c)) {
            parsed.category = Some(c);
        }
        parsed
    })
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let query = current_query();
    let results = Resource::new(move || query.get(), |q| async move { api::catalog_results(&q).await });
    let title = move || {
        let q = query.get();
        match (q.q, q.category) {
            (Some(text), _) => format!("{} “{text}”", t_string!(i18n, results_for)),
            (None, Some(c)) => c.name(lang()).to_owned(),
            (None, None) => t_string!(i18n, all_products).to_owned(),
        }
    };
    view! {
        <Title text=title/>
        <h1 class="catalog-title">{title}</h1>
        <Loaded resource=results skeleton=|| view! { <div class="catalog-layout"><div class="catalog-results"><ProductGridSkeleton count=12/></div></div> } let:results>
            // The filters show the counts of these results, so they come with them.
            <div class="catalog-layout">
                <Filters query=query.get_untracked() facets=results.facets.clone()/>
                <div class="catalog-results">
                    <Results results query/>
                </div>
            </div>
        </Loaded>
    }
}

#[component]
fn Results(results: ProductResults, query: Memo<ProductQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let page = results.page();
    let total = if page.total > domain::api::COUNT_LIMIT {
        format!("{}+", domain::api::COUNT_LIMIT)
    } else {
        page.total.to_string()
    };
    let pages = page.page_count();
    let current = page.page;
    // A mistyped search: the results are for the corrected text, and the pages too.
    let corrected = results.corrected_query.clone().map(|text| {
        let link = routes::catalog(&ProductQuery { q: Some(text.clone()), page: 1, ..query.get_untracked() });
        view! {
            <p class="search-corrected">
                {t!(i18n, showing_results_for)}" "<a href=link><strong>{text}</strong></a>
            </p>
        }
    });
    let paged = match &results.corrected_query {
        Some(text) => Memo::new({
            let text = text.clone();
            move |_| ProductQuery { q: Some(text.clone()), ..query.get() }
        }),
        None => query,
    };
    let empty = (page.total == 0).then(|| view! { <NoResults results=results.clone()/> });
    view! {
        {corrected}
        <p class="result-count" role="status">{t!(i18n, result_count, count = total)}</p>
        {match empty {
            Some(empty) => empty.into_any(),
            None => view! { <ProductGrid products=page.items/> }.into_any(),
        }}
        {(pages > 1).then(|| view! { <Pagination current pages query=paged/> })}
    }
}

/// Nothing matches: categories and popular searches to go on with, as links.
#[component]
fn NoResults(results: ProductResults) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let categories = results
        .suggested_categories
        .into_iter()
        .map(|c| {
            let name = c.name.get(lang()).to_owned();
            view! { <li><a href=routes::category(c.category)>{name}" ("{c.count}")"</a></li> }
        })
        .collect_view();
    let searches = results
        .popular_searches
        .into_iter()
        .map(|text| {
            let href = routes::catalog(&ProductQuery { q: Some(text.clone()), ..Default::default() });
            view! { <li><a href=href>{text}</a></li> }
        })
        .collect_view();
    view! {
        <div class="no-results">
            <p class="no-results-title">{t!(i18n, no_results)}</p>
            <p>{t!(i18n, no_results_hint)}</p>
            <h2 class="no-results-heading">{t!(i18n, try_a_category)}</h2>
            <ul class="suggestion-links">{categories}</ul>
            <h2 class="no-results-heading">{t!(i18n, popular_searches)}</h2>
            <ul class="suggestion-links">{searches}</ul>
        </div>
    }
}

#[component]
fn Pagination(current: u32, pages: u64, query: Memo<ProductQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |page: u32| routes::catalog(&ProductQuery { page, ..query.get_untracked() });
    let last = pages.min(u64::from(domain::query::MAX_PAGE)) as u32;
    // First, last, and two around the current page.
    let mut shown: Vec<u32> = vec![1, last];
    shown.extend((current.saturating_sub(2).max(1))..=(current + 2).min(last));
    shown.sort_unstable();
    shown.dedup();
    let mut items = Vec::new();
    let mut prev = 0;
    for p in shown {
        if p > prev + 1 {
            items.push(view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any());
        }
        items.push(if p == current {
            view! { <li><a class="page current" aria-current="page" href=link(p)>{p}</a></li> }.into_any()
        } else {
            view! { <li><a class="page" href=link(p)>{p}</a></li> }.into_any()
        });
        prev = p;
    }
    view! {
        <nav class="pagination" aria-label=move || t_string!(i18n, pagination)>
            <ul>
                {(current > 1).then(|| view! { <li><a class="page" rel="prev" href=link(current - 1)>"‹ "{t!(i18n, previous)}</a></li> })}
                {items}
                {(current < last).then(|| view! { <li><a class="page" rel="next" href=link(current + 1)>{t!(i18n, next)}" ›"</a></li> })}
            </ul>
        </nav>
    }
}

/// Facets and sort: a plain GET form of the catalog, with each value's count when the
/// counts are exact (values with none left out, but the chosen one). Only the server
/// renders it (it is not an island: its markup, the provinces and the counts stay out of
/// the storefront's bundle); [`FilterForm`] around it makes each choice apply at once.
#[component]
fn Filters(query: ProductQuery, facets: Option<Facets>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let query = Signal::stored(query);
    // Counts only when they are exact; without them every value is offered.
    let facets = facets.filter(|f| f.complete);
    let label = |name: String, count: Option<u64>| match count {
        Some(n) => format!("{name} ({n})"),
        None => name,
    };
    let offered = {
        let has = facets.is_some();
        move |count: Option<u64>, chosen: bool| !has || count.is_some() || chosen
    };
    let category_count = {
        let f = facets.clone();
        move |c: Category| f.as_ref().and_then(|f| f.categories.iter().find(|x| x.category == c).map(|x| x.count))
    };
    let province_count = {
        let f = facets.clone();
        move |code: u8| f.as_ref().and_then(|f| f.provinces.iter().find(|x| x.code == code).map(|x| x.count))
    };
    let cert_count = {
        let f = facets.clone();
        move |c: CertFilter| f.as_ref().and_then(|f| f.certifications.iter().find(|x| x.cert == c).map(|x| x.count))
    };
    let cleared = move || routes::catalog(&ProductQuery { q: query.get().q, ..Default::default() });
    let cert_label = move |c: CertFilter| -> String {
        match c.requirement() {
            Ok(kind) => kind.name(lang()).to_owned(),
            Err(stars) => format!("OCOP {}", "★".repeat(stars.into())),
        }
    };
    let sort_label = move |s: Sort| -> String {
        match s {
            Sort::Relevance => t_string!(i18n, sort_relevance).to_owned(),
            Sort::Newest => t_string!(i18n, sort_newest).to_owned(),
            Sort::PriceAsc => t_string!(i18n, sort_price_asc).to_owned(),
            Sort::PriceDesc => t_string!(i18n, sort_price_desc).to_owned(),
            Sort::BestSelling => t_string!(i18n, sort_best_selling).to_owned(),
        }
    };

    view! {
        <FilterForm>
            {move || query.get().q.map(|q| view! { <input type="hidden" name="q" value=q/> })}
            <div class="filter-row">
                <label class="field sort-field">
                    <span>{t!(i18n, sort_by)}</span>
                    <select id="sort" name="sort" prop:value=move || query.get().sort.code()>
                        {Sort::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=move || query.get().sort == *s>{move || sort_label(*s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                // Without the app a choice applies when the form is sent.
                <noscript><button type="submit" class="button button-small">{t!(i18n, apply)}</button></noscript>
            </div>
            <details class="filter-panel">
                <summary>{t!(i18n, filters)}</summary>
                <div class="filter-body">
                    <label class="field">
                        <span>{t!(i18n, category)}</span>
                        <select id="filter-category" name="category" prop:value=move || query.get().category.map(|c| c.code()).unwrap_or("")>
                            <option value="">{t!(i18n, any_category)}</option>
                            {Category::ALL.iter().filter(|c| offered(category_count(**c), query.get_untracked().category == Some(**c))).map(|c| {
                                let count = category_count(*c);
                                view! {
                                    <option value=c.code() selected=move || query.get().category == Some(*c)>{move || label(c.name(lang()).to_owned(), count)}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, province)}</span>
                        <select id="filter-province" name="province" prop:value=move || query.get().province.map(|p| p.to_string()).unwrap_or_default()>
                            <option value="">{t!(i18n, any_province)}</option>
                            {geo::provinces_by_name().into_iter().filter(|p| offered(province_count(p.code), query.get_untracked().province == Some(p.code))).map(|p| {
                                let code = p.code;
                                let name = label(p.short_name.to_owned(), province_count(code));
                                view! { <option value=code.to_string() selected=move || query.get().province == Some(code)>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, certification)}</span>
                        <select id="filter-cert" name="cert" prop:value=move || query.get().cert.map(|c| c.code()).unwrap_or("")>
                            <option value="">{t!(i18n, any_certification)}</option>
                            {CertFilter::ALL.iter().filter(|c| offered(cert_count(**c), query.get_untracked().cert == Some(**c))).map(|c| {
                                let count = cert_count(*c);
                                view! {
                                    <option value=c.code() selected=move || query.get().cert == Some(*c)>{move || label(cert_label(*c), count)}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <fieldset class="price-range">
                        <legend>{t!(i18n, price_range)}</legend>
                        <div class="price-inputs">
                            <label>
                                <span class="visually-hidden">{t!(i18n, min_price)}</span>
                                <input type="text" name="min_price" inputmode="numeric" placeholder=move || t_string!(i18n, min_price)
                                    value=move || query.get().min_price.map(|p| p.dong().to_string()).unwrap_or_default()
                                    prop:value=move || query.get().min_price.map(|p| p.dong().to_string()).unwrap_or_default()
                                    aria-invalid="false" aria-describedby="price-error"/>
                            </label>
                            <span aria-hidden="true">"–"</span>
                            <label>
                                <span class="visually-hidden">{t!(i18n, max_price)}</span>
                                <input type="text" name="max_price" inputmode="numeric" placeholder=move || t_string!(i18n, max_price)
                                    value=move || query.get().max_price.map(|p| p.dong().to_string()).unwrap_or_default()
                                    prop:value=move || query.get().max_price.map(|p| p.dong().to_string()).unwrap_or_default()
                                    aria-invalid="false" aria-describedby="price-error"/>
                            </label>
                            <button type="submit" class="button button-small">{t!(i18n, apply)}</button>
                        </div>
                        <p id="price-error" class="field-error" hidden>{t!(i18n, price_range_invalid)}</p>
                    </fieldset>
                    <label class="check">
                        <input type="checkbox" name="in_stock" value="true" checked=move || query.get().in_stock prop:checked=move || query.get().in_stock/>
                        <span>{t!(i18n, in_stock_only)}</span>
                    </label>
                    <a class="link-button" href=cleared>{t!(i18n, clear_filters)}</a>
                </div>
            </details>
        </FilterForm>
    }
}

/// The island around [`Filters`]' form. With the app running, a choice of sort,
/// category, province, certification or stock applies at once and sending the form (the
/// price's button, Enter in a field) applies the price, each back on page 1 at the
/// catalog's own URL; a price range that is not one shows its error instead. Without
/// the app the form is a plain GET of the catalog with every filter. The filters start
/// open where there is room for them beside the results (known only in the browser: the
/// server renders them closed, a tap away on a phone).
#[island]
fn FilterForm(children: Children) -> impl IntoView {
    island::enter();
    let navigate = island::navigator();
    let form = NodeRef::<leptos::html::Form>::new();
    let apply = move || {
        let Some(form) = form.get_untracked() else { return };
        let Some(fields) = form_query(&form) else { return };
        // Prices may be typed with the separators they are shown with: 100.000, 100 000.
        let pairs: Vec<(String, String)> = domain::query::decode_pairs(&fields)
            .into_iter()
            .map(|(k, v)| if k.ends_with("_price") { (k, v.replace(['.', ',', ' '], "")) } else { (k, v) })
            .collect();
        match ProductQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            Ok(mut q) => {
                show_price_error(&form, false);
                q.page = 1;
                navigate(&routes::catalog(&q));
            }
            Err(_) => show_price_error(&form, true),
        }
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            apply();
        }
    };
    let on_change = move |ev: ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        // Not the price's text fields: they apply when the form is sent.
        let target = ev.target();
        let applies_at_once = target.as_ref().is_some_and(|t| t.has_type::<web_sys::HtmlSelectElement>())
            || target
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.type_() == "checkbox");
        if applies_at_once {
            apply();
        }
    };
    Effect::new(move |_| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(form) = form.get()
            && wide_screen()
            && let Ok(Some(panel)) = form.query_selector(".filter-panel")
            && let Ok(details) = panel.dyn_into::<web_sys::HtmlDetailsElement>()
        {
            details.set_open(true);
        }
    });
    view! {
        <form class="filters" method="get" action=routes::CATALOG node_ref=form
            on:submit=on_submit on:change=on_change>
            {children()}
        </form>
    }
}

/// The form's fields as a query string (`sort=newest&category=&min_price=100.000…`).
fn form_query(form: &web_sys::HtmlFormElement) -> Option<String> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    Some(web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?.to_string().into())
}

/// Shows or hides the price range's error (the server's markup: not the island's own).
fn show_price_error(form: &web_sys::HtmlFormElement, invalid: bool) {
    if let Ok(Some(error)) = form.query_selector("#price-error") {
        let _ = if invalid { error.remove_attribute("hidden") } else { error.set_attribute("hidden", "") };
    }
    if let Ok(inputs) = form.query_selector_all(".price-inputs input") {
        for i in 0..inputs.length() {
            use leptos::wasm_bindgen::JsCast;
            if let Some(input) = inputs.get(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = input.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
            }
        }
    }
}

/// Filters start open where there is room for them beside the results.
fn wide_screen() -> bool {
    window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 860.0)
}
