//! The seller's traceability lots, for members of a cooperative:
//! - `/ban-hang/{coop}/lo`: the cooperative's products and their lots;
//! - `/ban-hang/{coop}/san-pham/{slug}/lo`: one product's lots, a form to create a lot
//!   (pack size by GTIN, lot code, quantity, growing area and commune, dates, practices,
//!   inputs, an inspection), each lot's timeline with a form to add an event, and links
//!   to its public page, its label and its A4 label sheet.
//!
//! The form checks input with the same domain rules as the server
//! (`LotRequest::validate`, `EventRequest::validate`) before sending it.

use crate::{
    api::{self, ApiError},
    components::{
        async_view::Loaded,
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error},
    },
    i18n::{t, t_string, use_i18n},
    pages::lot::{LotA, Timeline, today_vn},
    routes,
    session::{PageSkeleton, RequireUser},
    use_lang,
};
use domain::{
    account::User,
    geo,
    gs1::{self, DigitalLink},
    trace::{
        EventKind, EventRequest, EventTime, InspectionInput, Lot, LotEvent, LotRequest, ProductLotList, ProductLots,
    },
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

fn enc(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

async fn coop_lots(coop: &str) -> Result<Vec<ProductLotList>, ApiError> {
    api::get(&format!("/api/v1/seller/{}/lots", enc(coop))).await
}

async fn product_lots(coop: &str, slug: &str) -> Result<ProductLots, ApiError> {
    api::get(&format!("/api/v1/seller/{}/products/{}/lots", enc(coop), enc(slug))).await
}

async fn create_lot(coop: &str, slug: &str, request: &LotRequest) -> Result<Lot, ApiError> {
    api::post(&format!("/api/v1/seller/{}/products/{}/lots", enc(coop), enc(slug)), request, None).await
}

async fn add_event(coop: &str, lot_id: i64, request: &EventRequest) -> Result<LotEvent, ApiError> {
    api::post(&format!("/api/v1/seller/{}/lots/{lot_id}/events", enc(coop)), request, None).await
}

/// Now in Vietnam (UTC+7), as a `datetime-local` value.
fn now_vn() -> EventTime {
    let vn = js_sys::Date::new(&(js_sys::Date::now() + 7.0 * 3_600_000.0).into());
    EventTime::parse(&format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        vn.get_utc_full_year(),
        vn.get_utc_month() + 1,
        vn.get_utc_date(),
        vn.get_utc_hours(),
        vn.get_utc_minutes()
    ))
    .expect("the clock gives a valid time")
}

/// The membership's gate: `content` for members of `coop`, a clear refusal for others
/// (the server refuses them too).
fn member_only(
    user: Signal<User>,
    coop: String,
    content: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let member = Memo::new(move |_| user.with(|u| u.memberships.iter().any(|m| m.cooperative.slug == coop)));
    move || {
        if member.get() {
            content()
        } else {
            view! {
                <div class="error-panel" role="alert">
                    <h1>{t!(i18n, lots_title)}</h1>
                    <p>{t!(i18n, not_a_member)}</p>
                    <A href=routes::ACCOUNT attr:class="button">{t!(i18n, my_account)}</A>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
pub fn CoopLotsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let coop = Memo::new(move |_| params.read().get("coop").unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, lots_title)/>
        <RequireUser let:user>
            {move || {
                let c = coop.get();
                member_only(user, c.clone(), move || view! { <CoopLots coop=c.clone()/> }.into_any())
            }}
        </RequireUser>
    }
}

#[component]
fn CoopLots(coop: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(coop);
    let list = LocalResource::new(move || {
        let coop = coop.get_value();
        async move { coop_lots(&coop).await }
    });
    view! {
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
    let key = Memo::new(move |_| {
        let p = params.read();
        (p.get("coop").unwrap_or_default(), p.get("slug").unwrap_or_default())
    });
    view! {
        <Title text=move || t_string!(i18n, lots_title)/>
        <RequireUser let:user>
            {move || {
                let (coop, slug) = key.get();
                member_only(user, coop.clone(), move || view! { <ProductLotsView coop=coop.clone() slug=slug.clone()/> }.into_any())
            }}
        </RequireUser>
    }
}

#[component]
fn ProductLotsView(coop: String, slug: String) -> impl IntoView {
    let coop = StoredValue::new(coop);
    let slug = StoredValue::new(slug);
    let data = LocalResource::new(move || {
        let (coop, slug) = (coop.get_value(), slug.get_value());
        async move { product_lots(&coop, &slug).await }
    });
    // The lot whose event form is open (a new lot opens its own).
    let open_lot = RwSignal::new(None::<i64>);
    view! {
        <Loaded resource=data skeleton=|| view! { <PageSkeleton/> } let:p>
            <ProductLotsContent p coop=coop.get_value() open_lot on_change=move || data.refetch()/>
        </Loaded>
    }
}

#[component]
fn ProductLotsContent(
    p: ProductLots,
    coop: String,
    open_lot: RwSignal<Option<i64>>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let name = p.name.clone();
    let no_lots = p.lots.is_empty();
    let slug = p.slug.clone();
    let packs = p.packs.clone();
    let place = p.place.clone();
    let coop_for_form = coop.clone();
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
                        <LotForm coop=coop_for_form slug=slug_for_form packs place on_created=move |lot: Lot| {
                            open_lot.set(Some(lot.id));
                            on_change.run(());
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
                            {p.lots.into_iter().map(|lot| view! {
                                <LotCard lot coop=coop.clone() open_lot on_change/>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn LotCard(
    lot: Lot,
    coop: String,
    open_lot: RwSignal<Option<i64>>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let id = lot.id;
    let link = DigitalLink::lot(lot.gtin.clone(), lot.lot_code.clone());
    let produced = lot.produced_on.clone();
    let best_before = lot.best_before.clone();
    let expired = today_vn().is_some_and(|d| lot.best_before < d);
    let events = lot.events.clone();
    let coop = StoredValue::new(coop);
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
            <Timeline events gtin=lot.gtin.to_string()/>
            <Show when=move || open_lot.get() == Some(id) fallback=move || view! {
                <button type="button" class="button add-event-open" on:click=move |_| open_lot.set(Some(id))>{t!(i18n, event_add)}</button>
            }>
                <EventForm coop=coop.get_value() lot_id=id plot=lot.plot_code.clone() on_added=move || on_change.run(())/>
            </Show>
        </li>
    }
}

/// The lot form's text, as typed.
#[derive(Clone, Debug, Default)]
struct LotDraft {
    province: String,
    commune: String,
}

#[component]
fn LotForm(
    coop: String,
    slug: String,
    packs: Vec<domain::trace::LotPack>,
    place: domain::trace::LotPlace,
    #[prop(into)] on_created: Callback<Lot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (coop, slug) = (StoredValue::new(coop), StoredValue::new(slug));
    let first_pack = packs.first().cloned();
    let gtin = RwSignal::new(first_pack.as_ref().map(|p| p.gtin.to_string()).unwrap_or_default());
    let unit = RwSignal::new(first_pack.as_ref().map(|p| p.unit.clone()).unwrap_or_default());
    let lot_code = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let plot_code = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let where_ =
        RwSignal::new(LotDraft { province: place.province_code.to_string(), commune: place.commune_code.to_string() });
    let produced_on = RwSignal::new(today_vn().map(|d| d.as_str().to_owned()).unwrap_or_default());
    let best_before = RwSignal::new(String::new());
    let practices = RwSignal::new(String::new());
    let inputs = RwSignal::new(String::new());
    let lab = RwSignal::new(String::new());
    let tested_on = RwSignal::new(String::new());
    let result = RwSignal::new(String::new());
    let passed = RwSignal::new(true);
    let document_url = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let packs = StoredValue::new(packs);

    let province = Memo::new(move |_| where_.with(|w| w.province.parse::<u8>().ok()));
    let communes = LocalResource::new(move || {
        let p = province.get();
        async move {
            match p {
                Some(p) => api::provinces_communes(p).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });

    let save = Action::new_local(move |request: &LotRequest| {
        let (coop, slug, request) = (coop.get_value(), slug.get_value(), request.clone());
        async move { create_lot(&coop, &slug, &request).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            untrack(|| match r {
                Ok(lot) => {
                    created.set(Some(lot.lot_code.clone()));
                    errors.set(Errors::new());
                    failure.set(None);
                    lot_code.set(String::new());
                    on_created.run(lot);
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let has_inspection = !lab.get_untracked().trim().is_empty() || !result.get_untracked().trim().is_empty();
        let request = LotRequest {
            gtin: gtin.get_untracked(),
            lot_code: lot_code.get_untracked(),
            quantity: quantity.get_untracked().trim().replace('.', "").parse().unwrap_or(0),
            unit: unit.get_untracked(),
            plot_code: plot_code.get_untracked(),
            area: area.get_untracked(),
            province_code: where_.with_untracked(|w| w.province.parse().unwrap_or(0)),
            commune_code: where_.with_untracked(|w| w.commune.parse().unwrap_or(0)),
            produced_on: produced_on.get_untracked(),
            best_before: best_before.get_untracked(),
            practices: practices.get_untracked(),
            inputs: inputs.get_untracked().lines().map(str::to_owned).collect(),
            inspections: if has_inspection {
                vec![InspectionInput {
                    lab: lab.get_untracked(),
                    tested_on: tested_on.get_untracked(),
                    result: result.get_untracked(),
                    passed: passed.get_untracked(),
                    document_url: document_url.get_untracked(),
                }]
            } else {
                Vec::new()
            },
        };
        created.set(None);
        failure.set(None);
        let today = today_vn().unwrap_or_else(|| domain::catalog::Date::parse("2100-01-01").expect("a date"));
        match request.validate(&today) {
            Ok(_) => {
                errors.set(Errors::new());
                save.dispatch(request);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let err = move |f: &'static str| field_error(errors, f);
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some()).to_string();
    view! {
        <form class="lot-form" novalidate on:submit=on_submit>
            {move || created.get().map(|code| view! {
                <p class="notice" role="status">{t!(i18n, lot_created)}" "<strong class="mono">{code}</strong></p>
            })}
            <div class="field">
                <label for="lot-gtin">{t!(i18n, lot_pack)}</label>
                <select id="lot-gtin" name="gtin" aria-invalid=invalid("gtin") aria-describedby="lot-gtin-error"
                    prop:value=move || gtin.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(p) = packs.with_value(|ps| ps.iter().find(|p| p.gtin.as_str() == v).cloned()) {
                            unit.set(p.unit.clone());
                        }
                        gtin.set(v);
                    }>
                    {packs.with_value(|ps| ps.iter().map(|p| {
                        let value = p.gtin.to_string();
                        let selected = gtin.get_untracked() == value;
                        view! { <option value=value.clone() selected=selected>{p.label.clone()}" – "{value.clone()}</option> }
                    }).collect_view())}
                </select>
                <FieldMessage id="lot-gtin-error" error=err("gtin")/>
            </div>
            <div class="form-row">
                <TextField id="lot_code" value=lot_code error=err("lot_code") required=true maxlength=20u32 autocomplete="off"
                    placeholder="ST25-2026-HX01" hint=move || t!(i18n, lot_code_hint)>
                    {t!(i18n, lot_code_label)}
                </TextField>
                <TextField id="lot_quantity" value=quantity error=err("quantity") required=true inputmode="numeric" autocomplete="off">
                    {t!(i18n, trace_quantity)}
                </TextField>
                <TextField id="lot_unit" value=unit error=err("unit") required=true maxlength=20u32 autocomplete="off">
                    {t!(i18n, lot_unit)}
                </TextField>
            </div>
            <div class="form-row">
                <TextField id="lot_produced_on" kind="date" value=produced_on error=err("produced_on") required=true>
                    {t!(i18n, lot_produced_on)}
                </TextField>
                <TextField id="lot_best_before" kind="date" value=best_before error=err("best_before") required=true>
                    {t!(i18n, trace_best_before)}
                </TextField>
            </div>
            <fieldset>
                <legend>{t!(i18n, trace_area)}</legend>
                <div class="form-row">
                    <TextField id="lot_plot_code" value=plot_code error=err("plot_code") maxlength=40u32 autocomplete="off"
                        placeholder="VN-92-ST25-017" hint=move || t!(i18n, lot_plot_hint)>
                        {t!(i18n, trace_plot_code)}
                    </TextField>
                    <TextField id="lot_area" value=area error=err("area") maxlength=200u32 autocomplete="off">
                        {t!(i18n, lot_area)}
                    </TextField>
                </div>
                <div class="form-row">
                    <div class="field">
                        <label for="lot-province">{t!(i18n, province)}</label>
                        <select id="lot-province" name="province" aria-invalid=invalid("province_code") aria-describedby="lot-province-error"
                            prop:value=move || where_.with(|w| w.province.clone())
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                where_.update(|w| { w.province = v; w.commune.clear(); });
                            }>
                            <option value="">{t!(i18n, choose_province)}</option>
                            {geo::provinces_by_name().into_iter().map(|p| {
                                let selected = where_.with_untracked(|w| w.province == p.code.to_string());
                                view! { <option value=p.code.to_string() selected=selected>{p.name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage id="lot-province-error" error=err("province_code")/>
                    </div>
                    <div class="field">
                        <label for="lot-commune">{t!(i18n, commune)}</label>
                        <select id="lot-commune" name="commune" aria-invalid=invalid("commune_code") aria-describedby="lot-commune-error"
                            disabled=move || where_.with(|w| w.province.is_empty())
                            prop:value=move || where_.with(|w| w.commune.clone())
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                where_.update(|w| w.commune = v);
                            }>
                            <option value="">{t!(i18n, choose_commune)}</option>
                            {move || communes.get().unwrap_or_default().into_iter().map(|c| {
                                let selected = where_.with_untracked(|w| w.commune == c.code.to_string());
                                view! { <option value=c.code.to_string() selected=selected>{c.name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage id="lot-commune-error" error=err("commune_code")/>
                    </div>
                </div>
            </fieldset>
            <div class="field">
                <label for="lot-practices">{t!(i18n, trace_practices)}</label>
                <textarea id="lot-practices" name="practices" rows="3" maxlength="2000" aria-invalid=invalid("practices")
                    aria-describedby="lot-practices-error"
                    placeholder=move || t_string!(i18n, lot_practices_placeholder)
                    prop:value=move || practices.get() on:input=move |ev| practices.set(event_target_value(&ev))></textarea>
                <FieldMessage id="lot-practices-error" error=err("practices")/>
            </div>
            <div class="field">
                <label for="lot-inputs">{t!(i18n, trace_inputs)}</label>
                <textarea id="lot-inputs" name="inputs" rows="3" aria-invalid=invalid("inputs") aria-describedby="lot-inputs-hint lot-inputs-error"
                    prop:value=move || inputs.get() on:input=move |ev| inputs.set(event_target_value(&ev))></textarea>
                <p id="lot-inputs-hint" class="hint">{t!(i18n, lot_inputs_hint)}</p>
                <FieldMessage id="lot-inputs-error" error=err("inputs")/>
            </div>
            <fieldset>
                <legend>{t!(i18n, trace_inspections)}</legend>
                <div class="form-row">
                    <TextField id="lot_lab" value=lab error=err("inspections.0.lab") maxlength=200u32 autocomplete="off"
                        placeholder="Quatest 3">
                        {t!(i18n, lot_lab)}
                    </TextField>
                    <TextField id="lot_tested_on" kind="date" value=tested_on error=err("inspections.0.tested_on")>
                        {t!(i18n, lot_tested_on)}
                    </TextField>
                </div>
                <TextField id="lot_result" value=result error=err("inspections.0.result") maxlength=500u32 autocomplete="off">
                    {t!(i18n, lot_result)}
                </TextField>
                <label class="check">
                    <input type="checkbox" name="passed" prop:checked=move || passed.get() on:change=move |ev| passed.set(event_target_checked(&ev))/>
                    <span>{t!(i18n, trace_passed)}</span>
                </label>
                <TextField id="lot_document_url" kind="url" value=document_url error=err("inspections.0.document_url") autocomplete="off"
                    placeholder="https://…">
                    {t!(i18n, lot_document)}
                </TextField>
            </fieldset>
            {move || failure.get().map(|error| view! { <FormError error/> })}
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t_string!(i18n, lot_creating) } else { t_string!(i18n, lot_create) }}
            </button>
        </form>
    }
}

#[component]
fn EventForm(coop: String, lot_id: i64, plot: String, #[prop(into)] on_added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(coop);
    let kind = RwSignal::new(String::new());
    let at = RwSignal::new(now_vn().input_value().to_owned());
    let place = RwSignal::new(String::new());
    let location_code = RwSignal::new(plot);
    let actor = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let photos = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let added = RwSignal::new(None::<EventKind>);
    let save = Action::new_local(move |request: &EventRequest| {
        let (coop, request) = (coop.get_value(), request.clone());
        async move { add_event(&coop, lot_id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            untrack(|| match r {
                Ok(e) => {
                    added.set(Some(e.kind));
                    errors.set(Errors::new());
                    failure.set(None);
                    kind.set(String::new());
                    note.set(String::new());
                    photos.set(String::new());
                    on_added.run(());
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let request = EventRequest {
            kind: EventKind::from_code(&kind.get_untracked()),
            at: at.get_untracked(),
            place: place.get_untracked(),
            location_code: location_code.get_untracked(),
            actor: actor.get_untracked(),
            note: note.get_untracked(),
            photos: photos.get_untracked().lines().map(str::to_owned).collect(),
        };
        added.set(None);
        failure.set(None);
        match request.validate(&now_vn()) {
            Ok(_) => {
                errors.set(Errors::new());
                save.dispatch(request);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let err = move |f: &'static str| field_error(errors, f);
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some()).to_string();
    view! {
        <form class="event-form panel-form" novalidate on:submit=on_submit>
            <h4>{t!(i18n, event_add)}</h4>
            <p class="hint">{t!(i18n, event_append_only)}</p>
            {move || added.get().map(|k| view! {
                <p class="notice" role="status">{t!(i18n, event_added)}": "<strong>{move || k.name(lang())}</strong></p>
            })}
            <div class="form-row">
                <div class="field">
                    <label for="event-kind">{t!(i18n, event_kind)}</label>
                    <select id="event-kind" name="kind" required aria-invalid=invalid("kind") aria-describedby="event-kind-error"
                        prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, event_choose_kind)}</option>
                        {EventKind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.code()>{move || k.name(lang())}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="event-kind-error" error=err("kind")/>
                </div>
                <TextField id="event_at" kind="datetime-local" value=at error=err("at") required=true>
                    {t!(i18n, event_at)}
                </TextField>
            </div>
            <div class="form-row">
                <TextField id="event_place" value=place error=err("place") required=true maxlength=200u32 autocomplete="off"
                    hint=move || t!(i18n, event_place_hint)>
                    {t!(i18n, event_place)}
                </TextField>
                <TextField id="event_location_code" value=location_code error=err("location_code") maxlength=40u32 autocomplete="off">
                    {t!(i18n, trace_location_code)}
                </TextField>
            </div>
            <TextField id="event_actor" value=actor error=err("actor") required=true maxlength=120u32 autocomplete="off">
                {t!(i18n, trace_actor)}
            </TextField>
            <div class="field">
                <label for="event-note">{t!(i18n, event_note)}</label>
                <textarea id="event-note" name="note" rows="2" maxlength="1000" aria-invalid=invalid("note") aria-describedby="event-note-error"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <FieldMessage id="event-note-error" error=err("note")/>
            </div>
            <div class="field">
                <label for="event-photos">{t!(i18n, event_photos)}</label>
                <textarea id="event-photos" name="photos" rows="2" aria-invalid=move || errors.with(|e| e.0.keys().any(|k| k.starts_with("photos"))).to_string()
                    aria-describedby="event-photos-hint event-photos-error"
                    prop:value=move || photos.get() on:input=move |ev| photos.set(event_target_value(&ev))></textarea>
                <p id="event-photos-hint" class="hint">{t!(i18n, event_photos_hint)}</p>
                <FieldMessage id="event-photos-error" error=Signal::derive(move || errors.with(|e| {
                    e.0.iter().find(|(k, _)| k.starts_with("photos")).map(|(_, v)| v.clone())
                }))/>
            </div>
            {move || failure.get().map(|error| view! { <FormError error/> })}
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t_string!(i18n, event_adding) } else { t_string!(i18n, event_add) }}
            </button>
        </form>
    }
}
