//! Printable traceability labels (tem truy xuất) of a lot: one label at
//! `/tem/{GTIN}/{lot}` and an A4 sheet of 21 (3 × 7, 70 × 42.3 mm, the common A4 sticker
//! sheet) at `/tem/{GTIN}/{lot}/a4`.
//!
//! Each label carries the QR code of exactly the lot's GS1 Digital Link (drawn by the
//! server as SVG, so it prints sharp at any size), the product, lot, dates, pack and
//! cooperative, and the human-readable trace code. Print CSS (style/main.css, "Lots")
//! hides everything else and sizes the labels in millimetres.

use crate::{
    i18n::{t, t_string, use_i18n},
    pages::lot::{LotA, LotNotFound, fetch_lot, link_in_address_bar},
    use_lang,
};
use domain::{
    geo,
    gs1::{self, DigitalLink},
    trace::TraceLot,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Labels on one A4 sheet.
pub const SHEET_LABELS: usize = 21;

#[component]
pub fn LabelPage() -> impl IntoView {
    view! { <Labels sheet=false/> }
}

#[component]
pub fn LabelSheetPage() -> impl IntoView {
    view! { <Labels sheet=true/> }
}

#[component]
fn Labels(sheet: bool) -> impl IntoView {
    let link = link_in_address_bar();
    let lot = Resource::new(
        move || link.get(),
        |link| async move {
            match link {
                Some(l) => fetch_lot(&l).await,
                // Not a lot link at all: the same answer as an unknown lot.
                None => Err(crate::api::ApiError::Http { status: 404, detail: None }),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <crate::session::PageSkeleton/> }>
            {move || Suspend::new(async move {
                match lot.await {
                    Ok(t) => view! { <LabelsView lot=t sheet/> }.into_any(),
                    Err(e) if e.is_not_found() => view! { <LotNotFound/> }.into_any(),
                    Err(error) => view! {
                        <crate::components::async_view::ErrorPanel error on_retry=move || lot.refetch()/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LabelsView(lot: TraceLot, sheet: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let link = DigitalLink::lot(lot.gtin.clone(), lot.lot_code.clone());
    let single_path = gs1::label_path(&lot.gtin, &lot.lot_code);
    let sheet_path = gs1::label_sheet_path(&lot.gtin, &lot.lot_code);
    let name = lot.product.name.clone();
    let labels = if sheet { SHEET_LABELS } else { 1 };
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, label_title), name.get(lang()))/>
        <div class="label-page" class:label-page-sheet=sheet>
            <header class="label-toolbar no-print">
                <h1>{move || if sheet { t_string!(i18n, label_sheet_title) } else { t_string!(i18n, label_title) }}</h1>
                <p class="muted">{t!(i18n, label_print_hint)}</p>
                <div class="label-actions">
                    <PrintButton/>
                    {if sheet {
                        view! { <LotA href=single_path class="button">{t!(i18n, label_single)}</LotA> }.into_any()
                    } else {
                        view! { <LotA href=sheet_path class="button">{t!(i18n, label_a4)}</LotA> }.into_any()
                    }}
                    <LotA href=link.path() class="button">{t!(i18n, trace_open_public)}</LotA>
                </div>
            </header>
            <div class="label-print" class:label-sheet=sheet class:label-single=!sheet>
                {(0..labels).map(|_| view! { <Label lot=lot.clone()/> }).collect_view()}
            </div>
        </div>
    }
}

/// The browser's print dialog (an island).
#[island]
fn PrintButton() -> impl IntoView {
    crate::island::enter();
    let i18n = use_i18n();
    let print = move |_| {
        let _ = window().print();
    };
    view! { <button type="button" class="button button-primary" on:click=print>{t!(i18n, label_print)}</button> }
}

/// One label: the QR code of the Digital Link and what a shop and a buyer read.
#[component]
pub fn Label(lot: TraceLot) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let qr = gs1::qr_path(&lot.gtin, &lot.lot_code);
    let name = lot.product.name.clone();
    let produced = lot.lot.produced_on.clone();
    let best_before = lot.lot.best_before.clone();
    let province = geo::province(lot.producer.province_code).map(|p| p.short_name).unwrap_or_default();
    let url = lot.url.clone();
    view! {
        <div class="label">
            <img class="label-qr" src=qr width="132" height="132"
                alt=move || format!("{}: {}", t_string!(i18n, label_qr_alt), url)/>
            <div class="label-text">
                <p class="label-name">{move || name.get(lang()).to_owned()}</p>
                <p class="label-pack">{lot.lot.pack_label.clone()}</p>
                <p class="label-lot">{t!(i18n, label_lot)}": "<strong class="mono">{lot.lot_code.clone()}</strong></p>
                <p class="label-dates">
                    {t!(i18n, label_produced)}" "{move || produced.format(domain::Lang::Vi)}
                    <br/>
                    {t!(i18n, label_best_before)}" "{move || best_before.format(domain::Lang::Vi)}
                </p>
                <p class="label-coop">{lot.producer.name.clone()}" – "{province}</p>
                <p class="label-code mono">{lot.trace_code.clone()}</p>
                <p class="label-scan">{t!(i18n, label_scan)}</p>
            </div>
        </div>
    }
}
