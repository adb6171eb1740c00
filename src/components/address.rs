//! The province → commune → street fields of the 2025 two-tier address, shared by
//! checkout, saved addresses and cooperative registration. Communes are fetched when the
//! province changes; choosing another province clears the commune.

use crate::{
    api,
    components::field_error::FieldMessage,
    i18n::{t, t_string, use_i18n},
};
use domain::{geo, order::AddressInput, validate::Errors};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The address as typed: the selects' values are codes kept as text ("" = not chosen).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressDraft {
    pub province: String,
    pub commune: String,
    pub street: String,
}

impl AddressDraft {
    /// What the API expects; an unchosen select becomes 0, which the rules refuse.
    pub fn input(&self) -> AddressInput {
        AddressInput {
            province_code: self.province.parse().unwrap_or(0),
            commune_code: self.commune.parse().unwrap_or(0),
            street: self.street.clone(),
        }
    }

    /// The fields of an address the server sent back (a saved address).
    pub fn from_address(address: &domain::order::Address) -> AddressDraft {
        AddressDraft {
            province: address.province_code.to_string(),
            commune: address.commune_code.to_string(),
            street: address.street.clone(),
        }
    }
}

/// A form state that holds an address.
pub trait HasAddress: Send + Sync + 'static {
    fn address(&self) -> &AddressDraft;
    fn address_mut(&mut self) -> &mut AddressDraft;
}

impl HasAddress for AddressDraft {
    fn address(&self) -> &AddressDraft {
        self
    }
    fn address_mut(&mut self) -> &mut AddressDraft {
        self
    }
}

/// Province, commune and street fields bound to `form`. Errors are looked up under
/// `{prefix}province_code`, `{prefix}commune_code` and `{prefix}street` (checkout and
/// saved addresses use `address.`, cooperative registration none). Element ids are
/// `province`, `commune`, `street` (one address form per page).
#[component]
pub fn AddressFields<T: HasAddress>(
    form: RwSignal<T>,
    #[prop(into)] errors: Signal<Errors>,
    #[prop(optional)] prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    // Fetch communes when the province changes, not on every keystroke elsewhere.
    let province = Memo::new(move |_| form.with(|f| f.address().province.parse::<u8>().ok()));
    let communes = LocalResource::new(move || {
        let province = province.get();
        async move {
            match province {
                Some(p) => api::provinces_communes(p).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let key = move |field: &'static str| format!("{prefix}{field}");
    let err = move |field: &'static str| {
        let k = key(field);
        Signal::derive(move || errors.with(|e| e.get(&k).cloned()))
    };
    let invalid = move |field: &'static str| {
        let k = key(field);
        move || errors.with(|e| e.get(&k).is_some()).to_string()
    };
    view! {
        <div class="field">
            <label for="province">{t!(i18n, province)}</label>
            <select id="province" name="province" autocomplete="address-level1" required
                aria-invalid=invalid("province_code") aria-describedby="province-error"
                prop:value=move || form.with(|f| f.address().province.clone())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| {
                        let a = f.address_mut();
                        a.province = v;
                        a.commune.clear();
                    });
                }>
                <option value="">{t!(i18n, choose_province)}</option>
                {geo::provinces_by_name().into_iter().map(|p| {
                    let selected = form.with_untracked(|f| f.address().province == p.code.to_string());
                    view! { <option value=p.code.to_string() selected=selected>{p.name}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id="province-error" error=err("province_code") choose=Signal::derive(move || t_string!(i18n, choose_province))/>
        </div>
        <div class="field">
            <label for="commune">{t!(i18n, commune)}</label>
            <select id="commune" name="commune" autocomplete="address-level2" required
                disabled=move || form.with(|f| f.address().province.is_empty())
                aria-invalid=invalid("commune_code") aria-describedby="commune-error"
                prop:value=move || form.with(|f| f.address().commune.clone())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| f.address_mut().commune = v);
                }>
                <option value="">{t!(i18n, choose_commune)}</option>
                {move || communes.get().unwrap_or_default().into_iter().map(|c| {
                    let selected = form.with_untracked(|f| f.address().commune == c.code.to_string());
                    view! { <option value=c.code.to_string() selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id="commune-error" error=err("commune_code") choose=Signal::derive(move || t_string!(i18n, choose_commune))/>
        </div>
        <div class="field">
            <label for="street">{t!(i18n, street)}</label>
            <input id="street" name="street" autocomplete="address-line1" required
                placeholder=move || t_string!(i18n, street_placeholder)
                aria-invalid=invalid("street") aria-describedby="street-error"
                prop:value=move || form.with(|f| f.address().street.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| f.address_mut().street = v);
                }/>
            <FieldMessage id="street-error" error=err("street")/>
        </div>
    }
}
