//! `/tai-khoan`: who is signed in, their cooperatives, their orders (each opens without a
//! tracking token) and their saved delivery addresses (delete, add).

use crate::{
    api::{self, ApiError},
    components::{
        address::{AddressDraft, AddressFields},
        async_view::Loaded,
        form::{FormError, TextField, field_error, focus_first_error, on_result},
    },
    i18n::{t, t_string, use_i18n},
    pages::order::{local_time, status_label},
    routes,
    session::RequireUser,
    use_lang,
};
use domain::{
    account::{AddressRequest, MemberRole, Membership, OrderSummary, SavedAddress, User},
    catalog::CoopStatus,
    geo,
    validate::{Errors, FieldError},
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, my_account)/>
        <RequireUser let:user><AccountView user/></RequireUser>
    }
}

#[component]
fn AccountView(user: Signal<User>) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || user.with(|u| u.name.clone());
    let email = move || user.with(|u| u.email.clone());
    let phone = move || user.with(|u| u.phone.as_ref().map(|p| p.national()));
    view! {
        <div class="account-page">
            <header class="account-head">
                <p class="eyebrow">{t!(i18n, my_account)}</p>
                <h1>{name}</h1>
                <p class="muted">
                    {move || email()}
                    {move || (email().is_some() && phone().is_some()).then_some(" · ")}
                    {move || phone()}
                </p>
            </header>
            <MyCooperatives user/>
            <MyOrders/>
            <SavedAddresses user/>
        </div>
    }
}

pub fn coop_status_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, s: CoopStatus) -> &'static str {
    match s {
        CoopStatus::Pending => t_string!(i18n, coop_status_pending),
        CoopStatus::Approved => t_string!(i18n, coop_status_approved),
        CoopStatus::Suspended => t_string!(i18n, coop_status_suspended),
    }
}

pub fn role_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, r: MemberRole) -> &'static str {
    match r {
        MemberRole::Admin => t_string!(i18n, role_admin),
        MemberRole::Member => t_string!(i18n, role_member),
    }
}

