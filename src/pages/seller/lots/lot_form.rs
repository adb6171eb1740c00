//! The form that creates a lot: pack size by GTIN, lot code, quantity, growing area and
//! commune, dates, practices, inputs, an inspection.
//!
//! [`LotFields`] holds what is typed and the form's last try; the form's parts are small
//! components that each draw one group of fields from it.

use crate::{
    api,
    components::{
        field_error::FieldMessage,
        form::{FormFailure, FormState, SubmitButton, TextArea, TextField},
    },
    i18n::{t, t_string, use_i18n},
    pages::seller::api as seller_api,
    time::today_vn,
};
use domain::{
    catalog::Date,
    geo,
    trace::{InspectionInput, Lot, LotPack, LotPlace, LotRequest},
    validate::Errors,
};
use leptos::prelude::*;

/// Where the lot grew, as the selects hold it: codes as text ("" = not chosen).
#[derive(Clone, Debug, Default)]
struct LotDraft {
    province: String,
    commune: String,
}

/// The one inspection a new lot may carry, as typed.
#[derive(Clone, Copy)]
struct InspectionFields {
    lab: RwSignal<String>,
    tested_on: RwSignal<String>,
    result: RwSignal<String>,
    passed: RwSignal<bool>,
    document_url: RwSignal<String>,
}

impl InspectionFields {
    fn new() -> Self {
        Self {
            lab: RwSignal::new(String::new()),
            tested_on: RwSignal::new(String::new()),
            result: RwSignal::new(String::new()),
            passed: RwSignal::new(true),
            document_url: RwSignal::new(String::new()),
        }
    }

    /// The inspection to send: none while neither its lab nor its result is filled in.
    fn inputs(self) -> Vec<InspectionInput> {
        let has_inspection =
            !self.lab.get_untracked().trim().is_empty() || !self.result.get_untracked().trim().is_empty();
        if !has_inspection {
            return Vec::new();
        }
        vec![InspectionInput {
            lab: self.lab.get_untracked(),
            tested_on: self.tested_on.get_untracked(),
            result: self.result.get_untracked(),
            passed: self.passed.get_untracked(),
            document_url: self.document_url.get_untracked(),
        }]
    }
}

/// The lot form's state: what is typed, the last try, the lot created last (all signals
/// and stored values: `Copy`).
#[derive(Clone, Copy)]
struct LotFields {
    packs: StoredValue<Vec<LotPack>>,
    gtin: RwSignal<String>,
    unit: RwSignal<String>,
    lot_code: RwSignal<String>,
    quantity: RwSignal<String>,
    plot_code: RwSignal<String>,
    area: RwSignal<String>,
    where_: RwSignal<LotDraft>,
    produced_on: RwSignal<String>,
    best_before: RwSignal<String>,
    practices: RwSignal<String>,
    inputs: RwSignal<String>,
    inspection: InspectionFields,
    form: FormState,
    /// The code of the lot created last, for the notice above the form.
    created: RwSignal<Option<String>>,
}

impl LotFields {
    /// A new lot: of the first pack size, made today, where the cooperative is.
    fn new(packs: Vec<LotPack>, place: &LotPlace) -> Self {
        let first_pack = packs.first();
        let text = || RwSignal::new(String::new());
        Self {
            gtin: RwSignal::new(first_pack.map(|p| p.gtin.to_string()).unwrap_or_default()),
            unit: RwSignal::new(first_pack.map(|p| p.unit.clone()).unwrap_or_default()),
            packs: StoredValue::new(packs),
            lot_code: text(),
            quantity: text(),
            plot_code: text(),
            area: text(),
            where_: RwSignal::new(LotDraft {
                province: place.province_code.to_string(),
                commune: place.commune_code.to_string(),
            }),
            produced_on: RwSignal::new(today_vn().map(|d| d.as_str().to_owned()).unwrap_or_default()),
            best_before: text(),
            practices: text(),
            inputs: text(),
            inspection: InspectionFields::new(),
            form: FormState::new(),
            created: RwSignal::new(None),
        }
    }

