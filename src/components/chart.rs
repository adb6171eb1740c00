//! Small charts drawn as inline SVG, readable on a 360 px phone: a column chart (sales
//! per day) and a list of horizontal bars (revenue by product, buyers by province).
//!
//! No `viewBox`: x positions and widths are percentages of the chart's width and heights
//! are pixels, so the chart stretches to any width while its text keeps its size. Each
//! chart carries a text alternative: the column chart a summary (`aria-label`) plus a
//! data table its page puts next to it; the bar list writes every value as text.

use leptos::prelude::*;

/// One column of a [`ColumnChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Short axis label, e.g. `22/11`; only some columns show theirs.
    pub label: String,
    /// The tooltip: the full date and value.
    pub title: String,
    pub value: i64,
}

const HEIGHT: f64 = 200.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 24.0;
const PLOT: f64 = HEIGHT - TOP - BOTTOM;

/// The smallest "round" number (1, 2, 2.5 or 5 × 10ⁿ) at or above `v`.
pub fn nice_ceiling(v: i64) -> i64 {
    if v <= 0 {
        return 1;
    }
    let mut magnitude: i64 = 1;
    while magnitude.saturating_mul(10) <= v {
        magnitude *= 10;
    }
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let candidate = (magnitude as f64 * step) as i64;
        if candidate >= v {
            return candidate;
        }
    }
    magnitude.saturating_mul(10)
}

/// Columns over time with three gridlines (0, half, top) labelled by `format_tick`.
#[component]
pub fn ColumnChart<F>(
    columns: Vec<Column>,
    /// The id of the element that sums the chart up in words (its accessible name); the
    /// page puts the data table next to it.
    #[prop(into)]
    labelledby: String,
    format_tick: F,
) -> impl IntoView
where
    F: Fn(i64) -> String + 'static,
{
    let n = columns.len().max(1);
    let highest = columns.iter().map(|c| c.value).max().unwrap_or(0);
    let top = nice_ceiling(highest);
    // Nothing sold: only the zero line.
    let ticks = if highest <= 0 { vec![0] } else { vec![top, top / 2, 0] };
    let y = |v: i64| TOP + PLOT - (v.max(0) as f64 / top as f64) * PLOT;
    let slot = 100.0 / n as f64;
    // About five labels, always one under the last (most recent) column.
    let step = n.div_ceil(5).max(1);
    let grid = ticks
        .into_iter()
        .map(|v| {
            let gy = y(v);
            view! {
                <line class="chart-grid" x1="0" x2="100%" y1=gy y2=gy/>
                <text class="chart-tick" x="0" y=gy - 4.0>{format_tick(v)}</text>
            }
        })
        .collect_view();
    let bars = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let top_y = y(c.value);
            let mut h = TOP + PLOT - top_y;
            if c.value > 0 && h < 2.0 {
                h = 2.0;
            }
            view! {
                <rect class="chart-bar" x=format!("{:.3}%", i as f64 * slot + slot * 0.15) y=TOP + PLOT - h
                    width=format!("{:.3}%", slot * 0.7) height=h rx="1.5">
                    <title>{c.title.clone()}</title>
                </rect>
            }
        })
        .collect_view();
    let labels = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| (n - 1 - i).is_multiple_of(step))
        .map(|(i, c)| {
            let center = (i as f64 + 0.5) * slot;
            let (x, anchor) = if center < 10.0 {
                (i as f64 * slot, "start")
            } else if center > 90.0 {
                ((i + 1) as f64 * slot, "end")
            } else {
                (center, "middle")
            };
            view! {
                <text class="chart-label" x=format!("{x:.3}%") y=HEIGHT - 6.0 text-anchor=anchor>{c.label.clone()}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="chart-columns" width="100%" height=HEIGHT role="img" aria-labelledby=labelledby>
            {grid}
            {bars}
            <line class="chart-axis" x1="0" x2="100%" y1=TOP + PLOT y2=TOP + PLOT/>
            {labels}
        </svg>
    }
}

/// One row of a [`BarList`].
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// The value as people read it (`1.943.000 ₫`, `3 người mua · 4 đơn`).
    pub value_text: String,
}

/// Horizontal bars, one per row, each under its label and value written as text: the
/// list is its own text alternative, the bars only help the eye compare.
#[component]
pub fn BarList(
    bars: Vec<Bar>,
    /// The list's accessible name.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    view! {
        <ul class="bar-list" aria-label=label>
            {bars.into_iter().map(|b| {
                let pct = (b.value.max(0) as f64 / max as f64 * 100.0).max(if b.value > 0 { 1.0 } else { 0.0 });
                view! {
                    <li>
                        <div class="bar-list-text">
                            <span class="bar-list-label">{b.label}</span>
                            <strong class="bar-list-value">{b.value_text}</strong>
                        </div>
                        <svg class="bar-list-bar" width="100%" height="10" aria-hidden="true" focusable="false">
                            <rect class="chart-bar-track" width="100%" height="10" rx="5"/>
                            <rect class="chart-bar-fill" width=format!("{pct:.2}%") height="10" rx="5"/>
                        </svg>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn rounds_up_to_a_readable_top() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(180_000), 200_000);
        assert_eq!(nice_ceiling(230_000), 250_000);
        assert_eq!(nice_ceiling(1_943_000), 2_000_000);
        assert_eq!(nice_ceiling(4_100_000), 5_000_000);
        assert_eq!(nice_ceiling(1_000_000), 1_000_000);
    }
}
