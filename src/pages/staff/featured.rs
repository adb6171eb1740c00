//! `/xuc-tien/noi-bat`: the products pinned to the home page. Staff add products from
//! the catalog, order them by dragging or with the up/down buttons, give each optional
//! start and end dates, and save the whole list at once (the server checks it with the
//! same rules as `FeaturedUpdate::validate`).

use super::{StaffArea, Tab, picker::ProductPicker};
use crate::{
    api::{self, ApiError},
    components::{async_view::Loaded, field_error::FieldMessage, form::FormError},
    i18n::{t, t_string, use_i18n},
    routes, use_lang,
};
use domain::{
    I18nText,
    catalog::ProductSummary,
    curation::{FEATURED_MAX, FeaturedEntry, FeaturedItem, FeaturedUpdate, ScheduleState},
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;

#[component]
pub fn FeaturedPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, staff_tab_featured)/>
        <StaffArea tab=Tab::Featured>
            <Featured/>
        </StaffArea>
    }
}

/// One row of the list being edited.
#[derive(Clone)]
struct Row {
    slug: String,
    name: I18nText,
    cooperative: String,
    image: Option<String>,
    visible: bool,
    state: Option<ScheduleState>,
    starts_on: RwSignal<String>,
    ends_on: RwSignal<String>,
}

impl Row {
    fn from_item(i: FeaturedItem) -> Row {
        let mut row = Row::from_product(i.product);
        row.state = Some(i.state);
        row.visible = i.visible;
        row.starts_on.set(i.starts_on.map(String::from).unwrap_or_default());
        row.ends_on.set(i.ends_on.map(String::from).unwrap_or_default());
        row
    }

    fn from_product(p: ProductSummary) -> Row {
        Row {
            slug: p.slug,
            name: p.name,
            cooperative: p.cooperative.name,
            image: p.image.map(|i| i.url),
            visible: true,
            state: None,
            starts_on: RwSignal::new(String::new()),
            ends_on: RwSignal::new(String::new()),
        }
    }
}

#[component]
fn Featured() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(api::featured);
    view! {
        <h1>{t!(i18n, staff_featured_title)}</h1>
        <p class="muted">{t!(i18n, staff_featured_intro)}</p>
        <Loaded resource=loaded skeleton=|| view! { <div class="skeleton-block"></div> } let:items>
            <Editor items/>
        </Loaded>
    }
}

