//! After checkout: the orders just placed, and each order's tracking page
//! (`/don-hang/{number}?token=…`, no account needed) with its status timeline and, for a
//! bank transfer awaiting payment, the VietQR code with the transfer details written out.

use crate::{
    api::{self, ApiError},
    components::{
        async_view::Loaded,
        copy_button::CopyButton,
        form::{FormError, FormState, SubmitButton, TextField},
    },
    i18n::{t, t_string, use_i18n},
    pages::checkout::LAST_ORDERS_KEY,
    routes,
    session::RequireUser,
    use_lang,
};
use domain::{
    geo,
    money::Vnd,
    order::{CreatedOrder, Order, OrderLookup, OrderStatus, PaymentMethod, VietQrPayment},
    seller::parse_shipment_note,
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
                            <div class="placed-order-head">
                                <div>
                                    <p class="order-number">{o.number.clone()}</p>
                                    <p class="muted">{o.cooperative.name.clone()}" · "{move || total.format(lang())}</p>
                                </div>
                                <A href=href attr:class="button">{move || if bank { t_string!(i18n, pay_and_track) } else { t_string!(i18n, track_order) }}</A>
                            </div>
                            {bank.then(|| view! { <PlacedPayment number=o.number.clone() token=o.token.clone()/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted">{t!(i18n, keep_links_note)}" "<A href=routes::ORDER_LOOKUP>{t!(i18n, lookup_link)}</A></p>
        </section>
    }
}

/// A bank-transfer order just placed: its QR code and bank details right away, so the
/// buyer can pay without another step.
#[component]
fn PlacedPayment(number: String, token: String) -> impl IntoView {
    let (n, t) = (number.clone(), token.clone());
    let order = LocalResource::new(move || {
        let (n, t) = (n.clone(), t.clone());
        async move { api::order(&n, &t).await }
    });
    view! {
        <Loaded resource=order skeleton=|| view! { <div class="skeleton-block"></div> } let:o>
            {o.vietqr.map(|payment| view! { <VietQrPanel payment number=number.clone() token=Some(token.clone())/> })}
        </Loaded>
    }
}

/// `/tra-cuu-don-hang`: a buyer without the tracking link (another phone, a cleared
/// browser) finds the order by its number and the phone number used, and sees the same
/// tracking view.
#[component]
pub fn OrderLookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let form = FormState::new();
    let found = RwSignal::new(None::<Order>);
    let lookup = Action::new_local(|req: &OrderLookup| {
        let req = req.clone();
        async move { api::lookup_order(&req).await }
    });
    form.on_answer(lookup, move |order| found.set(Some(order)));
    let on_submit = form.on_submit(lookup, move || {
        let req = OrderLookup { number: number.get_untracked(), phone: phone.get_untracked() };
        req.validate().map(|_| req)
    });
    view! {
        <Title text=move || t_string!(i18n, lookup_title)/>
        {move || found.get().map(|order| view! {
            <p class="lookup-again"><button type="button" class="button button-small" on:click=move |_| found.set(None)>
                {t!(i18n, lookup_another)}</button></p>
            <OrderView order token=None/>
        })}
        <section class="auth-card order-lookup" hidden=move || found.with(Option::is_some)>
            <h1>{t!(i18n, lookup_title)}</h1>
            <p class="muted">{t!(i18n, lookup_intro)}</p>
            <form novalidate on:submit=on_submit>
                <TextField id="number" value=number error=form.error("number") autocomplete="off" required=true
                    placeholder="DH7K3M9QXA" maxlength=20>
                    {t!(i18n, order_number_label)}
                </TextField>
                <TextField id="phone" kind="tel" value=phone error=form.error("phone") autocomplete="tel"
                    inputmode="tel" required=true hint=move || t!(i18n, lookup_phone_hint)>
                    {t!(i18n, phone)}
                </TextField>
                {move || form.failure.get().map(|error| match error {
                    ApiError::Http { status: 404, .. } => view! {
                        <p class="form-error lookup-not-found" role="alert">{t!(i18n, lookup_not_found)}</p>
                    }.into_any(),
                    error => view! { <FormError error/> }.into_any(),
                })}
                <SubmitButton pending=lookup.pending() label=Signal::derive(move || t_string!(i18n, lookup_button))
                    busy_label=Signal::derive(move || t_string!(i18n, lookup_busy))/>
            </form>
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
        paid_at,
        ..
    } = order;
    let reached = |s: OrderStatus| history.iter().find(|h| h.status == s).map(|h| local_time(&h.at));
    let province = geo::province(address.province_code).map(|p| p.name).unwrap_or_default();
    let status_note = |s: OrderStatus| history.iter().rev().find(|h| h.status == s).and_then(|h| h.note.clone());
    let shipment = status_note(OrderStatus::Shipped)
        .and_then(|n| parse_shipment_note(&n).map(|(carrier, code)| (carrier.to_owned(), code.to_owned())));
    let cancel_reason = status_note(OrderStatus::Cancelled);
    let cancelled = status == OrderStatus::Cancelled;
    let title_number = number.clone();
    let mut steps: Vec<AnyView> = STEPS
        .iter()
        .map(|&step| {
            let at = reached(step);
            let done = at.is_some();
            view! {
                <li class="step" class:done=done aria-current=(step == status).then_some("step")>
                    <span class="step-dot" aria-hidden="true"></span>
                    <span class="step-label">{move || status_label(i18n, step)}</span>
                    <span class="step-time">{at}</span>
                </li>
            }
            .into_any()
        })
        .collect();
    // A bank transfer has one more step, after it is placed: the cooperative received the money.
    if payment_method == PaymentMethod::BankTransfer && (!cancelled || paid_at.is_some()) {
        let at = paid_at.as_deref().map(local_time);
        let done = at.is_some();
        let paid = view! {
            <li class="step step-paid" class:done=done>
                <span class="step-dot" aria-hidden="true"></span>
                <span class="step-label">{t!(i18n, step_paid)}</span>
                <span class="step-time">{at}</span>
            </li>
        };
        steps.insert(1, paid.into_any());
    }
    view! {
        <Title text=move || format!("{} {}", t_string!(i18n, order), title_number)/>
        <div class="order-head">
            <p class="eyebrow">{t!(i18n, order)}</p>
            <h1 class="order-number">{number.clone()}</h1>
            <p class="muted">{cooperative.name.clone()}</p>
            <p class="order-status" data-status=status.code()>{move || status_label(i18n, status)}</p>
        </div>
        {cancel_reason.map(|reason| view! {
            <div class="notice cancel-reason" role="note">
                <strong>{t!(i18n, seller_cancel_reason)}": "</strong>{reason}
            </div>
        })}
        {shipment.map(|(carrier, code)| view! {
            <dl class="shipment">
                <div><dt>{t!(i18n, seller_carrier)}</dt><dd class="carrier">{carrier}</dd></div>
                <div>
                    <dt>{t!(i18n, seller_tracking_code)}</dt>
                    <dd class="tracking-code"><span class="mono">{code.clone()}</span>
                        " "<CopyButton text=code label=Signal::derive(move || t_string!(i18n, copy_tracking_code).to_owned())/></dd>
                </div>
            </dl>
        })}
        <ol class="timeline" aria-label=move || t_string!(i18n, order_progress)>
            {steps}
            {cancelled.then(|| view! {
                <li class="step cancelled done" aria-current="step">
                    <span class="step-dot" aria-hidden="true"></span>
                    <span class="step-label">{move || status_label(i18n, OrderStatus::Cancelled)}</span>
                    <span class="step-time">{reached(OrderStatus::Cancelled)}</span>
                </li>
            })}
        </ol>
        {vietqr.map(|payment| view! { <VietQrPanel payment number=number.clone() token/> })}
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

/// How to pay a bank-transfer order: the QR code to scan (and to save into the phone's
/// photos, where banking apps read it from), and the same details written out with a
/// copy button each, for those who type them in.
#[component]
fn VietQrPanel(
    payment: VietQrPayment,
    number: String,
    /// The tracking token; the QR image needs it.
    token: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let VietQrPayment { bank_name, account_number, account_name, amount, purpose, .. } = payment;
    let title_id = format!("pay-title-{number}");
    let label = |text: fn(leptos_i18n::I18nContext<crate::i18n::Locale>) -> &'static str| {
        Signal::derive(move || text(i18n).to_owned())
    };
    view! {
        <section class="section vietqr" aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{t!(i18n, pay_by_vietqr)}</h2>
            <div class="vietqr-body">
                {token.map(|token| {
                    let (svg, png) = (api::order_qr_url(&number, &token, false), api::order_qr_url(&number, &token, true));
                    view! {
                        <div class="vietqr-image">
                            <img class="vietqr-code" src=svg alt=move || t_string!(i18n, vietqr_alt) width="240" height="240"/>
                            <a class="button button-small save-qr" href=png download=format!("VietQR-{number}.png")>{t!(i18n, save_qr_image)}</a>
                        </div>
                    }
                })}
                <dl class="transfer-details">
                    <div><dt>{t!(i18n, bank)}</dt><dd>{bank_name}</dd></div>
                    <div><dt>{t!(i18n, account_number)}</dt><dd><span class="mono account-number">{account_number.clone()}</span>
                        " "<CopyButton text=account_number label=label(|i18n| t_string!(i18n, copy_account_number))/></dd></div>
                    <div><dt>{t!(i18n, account_name)}</dt><dd>{account_name}</dd></div>
                    <div><dt>{t!(i18n, amount)}</dt><dd><span class="amount">{move || amount.format(lang())}</span>
                        " "<CopyButton text=amount.dong().to_string() label=label(|i18n| t_string!(i18n, copy_amount))/></dd></div>
                    <div><dt>{t!(i18n, transfer_note)}</dt><dd><span class="mono transfer-purpose">{purpose.clone()}</span>
                        " "<CopyButton text=purpose label=label(|i18n| t_string!(i18n, copy_transfer_note))/></dd></div>
                </dl>
            </div>
            <p class="muted">{t!(i18n, vietqr_hint)}</p>
        </section>
    }
}
