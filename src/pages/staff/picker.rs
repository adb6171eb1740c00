//! Finding a product to pin or to put in a campaign: the catalog's own search (so only
//! products buyers can see are offered), results with an "add" button each.

use crate::{
    api::{self, ApiError},
    components::async_view::ErrorPanel,
    i18n::{t, t_string, use_i18n},
    use_lang,
};
use domain::{catalog::ProductSummary, query::ProductQuery};
use leptos::{ev, prelude::*};

#[component]
pub fn ProductPicker(
    /// The id of the search input (unique on the page).
    id: &'static str,
    /// Slugs already chosen: their buttons say so.
    #[prop(into)]
    chosen: Signal<Vec<String>>,
    #[prop(into)] on_pick: Callback<ProductSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let search = Action::new_local(|q: &String| {
        let query = ProductQuery { q: Some(q.clone()), per_page: 8, ..Default::default() };
        async move { api::products(&query).await.map(|p| p.items) }
    });
    let results = move || search.value().get();
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        if !q.trim().is_empty() {
            search.dispatch(q);
        }
    };
    view! {
        <form class="picker" role="search" on:submit=on_submit>
            <label for=id>{t!(i18n, staff_find_product)}</label>
            <div class="picker-row">
                <input id=id type="search" autocomplete="off" placeholder=move || t_string!(i18n, search_placeholder)
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" class="button button-small" disabled=move || search.pending().get()>
                    {t!(i18n, search_button)}
                </button>
            </div>
        </form>
        <div class="picker-results" aria-live="polite">
            {move || match results() {
                None => ().into_any(),
                Some(Err(error)) => view! { <ErrorPanel error on_retry=move || { search.dispatch(text.get_untracked()); }/> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="muted">{t!(i18n, no_products)}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="picker-list">
                        {items.into_iter().map(|p| {
                            let slug = p.slug.clone();
                            let data_slug = slug.clone();
                            let is_chosen = Signal::derive(move || chosen.with(|c| c.contains(&slug)));
                            let name = p.name.clone();
                            let coop = p.cooperative.name.clone();
                            let label_name = p.name.clone();
                            let product = StoredValue::new(p);
                            view! {
                                <li class="picker-item" data-slug=data_slug>
                                    <span>
                                        <strong>{move || name.get(lang()).to_owned()}</strong>
                                        <small class="muted">{coop}</small>
                                    </span>
                                    <button type="button" class="button button-small" disabled=is_chosen
                                        aria-label=move || format!("{} – {}", t_string!(i18n, staff_add), label_name.get(lang()))
                                        on:click=move |_| on_pick.run(product.get_value())>
                                        {move || if is_chosen.get() { t_string!(i18n, staff_added) } else { t_string!(i18n, staff_add) }}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}

/// Whether a failed save was refused for its input (400/409: fix and retry).
pub fn is_input_error(e: &ApiError) -> bool {
    matches!(e, ApiError::Http { status: 400 | 409 | 422, .. })
}