    fn request(self) -> LotRequest {
        LotRequest {
            gtin: self.gtin.get_untracked(),
            lot_code: self.lot_code.get_untracked(),
            quantity: self.quantity.get_untracked().trim().replace('.', "").parse().unwrap_or(0),
            unit: self.unit.get_untracked(),
            plot_code: self.plot_code.get_untracked(),
            area: self.area.get_untracked(),
            province_code: self.where_.with_untracked(|w| w.province.parse().unwrap_or(0)),
            commune_code: self.where_.with_untracked(|w| w.commune.parse().unwrap_or(0)),
            produced_on: self.produced_on.get_untracked(),
            best_before: self.best_before.get_untracked(),
            practices: self.practices.get_untracked(),
            inputs: self.inputs.get_untracked().lines().map(str::to_owned).collect(),
            inspections: self.inspection.inputs(),
        }
    }

    /// The request as typed, if it passes the server's own rules.
    fn checked(self) -> Result<LotRequest, Errors> {
        let request = self.request();
        self.created.set(None);
        let today = today_vn().unwrap_or_else(|| Date::parse("2100-01-01").expect("a date"));
        request.validate(&today)?;
        Ok(request)
    }

    /// After a lot is created: the form stays as it was but for the lot code.
    fn created(self, lot: &Lot) {
        self.created.set(Some(lot.lot_code.clone()));
        self.lot_code.set(String::new());
    }
}

#[component]
pub(super) fn LotForm(
    coop: String,
    slug: String,
    packs: Vec<LotPack>,
    place: LotPlace,
    #[prop(into)] on_created: Callback<Lot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (coop, slug) = (StoredValue::new(coop), StoredValue::new(slug));
    let lot = LotFields::new(packs, &place);
    let save = Action::new_local(move |request: &LotRequest| {
        let (coop, slug, request) = (coop.get_value(), slug.get_value(), request.clone());
        async move { seller_api::create_lot(&coop, &slug, &request).await }
    });
    lot.form.on_answer(save, move |created: Lot| {
        lot.created(&created);
        on_created.run(created);
    });
    view! {
        <form class="lot-form" novalidate on:submit=lot.form.on_submit(save, move || lot.checked())>
            {move || lot.created.get().map(|code| view! {
                <p class="notice" role="status">{t!(i18n, lot_created)}" "<strong class="mono">{code}</strong></p>
            })}
            <PackSelect lot/>
            <LotBasics lot/>
            <GrowingArea lot/>
            <TextArea id="lot-practices" name="practices" value=lot.practices error=lot.form.error("practices") rows=3
                maxlength=2000 placeholder=move || t_string!(i18n, lot_practices_placeholder)>
                {t!(i18n, trace_practices)}
            </TextArea>
            <TextArea id="lot-inputs" name="inputs" value=lot.inputs error=lot.form.error("inputs") rows=3
                hint=move || t!(i18n, lot_inputs_hint)>
                {t!(i18n, trace_inputs)}
            </TextArea>
            <Inspection fields=lot.inspection form=lot.form/>
            <FormFailure failure=lot.form.failure/>
            <SubmitButton pending=save.pending() label=move || t_string!(i18n, lot_create)
                busy_label=move || t_string!(i18n, lot_creating)/>
        </form>
    }
}

/// The pack size, by its GTIN; choosing one takes its unit too.
#[component]
fn PackSelect(lot: LotFields) -> impl IntoView {
    let i18n = use_i18n();
    let LotFields { packs, gtin, unit, form, .. } = lot;
    view! {
        <div class="field">
            <label for="lot-gtin">{t!(i18n, lot_pack)}</label>
            <select id="lot-gtin" name="gtin" aria-invalid=form.invalid("gtin") aria-describedby="lot-gtin-error"
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
            <FieldMessage id="lot-gtin-error" error=form.error("gtin")/>
        </div>
    }
}

