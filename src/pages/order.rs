//! After checkout: the orders just placed, and each order's tracking page
//! (`/don-hang/{number}?token=…`, no account needed) with its status timeline and, for a
//! bank transfer awaiting payment, the VietQR code with the transfer details written out.

use crate::{
    api,
    components::async_view::Loaded,
    i18n::{t, t_string, use_i18n},
    pages::checkout::LAST_ORDERS_KEY,
    routes,
    session::RequireUser,
    use_lang,
};
use domain::{
    geo,
    money::Vnd,
    order::{CreatedOrder, Order, OrderStatus, PaymentMethod},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

#[component]
pub fn OrderPlacedPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let orders: Vec<CreatedOrder> = crate::storage::load(LAST_ORDERS_KEY).unwrap_or_default();
    let count = orders.len();
    view! {
        <Title text=move || t_string!(i18n, order_placed_title)/>
        <section class="order-placed">
            <h1>{t!(i18n, order_placed_title)}</h1>
            <p>{t!(i18n, order_placed_text, count = count)}</p>
            <ul class="placed-orders">
                {orders.into_iter().map(|o| {
                    let href = routes::order(&o.number, &o.token);
                    let total = o.total;
                    let bank = o.payment_method == PaymentMethod::BankTransfer;
                    view! {
                        <li class="placed-order">
                            <div>
                                <p class="order-number">{o.number.clone()}</p>
                                <p class="muted">{o.cooperative.name.clone()}" · "{move || total.format(lang())}</p>
                            </div>
                            <A href=href attr:class="button">{move || if bank { t_string!(i18n, pay_and_track) } else { t_string!(i18n, track_order) }}</A>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted">{t!(i18n, keep_links_note)}</p>
        </section>
    }
}

/// `/don-hang/{number}`: opened by its tracking token (`?token=`, no account needed), or
/// without one by the signed-in buyer who placed it (signed-out visitors are asked to
/// sign in and come back).
#[component]
pub fn OrderPage() -> impl IntoView {
    let query = use_query_map();
    let has_token = Memo::new(move |_| query.read().get("token").is_some_and(|t| !t.is_empty()));
    move || {
        if has_token.get() {
            view! { <TrackedOrder/> }.into_any()
        } else {
            view! { <RequireUser let:_user><MyOrder/></RequireUser> }.into_any()
        }
    }
}

#[component]
fn TrackedOrder() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = LocalResource::new(move || {
        let number = params.read().get("number").unwrap_or_default();
        let token = query.read().get("token").unwrap_or_default();
        async move { api::order(&number, &token).await.map(|o| (o, token)) }
    });
    view! {
        <Loaded resource=order skeleton=|| view! { <div class="skeleton-block"></div> } let:loaded>
            <OrderView order=loaded.0 token=Some(loaded.1)/>
        </Loaded>
    }
}

#[component]
fn MyOrder() -> impl IntoView {
    let params = use_params_map();
    let order = LocalResource::new(move || {
        let number = params.read().get("number").unwrap_or_default();
        async move { api::my_order(&number).await }
    });
    view! {
        <Loaded resource=order skeleton=|| view! { <div class="skeleton-block"></div> } let:order>
            <OrderView order token=None/>
        </Loaded>
    }
}

const STEPS: [OrderStatus; 4] =
    [OrderStatus::Pending, OrderStatus::Confirmed, OrderStatus::Shipped, OrderStatus::Delivered];

pub fn status_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Pending => t_string!(i18n, status_pending),
        OrderStatus::Confirmed => t_string!(i18n, status_confirmed),
        OrderStatus::Shipped => t_string!(i18n, status_shipped),
        OrderStatus::Delivered => t_string!(i18n, status_delivered),
        OrderStatus::Cancelled => t_string!(i18n, status_cancelled),
    }
}

pub use crate::time::local_time;

#[component]
fn OrderView(
    order: Order,
    /// The tracking token the page was opened with; the QR image needs it.
    token: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let Order {
        number,
        cooperative,
        buyer_name,
        buyer_phone,
        address,
        note,
        lines,
        subtotal,
        shipping_fee,
        total,
        payment_method,
        status,
        history,
        vietqr,
        ..
    } = order;
    let reached = |s: OrderStatus| history.iter().find(|h| h.status == s).map(|h| local_time(&h.at));
    let province = geo::province(address.province_code).map(|p| p.name).unwrap_or_default();
    let qr_url = token.map(|token| api::order_qr_url(&number, &token));
    let cancelled = status == OrderStatus::Cancelled;
    let title_number = number.clone();
    view! {
        <Title text=move || format!("{} {}", t_string!(i18n, order), title_number)/>
        <div class="order-head">
            <p class="eyebrow">{t!(i18n, order)}</p>
            <h1 class="order-number">{number.clone()}</h1>
            <p class="muted">{cooperative.name.clone()}</p>
            <p class="order-status" data-status=status.code()>{move || status_label(i18n, status)}</p>
        </div>
        <ol class="timeline" aria-label=move || t_string!(i18n, order_progress)>
            {STEPS.iter().map(|s| {
                let at = reached(*s);
                let done = at.is_some();
                let step = *s;
                view! {
                    <li class="step" class:done=done aria-current=(step == status).then_some("step")>
                        <span class="step-dot" aria-hidden="true"></span>
                        <span class="step-label">{move || status_label(i18n, step)}</span>
                        <span class="step-time">{at}</span>
                    </li>
                }
            }).collect_view()}
            {cancelled.then(|| view! {
                <li class="step cancelled done" aria-current="step">
                    <span class="step-dot" aria-hidden="true"></span>
                    <span class="step-label">{move || status_label(i18n, OrderStatus::Cancelled)}</span>
                    <span class="step-time">{reached(OrderStatus::Cancelled)}</span>
                </li>
            })}
        </ol>
        {vietqr.map(|q| {
            let amount = q.amount;
            view! {
                <section class="section vietqr" aria-labelledby="pay-title">
                    <h2 id="pay-title">{t!(i18n, pay_by_vietqr)}</h2>
                    <div class="vietqr-body">
                        {qr_url.map(|src| view! {
                            <img class="vietqr-code" src=src alt=move || t_string!(i18n, vietqr_alt) width="240" height="240"/>
                        })}
                        <dl class="transfer-details">
                            <div><dt>{t!(i18n, bank)}</dt><dd>{q.bank_name.clone()}</dd></div>
                            <div><dt>{t!(i18n, account_number)}</dt><dd class="mono">{q.account_number.clone()}</dd></div>
                            <div><dt>{t!(i18n, account_name)}</dt><dd>{q.account_name.clone()}</dd></div>
                            <div><dt>{t!(i18n, amount)}</dt><dd class="amount">{move || amount.format(lang())}</dd></div>
                            <div><dt>{t!(i18n, transfer_note)}</dt><dd class="mono">{q.purpose.clone()}</dd></div>
                        </dl>
                    </div>
                    <p class="muted">{t!(i18n, vietqr_hint)}</p>
                </section>
            }
        })}
        <section class="section order-lines">
            <h2>{t!(i18n, items)}</h2>
            <ul class="cart-lines">
                {lines.into_iter().map(|l| {
                    let name = l.product_name.clone();
                    let (unit, line_total, qty) = (l.unit_price, l.line_total, l.quantity);
                    view! {
                        <li class="cart-line">
                            <div class="cart-line-main">
                                <a href=routes::product(&l.product_slug) class="cart-line-name">{move || name.get(lang()).to_owned()}</a>
                                <p class="muted">{l.variant_label.clone()}" · "{move || unit.format(lang())}" × "{qty}</p>
                            </div>
                            <strong class="line-total">{move || line_total.format(lang())}</strong>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <dl class="group-totals">
                <div><dt>{t!(i18n, subtotal)}</dt><dd>{move || subtotal.format(lang())}</dd></div>
                <div><dt>{t!(i18n, shipping)}</dt><dd>{move || if shipping_fee == Vnd::ZERO { t_string!(i18n, free_shipping).to_owned() } else { shipping_fee.format(lang()) }}</dd></div>
                <div class="total"><dt>{t!(i18n, order_total)}</dt><dd>{move || total.format(lang())}</dd></div>
            </dl>
        </section>
        <section class="section order-delivery">
            <h2>{t!(i18n, delivery_address)}</h2>
            <p>{buyer_name}" · "{buyer_phone.national()}</p>
            <p>{address.street}", "{address.commune_name}", "{province}</p>
            {(!note.is_empty()).then(|| view! { <p class="muted">{note}</p> })}
            <p class="muted">{move || match payment_method {
                PaymentMethod::CashOnDelivery => t_string!(i18n, pay_cod),
                PaymentMethod::BankTransfer => t_string!(i18n, pay_vietqr),
            }}</p>
        </section>
    }
}