#[component]
fn Editor(items: Vec<FeaturedItem>) -> impl IntoView {
    let i18n = use_i18n();
    // Rows hold signals for their dates: create them under the editor, not under the
    // event handler or effect that adds them (those owners go away).
    let owner = Owner::current().expect("the editor has an owner");
    let pick_owner = owner.clone();
    let rows = RwSignal::new(items.into_iter().map(Row::from_item).collect::<Vec<_>>());
    let dirty = RwSignal::new(false);
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let dragging = RwSignal::new(None::<String>);
    let chosen = Signal::derive(move || rows.with(|r| r.iter().map(|r| r.slug.clone()).collect::<Vec<_>>()));

    let changed = move || {
        dirty.set(true);
        saved.set(false);
    };
    let move_to = Callback::new(move |(slug, to): (String, usize)| {
        rows.update(|r| {
            if let Some(from) = r.iter().position(|x| x.slug == slug) {
                let row = r.remove(from);
                r.insert(to.min(r.len()), row);
            }
        });
        errors.set(Errors::new());
        changed();
    });
    let save = Action::new_local(|update: &FeaturedUpdate| {
        let update = update.clone();
        async move { api::save_featured(&update).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            untrack(|| match result {
                Ok(items) => {
                    rows.set(owner.with(|| items.into_iter().map(Row::from_item).collect()));
                    errors.set(Errors::new());
                    failure.set(None);
                    dirty.set(false);
                    saved.set(true);
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                }
            });
        }
    });
    let on_save = move |_| {
        let update = FeaturedUpdate {
            items: rows.with_untracked(|r| {
                r.iter()
                    .map(|row| FeaturedEntry {
                        product_slug: row.slug.clone(),
                        starts_on: Some(row.starts_on.get_untracked()).filter(|s| !s.is_empty()),
                        ends_on: Some(row.ends_on.get_untracked()).filter(|s| !s.is_empty()),
                    })
                    .collect()
            }),
        };
        failure.set(None);
        match update.validate() {
            Ok(_) => {
                save.dispatch(update);
            }
            Err(e) => errors.set(e),
        }
    };
    let on_pick = Callback::new(move |p: ProductSummary| {
        if rows.with_untracked(|r| r.len() < FEATURED_MAX as usize && !r.iter().any(|x| x.slug == p.slug)) {
            let row = pick_owner.with(|| Row::from_product(p));
            rows.update(|r| r.push(row));
            changed();
        }
    });

    view! {
        <section class="section" aria-labelledby="featured-list-title">
            <div class="section-head">
                <h2 id="featured-list-title">{t!(i18n, staff_featured_list)}" "<span class="count-badge">{move || rows.with(Vec::len)}</span></h2>
                <a class="see-all" href=routes::HOME target="_blank">{t!(i18n, staff_view_home)}" ↗"</a>
            </div>
            {move || rows.with(Vec::is_empty).then(|| view! { <p class="empty-state">{t!(i18n, staff_featured_empty)}</p> })}
            <ol class="featured-list">
                <For each=move || rows.get() key=|row| row.slug.clone() let:row>
                    <FeaturedRow row rows errors dragging move_to changed=Callback::new(move |_| changed())/>
                </For>
            </ol>
            {move || failure.get().map(|error| view! { <FormError error/> })}
            <div class="save-bar">
                <button type="button" class="button button-primary" disabled=move || save.pending().get() on:click=on_save>
                    {move || if save.pending().get() { t_string!(i18n, staff_saving) } else { t_string!(i18n, staff_save_featured) }}
                </button>
                <span role="status" class="muted">
                    {move || if saved.get() { t_string!(i18n, staff_saved) } else if dirty.get() { t_string!(i18n, staff_unsaved) } else { "" }}
                </span>
            </div>
        </section>
        <section class="section" aria-labelledby="featured-add-title">
            <h2 id="featured-add-title">{t!(i18n, staff_featured_add)}</h2>
            <ProductPicker id="featured-search" chosen on_pick/>
        </section>
    }
}

