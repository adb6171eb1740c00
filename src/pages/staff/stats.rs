//! `/xuc-tien/thong-ke`: the alliance's statistics — cooperatives by province and kind,
//! published products by category, orders and sales per month, the share of
//! cooperatives with traceability lots, top products and new cooperatives. A date range
//! filters what happened over time; each table downloads as CSV (Vietnamese headers,
//! UTF-8 with BOM, made by the server).

use super::{
    StaffArea, Tab,
    charts::{Bar, BarChart, Column, ColumnChart, ShareRing},
};
use crate::{
    api,
    components::{async_view::Loaded, field_error::FieldMessage},
    i18n::{t, t_string, use_i18n},
    pages::{account::coop_status_label, order::local_time},
    use_lang,
};
use domain::{
    Lang,
    catalog::Date,
    curation::{Stats, StatsTable},
    geo,
    money::Vnd,
    validate::{Errors, FieldError},
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;

#[component]
pub fn StatsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, staff_tab_stats)/>
        <StaffArea tab=Tab::Stats>
            <Dashboard/>
        </StaffArea>
    }
}

fn province_name(code: u8) -> String {
    geo::province(code).map(|p| p.short_name.to_owned()).unwrap_or_else(|| code.to_string())
}

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The range asked for; empty: the server's default (the last twelve months).
    let applied = RwSignal::new((String::new(), String::new()));
    let errors = RwSignal::new(Errors::new());
    let stats = LocalResource::new(move || {
        let (f, t) = applied.get();
        async move { api::stats(&f, &t).await }
    });
    // Show the range the server used in the inputs.
    Effect::new(move |_| {
        if let Some(Ok(s)) = stats.get() {
            untrack(|| {
                from.set(s.from.as_str().to_owned());
                to.set(s.to.as_str().to_owned());
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let (f, t) = (from.get_untracked(), to.get_untracked());
        let mut e = Errors::new();
        let fd = Date::parse(&f);
        let td = Date::parse(&t);
        if fd.is_none() {
            e.add("from", FieldError::InvalidDate);
        }
        if td.is_none() {
            e.add("to", FieldError::InvalidDate);
        }
        if let (Some(a), Some(b)) = (&fd, &td)
            && b < a
        {
            e.add("to", FieldError::EndsBeforeStart);
        }
        if e.is_empty() {
            applied.set((f, t));
        }
        errors.set(e);
    };
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.get(f).cloned()));
    view! {
        <h1>{t!(i18n, staff_stats_title)}</h1>
        <form class="range-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="stats-from">{t!(i18n, staff_from)}</label>
                <input id="stats-from" type="date" prop:value=move || from.get() aria-describedby="stats-from-error"
                    aria-invalid=move || err("from").with(Option::is_some).to_string()
                    on:change=move |ev| from.set(event_target_value(&ev))/>
                <FieldMessage id="stats-from-error" error=err("from")/>
            </div>
            <div class="field">
                <label for="stats-to">{t!(i18n, staff_to)}</label>
                <input id="stats-to" type="date" prop:value=move || to.get() aria-describedby="stats-to-error"
                    aria-invalid=move || err("to").with(Option::is_some).to_string()
                    on:change=move |ev| to.set(event_target_value(&ev))/>
                <FieldMessage id="stats-to-error" error=err("to")/>
            </div>
            <button type="submit" class="button">{t!(i18n, staff_apply)}</button>
        </form>
        <Loaded resource=stats skeleton=|| view! { <div class="skeleton-block"></div> } let:s>
            <StatsView stats=s/>
        </Loaded>
    }
}

/// A table's CSV download link for the range shown.
#[component]
fn Csv(table: StatsTable, from: Date, to: Date) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="button button-small csv-link" data-table=table.code() href=api::stats_csv_url(table, from.as_str(), to.as_str()) download="">
            {t!(i18n, staff_download_csv)}
        </a>
    }
}

fn month_label(month: &str, first: bool, lang: Lang) -> (String, String, String) {
    let (y, m) = month.split_once('-').unwrap_or((month, ""));
    let short = m.trim_start_matches('0').to_owned();
    let year = if first || m == "01" { y.to_owned() } else { String::new() };
    let long = match lang {
        Lang::Vi => format!("{m}/{y}"),
        Lang::En => month.to_owned(),
    };
    (short, year, long)
}

