//! The form that creates a lot: pack size by GTIN, lot code, quantity, growing area and
//! commune, dates, practices, inputs, an inspection.

use crate::{
    api::{self, ApiError},
    components::{
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error},
    },
    i18n::{t, t_string, use_i18n},
    pages::seller::api as seller_api,
    time::today_vn,
};
use domain::{
    geo,
    trace::{InspectionInput, Lot, LotRequest},
    validate::Errors,
};
use leptos::{ev, prelude::*};

/// The lot form's text, as typed.
#[derive(Clone, Debug, Default)]
struct LotDraft {
    province: String,
    commune: String,
}

#[component]
pub(super) fn LotForm(
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
        async move { seller_api::create_lot(&coop, &slug, &request).await }
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