/// The lot code, the quantity and its unit; the production and best-before dates.
#[component]
fn LotBasics(lot: LotFields) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |f: &'static str| lot.form.error(f);
    view! {
        <div class="form-row">
            <TextField id="lot_code" value=lot.lot_code error=err("lot_code") required=true maxlength=20u32 autocomplete="off"
                placeholder="ST25-2026-HX01" hint=move || t!(i18n, lot_code_hint)>
                {t!(i18n, lot_code_label)}
            </TextField>
            <TextField id="lot_quantity" value=lot.quantity error=err("quantity") required=true inputmode="numeric" autocomplete="off">
                {t!(i18n, trace_quantity)}
            </TextField>
            <TextField id="lot_unit" value=lot.unit error=err("unit") required=true maxlength=20u32 autocomplete="off">
                {t!(i18n, lot_unit)}
            </TextField>
        </div>
        <div class="form-row">
            <TextField id="lot_produced_on" kind="date" value=lot.produced_on error=err("produced_on") required=true>
                {t!(i18n, lot_produced_on)}
            </TextField>
            <TextField id="lot_best_before" kind="date" value=lot.best_before error=err("best_before") required=true>
                {t!(i18n, trace_best_before)}
            </TextField>
        </div>
    }
}

/// The growing area: plot code, area, province and commune.
#[component]
fn GrowingArea(lot: LotFields) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |f: &'static str| lot.form.error(f);
    view! {
        <fieldset>
            <legend>{t!(i18n, trace_area)}</legend>
            <div class="form-row">
                <TextField id="lot_plot_code" value=lot.plot_code error=err("plot_code") maxlength=40u32 autocomplete="off"
                    placeholder="VN-92-ST25-017" hint=move || t!(i18n, lot_plot_hint)>
                    {t!(i18n, trace_plot_code)}
                </TextField>
                <TextField id="lot_area" value=lot.area error=err("area") maxlength=200u32 autocomplete="off">
                    {t!(i18n, lot_area)}
                </TextField>
            </div>
            <PlaceSelects where_=lot.where_ form=lot.form/>
        </fieldset>
    }
}

/// The province and commune selects; the communes are fetched when the province changes,
/// and choosing another province clears the commune.
#[component]
fn PlaceSelects(where_: RwSignal<LotDraft>, form: FormState) -> impl IntoView {
    let i18n = use_i18n();
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
    view! {
        <div class="form-row">
            <div class="field">
                <label for="lot-province">{t!(i18n, province)}</label>
                <select id="lot-province" name="province" aria-invalid=form.invalid("province_code") aria-describedby="lot-province-error"
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
                <FieldMessage id="lot-province-error" error=form.error("province_code")/>
            </div>
            <div class="field">
                <label for="lot-commune">{t!(i18n, commune)}</label>
                <select id="lot-commune" name="commune" aria-invalid=form.invalid("commune_code") aria-describedby="lot-commune-error"
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
                <FieldMessage id="lot-commune-error" error=form.error("commune_code")/>
            </div>
        </div>
    }
}

/// The lot's inspection: lab, date, result, whether it passed, its document.
#[component]
fn Inspection(fields: InspectionFields, form: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let InspectionFields { lab, tested_on, result, passed, document_url } = fields;
    view! {
        <fieldset>
            <legend>{t!(i18n, trace_inspections)}</legend>
            <div class="form-row">
                <TextField id="lot_lab" value=lab error=form.error("inspections.0.lab") maxlength=200u32 autocomplete="off"
                    placeholder="Quatest 3">
                    {t!(i18n, lot_lab)}
                </TextField>
                <TextField id="lot_tested_on" kind="date" value=tested_on error=form.error("inspections.0.tested_on")>
                    {t!(i18n, lot_tested_on)}
                </TextField>
            </div>
            <TextField id="lot_result" value=result error=form.error("inspections.0.result") maxlength=500u32 autocomplete="off">
                {t!(i18n, lot_result)}
            </TextField>
            <label class="check">
                <input type="checkbox" name="passed" prop:checked=move || passed.get() on:change=move |ev| passed.set(event_target_checked(&ev))/>
                <span>{t!(i18n, trace_passed)}</span>
            </label>
            <TextField id="lot_document_url" kind="url" value=document_url error=form.error("inspections.0.document_url") autocomplete="off"
                placeholder="https://…">
                {t!(i18n, lot_document)}
            </TextField>
        </fieldset>
    }
}
