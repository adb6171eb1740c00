//! The header search: a form that opens the catalog, with suggestions as you type
//! (debounced; the match highlighted; arrow keys, Enter and Escape work).

use crate::{
    api,
    components::icons::SearchIcon,
    i18n::{t, t_string, use_i18n},
    island, routes, use_lang,
};
use domain::{
    catalog::ProductSummary,
    query::ProductQuery,
    text::{fold_words, highlight_ranges},
};
use leptos::{ev, prelude::*};

const DEBOUNCE_MS: u32 = 250;
const SUGGESTIONS: u32 = 6;

/// `text` with the parts matching `query` in `<mark>`.
#[component]
pub fn Highlighted(text: String, query: String) -> impl IntoView {
    let mut parts = Vec::new();
    let mut last = 0;
    for (a, b) in highlight_ranges(&text, &query) {
        if a < last {
            continue;
        }
        parts.push(view! { {text[last..a].to_owned()} }.into_any());
        parts.push(view! { <mark>{text[a..b].to_owned()}</mark> }.into_any());
        last = b;
    }
    parts.push(view! { {text[last..].to_owned()} }.into_any());
    parts
}

/// The header's search (an island).
#[island]
pub fn SearchBox() -> impl IntoView {
    island::enter();
    let i18n = use_i18n();
    let lang = use_lang();
    let navigate = island::navigator();
    let url = island::current_url();
    let text = RwSignal::new(String::new());
    // Keep what was searched in the box on the results page.
    Effect::new(move |_| text.set(island::query_param(&url.get(), "q").unwrap_or_default()));
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let debounced = RwSignal::new(String::new());
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let on_input = move |ev: ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        open.set(true);
        active.set(None);
        pending.set_value(Some(gloo_timers::callback::Timeout::new(DEBOUNCE_MS, move || debounced.set(value))));
    };
    let suggestions = LocalResource::new(move || {
        let q = debounced.get();
        async move {
            if fold_words(&q).is_empty() {
                return Vec::new();
            }
            let query = ProductQuery { q: Some(q), per_page: SUGGESTIONS, ..Default::default() };
            api::products(&query).await.map(|p| p.items).unwrap_or_default()
        }
    });
    let items = move || if open.get() { suggestions.get().unwrap_or_default() } else { Vec::new() };

    let go_search = {
        let navigate = navigate.clone();
        move || {
            open.set(false);
            let q = text.get_untracked().trim().to_owned();
            let query = ProductQuery { q: (!q.is_empty()).then_some(q), ..Default::default() };
            navigate(&routes::catalog(&query));
        }
    };
    let on_submit = {
        let go_search = go_search.clone();
        move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            go_search();
        }
    };
    let on_keydown = {
        let navigate = navigate.clone();
        move |ev: ev::KeyboardEvent| {
            let n = items().len();
            match ev.key().as_str() {
                "ArrowDown" if n > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
                }
                "ArrowUp" if n > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
                }
                "Escape" => {
                    open.set(false);
                    active.set(None);
                }
                "Enter" => {
                    if let Some(p) = active.get_untracked().and_then(|i| items().get(i).cloned()) {
                        ev.prevent_default();
                        open.set(false);
                        navigate(&routes::product(&p.slug));
                    }
                }
                _ => {}
            }
        }
    };
    let expanded = move || (!items().is_empty()).to_string();
    let active_id = move || active.get().map(|i| format!("suggestion-{i}")).unwrap_or_default();

    view! {
        <form class="search" role="search" action=routes::CATALOG method="get" on:submit=on_submit>
            <label class="visually-hidden" for="site-search">{t!(i18n, search_label)}</label>
            <input
                id="site-search"
                type="search"
                name="q"
                enterkeyhint="search"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="search-suggestions"
                aria-expanded=expanded
                aria-activedescendant=active_id
                placeholder=move || t_string!(i18n, search_placeholder)
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| {
                    // Let a click on a suggestion land first.
                    gloo_timers::callback::Timeout::new(150, move || open.set(false)).forget();
                }
            />
            <button type="submit" class="search-button">
                <SearchIcon/>
                <span class="visually-hidden">{t!(i18n, search_button)}</span>
            </button>
            <ul id="search-suggestions" class="suggestions" role="listbox" aria-label=move || t_string!(i18n, suggestions) hidden=move || items().is_empty()>
                {move || {
                    let q = debounced.get();
                    items().into_iter().enumerate().map(|(i, p): (usize, ProductSummary)| {
                        let href = routes::product(&p.slug);
                        let name = p.name.get(lang()).to_owned();
                        let coop = p.cooperative.name.clone();
                        let price = p.price_from.format(lang());
                        view! {
                            <li id=format!("suggestion-{i}") role="option" aria-selected=move || (active.get() == Some(i)).to_string()>
                                <a href=href on:click=move |_| open.set(false)>
                                    <span class="suggestion-name"><Highlighted text=name query=q.clone()/></span>
                                    <span class="suggestion-meta">{coop}" · "{price}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </form>
    }
}
