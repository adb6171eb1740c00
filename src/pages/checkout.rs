//! Checkout: contact, address (province → commune of 2025), payment (cash on delivery or
//! VietQR transfer). The form is saved as it is typed, so nothing is lost on a reload or a
//! failed submit; every error is shown next to its field or cart line.

use crate::{
    api::{self, ApiError},
    cart::Cart,
    components::{
        address::{AddressDraft, AddressFields, HasAddress},
        field_error::FieldMessage,
        form::focus_first_error,
    },
    i18n::{t, t_string, use_i18n},
    pages::cart::{CartGroups, EmptyCart, grand_total, use_quote},
    routes,
    session::use_session,
    use_lang,
};
use domain::{
    account::{AddressRequest, SavedAddress, User},
    geo,
    order::{CreatedOrders, OrderRequest, PaymentMethod},
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_navigate};
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "chohtx.checkout.v1";
pub const LAST_ORDERS_KEY: &str = "chohtx.last-orders.v1";
/// An order placed while offline, not yet acknowledged by the server.
const PENDING_KEY: &str = "chohtx.pending-order.v1";

/// An order waiting to be sent: its body and its `Idempotency-Key`, kept together so
/// every attempt is the same request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Pending {
    request: OrderRequest,
    key: String,
}

impl Pending {
    fn body(&self) -> String {
        serde_json::to_string(&self.request).unwrap_or_default()
    }
}

/// What the buyer typed, kept in localStorage until an order goes through.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub name: String,
    pub phone: String,
    /// Stored flat (`province`, `commune`, `street`), as before the fields were shared.
    #[serde(flatten)]
    pub address: AddressDraft,
    pub note: String,
    pub bank_transfer: bool,
}

impl HasAddress for Draft {
    fn address(&self) -> &AddressDraft {
        &self.address
    }
    fn address_mut(&mut self) -> &mut AddressDraft {
        &mut self.address
    }
}

use crate::storage::{load, save};

/// Forgets the checkout draft (on sign-out).
pub fn forget_draft() {
    crate::storage::remove(DRAFT_KEY);
}

impl Draft {
    fn request(&self, cart: Cart) -> OrderRequest {
        OrderRequest {
            buyer_name: self.name.clone(),
            buyer_phone: self.phone.clone(),
            address: self.address.input(),
            note: self.note.clone(),
            payment_method: if self.bank_transfer {
                PaymentMethod::BankTransfer
            } else {
                PaymentMethod::CashOnDelivery
            },
            lines: cart.requests(),
        }
    }

    /// The recipient and address, to keep among the buyer's saved addresses.
    fn address_request(&self) -> AddressRequest {
        AddressRequest { recipient_name: self.name.clone(), phone: self.phone.clone(), address: self.address.input() }
    }

    /// Fills name and (mobile) phone from the account where the buyer left them empty.
    fn prefill(&mut self, user: &User) {
        if self.name.trim().is_empty() {
            self.name = user.name.clone();
        }
        if self.phone.trim().is_empty()
            && let Some(p) = user.phone.as_ref().filter(|p| p.is_mobile())
        {
            self.phone = p.national();
        }
    }

    /// Whether the form holds exactly this saved address.
    fn matches(&self, saved: &SavedAddress) -> bool {
        self.address == AddressDraft::from_address(&saved.address)
            && self.name.trim() == saved.recipient_name
            && domain::phone::Phone::parse(&self.phone).ok().as_ref() == Some(&saved.phone)
    }

    fn use_saved(&mut self, saved: &SavedAddress) {
        self.name = saved.recipient_name.clone();
        self.phone = saved.phone.national();
        self.address = AddressDraft::from_address(&saved.address);
    }
}

