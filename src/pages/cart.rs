//! The cart, grouped per cooperative (each ships its own order). Today's price and stock
//! come from the server; every line that changed since it was added says so.

use crate::{
    api,
    cart::{Cart, CartLine},
    components::stepper::Stepper,
    i18n::{t, t_string, use_i18n},
    routes, use_lang,
};
use domain::{
    money::Vnd,
    order::{Quote, QuoteLine},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// What the server says about one cart line today.
#[derive(Clone, Debug, PartialEq)]
pub enum LineState {
    Ok,
    PriceChanged { now: Vnd },
    LowStock { available: u32 },
    Unavailable,
}

pub fn line_state(line: &CartLine, quote: Option<&Quote>) -> LineState {
    let Some(q) = quote else { return LineState::Ok };
    if q.unavailable.contains(&line.variant_id) {
        return LineState::Unavailable;
    }
    let found: Option<&QuoteLine> = q.groups.iter().flat_map(|g| &g.lines).find(|l| l.variant_id == line.variant_id);
    match found {
        None => LineState::Ok,
        Some(ql) if ql.stock < line.quantity => LineState::LowStock { available: ql.stock },
        Some(ql) if ql.unit_price != line.unit_price => LineState::PriceChanged { now: ql.unit_price },
        Some(_) => LineState::Ok,
    }
}

/// The server's quote of the current cart, refreshed whenever the cart changes.
pub fn use_quote(cart: Cart) -> LocalResource<Option<Quote>> {
    LocalResource::new(move || {
        let lines = cart.requests();
        async move {
            if lines.is_empty() {
                return None;
            }
            api::quote(lines).await.ok()
        }
    })
}

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let cart = Cart::get();
    let quote = use_quote(cart);
    view! {
        <Title text=move || t_string!(i18n, cart)/>
        <h1>{t!(i18n, cart)}</h1>
        <Show when=move || !cart.is_empty() fallback=EmptyCart>
            <p class="muted">{t!(i18n, cart_split_note)}</p>
            <CartGroups quote editable=true/>
            <div class="cart-footer">
                <p class="grand-total">
                    {t!(i18n, grand_total)}": "
                    <strong>{move || grand_total(cart, quote.get().flatten().as_ref()).format(use_lang()())}</strong>
                </p>
                <A href=routes::CHECKOUT attr:class="button button-primary">{t!(i18n, checkout)}</A>
            </div>
        </Show>
    }
}

/// What the cart and checkout pages show when there is nothing to buy.
#[component]
pub fn EmptyCart() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="empty-state">
            <p>{t!(i18n, cart_empty)}</p>
            <A href=routes::CATALOG attr:class="button button-primary">{t!(i18n, hero_cta)}</A>
        </div>
    }
}

/// Sum of the quote's totals when known, else of the cart's own prices.
pub fn grand_total(cart: Cart, quote: Option<&Quote>) -> Vnd {
    match quote {
        Some(q) => q.total,
        None => {
            Vnd::checked_sum(cart.lines().iter().map(|l| l.unit_price.checked_mul(l.quantity).unwrap_or(Vnd::ZERO)))
                .unwrap_or(Vnd::ZERO)
        }
    }
}

/// The cart's lines per cooperative, with per-line change notices and per-group totals.
/// `editable` adds steppers and remove buttons (the cart page, not the checkout summary).
#[component]
pub fn CartGroups(quote: LocalResource<Option<Quote>>, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let cart = Cart::get();
    move || {
        let q = quote.get().flatten();
        cart.groups()
            .into_iter()
            .map(|(coop, lines)| {
                let group = q.as_ref().and_then(|q| q.groups.iter().find(|g| g.cooperative.slug == coop.slug).cloned());
                let coop_href = routes::cooperative(&coop.slug);
                view! {
                    <section class="cart-group">
                        <h2 class="cart-group-title"><A href=coop_href>{coop.name.clone()}</A></h2>
                        <ul class="cart-lines">
                            {lines.into_iter().map(|line| {
                                let state = line_state(&line, q.as_ref());
                                view! { <CartLineView line state editable/> }
                            }).collect_view()}
                        </ul>
                        {group.map(|g| view! {
                            <dl class="group-totals">
                                <div><dt>{t!(i18n, subtotal)}</dt><dd>{g.subtotal.format(lang())}</dd></div>
                                <div><dt>{t!(i18n, shipping)}</dt><dd>{
                                    if g.shipping_fee == Vnd::ZERO { t_string!(i18n, free_shipping).to_owned() } else { g.shipping_fee.format(lang()) }
                                }</dd></div>
                                <div class="total"><dt>{t!(i18n, order_total)}</dt><dd>{g.total.format(lang())}</dd></div>
                            </dl>
                        })}
                    </section>
                }
            })
            .collect_view()
    }
}

#[component]
fn CartLineView(line: CartLine, state: LineState, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let cart = Cart::get();
    let id = line.variant_id;
    let name = line.product_name.clone();
    let href = routes::product(&line.product_slug);
    let quantity = Signal::derive(move || cart.lines().iter().find(|l| l.variant_id == id).map_or(0, |l| l.quantity));
    let max = match state {
        LineState::LowStock { available } => available.max(line.quantity),
        _ => domain::order::MAX_QUANTITY as u32,
    };
    let notice = match state.clone() {
        LineState::Ok => None,
        LineState::PriceChanged { now } => Some(view! {
            <p class="line-notice" role="status">
                {t!(i18n, price_changed_notice, old = line.unit_price.format(lang()), new = now.format(lang()))}
                " "
                <button type="button" class="link-button" on:click=move |_| cart.set_price(id, now)>{t!(i18n, accept_new_price)}</button>
            </p>
        }.into_any()),
        LineState::LowStock { available: 0 } => Some(view! {
            <p class="line-notice" role="status">{t!(i18n, sold_out_notice)}</p>
        }.into_any()),
        LineState::LowStock { available } => Some(view! {
            <p class="line-notice" role="status">
                {t!(i18n, low_stock_notice, count = available)}" "
                <button type="button" class="link-button" on:click=move |_| cart.set_quantity(id, available)>{t!(i18n, take_available, count = available)}</button>
            </p>
        }.into_any()),
        LineState::Unavailable => Some(view! {
            <p class="line-notice" role="status">{t!(i18n, unavailable_notice)}</p>
        }.into_any()),
    };
    let unit_price = line.unit_price;
    let has_notice = notice.is_some();
    view! {
        <li class="cart-line" class:has-notice=has_notice data-variant=id.to_string()>
            {line.image_url.clone().map(|src| view! { <img src=src alt="" width="80" height="60" loading="lazy"/> })}
            <div class="cart-line-main">
                <a href=href class="cart-line-name">{move || name.get(lang()).to_owned()}</a>
                <p class="muted">{line.variant_label.clone()}" · "{move || unit_price.format(lang())}</p>
                {notice}
            </div>
            <div class="cart-line-side">
                {if editable {
                    view! {
                        <Stepper value=quantity max=Signal::stored(max) on_change=move |n| cart.set_quantity(id, n)/>
                        <button type="button" class="link-button remove" on:click=move |_| cart.remove(id)>{t!(i18n, remove)}</button>
                    }.into_any()
                } else {
                    view! { <span class="muted">"× "{quantity}</span> }.into_any()
                }}
                <strong class="line-total">{move || unit_price.checked_mul(quantity.get()).unwrap_or(Vnd::ZERO).format(lang())}</strong>
            </div>
        </li>
    }
}
