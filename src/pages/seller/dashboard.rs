//! `/ban-hang/{coop}`: what needs doing (orders waiting, pack sizes running out) and how
//! sales go (a 30/90-day chart, revenue by product, buyers by province).

use super::{api, counted, use_seller};
use crate::{
    components::{
        async_view::Loaded,
        chart::{Bar, BarList, Column, ColumnChart},
    },
    i18n::{t, t_string, use_i18n},
    pages::order::{local_time, status_label},
    routes, use_lang,
};
use domain::{Lang, geo, money::Vnd, seller::Dashboard};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let coop = StoredValue::new(use_seller().slug());
    let data = LocalResource::new(move || {
        let coop = coop.get_value();
        async move { api::dashboard(&coop).await }
    });
    view! {
        <Title text=move || t_string!(i18n, seller_nav_dashboard)/>
        <h1 class="seller-title">{t!(i18n, seller_dashboard_title)}</h1>
        <Loaded resource=data skeleton=DashboardSkeleton let:d>
            <DashboardView d/>
        </Loaded>
    }
}

#[component]
fn DashboardSkeleton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div aria-busy="true">
            <span class="visually-hidden">{t!(i18n, loading)}</span>
            <div class="seller-kpis">
                <div class="seller-kpi skeleton-line"></div>
                <div class="seller-kpi skeleton-line"></div>
            </div>
            <div class="skeleton-block"></div>
        </div>
    }
}

/// How many waiting orders the dashboard lists.
const AWAITING_SHOWN: usize = 6;

/// Short amounts for chart ticks: `1,5 tr` / `₫1.5M`.
pub fn compact_vnd(v: i64, lang: Lang) -> String {
    let (value, unit_vi, unit_en) = match v.abs() {
        a if a >= 1_000_000_000 => (v as f64 / 1e9, " tỷ", "B"),
        a if a >= 1_000_000 => (v as f64 / 1e6, " tr", "M"),
        a if a >= 1_000 => (v as f64 / 1e3, "k", "K"),
        _ => (v as f64, "", ""),
    };
    let mut number = format!("{value:.2}");
    while number.contains('.') && (number.ends_with('0') || number.ends_with('.')) {
        number.pop();
    }
    match lang {
        Lang::Vi => format!("{}{unit_vi}", number.replace('.', ",")),
        Lang::En => format!("₫{number}{unit_en}"),
    }
}