fn new_idempotency_key() -> String {
    window().crypto().map(|c| c.random_uuid()).unwrap_or_else(|_| format!("k{}", js_sys::Math::random().to_bits()))
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let cart = Cart::get();
    let navigate = use_navigate();
    let draft = RwSignal::new(load::<Draft>(DRAFT_KEY).unwrap_or_default());
    Effect::new(move |_| draft.with(|d| save(DRAFT_KEY, d)));
    let quote = use_quote(cart);

    // A signed-in buyer: name and phone from the account, saved addresses to pick from,
    // and the choice to save this one.
    let session = use_session();
    let signed_in = Memo::new(move |_| session.user().flatten().map(|u| u.id));
    Effect::new(move |_| {
        if let Some(user) = session.user().flatten() {
            draft.update(|d| d.prefill(&user));
        }
    });
    let saved = LocalResource::new(move || {
        let user = signed_in.get();
        async move {
            match user {
                Some(_) => api::my_addresses().await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let save_address = RwSignal::new(false);

    // The same body retried (double click, flaky network) reuses its key, so the server
    // makes the orders once; a changed body gets a new key. An order that could not be
    // sent (offline) is kept with its key in localStorage and sent again, with that key,
    // when the browser is back online, on the next visit to this page, or every half
    // minute meanwhile: the server places it once whichever attempt gets through.
    let queued = RwSignal::new(load::<Pending>(PENDING_KEY));
    let last_attempt = StoredValue::new(queued.get_untracked().map(|p| (p.body(), p.key)));
    let field_errors = RwSignal::new(Errors::new());
    let submit_error = RwSignal::new(None::<ApiError>);
    let place = Action::new_local(move |pending: &Pending| {
        let pending = pending.clone();
        async move {
            let result = api::place_order(&pending.request, &pending.key).await;
            match &result {
                Err(ApiError::Network) => {
                    save(PENDING_KEY, &pending);
                    queued.set(Some(pending));
                }
                _ => {
                    crate::storage::remove(PENDING_KEY);
                    queued.set(None);
                }
            }
            result
        }
    });
    let on_result = move |result: Result<CreatedOrders, ApiError>| match result {
        Ok(CreatedOrders { orders }) => {
            if save_address.get_untracked() && signed_in.get_untracked().is_some() {
                // Not awaited: the order is placed whatever becomes of this.
                let request = draft.with_untracked(Draft::address_request);
                leptos::task::spawn_local(async move {
                    let _ = api::save_address(&request).await;
                });
                save_address.set(false);
            }
            let placed: Vec<i64> = cart.requests().iter().map(|l| l.variant_id).collect();
            save(LAST_ORDERS_KEY, &orders);
            cart.remove_all(&placed);
            last_attempt.set_value(None);
            // Keep contact and address for next time; clear the note.
            draft.update(|d| d.note.clear());
            navigate(routes::ORDER_PLACED, Default::default());
        }
        Err(ApiError::Network) => {
            field_errors.set(Errors::new());
            submit_error.set(Some(ApiError::Network));
        }
        Err(e) => {
            field_errors.set(e.fields());
            submit_error.set(Some(e));
            quote.refetch();
        }
    };
    Effect::new(move |_| {
        if let Some(result) = place.value().get() {
            // Only the result is tracked: what handling it writes (cart, draft) must not
            // run this effect again.
            untrack(|| on_result(result));
        }
    });
    let send_queued = move || {
        if let Some(pending) = queued.get_untracked()
            && !place.pending().get_untracked()
            && window().navigator().on_line()
        {
            place.dispatch(pending);
        }
    };
    Effect::new(move |_| send_queued());
    let online = window_event_listener(ev::online, move |_| send_queued());
    let retry = set_interval_with_handle(send_queued, std::time::Duration::from_secs(30)).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(retry) = retry {
            retry.clear();
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let request = draft.with_untracked(|d| d.request(cart));
        // The same rules as the server, before sending: instant messages, no round trip.
        match request.validate() {
            Err(errors) => {
                field_errors.set(errors);
                submit_error.set(None);
                focus_first_error();
            }
            Ok(_) => {
                field_errors.set(Errors::new());
                submit_error.set(None);
                let body = serde_json::to_string(&request).unwrap_or_default();
                let key = match last_attempt.get_value() {
                    Some((b, k)) if b == body => k,
                    _ => {
                        let k = new_idempotency_key();
                        last_attempt.set_value(Some((body, k.clone())));
                        k
                    }
                };
                place.dispatch(Pending { request, key });
            }
        }
    };

    let bind = move |get: fn(&Draft) -> &String, set: fn(&mut Draft, String)| {
        (
            move || draft.with(|d| get(d).clone()),
            move |ev: ev::Event| {
                let v = event_target_value(&ev);
                draft.update(|d| set(d, v));
            },
        )
    };
    let (name, set_name) = bind(|d| &d.name, |d, v| d.name = v);
    let (phone, set_phone) = bind(|d| &d.phone, |d, v| d.phone = v);
    let (note, set_note) = bind(|d| &d.note, |d, v| d.note = v);
    let err = move |field: &'static str| Signal::derive(move || field_errors.with(|e| e.get(field).cloned()));
    let invalid = move |field: &'static str| move || field_errors.with(|e| e.get(field).is_some()).to_string();
    let line_errors = move || field_errors.with(|e| e.0.keys().any(|k| k.starts_with("lines")));

    view! {
        <Title text=move || t_string!(i18n, checkout)/>
        <h1>{t!(i18n, checkout)}</h1>
        <Show when=move || !cart.is_empty() fallback=EmptyCart>
        <div class="checkout-layout">
            <form class="checkout-form" novalidate on:submit=on_submit>
                <fieldset>
                    <legend>{t!(i18n, contact_details)}</legend>
                    <div class="field">
                        <label for="buyer_name">{t!(i18n, full_name)}</label>
                        <input id="buyer_name" name="buyer_name" autocomplete="name" required
                            aria-invalid=invalid("buyer_name") aria-describedby="buyer_name-error"
                            prop:value=name on:input=set_name/>
                        <FieldMessage id="buyer_name-error" error=err("buyer_name")/>
                    </div>
                    <div class="field">
                        <label for="buyer_phone">{t!(i18n, phone)}</label>
                        <input id="buyer_phone" name="buyer_phone" type="tel" inputmode="tel" autocomplete="tel" required
                            placeholder="0912 345 678"
                            aria-invalid=invalid("buyer_phone") aria-describedby="buyer_phone-error phone-hint"
                            prop:value=phone on:input=set_phone/>
                        <p id="phone-hint" class="hint">{t!(i18n, phone_hint)}</p>
                        <FieldMessage id="buyer_phone-error" error=err("buyer_phone")/>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, delivery_address)}</legend>
                    {move || {
                        let list = saved.get().unwrap_or_default();
                        (!list.is_empty()).then(|| view! { <SavedAddressPicker list draft/> })
                    }}
                    <AddressFields form=draft errors=field_errors prefix="address."/>
                    <Show when=move || {
                        signed_in.get().is_some()
                            && !saved.get().unwrap_or_default().iter().any(|a| draft.with(|d| d.matches(a)))
                    }>
                        <label class="check">
                            <input type="checkbox" name="save_address"
                                prop:checked=move || save_address.get()
                                on:change=move |ev| save_address.set(event_target_checked(&ev))/>
                            <span>{t!(i18n, save_this_address)}</span>
                        </label>
                    </Show>
                    <div class="field">
                        <label for="note">{t!(i18n, note)}</label>
                        <textarea id="note" name="note" rows="2" aria-describedby="note-error"
                            prop:value=note on:input=set_note></textarea>
                        <FieldMessage id="note-error" error=err("note")/>
                    </div>
                </fieldset>
                <fieldset class="payment">
                    <legend>{t!(i18n, payment_method)}</legend>
                    <label class="choice">
                        <input type="radio" name="payment" value="cod"
                            prop:checked=move || draft.with(|d| !d.bank_transfer)
                            on:change=move |_| draft.update(|d| d.bank_transfer = false)/>
                        <span><strong>{t!(i18n, pay_cod)}</strong><small>{t!(i18n, pay_cod_hint)}</small></span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="payment" value="bank_transfer"
                            prop:checked=move || draft.with(|d| d.bank_transfer)
                            on:change=move |_| draft.update(|d| d.bank_transfer = true)/>
                        <span><strong>{t!(i18n, pay_vietqr)}</strong><small>{t!(i18n, pay_vietqr_hint)}</small></span>
                    </label>
                </fieldset>
                <div class="submit-row">
                    {move || match (queued.get().is_some(), submit_error.get()) {
                        (true, _) => Some(view! { <p class="form-notice order-queued" role="status">{t!(i18n, order_queued)}</p> }.into_any()),
                        (false, e) => e.map(|e| view! { <SubmitError error=e/> }.into_any()),
                    }}
                    <Show when=line_errors>
                        <p class="form-error" role="alert">{t!(i18n, cart_changed)}</p>
                    </Show>
                    <button type="submit" class="button button-primary button-wide" disabled=move || place.pending().get()>
                        {move || if place.pending().get() { t_string!(i18n, placing_order) } else { t_string!(i18n, place_order) }}
                    </button>
                </div>
            </form>
            <aside class="checkout-summary" aria-labelledby="summary-title">
                <h2 id="summary-title">{t!(i18n, order_summary)}</h2>
                <LineErrors errors=field_errors/>
                <CartGroups quote editable=false/>
                <p class="grand-total">
                    {t!(i18n, grand_total)}": "
                    <strong>{move || grand_total(cart, quote.get().flatten().as_ref()).format(lang())}</strong>
                </p>
                <A href=routes::CART>{t!(i18n, edit_cart)}</A>
            </aside>
        </div>
        </Show>
    }
}

/// The buyer's saved addresses as choices; picking one fills recipient and address.
#[component]
fn SavedAddressPicker(list: Vec<SavedAddress>, draft: RwSignal<Draft>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="saved-addresses" role="radiogroup" aria-labelledby="saved-addresses-title">
            <p id="saved-addresses-title" class="saved-addresses-title">{t!(i18n, saved_addresses)}</p>
            {list.into_iter().map(|a| {
                let province = geo::province(a.address.province_code).map(|p| p.name).unwrap_or_default();
                let line = format!("{}, {}, {}", a.address.street, a.address.commune_name, province);
                let who = format!("{} · {}", a.recipient_name, a.phone.national());
                let chosen = {
                    let a = a.clone();
                    move || draft.with(|d| d.matches(&a))
                };
                view! {
                    <label class="choice">
                        <input type="radio" name="saved_address" value=a.id.to_string()
                            prop:checked=chosen
                            on:change=move |_| draft.update(|d| d.use_saved(&a))/>
                        <span><strong>{who}</strong><small>{line}</small></span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

/// Errors the server gave for cart lines (out of stock, price changed, no longer sold).
#[component]
fn LineErrors(errors: RwSignal<Errors>) -> impl IntoView {
    let cart = Cart::get();
    let lang = use_lang();
    move || {
        let lines = cart.lines();
        errors.with(|e| {
            e.0.iter()
                .filter_map(|(field, error)| {
                    let index: usize = field.strip_prefix("lines.")?.split('.').next()?.parse().ok()?;
                    let line = lines.get(index)?;
                    let name = line.product_name.get(lang()).to_owned();
                    let label = line.variant_label.clone();
                    let error = error.clone();
                    Some(view! {
                        <p class="line-notice" role="alert">
                            <strong>{name}" ("{label}")"</strong>": "
                            <FieldMessage id="" error=Signal::stored(Some(error)) inline=true/>
                        </p>
                    })
                })
                .collect_view()
        })
    }
}

#[component]
fn SubmitError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let message = match &error {
        ApiError::Network => t!(i18n, order_network_error).into_any(),
        // Too many orders from this address or phone: the cart and the form stay as they are.
        _ if error.code() == Some(domain::api::ErrorCode::TooManyOrders) => t!(i18n, order_too_many).into_any(),
        ApiError::Http { status: 400 | 409 | 422, .. } => t!(i18n, order_fix_errors).into_any(),
        _ => t!(i18n, order_server_error).into_any(),
    };
    view! { <p class="form-error" role="alert">{message}</p> }
}