#[component]
fn FeaturedRow(
    row: Row,
    rows: RwSignal<Vec<Row>>,
    errors: RwSignal<Errors>,
    dragging: RwSignal<Option<String>>,
    move_to: Callback<(String, usize)>,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let slug = StoredValue::new(row.slug.clone());
    let index = Memo::new(move |_| rows.with(|r| r.iter().position(|x| x.slug == slug.get_value()).unwrap_or(0)));
    let count = move || rows.with(Vec::len);
    let field_error = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.get(&format!("items.{}.{field}", index.get())).cloned()))
    };
    let name = row.name.clone();
    let label = StoredValue::new(row.name.clone());
    let (starts_on, ends_on) = (row.starts_on, row.ends_on);
    let id = |what: &str| format!("featured-{}-{what}", slug.get_value());
    let state_label = move || match (row.visible, row.state) {
        (false, _) => t_string!(i18n, staff_featured_hidden),
        (true, Some(ScheduleState::Scheduled)) => t_string!(i18n, staff_state_scheduled),
        (true, Some(ScheduleState::Ended)) => t_string!(i18n, staff_state_ended),
        (true, Some(ScheduleState::Running)) => t_string!(i18n, staff_state_running),
        (true, None) => t_string!(i18n, staff_state_new),
    };
    let state_code = match (row.visible, row.state) {
        (false, _) => "hidden",
        (true, Some(s)) => s.code(),
        (true, None) => "new",
    };
    let button_label = move |what: fn(leptos_i18n::I18nContext<crate::i18n::Locale>) -> &'static str| {
        move || format!("{} – {}", what(i18n), label.with_value(|l| l.get(lang()).to_owned()))
    };
    view! {
        <li class="featured-row" data-slug=slug.get_value() draggable="true"
            class:dragging=move || dragging.get().as_deref() == Some(slug.get_value().as_str())
            on:dragstart=move |ev: ev::DragEvent| {
                // Firefox starts a drag only with some data set (through JS: the app
                // does not pull in web-sys's DataTransfer for one call).
                if let Ok(dt) = js_sys::Reflect::get(&ev, &"dataTransfer".into())
                    && let Ok(set) = js_sys::Reflect::get(&dt, &"setData".into())
                {
                    use leptos::wasm_bindgen::JsCast;
                    if let Some(set) = set.dyn_ref::<js_sys::Function>() {
                        let _ = set.call2(&dt, &"text/plain".into(), &slug.get_value().into());
                    }
                    let _ = js_sys::Reflect::set(&dt, &"effectAllowed".into(), &"move".into());
                }
                dragging.set(Some(slug.get_value()));
            }
            on:dragend=move |_| dragging.set(None)
            on:dragover=move |ev: ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: ev::DragEvent| {
                ev.prevent_default();
                if let Some(from) = dragging.get_untracked() {
                    move_to.run((from, index.get_untracked()));
                }
                dragging.set(None);
            }>
            <span class="featured-grip" aria-hidden="true">"⋮⋮"</span>
            <span class="featured-position">{move || index.get() + 1}</span>
            {row.image.clone().map(|src| view! { <img class="lookup-thumb" src=src alt="" width="64" height="48"/> })}
            <div class="featured-main">
                <p class="account-item-title">{move || name.get(lang()).to_owned()}</p>
                <p class="muted">{row.cooperative.clone()}" "<span class="badge" data-status=state_code>{state_label}</span></p>
                <div class="featured-dates">
                    <div class="field">
                        <label for=id("starts")>{t!(i18n, staff_starts_on)}</label>
                        <input id=id("starts") type="date" prop:value=move || starts_on.get()
                            aria-invalid=move || field_error("starts_on").with(Option::is_some).to_string()
                            on:change=move |ev| { starts_on.set(event_target_value(&ev)); changed.run(()); }/>
                        <FieldMessage id=id("starts-error") error=field_error("starts_on")/>
                    </div>
                    <div class="field">
                        <label for=id("ends")>{t!(i18n, staff_ends_on)}</label>
                        <input id=id("ends") type="date" prop:value=move || ends_on.get()
                            aria-invalid=move || field_error("ends_on").with(Option::is_some).to_string()
                            on:change=move |ev| { ends_on.set(event_target_value(&ev)); changed.run(()); }/>
                        <FieldMessage id=id("ends-error") error=field_error("ends_on")/>
                    </div>
                </div>
                <FieldMessage id=id("error") error=field_error("product_slug")/>
            </div>
            <div class="featured-buttons">
                <button type="button" class="icon-button move-up" disabled=move || index.get() == 0
                    aria-label=button_label(|i18n| t_string!(i18n, staff_move_up))
                    on:click=move |_| { let i = index.get_untracked(); move_to.run((slug.get_value(), i.saturating_sub(1))); }>"↑"</button>
                <button type="button" class="icon-button move-down" disabled={move || index.get() + 1 >= count()}
                    aria-label=button_label(|i18n| t_string!(i18n, staff_move_down))
                    on:click=move |_| { let i = index.get_untracked(); move_to.run((slug.get_value(), i + 1)); }>"↓"</button>
                <button type="button" class="icon-button remove" aria-label=button_label(|i18n| t_string!(i18n, staff_remove))
                    on:click=move |_| {
                        rows.update(|r| r.retain(|x| x.slug != slug.get_value()));
                        errors.set(Errors::new());
                        changed.run(());
                    }>"✕"</button>
            </div>
        </li>
    }
}