/// `2026-11-22` → `22/11`.
fn day_month(date: &str) -> String {
    match (date.get(8..10), date.get(5..7)) {
        (Some(d), Some(m)) => format!("{d}/{m}"),
        _ => date.to_owned(),
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = use_seller().slug();
    let Dashboard {
        awaiting,
        low_stock,
        daily,
        revenue_30,
        revenue_90,
        unconfirmed_30,
        revenue_by_product,
        buyers_by_province,
    } = d;
    let (awaiting_count, low_count) = (awaiting.len(), low_stock.len());
    let orders_href = routes::seller_orders(&coop);
    view! {
        <ul class="seller-kpis">
            <li class="seller-kpi">
                <span class="seller-kpi-label">{t!(i18n, seller_revenue_30)}</span>
                <strong class="seller-kpi-value">{move || revenue_30.format(lang())}</strong>
            </li>
            <li class="seller-kpi">
                <span class="seller-kpi-label">{t!(i18n, seller_revenue_90)}</span>
                <strong class="seller-kpi-value">{move || revenue_90.format(lang())}</strong>
            </li>
            <li class="seller-kpi">
                <span class="seller-kpi-label">{t!(i18n, seller_unconfirmed_30)}</span>
                <strong class="seller-kpi-value unconfirmed-value">{move || unconfirmed_30.format(lang())}</strong>
            </li>
            <li class="seller-kpi" class:attention={awaiting_count > 0}>
                <span class="seller-kpi-label">{t!(i18n, seller_orders_waiting)}</span>
                <strong class="seller-kpi-value">{awaiting_count}</strong>
            </li>
            <li class="seller-kpi" class:attention={low_count > 0}>
                <span class="seller-kpi-label">{t!(i18n, seller_low_stock)}</span>
                <strong class="seller-kpi-value">{low_count}</strong>
            </li>
        </ul>
        <p class="muted kpi-note">{t!(i18n, seller_revenue_explained)}</p>
        <div class="dashboard-grid">
            <SalesChart daily/>
            <section class="section seller-card" aria-labelledby="waiting-title">
                <div class="section-head">
                    <h2 id="waiting-title">{t!(i18n, seller_orders_waiting)}</h2>
                    <A href=orders_href attr:class="see-all">{t!(i18n, see_all)}</A>
                </div>
                {if awaiting.is_empty() {
                    view! { <p class="muted">{t!(i18n, seller_no_orders_waiting)}</p> }.into_any()
                } else {
                    // The oldest first; the rest are one tap away on the orders page.
                    let more = awaiting.len().saturating_sub(AWAITING_SHOWN);
                    let more_href = routes::seller_orders(&coop);
                    view! {
                        <ul class="seller-rows">
                            {awaiting.into_iter().take(AWAITING_SHOWN).map(|o| {
                                let href = routes::seller_order(&coop, &o.summary.number);
                                let (status, total) = (o.summary.status, o.summary.total);
                                let province = geo::province(o.province_code).map(|p| p.short_name).unwrap_or_default();
                                view! {
                                    <li>
                                        <A href=href attr:class="seller-row">
                                            <span class="seller-row-main">
                                                <span class="order-number">{o.summary.number.clone()}</span>
                                                <span class="muted">{o.buyer_name.clone()}" · "{province}" · "{local_time(&o.summary.created_at)}</span>
                                            </span>
                                            <span class="seller-row-side">
                                                <span class="badge" data-status=status.code()>{move || status_label(i18n, status)}</span>
                                                <strong>{move || total.format(lang())}</strong>
                                            </span>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! {
                            <A href=more_href attr:class="see-all">{t!(i18n, seller_more_orders, count = more)}</A>
                        })}
                    }.into_any()
                }}
            </section>
            <section class="section seller-card" aria-labelledby="low-title">
                <h2 id="low-title">{t!(i18n, seller_low_stock)}</h2>
                {if low_stock.is_empty() {
                    view! { <p class="muted">{t!(i18n, seller_no_low_stock)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="seller-rows">
                            {low_stock.into_iter().map(|l| {
                                let href = routes::seller_product(&coop, &l.product_slug);
                                let name = l.product_name.clone();
                                let stock = l.stock;
                                view! {
                                    <li>
                                        <A href=href attr:class="seller-row">
                                            <span class="seller-row-main">
                                                <span class="seller-row-title">{move || name.get(lang()).to_owned()}</span>
                                                <span class="muted">{l.variant_label.clone()}</span>
                                            </span>
                                            <span class="seller-row-side">
                                                <strong class="stock-left" class:none={stock == 0}>
                                                    {move || if stock == 0 { t_string!(i18n, out_of_stock).to_owned() } else { format!("{} {stock}", t_string!(i18n, seller_stock_left)) }}
                                                </strong>
                                            </span>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="section seller-card" aria-labelledby="by-product-title">
                <h2 id="by-product-title">{t!(i18n, seller_revenue_by_product)}</h2>
                <p class="muted chart-period">{t!(i18n, seller_last_90_days)}</p>
                {move || {
                    if revenue_by_product.is_empty() {
                        return view! { <p class="muted">{t!(i18n, seller_no_sales)}</p> }.into_any();
                    }
                    let l = lang();
                    let bars = revenue_by_product.iter().map(|p| Bar {
                        label: p.name.get(l).to_owned(),
                        value: p.revenue.dong(),
                        value_text: format!("{} · ×{}", p.revenue.format(l), p.quantity),
                    }).collect();
                    view! { <BarList bars label=t_string!(i18n, seller_revenue_by_product)/> }.into_any()
                }}
            </section>
            <section class="section seller-card" aria-labelledby="by-province-title">
                <h2 id="by-province-title">{t!(i18n, seller_buyers_by_province)}</h2>
                <p class="muted chart-period">{t!(i18n, seller_last_90_days)}</p>
                {move || {
                    if buyers_by_province.is_empty() {
                        return view! { <p class="muted">{t!(i18n, seller_no_sales)}</p> }.into_any();
                    }
                    let bars = buyers_by_province.iter().map(|p| Bar {
                        label: geo::province(p.province_code).map(|p| p.short_name).unwrap_or("?").to_owned(),
                        value: p.buyers as i64,
                        value_text: format!(
                            "{} · {}",
                            counted(p.buyers, t_string!(i18n, seller_buyer_unit_one), t_string!(i18n, seller_buyers_unit)),
                            counted(p.orders, t_string!(i18n, seller_order_unit_one), t_string!(i18n, seller_orders_unit)),
                        ),
                    }).collect();
                    view! { <BarList bars label=t_string!(i18n, seller_buyers_by_province)/> }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn SalesChart(daily: Vec<domain::seller::DaySales>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let days = RwSignal::new(30usize);
    let daily = StoredValue::new(daily);
    let shown = move || {
        daily.with_value(|all| {
            let n = days.get().min(all.len());
            all[all.len() - n..].to_vec()
        })
    };
    let chart = move || {
        let l = lang();
        let list = shown();
        let (one, many) = (t_string!(i18n, seller_order_unit_one), t_string!(i18n, seller_orders_unit));
        let columns = list
            .iter()
            .map(|d| Column {
                label: day_month(d.date.as_str()),
                title: format!("{}: {} · {}", d.date.format(l), d.revenue.format(l), counted(d.orders, one, many)),
                value: d.revenue.dong(),
            })
            .collect();
        view! { <ColumnChart columns labelledby="sales-summary" format_tick=move |v| compact_vnd(v, l)/> }
    };
    let summary = move || {
        let list = shown();
        let revenue = Vnd::checked_sum(list.iter().map(|d| d.revenue)).unwrap_or(Vnd::ZERO);
        let orders: u32 = list.iter().map(|d| d.orders).sum();
        let best = list.iter().filter(|d| d.revenue > Vnd::ZERO).max_by_key(|d| d.revenue).cloned();
        let l = lang();
        let n = days.get();
        let orders = counted(orders, t_string!(i18n, seller_order_unit_one), t_string!(i18n, seller_orders_unit));
        view! {
            {t!(i18n, seller_sales_summary, days = n, revenue = revenue.format(l), orders = orders)}
            {best.map(|b| view! { " "{t!(i18n, seller_sales_best_day, day = b.date.format(l), revenue = b.revenue.format(l))} })}
        }
    };
    let table = move || {
        let l = lang();
        shown()
            .into_iter()
            .rev()
            .map(|d| {
                view! {
                    <tr>
                        <th scope="row">{d.date.format(l)}</th>
                        <td>{d.orders}</td>
                        <td>{d.revenue.format(l)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="section seller-card sales" aria-labelledby="sales-title">
            <div class="section-head">
                <h2 id="sales-title">{t!(i18n, seller_sales)}</h2>
                <div class="segmented" role="group" aria-label=move || t_string!(i18n, seller_sales_period)>
                    <button type="button" aria-pressed=move || (days.get() == 30).to_string() on:click=move |_| days.set(30)>
                        {t!(i18n, seller_days_30)}
                    </button>
                    <button type="button" aria-pressed=move || (days.get() == 90).to_string() on:click=move |_| days.set(90)>
                        {t!(i18n, seller_days_90)}
                    </button>
                </div>
            </div>
            <p id="sales-summary" class="chart-caption">{summary}</p>
            {chart}
            <details class="chart-table">
                <summary>{t!(i18n, seller_show_table)}</summary>
                <div class="seller-table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, seller_day)}</th>
                                <th scope="col">{t!(i18n, seller_orders_count)}</th>
                                <th scope="col">{t!(i18n, seller_revenue)}</th>
                            </tr>
                        </thead>
                        <tbody>{table}</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}
