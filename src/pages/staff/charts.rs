//! Small charts drawn as SVG by the app (no chart library: a few hundred bytes of wasm
//! each). Labels and values are HTML text, so they stay readable at any width; the bars
//! are SVG rectangles that stretch with the layout. Every chart has an accessible name;
//! the numbers are also in a table beside it.

use leptos::prelude::*;

/// One bar: a label, a value, and how to show the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

/// Horizontal bars, longest first as given, one per line: readable on a phone.
#[component]
pub fn BarChart(#[prop(into)] label: Signal<String>, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    view! {
        <div class="bar-chart" role="img" aria-label=label>
            {bars.into_iter().map(|b| {
                let width = (b.value.max(0) as f64 / max as f64 * 100.0).max(if b.value > 0 { 0.8 } else { 0.0 });
                view! {
                    <div class="bar-row" aria-hidden="true">
                        <span class="bar-label">{b.label}</span>
                        <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
                            <rect x="0" y="0" width="100" height="10" class="bar-bg"/>
                            <rect x="0" y="0" width=format!("{width:.2}") height="10" class="bar-fill"/>
                        </svg>
                        <span class="bar-value">{b.shown}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// One column of a time series: its short label (e.g. `T5`), a second line (the year
/// when it changes), and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub label: String,
    pub sublabel: String,
    pub value: i64,
    pub title: String,
}

/// Vertical columns over time (months): the bars are one SVG scaled to the width, the
/// labels a row of HTML under it.
#[component]
pub fn ColumnChart(#[prop(into)] label: Signal<String>, columns: Vec<Column>) -> impl IntoView {
    let n = columns.len().max(1);
    let max = columns.iter().map(|c| c.value).max().unwrap_or(0).max(1);
    let step = 100.0 / n as f64;
    let gap = (step * 0.2).min(2.0);
    view! {
        <figure class="column-chart" role="img" aria-label=label>
            <svg class="column-bars" viewBox="0 0 100 50" preserveAspectRatio="none" focusable="false" aria-hidden="true">
                <line x1="0" y1="49.8" x2="100" y2="49.8" class="axis"/>
                {columns.iter().enumerate().map(|(i, c)| {
                    let h = c.value.max(0) as f64 / max as f64 * 48.0;
                    view! {
                        <rect x=format!("{:.2}", i as f64 * step + gap / 2.0) y=format!("{:.2}", 49.6 - h)
                            width=format!("{:.2}", step - gap) height=format!("{h:.2}") class="column-fill">
                            <title>{c.title.clone()}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
            <div class="column-labels" aria-hidden="true">
                {columns.into_iter().map(|c| view! { <span>{c.label}<small>{c.sublabel}</small></span> }).collect_view()}
            </div>
        </figure>
    }
}

/// A share as a ring with the percentage in the middle.
#[component]
pub fn ShareRing(#[prop(into)] label: Signal<String>, permille: u32, shown: String) -> impl IntoView {
    // Circumference of r = 15.915 is 100, so the dash length is the percentage.
    let pct = f64::from(permille.min(1000)) / 10.0;
    view! {
        <div class="share-ring" role="img" aria-label=label>
            <svg viewBox="0 0 42 42" focusable="false" aria-hidden="true">
                <circle cx="21" cy="21" r="15.915" class="ring-bg"/>
                <circle cx="21" cy="21" r="15.915" class="ring-fill" stroke-dasharray=format!("{pct:.1} {:.1}", 100.0 - pct)
                    stroke-dashoffset="25"/>
            </svg>
            <span class="ring-value" aria-hidden="true">{shown}</span>
        </div>
    }
}
