//! The cart: lines kept in localStorage, so a reload, a closed tab or going offline never
//! loses it. Each line keeps what the buyer saw (price, name) so checkout can say what
//! changed since.

use crate::storage;
use domain::{I18nText, catalog::CooperativeRef, money::Vnd, order::LineRequest};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "chohtx.cart.v1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub variant_id: i64,
    pub quantity: u32,
    pub product_slug: String,
    pub product_name: I18nText,
    pub variant_label: String,
    /// The unit price when the buyer added the line.
    pub unit_price: Vnd,
    pub image_url: Option<String>,
    pub cooperative: CooperativeRef,
}

/// The cart in context; cheap to copy.
#[derive(Clone, Copy)]
pub struct Cart {
    lines: RwSignal<Vec<CartLine>>,
    ready: RwSignal<bool>,
}

impl Cart {
    /// Loads the saved cart and keeps saving it on every change. It loads after the page
    /// hydrates (effects run only in the browser): the server renders every page with an
    /// empty cart, and the first render in the browser must be the same.
    pub fn provide() -> Cart {
        let cart = Cart { lines: RwSignal::new(Vec::new()), ready: RwSignal::new(false) };
        Effect::new(move |_| {
            if crate::island::page_hydrated() && !cart.ready.get_untracked() {
                cart.lines.set(storage::load(STORAGE_KEY).unwrap_or_default());
                cart.ready.set(true);
            }
        });
        Effect::new(move |_| {
            if cart.ready.get() {
                let json = cart.lines.with(|l| serde_json::to_string(l).unwrap_or_default());
                storage::set(STORAGE_KEY, &json);
            }
        });
        provide_context(cart);
        cart
    }

    /// Whether the saved cart has been read (false on the server and while hydrating).
    pub fn is_ready(self) -> bool {
        self.ready.get()
    }

    pub fn get() -> Cart {
        expect_context::<Cart>()
    }

    pub fn lines(self) -> Vec<CartLine> {
        self.lines.get()
    }

    pub fn is_empty(self) -> bool {
        self.lines.with(Vec::is_empty)
    }

    /// Number of items (sum of quantities), for the header badge.
    pub fn count(self) -> u32 {
        self.lines.with(|l| l.iter().map(|x| x.quantity).sum())
    }

    /// Adds `line`; the same pack size again adds to its quantity.
    pub fn add(self, line: CartLine) {
        self.lines.update(|lines| match lines.iter_mut().find(|l| l.variant_id == line.variant_id) {
            Some(existing) => existing.quantity += line.quantity,
            None => lines.push(line),
        });
    }

    pub fn set_quantity(self, variant_id: i64, quantity: u32) {
        if quantity == 0 {
            return self.remove(variant_id);
        }
        self.lines.update(|lines| {
            if let Some(l) = lines.iter_mut().find(|l| l.variant_id == variant_id) {
                l.quantity = quantity;
            }
        });
    }

    /// Accepts today's price for a line (after the buyer saw the change).
    pub fn set_price(self, variant_id: i64, price: Vnd) {
        self.lines.update(|lines| {
            if let Some(l) = lines.iter_mut().find(|l| l.variant_id == variant_id) {
                l.unit_price = price;
            }
        });
    }

    pub fn remove(self, variant_id: i64) {
        self.lines.update(|lines| lines.retain(|l| l.variant_id != variant_id));
    }

    /// Removes the lines that became orders.
    pub fn remove_all(self, variant_ids: &[i64]) {
        self.lines.update(|lines| lines.retain(|l| !variant_ids.contains(&l.variant_id)));
    }

    /// What to send for a quote or an order, with the prices the buyer saw.
    pub fn requests(self) -> Vec<LineRequest> {
        self.lines.with(|lines| {
            lines
                .iter()
                .map(|l| LineRequest {
                    variant_id: l.variant_id,
                    quantity: i64::from(l.quantity),
                    expected_price: Some(l.unit_price),
                })
                .collect()
        })
    }

    /// Lines grouped by cooperative, in the order they were first added.
    pub fn groups(self) -> Vec<(CooperativeRef, Vec<CartLine>)> {
        self.lines.with(|lines| group_by_cooperative(lines))
    }
}

pub fn group_by_cooperative(lines: &[CartLine]) -> Vec<(CooperativeRef, Vec<CartLine>)> {
    let mut groups: Vec<(CooperativeRef, Vec<CartLine>)> = Vec::new();
    for l in lines {
        match groups.iter_mut().find(|(c, _)| c.slug == l.cooperative.slug) {
            Some((_, v)) => v.push(l.clone()),
            None => groups.push((l.cooperative.clone(), vec![l.clone()])),
        }
    }
    groups
}
