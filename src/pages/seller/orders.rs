//! The cooperative's orders: `/ban-hang/{coop}/don-hang` (filtered by `?status=`), one
//! order with the buyer's contact, lines and history and the next steps (confirm, ship
//! with carrier and tracking code, delivered, cancel with a reason — asked twice, as it
//! cannot be undone), and its printable pack list.

use super::{SellerError, api, counted, use_seller};
use crate::{
    api::ApiError,
    components::{async_view::Loaded, field_error::FieldMessage, form::focus_first_error},
    i18n::{t, t_string, use_i18n},
    pages::order::{local_time, status_label},
    routes, use_lang,
};
use domain::api::ErrorCode;
use domain::{
    geo,
    order::{Order, OrderStatus, PaymentMethod},
    seller::OrderAction,
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

fn payment_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::CashOnDelivery => t_string!(i18n, pay_cod),
        PaymentMethod::BankTransfer => t_string!(i18n, pay_vietqr),
    }
}

#[component]
pub fn OrderListPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(use_seller().slug());
    let query = use_query_map();
    let status = Memo::new(move |_| query.read().get("status").and_then(|s| OrderStatus::from_code(&s)));
    let orders = LocalResource::new(move || {
        let (coop, status) = (coop.get_value(), status.get());
        async move { api::orders(&coop, status).await }
    });
    let tab = move |s: Option<OrderStatus>| {
        let base = routes::seller_orders(&coop.get_value());
        let href = match s {
            Some(s) => format!("{base}?status={}", s.code()),
            None => base,
        };
        view! {
            <li>
                // A plain link (the router still takes it): `A` would mark every tab
                // current, as they differ only by their query.
                <a href=href class="tab" aria-current=move || (status.get() == s).then_some("page")>
                    {move || match s {
                        Some(s) => status_label(i18n, s),
                        None => t_string!(i18n, seller_all_orders),
                    }}
                </a>
            </li>
        }
    };
    view! {
        <Title text=move || t_string!(i18n, seller_nav_orders)/>
        <h1 class="seller-title">{t!(i18n, seller_orders_title)}</h1>
        <nav class="status-tabs" aria-label=move || t_string!(i18n, seller_filter_by_status)>
            <ul>
                {tab(None)}
                {OrderStatus::ALL.iter().map(|s| tab(Some(*s))).collect_view()}
            </ul>
        </nav>
        <Loaded resource=orders skeleton=|| view! { <div class="skeleton-block"></div> } let:list>
            {if list.is_empty() {
                view! { <p class="empty-state">{t!(i18n, seller_no_orders)}</p> }.into_any()
            } else {
                view! {
                    <ul class="seller-rows seller-card order-rows">
                        {list.into_iter().map(|o| {
                            let href = routes::seller_order(&coop.get_value(), &o.summary.number);
                            let (s, total, items, method) = (o.summary.status, o.summary.total, o.summary.item_count, o.payment_method);
                            let province = geo::province(o.province_code).map(|p| p.short_name).unwrap_or_default();
                            view! {
                                <li>
                                    <A href=href attr:class="seller-row">
                                        <span class="seller-row-main">
                                            <span class="order-number">{o.summary.number.clone()}</span>
                                            <span>{o.buyer_name.clone()}" · "{province}</span>
                                            <span class="muted small">
                                                {local_time(&o.summary.created_at)}" · "
                                                {move || counted(items, t_string!(i18n, seller_item_unit_one), t_string!(i18n, seller_items_unit))}
                                                " · "{move || payment_label(i18n, method)}
                                            </span>
                                        </span>
                                        <span class="seller-row-side">
                                            <span class="badge" data-status=s.code()>{move || status_label(i18n, s)}</span>
                                            <strong>{move || total.format(lang())}</strong>
                                        </span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

fn order_resource(coop: StoredValue<String>) -> LocalResource<Result<Order, ApiError>> {
    let params = use_params_map();
    let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    LocalResource::new(move || {
        let (coop, number) = (coop.get_value(), number.get());
        async move { api::order(&coop, &number).await }
    })
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let coop = StoredValue::new(use_seller().slug());
    let order = order_resource(coop);
    view! {
        <Title text=move || t_string!(i18n, order)/>
        <Loaded resource=order skeleton=|| view! { <div class="skeleton-block"></div> } let:o>
            <OrderDetail order=o on_stale=move || order.refetch()/>
        </Loaded>
    }
}

#[component]
fn OrderDetail(order: Order, #[prop(into)] on_stale: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(use_seller().slug());
    let order = RwSignal::new(order);
    let number = StoredValue::new(order.with_untracked(|o| o.number.clone()));
    let head = move || {
        let (number, status, created_at) = order.with(|o| (o.number.clone(), o.status, o.created_at.clone()));
        view! {
            <div class="order-head">
                <p class="eyebrow">{t!(i18n, order)}</p>
                <h1 class="order-number">{number}</h1>
                <p class="muted">{t!(i18n, seller_ordered_at)}" "{local_time(&created_at)}</p>
                <p class="order-status" data-status=status.code()>{move || status_label(i18n, status)}</p>
            </div>
        }
    };
    let body = move || {
        let Order {
            number,
            buyer_name,
            buyer_phone,
            address,
            note,
            lines,
            subtotal,
            shipping_fee,
            total,
            payment_method,
            history,
            ..
        } = order.get();
        let province = geo::province(address.province_code).map(|p| p.name).unwrap_or_default();
        let tel = format!("tel:{}", buyer_phone.e164());
        let phone = buyer_phone.national();
        view! {
            <div class="order-detail-grid">
                <section class="section seller-card" aria-labelledby="buyer-title">
                    <h2 id="buyer-title">{t!(i18n, seller_buyer)}</h2>
                    <p><strong>{buyer_name}</strong></p>
                    <p><a href=tel class="phone-link">{phone}</a></p>
                    <p>{address.street.clone()}", "{address.commune_name.clone()}", "{province}</p>
                    {(!note.is_empty()).then(|| view! { <p class="buyer-note"><strong>{t!(i18n, seller_buyer_note)}": "</strong>{note.clone()}</p> })}
                    <p class="muted">{move || payment_label(i18n, payment_method)}</p>
                </section>
                <section class="section seller-card" aria-labelledby="history-title">
                    <h2 id="history-title">{t!(i18n, seller_history)}</h2>
                    <ol class="order-history">
                        {history.into_iter().map(|h| {
                            let s = h.status;
                            view! {
                                <li data-status=s.code()>
                                    <strong>{move || status_label(i18n, s)}</strong>
                                    <span class="muted">{local_time(&h.at)}</span>
                                    {h.note.map(|n| view! { <span class="history-note">{n}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            <section class="section seller-card" aria-labelledby="lines-title">
                <h2 id="lines-title">{t!(i18n, items)}</h2>
                <div class="seller-table-scroll">
                    <table class="order-lines-table">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, seller_product)}</th>
                                <th scope="col" class="num">{t!(i18n, quantity)}</th>
                                <th scope="col" class="num">{t!(i18n, seller_line_total)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {lines.into_iter().map(|l| {
                                let name = l.product_name.clone();
                                let (unit, line_total) = (l.unit_price, l.line_total);
                                view! {
                                    <tr>
                                        <td>
                                            <A href=routes::seller_product(&coop.get_value(), &l.product_slug)>{move || name.get(lang()).to_owned()}</A>
                                            <br/><span class="muted small">{l.variant_label.clone()}" · "{move || unit.format(lang())}</span>
                                        </td>
                                        <td class="num">{l.quantity}</td>
                                        <td class="num">{move || line_total.format(lang())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <dl class="group-totals">
                    <div><dt>{t!(i18n, subtotal)}</dt><dd>{move || subtotal.format(lang())}</dd></div>
                    <div><dt>{t!(i18n, shipping)}</dt><dd>{move || shipping_fee.format(lang())}</dd></div>
                    <div class="total"><dt>{t!(i18n, order_total)}</dt><dd>{move || total.format(lang())}</dd></div>
                </dl>
                <A href=routes::seller_pack_list(&coop.get_value(), &number) attr:class="button pack-list-link">{t!(i18n, seller_print_pack_list)}</A>
            </section>
        }
    };
    // The next step right under the status: it is what the seller came for.
    view! {
        {head}
        <OrderActions order number on_stale/>
        <PaymentReceived order number/>
        {body}
    }
}

/// A bank-transfer order: when it was paid, or the button that says the money arrived
/// (asked twice: the buyer sees it, and the audit log keeps who said so).
#[component]
fn PaymentReceived(order: RwSignal<Order>, number: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let coop = StoredValue::new(use_seller().slug());
    let asking = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let mark = Action::new_local(move |_: &()| {
        let (coop, number) = (coop.get_value(), number.get_value());
        async move { api::mark_paid(&coop, &number).await }
    });
    Effect::new(move |_| {
        if let Some(result) = mark.value().get() {
            untrack(|| match result {
                Ok(o) => {
                    order.set(o);
                    asking.set(false);
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e)),
            });
        }
    });
    move || {
        let (method, status, paid_at, total) = order.with(|o| (o.payment_method, o.status, o.paid_at.clone(), o.total));
        if method != PaymentMethod::BankTransfer {
            return None;
        }
        Some(view! {
            <section class="section seller-card payment-received no-print" aria-labelledby="payment-title">
                <h2 id="payment-title">{t!(i18n, seller_payment)}</h2>
                {move || failure.get().map(|error| view! { <SellerError error/> })}
                {match (paid_at, status) {
                    (Some(at), _) => view! { <p class="paid-note">{t!(i18n, paid_at, at = local_time(&at))}</p> }.into_any(),
                    (None, OrderStatus::Cancelled) => view! { <p class="muted">{t!(i18n, seller_not_paid)}</p> }.into_any(),
                    (None, _) => view! {
                        <p class="muted">{t!(i18n, seller_payment_help, amount = move || total.format(lang()))}</p>
                        {move || if asking.get() {
                            view! {
                                <div class="confirm-box" role="alertdialog" aria-labelledby="paid-q">
                                    <p id="paid-q">{t!(i18n, seller_confirm_paid, amount = move || total.format(lang()))}</p>
                                    <div class="form-actions">
                                        <button type="button" class="button button-primary confirm-paid" disabled=move || mark.pending().get()
                                            on:click=move |_| { mark.dispatch(()); }>{t!(i18n, seller_yes_paid)}</button>
                                        <button type="button" class="button" on:click=move |_| asking.set(false)>{t!(i18n, seller_back)}</button>
                                    </div>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button mark-paid" on:click=move |_| asking.set(true)>{t!(i18n, seller_mark_paid)}</button>
                            }.into_any()
                        }}
                    }.into_any(),
                }}
            </section>
        })
    }
}

/// Which step is open: the buttons, the ship form, or a confirmation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Choose,
    Ship,
    Deliver,
    Cancel,
}

#[component]
fn OrderActions(order: RwSignal<Order>, number: StoredValue<String>, on_stale: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let coop = StoredValue::new(use_seller().slug());
    let step = RwSignal::new(Step::Choose);
    let carrier = RwSignal::new(String::new());
    let tracking = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<OrderStatus>);
    let act = Action::new_local(move |a: &OrderAction| {
        let (coop, number, a) = (coop.get_value(), number.get_value(), a.clone());
        async move { api::order_action(&coop, &number, &a).await }
    });
    Effect::new(move |_| {
        if let Some(result) = act.value().get() {
            untrack(|| match result {
                Ok(o) => {
                    done.set(Some(o.status));
                    order.set(o);
                    step.set(Step::Choose);
                    errors.set(Errors::new());
                    failure.set(None);
                    carrier.set(String::new());
                    tracking.set(String::new());
                    reason.set(String::new());
                }
                Err(e) => {
                    // Someone else moved the order on: show where it stands now.
                    if e.code() == Some(ErrorCode::InvalidTransition) {
                        on_stale.run(());
                    }
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let send = move |a: OrderAction| {
        done.set(None);
        failure.set(None);
        // The same rules as the server's, before sending.
        match a.validate() {
            Ok(_) => {
                errors.set(Errors::new());
                act.dispatch(a);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let status = Memo::new(move |_| order.with(|o| o.status));
    let busy = move || act.pending().get();
    let field_error = move |f: &'static str| Signal::derive(move || errors.with(|e| e.get(f).cloned()));
    let open = move |s: Step| {
        done.set(None);
        failure.set(None);
        errors.set(Errors::new());
        step.set(s);
        let first = match s {
            Step::Ship => Some("carrier"),
            Step::Cancel => Some("reason"),
            Step::Deliver => Some("confirm-deliver"),
            Step::Choose => None,
        };
        if let Some(id) = first {
            request_animation_frame(move || {
                use wasm_bindgen::JsCast;
                if let Some(el) =
                    document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            });
        }
    };
    let on_ship = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        send(OrderAction::Ship { carrier: carrier.get_untracked(), tracking_code: tracking.get_untracked() });
    };
    let on_cancel = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        send(OrderAction::Cancel { reason: reason.get_untracked() });
    };
    view! {
        <section class="section seller-card order-actions no-print" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, seller_next_step)}</h2>
            {move || done.get().map(|s| view! {
                <p class="notice" role="status">{t!(i18n, seller_order_now)}" "<strong>{move || status_label(i18n, s)}</strong></p>
            })}
            {move || failure.get().map(|error| view! { <SellerError error/> })}
            {move || match (status.get(), step.get()) {
                (OrderStatus::Delivered, _) => view! { <p class="muted">{t!(i18n, seller_order_delivered_done)}</p> }.into_any(),
                (OrderStatus::Cancelled, _) => view! { <p class="muted">{t!(i18n, seller_order_cancelled_done)}</p> }.into_any(),
                (_, Step::Ship) => view! {
                    <form class="action-form" novalidate on:submit=on_ship>
                        <div class="field">
                            <label for="carrier">{t!(i18n, seller_carrier)}</label>
                            <input id="carrier" type="text" list="carriers" autocomplete="off" maxlength="60" required
                                aria-invalid=move || field_error("carrier").with(Option::is_some).to_string()
                                aria-describedby="carrier-error"
                                prop:value=move || carrier.get() on:input=move |ev| carrier.set(event_target_value(&ev))/>
                            <datalist id="carriers">
                                {["GHN", "GHTK", "Viettel Post", "VNPost", "J&T Express", "Ninja Van", "SPX Express", "Ahamove"]
                                    .into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
                            </datalist>
                            <FieldMessage id="carrier-error" error=field_error("carrier")/>
                        </div>
                        <div class="field">
                            <label for="tracking_code">{t!(i18n, seller_tracking_code)}</label>
                            <input id="tracking_code" type="text" autocomplete="off" maxlength="60" required class="mono"
                                aria-invalid=move || field_error("tracking_code").with(Option::is_some).to_string()
                                aria-describedby="tracking_code-error"
                                prop:value=move || tracking.get() on:input=move |ev| tracking.set(event_target_value(&ev))/>
                            <FieldMessage id="tracking_code-error" error=field_error("tracking_code")/>
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="button button-primary ship-order" disabled=busy>{t!(i18n, seller_ship)}</button>
                            <button type="button" class="button" on:click=move |_| step.set(Step::Choose)>{t!(i18n, seller_back)}</button>
                        </div>
                    </form>
                }.into_any(),
                (_, Step::Deliver) => view! {
                    <div class="confirm-box" role="alertdialog" aria-labelledby="deliver-q">
                        <p id="deliver-q">{t!(i18n, seller_confirm_deliver)}</p>
                        <div class="form-actions">
                            <button id="confirm-deliver" type="button" class="button button-primary deliver-order" disabled=busy
                                on:click=move |_| send(OrderAction::Deliver)>{t!(i18n, seller_yes_delivered)}</button>
                            <button type="button" class="button" on:click=move |_| step.set(Step::Choose)>{t!(i18n, seller_back)}</button>
                        </div>
                    </div>
                }.into_any(),
                (_, Step::Cancel) => view! {
                    <form class="action-form confirm-box danger" novalidate on:submit=on_cancel>
                        <p><strong>{t!(i18n, seller_confirm_cancel)}</strong></p>
                        <p class="muted">{t!(i18n, seller_cancel_restores_stock)}</p>
                        <div class="field">
                            <label for="reason">{t!(i18n, seller_cancel_reason)}</label>
                            <textarea id="reason" rows="3" maxlength="300" required
                                aria-invalid=move || field_error("reason").with(Option::is_some).to_string()
                                aria-describedby="reason-error"
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            <FieldMessage id="reason-error" error=field_error("reason")/>
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="button seller-button-danger cancel-order" disabled=busy>{t!(i18n, seller_cancel_order)}</button>
                            <button type="button" class="button" on:click=move |_| step.set(Step::Choose)>{t!(i18n, seller_keep_order)}</button>
                        </div>
                    </form>
                }.into_any(),
                (s, Step::Choose) => view! {
                    <div class="form-actions">
                        {(s == OrderStatus::Pending).then(|| view! {
                            <button type="button" class="button button-primary confirm-order" disabled=busy
                                on:click=move |_| send(OrderAction::Confirm)>{t!(i18n, seller_confirm_order)}</button>
                        })}
                        {(s == OrderStatus::Confirmed).then(|| view! {
                            <button type="button" class="button button-primary start-ship" on:click=move |_| open(Step::Ship)>{t!(i18n, seller_ship)}</button>
                        })}
                        {(s == OrderStatus::Shipped).then(|| view! {
                            <button type="button" class="button button-primary start-deliver" on:click=move |_| open(Step::Deliver)>{t!(i18n, seller_mark_delivered)}</button>
                        })}
                        {s.can_become(OrderStatus::Cancelled).then(|| view! {
                            <button type="button" class="button seller-button-danger-outline start-cancel" on:click=move |_| open(Step::Cancel)>{t!(i18n, seller_cancel_order)}"…"</button>
                        })}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// `/ban-hang/{coop}/don-hang/{number}/phieu-dong-goi`: what goes in the parcel, and
/// where it goes, on one sheet (print CSS leaves only this on paper).
#[component]
pub fn PackListPage() -> impl IntoView {
    let i18n = use_i18n();
    let coop = StoredValue::new(use_seller().slug());
    let order = order_resource(coop);
    view! {
        <Title text=move || t_string!(i18n, seller_pack_list)/>
        <Loaded resource=order skeleton=|| view! { <div class="skeleton-block"></div> } let:o>
            <PackList order=o/>
        </Loaded>
    }
}

#[component]
fn PackList(order: Order) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let seller = use_seller();
    let coop = seller.slug();
    let Order {
        number,
        cooperative,
        buyer_name,
        buyer_phone,
        address,
        note,
        lines,
        total,
        payment_method,
        created_at,
        ..
    } = order;
    let province = geo::province(address.province_code).map(|p| p.name).unwrap_or_default();
    let packs: u32 = lines.iter().map(|l| l.quantity).sum();
    let cod = payment_method == PaymentMethod::CashOnDelivery;
    let back = routes::seller_order(&coop, &number);
    view! {
        <div class="pack-list-tools no-print">
            <A href=back attr:class="button">{t!(i18n, seller_back_to_order)}</A>
            <button type="button" class="button button-primary print-button" on:click=move |_| { let _ = window().print(); }>
                {t!(i18n, seller_print)}
            </button>
        </div>
        <article class="pack-list" aria-labelledby="pack-list-title">
            <header class="pack-list-head">
                <div>
                    <p class="pack-list-coop">{cooperative.name.clone()}</p>
                    <h1 id="pack-list-title">{t!(i18n, seller_pack_list)}</h1>
                </div>
                <div class="pack-list-number">
                    <span class="order-number">{number.clone()}</span>
                    <span>{local_time(&created_at)}</span>
                </div>
            </header>
            <section class="pack-list-to">
                <h2>{t!(i18n, seller_ship_to)}</h2>
                <p class="pack-list-name">{buyer_name}" · "{buyer_phone.national()}</p>
                <p>{address.street.clone()}", "{address.commune_name.clone()}", "{province}</p>
                {(!note.is_empty()).then(|| view! { <p><strong>{t!(i18n, seller_buyer_note)}": "</strong>{note.clone()}</p> })}
            </section>
            <table class="pack-list-table">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">{t!(i18n, seller_product)}</th>
                        <th scope="col">{t!(i18n, seller_variant_label)}</th>
                        <th scope="col" class="num">{t!(i18n, quantity)}</th>
                        <th scope="col" class="check-col">{t!(i18n, seller_packed)}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().enumerate().map(|(i, l)| {
                        let name = l.product_name.clone();
                        view! {
                            <tr>
                                <td class="num">{i + 1}</td>
                                <td>{move || name.get(lang()).to_owned()}</td>
                                <td>{l.variant_label.clone()}</td>
                                <td class="num qty">{l.quantity}</td>
                                <td class="check-col"><span class="check-box" aria-hidden="true"></span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">{t!(i18n, seller_total_packs)}</th>
                        <td class="num qty">{packs}</td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
            <p class="pack-list-payment">
                {move || if cod {
                    view! { <strong>{t!(i18n, seller_collect_cod)}" "{total.format(lang())}</strong> }.into_any()
                } else {
                    view! { <span>{t!(i18n, seller_paid_by_transfer)}</span> }.into_any()
                }}
            </p>
            <div class="pack-list-sign">
                <p>{t!(i18n, seller_packed_by)}</p>
                <p>{t!(i18n, seller_handed_over)}</p>
            </div>
        </article>
    }
}