#[component]
fn MyCooperatives(user: Signal<User>) -> impl IntoView {
    let i18n = use_i18n();
    let memberships = Memo::new(move |_| user.with(|u| u.memberships.clone()));
    view! {
        <section class="section account-section" aria-labelledby="coops-title">
            <h2 id="coops-title">{t!(i18n, my_cooperatives)}</h2>
            {move || {
                let list = memberships.get();
                if list.is_empty() {
                    view! { <p class="muted">{t!(i18n, no_cooperatives)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="account-list">
                            {list.into_iter().map(|m: Membership| {
                                let (status, role) = (m.status, m.role);
                                view! {
                                    <li class="account-item">
                                        <div>
                                            <p class="account-item-title">{m.cooperative.name.clone()}</p>
                                            <p class="muted">
                                                <span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span>
                                                " "{move || role_label(i18n, role)}
                                            </p>
                                        </div>
                                        {(status != CoopStatus::Approved).then(|| view! {
                                            <A href=routes::cooperative_review(&m.cooperative.slug) attr:class="button button-small">{t!(i18n, review_title)}</A>
                                        })}
                                        <A href=routes::members(&m.cooperative.slug) attr:class="button button-small">{t!(i18n, members_title)}</A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <A href=routes::REGISTER_COOPERATIVE attr:class="button">{t!(i18n, register_cooperative)}</A>
        </section>
    }
}

#[component]
fn MyOrders() -> impl IntoView {
    let i18n = use_i18n();
    let orders = LocalResource::new(api::my_orders);
    view! {
        <section class="section account-section" aria-labelledby="orders-title">
            <h2 id="orders-title">{t!(i18n, my_orders)}</h2>
            <Loaded resource=orders skeleton=|| view! { <ListSkeleton/> } let:list>
                {if list.is_empty() {
                    view! {
                        <p class="muted">{t!(i18n, no_orders_yet)}</p>
                        <A href=routes::CATALOG attr:class="button">{t!(i18n, hero_cta)}</A>
                    }.into_any()
                } else {
                    view! {
                        <ul class="account-list">
                            {list.into_iter().map(|o| view! { <OrderRow order=o/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn OrderRow(order: OrderSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let OrderSummary { number, cooperative, status, total, item_count, created_at } = order;
    view! {
        <li class="account-item">
            <A href=routes::my_order(&number) attr:class="order-row">
                <span class="order-row-main">
                    <span class="order-number">{number.clone()}</span>
                    <span class="muted">{cooperative.name}</span>
                    <span class="muted">{local_time(&created_at)}" · "{t!(i18n, products_count, count = item_count)}</span>
                </span>
                <span class="order-row-side">
                    <strong>{move || total.format(lang())}</strong>
                    <span class="badge" data-status=status.code()>{move || status_label(i18n, status)}</span>
                </span>
            </A>
        </li>
    }
}

#[component]
pub fn ListSkeleton() -> impl IntoView {
    view! {
        <div class="list-skeleton" aria-busy="true">
            <div class="skeleton-line"></div>
            <div class="skeleton-line short"></div>
            <div class="skeleton-line"></div>
        </div>
    }
}

#[component]
fn SavedAddresses(user: Signal<User>) -> impl IntoView {
    let i18n = use_i18n();
    let addresses = LocalResource::new(api::my_addresses);
    let remove_failure = RwSignal::new(None::<ApiError>);
    let remove = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::delete_address(id).await }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            untrack(|| {
                remove_failure.set(result.err());
                addresses.refetch();
            });
        }
    });
    view! {
        <section class="section account-section" aria-labelledby="addresses-title">
            <h2 id="addresses-title">{t!(i18n, saved_addresses)}</h2>
            {move || remove_failure.get().map(|error| view! { <FormError error/> })}
            <Loaded resource=addresses skeleton=|| view! { <ListSkeleton/> } let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{t!(i18n, no_saved_addresses)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="account-list">
                            {list.into_iter().map(|a| view! { <AddressRow address=a remove/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
            <AddAddress user on_saved=move || addresses.refetch()/>
        </section>
    }
}

#[component]
fn AddressRow(address: SavedAddress, remove: Action<i64, Result<(), ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let SavedAddress { id, recipient_name, phone, address } = address;
    let province = geo::province(address.province_code).map(|p| p.name).unwrap_or_default();
    let line = format!("{}, {}, {}", address.street, address.commune_name, province);
    let label_line = line.clone();
    let removing = move || remove.pending().get() && remove.input().with(|i| *i == Some(id));
    view! {
        <li class="account-item">
            <div>
                <p class="account-item-title">{recipient_name}" · "{phone.national()}</p>
                <p class="muted">{line}</p>
            </div>
            <button type="button" class="button button-small" disabled=move || remove.pending().get()
                aria-label=move || format!("{} – {}", t_string!(i18n, remove), label_line)
                on:click=move |_| { remove.dispatch(id); }>
                {move || if removing() { t_string!(i18n, removing) } else { t_string!(i18n, remove) }}
            </button>
        </li>
    }
}

/// A new saved address: recipient, phone, and the same address fields as checkout.
#[component]
fn AddAddress(user: Signal<User>, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let address = RwSignal::new(AddressDraft::default());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved_note = RwSignal::new(false);
    let prefill = move || {
        user.with_untracked(|u| {
            if name.get_untracked().is_empty() {
                name.set(u.name.clone());
            }
            if phone.get_untracked().is_empty()
                && let Some(p) = u.phone.as_ref().filter(|p| p.is_mobile())
            {
                phone.set(p.national());
            }
        });
    };
    let save = Action::new_local(|request: &AddressRequest| {
        let request = request.clone();
        async move { api::save_address(&request).await }
    });
    on_result(
        move || save.value().get(),
        errors,
        failure,
        move |_| {
            errors.set(Errors::new());
            failure.set(None);
            address.set(AddressDraft::default());
            open.set(false);
            saved_note.set(true);
            on_saved.run(());
        },
    );
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let request = AddressRequest {
            recipient_name: name.get_untracked(),
            phone: phone.get_untracked(),
            address: address.with_untracked(AddressDraft::input),
        };
        let mut e = request.validate().err().unwrap_or_default();
        if request.address.province_code == 0 {
            // Nothing chosen yet reads better as "required" than as "not a valid choice".
            e.0.insert("address.province_code".into(), FieldError::Required);
        } else if request.address.commune_code == 0 {
            e.add("address.commune_code", FieldError::Required);
        }
        failure.set(None);
        if e.is_empty() {
            errors.set(e);
            save.dispatch(request);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    view! {
        <Show when=move || saved_note.get()>
            <p class="notice" role="status">{t!(i18n, address_saved)}</p>
        </Show>
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="button" on:click=move |_| {
                prefill();
                saved_note.set(false);
                open.set(true);
            }>{t!(i18n, add_address)}</button>
        }>
            <form class="panel-form" novalidate on:submit=on_submit>
                <h3>{t!(i18n, add_address)}</h3>
                <TextField id="recipient_name" value=name error=field_error(errors, "recipient_name")
                    autocomplete="name" required=true>
                    {t!(i18n, full_name)}
                </TextField>
                <TextField id="phone" kind="tel" value=phone error=field_error(errors, "phone") autocomplete="tel"
                    inputmode="tel" placeholder="0912 345 678" required=true hint=move || t!(i18n, phone_hint)>
                    {t!(i18n, phone)}
                </TextField>
                <AddressFields form=address errors prefix="address."/>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { t_string!(i18n, saving) } else { t_string!(i18n, save_address) }}
                    </button>
                    <button type="button" class="button" on:click=move |_| open.set(false)>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Show>
    }
}
