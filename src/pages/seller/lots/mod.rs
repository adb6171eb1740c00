//! The cooperative's traceability lots, in the seller console:
//! - `/ban-hang/{coop}/lo`: the cooperative's products and their lots;
//! - `/ban-hang/{coop}/san-pham/{slug}/lo`: one product's lots, a form to create a lot
//!   ([`lot_form`]), each lot's timeline with a form to add an event ([`event_form`]),
//!   and links to its public page, its label and its A4 label sheet.
//!
//! The console's shell checks the account and the membership; the forms check input with
//! the same domain rules as the server (`LotRequest::validate`, `EventRequest::validate`)
//! before sending it.

mod event_form;
mod lot_form;

use super::{api, use_seller};
use crate::{
    components::async_view::Loaded,
    i18n::{t, t_string, use_i18n},
    pages::lot::{LotA, Timeline},
    routes,
    session::PageSkeleton,
    time::today_vn,
    use_lang,
};
use domain::{
    gs1::{self, DigitalLink},
    trace::{Lot, LotEvent, ProductLots},
};
use event_form::EventForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};
use lot_form::LotForm;

#[component]
pub fn CoopLotsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(use_seller().slug());
    let list = LocalResource::new(move || {
        let coop = coop.get_value();
        async move { api::coop_lots(&coop).await }
    });
    view! {
        <Title text=move || t_string!(i18n, lots_title)/>
        <div class="lots-page">
            <header class="account-head">
                <p class="eyebrow"><A href=routes::seller(&coop.get_value())>{t!(i18n, seller_console)}</A></p>
                <h1>{t!(i18n, lots_title)}</h1>
                <p class="muted">{t!(i18n, lots_intro)}</p>
            </header>
            <Loaded resource=list skeleton=|| view! { <PageSkeleton/> } let:items>
                <ul class="account-list lots-products">
                    {items.into_iter().map(|p| {
                        let name = p.name.clone();
                        let count = p.lots.len();
                        let latest = p.lots.first().map(|l| l.lot_code.clone());
                        view! {
                            <li class="account-item">
                                <div>
                                    <p class="account-item-title">{move || name.get(lang()).to_owned()}</p>
                                    <p class="muted">
                                        {t!(i18n, lots_count, count = count)}
                                        {latest.map(|l| view! { " · "<span class="mono">{l}</span> })}
                                    </p>
                                </div>
                                {if p.has_gtin {
                                    view! { <A href=routes::seller_product_lots(&coop.get_value(), &p.slug) attr:class="button button-small">{t!(i18n, lots_manage)}</A> }.into_any()
                                } else {
                                    view! { <p class="hint">{t!(i18n, lots_no_gtin)}</p> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Loaded>
        </div>
    }
}

#[component]
pub fn ProductLotsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, lots_title)/>
        {move || view! { <ProductLotsView slug=slug.get()/> }}
    }
}

/// What a product's lots page shares with each lot on it (`Copy`).
#[derive(Clone, Copy)]
struct LotsPage {
    coop: StoredValue<String>,
    /// The lot whose event form is open (a new lot opens its own).
    open_lot: RwSignal<Option<i64>>,
    /// Fetches the lots again after a change.
    on_change: Callback<()>,
}

#[component]
fn ProductLotsView(slug: String) -> impl IntoView {
    let coop = StoredValue::new(use_seller().slug());
    let slug = StoredValue::new(slug);
    let data = LocalResource::new(move || {
        let (coop, slug) = (coop.get_value(), slug.get_value());
        async move { api::product_lots(&coop, &slug).await }
    });
    let page = LotsPage { coop, open_lot: RwSignal::new(None), on_change: Callback::new(move |()| data.refetch()) };
    view! {
        <Loaded resource=data skeleton=|| view! { <PageSkeleton/> } let:p>
            <ProductLotsContent p page/>
        </Loaded>
    }
}

#[component]
fn ProductLotsContent(p: ProductLots, page: LotsPage) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = page.coop.get_value();
    let name = p.name.clone();
    let no_lots = p.lots.is_empty();
    let slug = p.slug.clone();
    let packs = p.packs.clone();
    let place = p.place.clone();
    let slug_for_form = slug.clone();
    view! {
        <div class="lots-page">
            <header class="account-head">
                <p class="eyebrow">
                    <A href=routes::seller_lots(&coop)>{t!(i18n, lots_title)}</A>
                    " · "
                    <A href=routes::seller_product(&coop, &slug)>{t!(i18n, lots_edit_product)}</A>
                </p>
                <h1>{move || name.get(lang()).to_owned()}</h1>
                <p class="muted">{p.cooperative.name.clone()}</p>
            </header>
            {if packs.is_empty() {
                view! { <p class="notice">{t!(i18n, lots_no_gtin)}</p> }.into_any()
            } else {
                view! {
                    <details class="lot-new panel-form" open=no_lots>
                        <summary><h2>{t!(i18n, lot_new)}</h2></summary>
                        <LotForm coop=coop.clone() slug=slug_for_form packs place on_created=move |lot: Lot| {
                            page.open_lot.set(Some(lot.id));
                            page.on_change.run(());
                        }/>
                    </details>
                }.into_any()
            }}
            <section class="section" aria-labelledby="lots-list-title">
                <h2 id="lots-list-title">{t!(i18n, lots_list)}</h2>
                {if no_lots {
                    view! { <p class="muted">{t!(i18n, lots_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="lot-list">
                            {p.lots.into_iter().map(|lot| view! { <LotCard lot page/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn LotCard(lot: Lot, page: LotsPage) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let LotsPage { coop, open_lot, on_change } = page;
    let id = lot.id;
    let link = DigitalLink::lot(lot.gtin.clone(), lot.lot_code.clone());
    let produced = lot.produced_on.clone();
    let best_before = lot.best_before.clone();
    let expired = today_vn().is_some_and(|d| lot.best_before < d);
    let events = lot.events.clone();
    // "Correct this event": the form opens filled with it.
    let correcting = RwSignal::new(None::<LotEvent>);
    let on_correct = Callback::new(move |e: LotEvent| {
        correcting.set(Some(e));
        open_lot.set(Some(id));
    });
    view! {
        <li class="lot-card" id=format!("lot-{id}") data-lot=lot.lot_code.clone()>
            <div class="lot-card-head">
                <h3><span class="muted">{t!(i18n, trace_lot)}" "</span><span class="mono lot-code">{lot.lot_code.clone()}</span></h3>
                <p class="muted">
                    {lot.pack_label.clone()}" · GTIN "<span class="mono">{lot.gtin.to_string()}</span>" · "
                    {lot.quantity}" "{lot.unit.clone()}
                </p>
                <p>
                    {t!(i18n, trace_produced_on)}" "<strong>{move || produced.format(lang())}</strong>" · "
                    {t!(i18n, trace_best_before)}" "<strong>{move || best_before.format(lang())}</strong>
                    {expired.then(|| view! { " "<strong class="expired-flag">{t!(i18n, cert_expired)}</strong> })}
                </p>
                <p class="lot-url mono">{lot.url.clone()}</p>
                <div class="lot-actions">
                    <LotA href=link.path() class="button button-small">{t!(i18n, trace_open_public)}</LotA>
                    <LotA href=gs1::label_path(&lot.gtin, &lot.lot_code) class="button button-small">{t!(i18n, label_title)}</LotA>
                    <LotA href=gs1::label_sheet_path(&lot.gtin, &lot.lot_code) class="button button-small">{t!(i18n, label_a4)}</LotA>
                </div>
            </div>
            <h4>{t!(i18n, lot_events)}" ("{events.len()}")"</h4>
            <Timeline events gtin=lot.gtin.to_string() on_correct/>
            <Show when=move || open_lot.get() == Some(id) fallback=move || view! {
                <button type="button" class="button add-event-open" on:click=move |_| open_lot.set(Some(id))>{t!(i18n, event_add)}</button>
            }>
                <EventForm coop=coop.get_value() lot_id=id plot=lot.plot_code.clone() correcting on_added=move || on_change.run(())/>
            </Show>
        </li>
    }
}