#[component]
fn StatsView(stats: Stats) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let Stats {
        from,
        to,
        cooperatives_by_province,
        products_by_category,
        orders_by_month,
        traceability,
        top_products,
        new_cooperatives,
        new_this_month,
    } = stats;
    let total_orders: u32 = orders_by_month.iter().map(|m| m.orders).sum();
    let total_sales = Vnd::checked_sum(orders_by_month.iter().map(|m| m.sales)).unwrap_or(Vnd::MAX);
    let published: u32 = products_by_category.iter().map(|c| c.published).sum();
    let permille = traceability.share_permille();
    let share = move || match lang() {
        Lang::Vi => format!("{},{} %", permille / 10, permille % 10),
        Lang::En => format!("{}.{}%", permille / 10, permille % 10),
    };
    let range_text = {
        let (from, to) = (from.clone(), to.clone());
        move || format!("{} – {}", from.format(lang()), to.format(lang()))
    };
    let (f, tt) = (StoredValue::new(from.clone()), StoredValue::new(to.clone()));
    let csv = move |table: StatsTable| view! { <Csv table from=f.get_value() to=tt.get_value()/> };

    let months = StoredValue::new(orders_by_month);
    let provinces = StoredValue::new(cooperatives_by_province);
    let categories = StoredValue::new(products_by_category);
    let top = StoredValue::new(top_products);

    view! {
        <p class="muted">{t!(i18n, staff_range_shown)}" "{range_text}</p>
        <ul class="kpis">
            <li><span class="kpi-value">{traceability.cooperatives}</span><span class="kpi-label">{t!(i18n, staff_kpi_cooperatives)}</span></li>
            <li><span class="kpi-value">{published}</span><span class="kpi-label">{t!(i18n, staff_kpi_products)}</span></li>
            <li><span class="kpi-value">{total_orders}</span><span class="kpi-label">{t!(i18n, staff_kpi_orders)}</span></li>
            <li><span class="kpi-value">{move || total_sales.format(lang())}</span><span class="kpi-label">{t!(i18n, staff_kpi_sales)}</span></li>
            <li><span class="kpi-value">{share}</span><span class="kpi-label">{t!(i18n, staff_kpi_traceability)}</span></li>
            <li><span class="kpi-value">{new_this_month}</span><span class="kpi-label">{t!(i18n, staff_kpi_new_this_month)}</span></li>
        </ul>

        <div class="stats-grid">
            <section class="stats-card stats-wide" aria-labelledby="stats-orders-title">
                <div class="stats-head">
                    <h2 id="stats-orders-title">{t!(i18n, staff_stats_orders)}</h2>
                    {csv(StatsTable::Orders)}
                </div>
                {move || {
                    let columns = months.with_value(|ms| ms.iter().enumerate().map(|(i, m)| {
                        let (label, sublabel, long) = month_label(&m.month, i == 0, lang());
                        Column {
                            label,
                            sublabel,
                            value: m.sales.dong(),
                            title: format!("{long}: {} · {}", m.orders, m.sales.format(lang())),
                        }
                    }).collect::<Vec<_>>());
                    view! { <ColumnChart label=Signal::derive(move || t_string!(i18n, staff_chart_sales).to_owned()) columns/> }
                }}
                <details class="stats-table">
                    <summary>{t!(i18n, staff_show_table)}</summary>
                    <table>
                        <thead><tr><th scope="col">{t!(i18n, staff_month)}</th><th scope="col">{t!(i18n, staff_orders)}</th><th scope="col">{t!(i18n, staff_sales)}</th></tr></thead>
                        <tbody>
                            {move || months.with_value(|ms| ms.iter().map(|m| {
                                let (_, _, long) = month_label(&m.month, true, lang());
                                view! { <tr><th scope="row">{long}</th><td>{m.orders}</td><td>{m.sales.format(lang())}</td></tr> }
                            }).collect_view())}
                        </tbody>
                    </table>
                </details>
            </section>

            <section class="stats-card" aria-labelledby="stats-coops-title">
                <div class="stats-head">
                    <h2 id="stats-coops-title">{t!(i18n, staff_stats_cooperatives)}</h2>
                    {csv(StatsTable::Cooperatives)}
                </div>
                {move || {
                    let bars = provinces.with_value(|ps| ps.iter().take(10).map(|p| Bar {
                        label: province_name(p.province_code),
                        value: i64::from(p.total()),
                        shown: p.total().to_string(),
                    }).collect::<Vec<_>>());
                    view! { <BarChart label=Signal::derive(move || t_string!(i18n, staff_stats_cooperatives).to_owned()) bars/> }
                }}
                <details class="stats-table">
                    <summary>{t!(i18n, staff_show_table)}</summary>
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, staff_province)}</th>
                            <th scope="col">{move || domain::catalog::CoopKind::Htx.name(lang())}</th>
                            <th scope="col">{move || domain::catalog::CoopKind::Tht.name(lang())}</th>
                            <th scope="col">{move || domain::catalog::CoopKind::Union.name(lang())}</th>
                            <th scope="col">{t!(i18n, staff_total)}</th>
                        </tr></thead>
                        <tbody>
                            {provinces.with_value(|ps| ps.iter().map(|p| view! {
                                <tr><th scope="row">{province_name(p.province_code)}</th><td>{p.htx}</td><td>{p.tht}</td><td>{p.union}</td><td>{p.total()}</td></tr>
                            }).collect_view())}
                        </tbody>
                    </table>
                </details>
            </section>

            <section class="stats-card" aria-labelledby="stats-products-title">
                <div class="stats-head">
                    <h2 id="stats-products-title">{t!(i18n, staff_stats_products)}</h2>
                    {csv(StatsTable::Products)}
                </div>
                {move || {
                    let mut rows = categories.get_value();
                    rows.sort_by_key(|c| std::cmp::Reverse(c.published));
                    let bars = rows.iter().map(|c| Bar {
                        label: c.category.name(lang()).to_owned(),
                        value: i64::from(c.published),
                        shown: c.published.to_string(),
                    }).collect::<Vec<_>>();
                    view! { <BarChart label=Signal::derive(move || t_string!(i18n, staff_stats_products).to_owned()) bars/> }
                }}
            </section>

            <section class="stats-card" aria-labelledby="stats-trace-title">
                <div class="stats-head">
                    <h2 id="stats-trace-title">{t!(i18n, staff_stats_traceability)}</h2>
                    {csv(StatsTable::Traceability)}
                </div>
                <div class="trace-share">
                    {move || view! { <ShareRing label=Signal::derive(move || t_string!(i18n, staff_stats_traceability).to_owned()) permille shown=share()/> }}
                    <p>{t!(i18n, staff_trace_text, with = traceability.with_lots, total = traceability.cooperatives)}</p>
                </div>
            </section>

            <section class="stats-card" aria-labelledby="stats-top-title">
                <div class="stats-head">
                    <h2 id="stats-top-title">{t!(i18n, staff_stats_top)}</h2>
                    {csv(StatsTable::TopProducts)}
                </div>
                {move || if top.with_value(Vec::is_empty) {
                    view! { <p class="empty">{t!(i18n, staff_no_sales)}</p> }.into_any()
                } else {
                    let bars = top.with_value(|ps| ps.iter().map(|p| Bar {
                        label: p.name.get(lang()).to_owned(),
                        value: i64::from(p.quantity),
                        shown: p.quantity.to_string(),
                    }).collect::<Vec<_>>());
                    view! {
                        <BarChart label=Signal::derive(move || t_string!(i18n, staff_stats_top).to_owned()) bars/>
                        <details class="stats-table">
                            <summary>{t!(i18n, staff_show_table)}</summary>
                            <table>
                                <thead><tr><th scope="col">{t!(i18n, staff_product)}</th><th scope="col">{t!(i18n, staff_quantity)}</th><th scope="col">{t!(i18n, staff_sales)}</th></tr></thead>
                                <tbody>
                                    {top.with_value(|ps| ps.iter().map(|p| view! {
                                        <tr><th scope="row">{p.name.get(lang()).to_owned()}<small class="muted">{p.cooperative.clone()}</small></th>
                                            <td>{p.quantity}</td><td>{p.sales.format(lang())}</td></tr>
                                    }).collect_view())}
                                </tbody>
                            </table>
                        </details>
                    }.into_any()
                }}
            </section>

            <section class="stats-card stats-wide" aria-labelledby="stats-new-title">
                <div class="stats-head">
                    <h2 id="stats-new-title">{t!(i18n, staff_stats_new)}" "<span class="count-badge">{new_cooperatives.len()}</span></h2>
                    {csv(StatsTable::NewCooperatives)}
                </div>
                {if new_cooperatives.is_empty() {
                    view! { <p class="empty">{t!(i18n, staff_nothing_found)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="stats-new-title">
                            <table>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, staff_registered_at)}</th><th scope="col">{t!(i18n, staff_cooperative)}</th>
                                    <th scope="col">{t!(i18n, staff_province)}</th><th scope="col">{t!(i18n, staff_status)}</th>
                                </tr></thead>
                                <tbody>
                                    {new_cooperatives.into_iter().map(|c| {
                                        let status = c.status;
                                        view! {
                                            <tr>
                                                <td>{local_time(&c.registered_at).split(' ').next().unwrap_or_default().to_owned()}</td>
                                                <th scope="row">{c.name}<small class="muted">{move || c.kind.name(lang())}</small></th>
                                                <td>{province_name(c.province_code)}</td>
                                                <td><span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
