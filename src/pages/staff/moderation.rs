//! `/xuc-tien`: the moderation queue (pending cooperatives and products with everything
//! needed to decide), and lookups of every cooperative and product to suspend, hide or
//! reinstate. Rejecting, suspending and hiding ask for the reason the cooperative will
//! read; which buttons a status offers is `domain::curation`'s rule.

use super::{StaffArea, StaffError, Tab, action_label};
use crate::{
    api::{self, ApiError},
    components::{async_view::Loaded, field_error::FieldMessage, trust::OcopStars},
    i18n::{t, t_string, use_i18n},
    pages::{account::coop_status_label, order::local_time},
    routes, use_lang,
};
use domain::{
    catalog::{Certification, CoopStatus, Date, ProductStatus},
    curation::{
        ModerationAction, ModerationQueue, QueueCooperative, QueueProduct, REASON_MAX, ReasonRequest, StaffCooperative,
        StaffProduct, cooperative_actions, product_actions,
    },
    geo,
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, staff_tab_moderation)/>
        <StaffArea tab=Tab::Moderation>
            <Moderation/>
        </StaffArea>
    }
}

/// What a decision was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Cooperative,
    Product,
}

fn province_name(code: u8) -> &'static str {
    geo::province(code).map(|p| p.short_name).unwrap_or("")
}

pub fn product_status_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Draft => t_string!(i18n, staff_product_draft),
        ProductStatus::Pending => t_string!(i18n, staff_product_pending),
        ProductStatus::Published => t_string!(i18n, staff_product_published),
        ProductStatus::Hidden => t_string!(i18n, staff_product_hidden),
    }
}

#[component]
fn Moderation() -> impl IntoView {
    let i18n = use_i18n();
    let queue = LocalResource::new(api::staff_queue);
    // Bumped after every decision, so the lookups below show the new statuses.
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let done = Callback::new(move |message: String| {
        notice.set(Some(message));
        queue.refetch();
        version.update(|v| *v += 1);
    });
    view! {
        <h1>{t!(i18n, staff_moderation_title)}</h1>
        <p class="notice" role="status" hidden=move || notice.with(Option::is_none)>{move || notice.get()}</p>
        <Loaded resource=queue skeleton=|| view! { <div class="skeleton-block"></div> } let:q>
            <Queue queue=q done/>
        </Loaded>
        <CooperativeLookup version done/>
        <ProductLookup version done/>
    }
}

#[component]
fn Queue(queue: ModerationQueue, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let ModerationQueue { cooperatives, products, returned_cooperatives, today } = queue;
    let today = StoredValue::new(today);
    let (n_coops, n_products) = (cooperatives.len(), products.len());
    view! {
        <section class="section" aria-labelledby="queue-coops-title">
            <h2 id="queue-coops-title">
                {t!(i18n, staff_queue_cooperatives)}" "<span class="count-badge">{n_coops}</span>
            </h2>
            {(returned_cooperatives > 0).then(|| view! {
                <p class="muted">{t!(i18n, staff_returned_count, count = returned_cooperatives)}</p>
            })}
            {if cooperatives.is_empty() {
                view! { <p class="empty-state">{t!(i18n, staff_queue_empty_cooperatives)}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue-list">
                        {cooperatives.into_iter().map(|c| view! { <QueueCoop coop=c today=today.get_value() done/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="section" aria-labelledby="queue-products-title">
            <h2 id="queue-products-title">
                {t!(i18n, staff_queue_products)}" "<span class="count-badge">{n_products}</span>
            </h2>
            {if products.is_empty() {
                view! { <p class="empty-state">{t!(i18n, staff_queue_empty_products)}</p> }.into_any()
            } else {
                view! {
                    <ul class="queue-list">
                        {products.into_iter().map(|p| view! { <QueueItemProduct product=p today=today.get_value() done/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Certifications(certifications: Vec<Certification>, today: Option<Date>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if certifications.is_empty() {
        return view! { <p class="muted">{t!(i18n, staff_no_certifications)}</p> }.into_any();
    }
    view! {
        <ul class="queue-certs">
            {certifications.into_iter().map(|c| {
                let expired = today.as_ref().is_some_and(|d| c.is_expired(d));
                let expires = c.expires_on.clone();
                view! {
                    <li class:expired=expired>
                        <strong>{move || c.kind.name(lang())}</strong>" · "{c.number.clone()}" · "{c.issuer.clone()}" · "
                        {t!(i18n, cert_expires)}" "{move || expires.format(lang())}
                        {expired.then(|| view! { " "<span class="expired-flag">{t!(i18n, cert_expired)}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn QueueCoop(coop: QueueCooperative, today: Option<Date>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let QueueCooperative {
        slug,
        name,
        kind,
        status,
        registration_number,
        province_code,
        commune_name,
        street,
        phone,
        bank,
        registered_at,
        admins,
        product_count,
        certifications,
        ..
    } = coop;
    let phone = domain::phone::Phone::parse(&phone).map(|p| p.national()).unwrap_or(phone);
    let data_slug = slug.clone();
    view! {
        <li class="queue-item" data-slug=data_slug>
            <div class="queue-head">
                <h3>{name.clone()}</h3>
                <span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span>
            </div>
            <dl class="queue-facts">
                <div><dt>{t!(i18n, staff_kind)}</dt><dd>{move || kind.name(lang())}</dd></div>
                <div><dt>{t!(i18n, staff_registration_number)}</dt><dd class="mono">
                    {if registration_number.is_empty() { "—".to_owned() } else { registration_number }}
                </dd></div>
                <div><dt>{t!(i18n, staff_address)}</dt><dd>{format!("{street}, {commune_name}, {}", province_name(province_code))}</dd></div>
                <div><dt>{t!(i18n, staff_phone)}</dt><dd>{phone}</dd></div>
                <div><dt>{t!(i18n, staff_bank)}</dt><dd>
                    {bank.map(|b| format!("{} · {} · {}", b.bin, b.account_number, b.account_name)).unwrap_or_else(|| "—".into())}
                </dd></div>
                <div><dt>{t!(i18n, staff_registered_by)}</dt><dd>{admins.join(", ")}</dd></div>
                <div><dt>{t!(i18n, staff_registered_at)}</dt><dd>{local_time(&registered_at)}</dd></div>
                <div><dt>{t!(i18n, staff_products)}</dt><dd>{product_count}</dd></div>
            </dl>
            <h4>{t!(i18n, certifications)}</h4>
            <Certifications certifications today/>
            <Decide target=Target::Cooperative slug name actions=cooperative_actions(status) done/>
        </li>
    }
}

#[component]
fn QueueItemProduct(product: QueueProduct, today: Option<Date>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let QueueProduct {
        slug,
        name,
        description,
        brand,
        category,
        origin_province_code,
        ocop_stars,
        status,
        cooperative,
        cooperative_status,
        images,
        certifications,
        variants,
        review_note,
        submitted_at,
    } = product;
    let title = name.clone();
    let plain_name = name.vi.clone();
    let data_slug = slug.clone();
    view! {
        <li class="queue-item" data-slug=data_slug>
            <div class="queue-head">
                <h3>{move || title.get(lang()).to_owned()}</h3>
                <span class="badge" data-status=status.code()>{move || product_status_label(i18n, status)}</span>
            </div>
            <p class="muted">
                {cooperative.name.clone()}" "
                <span class="badge" data-status=cooperative_status.code()>{move || coop_status_label(i18n, cooperative_status)}</span>
            </p>
            {(!images.is_empty()).then(|| view! {
                <div class="queue-images">
                    {images.into_iter().map(|img| {
                        let alt = img.alt.clone();
                        view! { <img src=img.url alt=move || alt.get(lang()).to_owned() width=img.width height=img.height loading="lazy"/> }
                    }).collect_view()}
                </div>
            })}
            <dl class="queue-facts">
                <div><dt>{t!(i18n, staff_category)}</dt><dd>{move || category.name(lang())}</dd></div>
                <div><dt>{t!(i18n, origin)}</dt><dd>{province_name(origin_province_code)}</dd></div>
                {(!brand.is_empty()).then(|| view! { <div><dt>{t!(i18n, brand)}</dt><dd>{brand}</dd></div> })}
                {(ocop_stars > 0).then(|| view! { <div><dt>"OCOP"</dt><dd><OcopStars stars=ocop_stars/></dd></div> })}
                <div><dt>{t!(i18n, staff_submitted_at)}</dt><dd>{local_time(&submitted_at)}</dd></div>
            </dl>
            <h4>{t!(i18n, pack_sizes)}</h4>
            <ul class="queue-variants">
                {variants.into_iter().map(|v| view! {
                    <li>
                        <strong>{v.label}</strong>" · "{move || v.price.format(lang())}" · "
                        {t!(i18n, in_stock, count = v.stock)}
                        {v.gtin.map(|g| view! { " · GTIN "<span class="mono">{g.as_str().to_owned()}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <h4>{t!(i18n, certifications)}</h4>
            <Certifications certifications today/>
            <details class="queue-description">
                <summary>{t!(i18n, description)}</summary>
                <p class="description">{move || description.get(lang()).to_owned()}</p>
            </details>
            {(!review_note.is_empty()).then(|| view! {
                <p class="line-notice">{t!(i18n, staff_previous_note)}" "{review_note}</p>
            })}
            <Decide target=Target::Product slug name=plain_name actions=product_actions(status) done/>
        </li>
    }
}

/// The buttons of the actions that apply; those that need a reason open a small form.
#[component]
fn Decide(
    target: Target,
    slug: String,
    name: String,
    actions: Vec<ModerationAction>,
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(None::<ModerationAction>);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let slug = StoredValue::new(slug);
    let name = StoredValue::new(name);
    let act = Action::new_local(move |(action, reason): &(ModerationAction, Option<String>)| {
        let (slug, action, reason) = (slug.get_value(), *action, reason.clone());
        async move {
            match target {
                Target::Cooperative => api::moderate_cooperative(&slug, action, reason).await.map(|_| action),
                Target::Product => api::moderate_product(&slug, action, reason).await.map(|_| action),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = act.value().get() {
            untrack(|| match result {
                Ok(action) => {
                    open.set(None);
                    reason.set(String::new());
                    failure.set(None);
                    let what = match action {
                        ModerationAction::Approve => t_string!(i18n, staff_done_approve),
                        ModerationAction::Reject => t_string!(i18n, staff_done_reject),
                        ModerationAction::Suspend => t_string!(i18n, staff_done_suspend),
                        ModerationAction::Hide => t_string!(i18n, staff_done_hide),
                    };
                    done.run(format!("{what}: {}", name.get_value()));
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                }
            });
        }
    });
    let id = format!("reason-{}-{}", if target == Target::Cooperative { "coop" } else { "product" }, slug.get_value());
    let reason_id = StoredValue::new(id);
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = open.get_untracked() else { return };
        match (ReasonRequest { reason: reason.get_untracked() }).validate() {
            Ok(r) => {
                errors.set(Errors::new());
                act.dispatch((action, Some(r)));
            }
            Err(e) => errors.set(e),
        }
    };
    let label = move |a: ModerationAction| {
        let n = name.get_value();
        move || format!("{} – {n}", action_label(i18n, a))
    };
    view! {
        <div class="decide">
            <div class="decide-buttons">
                {actions.into_iter().map(|a| {
                    let primary = a == ModerationAction::Approve;
                    view! {
                        <button type="button" class="button button-small" class:button-primary=primary
                            data-action=a.code() aria-label=label(a)
                            aria-expanded=move || a.needs_reason().then(|| (open.get() == Some(a)).to_string())
                            disabled=move || act.pending().get()
                            on:click=move |_| {
                                failure.set(None);
                                if a.needs_reason() {
                                    open.set(Some(a));
                                    request_animation_frame(move || {
                                        if let Some(el) = document().get_element_by_id(&reason_id.get_value()) {
                                            use leptos::wasm_bindgen::JsCast;
                                            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                                let _ = el.focus();
                                            }
                                        }
                                    });
                                } else {
                                    act.dispatch((a, None));
                                }
                            }>
                            {move || action_label(i18n, a)}
                        </button>
                    }
                }).collect_view()}
            </div>
            {move || open.get().map(|a| {
                let id = reason_id.get_value();
                let error_id = format!("{id}-error");
                view! {
                    <form class="reason-form" novalidate on:submit=on_submit>
                        <label for=id.clone()>{move || match a {
                            ModerationAction::Suspend => t_string!(i18n, staff_reason_suspend),
                            ModerationAction::Hide => t_string!(i18n, staff_reason_hide),
                            _ => t_string!(i18n, staff_reason_reject),
                        }}</label>
                        <textarea id=id name="reason" rows="3" maxlength=REASON_MAX.to_string() required=true
                            aria-describedby=error_id.clone()
                            aria-invalid=move || errors.with(|e| e.get("reason").is_some()).to_string()
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        <p class="hint">{t!(i18n, staff_reason_hint)}</p>
                        <FieldMessage id=error_id error=Signal::derive(move || errors.with(|e| e.get("reason").cloned()))/>
                        <div class="decide-buttons">
                            <button type="submit" class="button button-small button-danger" disabled=move || act.pending().get()>
                                {move || action_label(i18n, a)}
                            </button>
                            <button type="button" class="button button-small" on:click=move |_| { open.set(None); errors.set(Errors::new()); }>
                                {t!(i18n, staff_cancel)}
                            </button>
                        </div>
                    </form>
                }
            })}
            {move || failure.get().map(|error| view! { <StaffError error/> })}
        </div>
    }
}

const STATUS_ALL: &str = "";

#[component]
fn CooperativeLookup(version: RwSignal<u32>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(String::from("approved"));
    let text = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        let (status, q) = (status.get(), q.get());
        version.track();
        async move { api::staff_cooperatives(&status, &q).await }
    });
    view! {
        <section class="section" aria-labelledby="lookup-coops-title">
            <h2 id="lookup-coops-title">{t!(i18n, staff_lookup_cooperatives)}</h2>
            <form class="lookup-form" role="search" on:submit=move |ev: ev::SubmitEvent| { ev.prevent_default(); q.set(text.get_untracked()); }>
                <div class="field">
                    <label for="coop-status">{t!(i18n, staff_status)}</label>
                    <select id="coop-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value=STATUS_ALL>{t!(i18n, staff_all_statuses)}</option>
                        {CoopStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.code() selected=s == CoopStatus::Approved>{move || coop_status_label(i18n, s)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="coop-q">{t!(i18n, staff_name_contains)}</label>
                    <input id="coop-q" type="search" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">{t!(i18n, search_button)}</button>
            </form>
            <Loaded resource=list skeleton=|| view! { <div class="skeleton-block"></div> } let:rows>
                {if rows.is_empty() {
                    view! { <p class="empty">{t!(i18n, staff_nothing_found)}</p> }.into_any()
                } else {
                    view! { <ul class="account-list lookup-list">{rows.into_iter().map(|c| view! { <CoopRow coop=c done/> }).collect_view()}</ul> }.into_any()
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn CoopRow(coop: StaffCooperative, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let StaffCooperative {
        slug,
        name,
        kind,
        province_code,
        status,
        status_reason,
        registration_number,
        product_count,
        ..
    } = coop;
    let link = (status == CoopStatus::Approved).then(|| routes::cooperative(&slug));
    let data_slug = slug.clone();
    let shown_name = name.clone();
    view! {
        <li class="account-item lookup-item" data-slug=data_slug>
            <div class="lookup-main">
                <p class="account-item-title">
                    {match link {
                        Some(href) => view! { <A href=href>{shown_name}</A> }.into_any(),
                        None => view! { <span>{shown_name}</span> }.into_any(),
                    }}
                </p>
                <p class="muted">
                    <span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span>" "
                    {move || kind.name(lang())}" · "{province_name(province_code)}" · "
                    {t!(i18n, products_count, count = product_count)}
                    {(!registration_number.is_empty()).then(|| format!(" · {registration_number}"))}
                </p>
                {(!status_reason.is_empty()).then(|| view! { <p class="line-notice">{status_reason}</p> })}
            </div>
            <Decide target=Target::Cooperative slug name actions=cooperative_actions(status) done/>
        </li>
    }
}

#[component]
fn ProductLookup(version: RwSignal<u32>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(String::from("published"));
    let text = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let list = LocalResource::new(move || {
        let (status, q, page) = (status.get(), q.get(), page.get());
        version.track();
        async move { api::staff_products(&status, &q, page).await }
    });
    view! {
        <section class="section" aria-labelledby="lookup-products-title">
            <h2 id="lookup-products-title">{t!(i18n, staff_lookup_products)}</h2>
            <form class="lookup-form" role="search" on:submit=move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                page.set(1);
                q.set(text.get_untracked());
            }>
                <div class="field">
                    <label for="product-status">{t!(i18n, staff_status)}</label>
                    <select id="product-status" on:change=move |ev| { page.set(1); status.set(event_target_value(&ev)); }>
                        <option value=STATUS_ALL>{t!(i18n, staff_all_statuses)}</option>
                        {ProductStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.code() selected=s == ProductStatus::Published>{move || product_status_label(i18n, s)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="product-q">{t!(i18n, staff_search_products)}</label>
                    <input id="product-q" type="search" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">{t!(i18n, search_button)}</button>
            </form>
            <Loaded resource=list skeleton=|| view! { <div class="skeleton-block"></div> } let:result>
                {
                    let pages = result.page_count();
                    let total = result.total;
                    if result.items.is_empty() {
                        view! { <p class="empty">{t!(i18n, staff_nothing_found)}</p> }.into_any()
                    } else {
                        view! {
                            <p class="muted">{t!(i18n, products_count, count = total)}</p>
                            <ul class="account-list lookup-list">
                                {result.items.into_iter().map(|p| view! { <ProductRow product=p done/> }).collect_view()}
                            </ul>
                            {(pages > 1).then(|| view! {
                                <div class="pager">
                                    <button type="button" class="button button-small" disabled={move || page.get() <= 1}
                                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>{t!(i18n, staff_previous)}</button>
                                    <span>{move || format!("{} / {pages}", page.get())}</span>
                                    <button type="button" class="button button-small" disabled={move || u64::from(page.get()) >= pages}
                                        on:click=move |_| page.update(|p| *p += 1)>{t!(i18n, staff_next)}</button>
                                </div>
                            })}
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}

#[component]
fn ProductRow(product: StaffProduct, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let StaffProduct { summary, status, review_note, cooperative_status } = product;
    let visible = status == ProductStatus::Published && cooperative_status == CoopStatus::Approved;
    let name = summary.name.clone();
    let link_name = summary.name.clone();
    let href = routes::product(&summary.slug);
    view! {
        <li class="account-item lookup-item" data-slug=summary.slug.clone()>
            {summary.image.map(|img| view! { <img class="lookup-thumb" src=img.url alt="" width="64" height="48" loading="lazy"/> })}
            <div class="lookup-main">
                <p class="account-item-title">
                    {if visible {
                        view! { <A href=href>{move || link_name.get(lang()).to_owned()}</A> }.into_any()
                    } else {
                        view! { <span>{move || name.get(lang()).to_owned()}</span> }.into_any()
                    }}
                </p>
                <p class="muted">
                    <span class="badge" data-status=status.code()>{move || product_status_label(i18n, status)}</span>" "
                    {summary.cooperative.name.clone()}
                    {(cooperative_status != CoopStatus::Approved).then(|| view! {
                        " "<span class="badge" data-status=cooperative_status.code()>{move || coop_status_label(i18n, cooperative_status)}</span>
                    })}
                    " · "{move || summary.price_from.format(lang())}
                </p>
                {(!review_note.is_empty()).then(|| view! { <p class="line-notice">{review_note}</p> })}
            </div>
            <Decide target=Target::Product slug=summary.slug.clone() name=summary.name.vi.clone() actions=product_actions(status) done/>
        </li>
    }
}
