//! The public lot page, at the lot's GS1 Digital Link path `/01/{GTIN}/10/{lot}`: what a
//! consumer sees after scanning the label with a phone. Mobile first, light: one request,
//! no images but the product's.
//!
//! It shows the ten items of Circular 02/2024/TT-BKHCN, each marked `data-item="1…10"`
//! (the end-to-end test checks every one), and links to the product and the cooperative.

use crate::{
    api::{self, ApiError},
    components::trust::{CertBadge, OcopStars},
    i18n::{t, t_string, use_i18n},
    meta::{PageInfo, PageMeta},
    routes,
    time::today_vn,
    use_lang,
};
use domain::{
    geo,
    gs1::{self, DigitalLink},
    trace::{LotEvent, LotLink, TraceLot},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_location};

/// The public lot of a GTIN and lot code.
pub async fn fetch_lot(link: &DigitalLink) -> Result<TraceLot, ApiError> {
    let lot = link.lot.as_deref().unwrap_or_default();
    api::get(&gs1::api_path(&link.gtin, lot)).await
}

/// The Digital Link of the current URL. The router's path is still percent-encoded
/// (`HX%2F01` stays one segment; the route's decoded parameters would split it), and,
/// unlike `window.location`, already the new one while a navigation completes.
pub fn link_in_address_bar() -> Memo<Option<DigitalLink>> {
    let location = use_location();
    Memo::new(move |_| {
        let path = location.pathname.get();
        let path = path.strip_prefix("/tem").unwrap_or(&path);
        // The label pages are `/tem/{gtin}/{lot}[/a4]`: the same values without the AIs.
        if path.starts_with("/01/") {
            DigitalLink::parse(path).ok().filter(|l| l.lot.is_some())
        } else {
            let mut parts = path.trim_start_matches('/').split('/');
            let (gtin, lot) = (parts.next()?, parts.next()?);
            DigitalLink::parse(&format!("/01/{gtin}/10/{lot}")).ok()
        }
    })
}

/// A link to one of a lot's pages (public page, label, label sheet): every such link goes
/// through here. The router decodes `%25` back to `%` when it follows a link in the app,
/// which would change a lot code that contains `%`; those links load the page from the
/// server instead, which keeps the address as written.
#[component]
pub fn LotA(href: String, class: &'static str, children: Children) -> impl IntoView {
    let rel = href.contains("%25").then_some("external");
    view! { <A href=href attr:rel=rel attr:class=class>{children()}</A> }
}

#[component]
pub fn LotPage() -> impl IntoView {
    let link = link_in_address_bar();
    let lot = Resource::new(
        move || link.get(),
        |link| async move {
            match link {
                Some(l) => fetch_lot(&l).await,
                // Not a lot link at all: the same answer as an unknown lot.
                None => Err(ApiError::Http { status: 404, detail: None }),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <LotSkeleton/> }>
            {move || Suspend::new(async move {
                match lot.await {
                    Ok(t) => view! { <LotView lot=t/> }.into_any(),
                    Err(e) if e.is_not_found() => view! { <LotNotFound/> }.into_any(),
                    Err(error) => view! {
                        <crate::components::async_view::ErrorPanel error on_retry=move || lot.refetch()/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LotSkeleton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="trace skeleton" aria-busy="true">
            <span class="visually-hidden">{t!(i18n, loading)}</span>
            <div class="skeleton-line short"></div>
            <div class="skeleton-line"></div>
            <div class="skeleton-block"></div>
        </div>
    }
}

/// An unknown GTIN or lot: said plainly, with what to do next.
#[component]
pub fn LotNotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::components::async_view::set_not_found_status();
    let code = gs1::percent_decode(&use_location().pathname.get_untracked()).unwrap_or_default();
    view! {
        <Title text=move || t_string!(i18n, trace_not_found_title)/>
        <section class="not-found trace-not-found">
            <p class="not-found-code" aria-hidden="true">"?"</p>
            <h1>{t!(i18n, trace_not_found_title)}</h1>
            <p>{t!(i18n, trace_not_found_text)}</p>
            <p class="mono trace-scanned">{code}</p>
            <A href=routes::HOME attr:class="button">{t!(i18n, back_home)}</A>
        </section>
    }
}

#[component]
fn LotView(lot: TraceLot) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let TraceLot { gtin, lot_code, trace_code, product, producer, lot: details, standards, .. } = lot;
    let name = product.name.clone();
    let title_name = name.clone();
    let province = geo::province(producer.province_code).map(|p| p.name).unwrap_or_default();
    let lot_province = geo::province(details.province_code).map(|p| p.name).unwrap_or_default();
    let expired = today_vn().is_some_and(|d| details.best_before < d);
    let shelf_days = details.shelf_life_days();
    let produced_on = details.produced_on.clone();
    let best_before = details.best_before.clone();
    let label_path = gs1::label_path(&gtin, &lot_code);
    let phone = producer.phone.clone();
    let image = product.image.clone();
    let events = details.events.clone();
    let inspections = details.inspections.clone();
    let inputs = details.inputs.clone();
    let practices = details.practices.clone();
    let lot_code_for_title = lot_code.clone();
    let info = PageInfo {
        title: format!("{} · {} {}", name.get(lang()), t_string!(i18n, trace_lot), lot_code),
        description: format!(
            "{} · {} · {}",
            producer.name,
            lot_province,
            crate::meta::summary(&format!("{} {}", t_string!(i18n, trace_lot), trace_code), 120)
        ),
        path: use_location().pathname.get_untracked(),
        image: image.as_ref().map(|i| i.url.clone()),
        kind: "website",
        json_ld: Vec::new(),
    };
    view! {
        <PageMeta info/>
        <Title text=move || format!("{} · {} {}", title_name.get(lang()), t_string!(i18n, trace_lot), lot_code_for_title)/>
        <article class="trace">
            <header class="trace-head">
                <div class="trace-image" data-item="2">
                    {image.map(|img| {
                        let alt = img.alt.clone();
                        view! { <img src=img.url alt=move || alt.get(lang()).to_owned() width=img.width height=img.height fetchpriority="high"/> }
                    })}
                </div>
                <div class="trace-title">
                    <p class="eyebrow trace-eyebrow">{t!(i18n, traceability)}</p>
                    <h1 data-item="1">{move || name.get(lang()).to_owned()}</h1>
                    <p class="trace-brand" data-item="8">
                        <span>{t!(i18n, brand)}": "<strong>{product.brand.clone()}</strong></span>
                        " · "
                        <span>{t!(i18n, trace_lot)}" "<strong class="mono">{lot_code.clone()}</strong></span>
                    </p>
                    <div class="product-badges"><OcopStars stars=product.ocop_stars/></div>
                </div>
            </header>
            {expired.then(|| view! { <p class="trace-expired" role="alert">{t!(i18n, trace_expired)}</p> })}

            <dl class="trace-facts">
                <div class="trace-fact trace-code" data-item="7">
                    <dt>{t!(i18n, trace_code)}</dt>
                    <dd class="mono">{trace_code}</dd>
                </div>
                <div class="trace-fact" data-item="9">
                    <dt>{t!(i18n, trace_shelf_life)}</dt>
                    <dd>
                        <span>{t!(i18n, trace_produced_on)}": "<strong>{move || produced_on.format(lang())}</strong></span><br/>
                        <span>{t!(i18n, trace_best_before)}": "<strong>{move || best_before.format(lang())}</strong></span>
                        " "<span class="muted">{t!(i18n, trace_days, count = shelf_days)}</span>
                    </dd>
                </div>
                <div class="trace-fact">
                    <dt>{t!(i18n, trace_pack)}</dt>
                    <dd>{details.pack_label.clone()}" · "{t!(i18n, trace_quantity)}" "{details.quantity}" "{details.unit.clone()}</dd>
                </div>
                <div class="trace-fact">
                    <dt>{t!(i18n, trace_gtin)}</dt>
                    <dd class="mono">{gtin.to_string()}</dd>
                </div>
                <div class="trace-fact">
                    <dt>{t!(i18n, trace_area)}</dt>
                    <dd>
                        {(!details.area.is_empty()).then(|| view! { {details.area.clone()}", " })}
                        {details.commune_name.clone()}", "{lot_province}
                        {(!details.plot_code.is_empty()).then(|| view! {
                            <br/><span>{t!(i18n, trace_plot_code)}": "<strong class="mono">{details.plot_code.clone()}</strong></span>
                        })}
                    </dd>
                </div>
            </dl>

            <section class="trace-section trace-producer" aria-labelledby="trace-producer-title">
                <p class="eyebrow">{t!(i18n, producer)}</p>
                <h2 id="trace-producer-title" data-item="3">{producer.name.clone()}</h2>
                <p data-item="4">
                    <span class="visually-hidden">{t!(i18n, trace_address)}": "</span>
                    {producer.street.clone()}", "{producer.commune_name.clone()}", "{province}
                </p>
                <p>
                    {t!(i18n, trace_phone)}": "
                    <a href=format!("tel:{}", phone.e164())>{phone.national()}</a>
                </p>
                <div class="trace-links">
                    {product.on_sale.then(|| view! {
                        <A href=routes::product(&product.slug) attr:class="button button-primary">{t!(i18n, trace_view_product)}</A>
                    })}
                    <A href=routes::cooperative(&producer.slug) attr:class="button">{t!(i18n, visit_cooperative)}</A>
                </div>
            </section>

            <section class="trace-section" aria-labelledby="trace-stages-title" data-item="5">
                <h2 id="trace-stages-title">{t!(i18n, trace_stages)}</h2>
                <Timeline events gtin=gtin.to_string()/>
            </section>

            <section class="trace-section" aria-labelledby="trace-standards-title" data-item="10">
                <h2 id="trace-standards-title">{t!(i18n, trace_standards)}</h2>
                {(!standards.is_empty()).then(|| view! {
                    <ul class="trace-certs">
                        {standards.into_iter().map(|c| {
                            let expires = c.expires_on.clone();
                            let expired = today_vn().is_some_and(|d| c.is_expired(&d));
                            view! {
                                <li class:expired=expired>
                                    <CertBadge kind=c.kind/>
                                    " "<span class="mono">{c.number}</span>
                                    <span class="muted">" · "{c.issuer}" · "{t!(i18n, cert_expires)}" "{move || expires.format(lang())}</span>
                                    {expired.then(|| view! { " "<strong class="expired-flag">{t!(i18n, cert_expired)}</strong> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                {(!practices.is_empty()).then(|| view! {
                    <h3>{t!(i18n, trace_practices)}</h3>
                    <p class="trace-text">{practices}</p>
                })}
                {(!inputs.is_empty()).then(|| view! {
                    <h3>{t!(i18n, trace_inputs)}</h3>
                    <ul class="trace-inputs">{inputs.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                })}
            </section>

            {(!inspections.is_empty()).then(|| view! {
                <section class="trace-section" aria-labelledby="trace-inspections-title">
                    <h2 id="trace-inspections-title">{t!(i18n, trace_inspections)}</h2>
                    <ul class="trace-inspections">
                        {inspections.into_iter().map(|ins| {
                            let tested = ins.tested_on.clone();
                            view! {
                                <li>
                                    <p class="trace-inspection-head">
                                        <span class="badge" data-passed=ins.passed.to_string()>
                                            {move || if ins.passed { t_string!(i18n, trace_passed) } else { t_string!(i18n, trace_failed) }}
                                        </span>
                                        " "<strong>{ins.lab}</strong>
                                    </p>
                                    <p class="muted">{move || tested.format(lang())}</p>
                                    <p>{ins.result}</p>
                                    {ins.document_url.map(|u| view! {
                                        <p><a href=u rel="noopener noreferrer" target="_blank">{t!(i18n, trace_report)}</a></p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}

            <footer class="trace-foot">
                <p class="muted">{t!(i18n, trace_circular_note)}</p>
                <LotA href=label_path class="button button-small">{t!(i18n, trace_print_label)}</LotA>
            </footer>
        </article>
    }
}

/// The production stages, oldest first: what, when, where (with its code), who. With
/// `on_correct` (the cooperative's own view), corrected events are shown marked, and each
/// other one has a button that starts its correction.
#[component]
pub fn Timeline(
    events: Vec<LotEvent>,
    gtin: String,
    #[prop(optional, into)] on_correct: Option<Callback<LotEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    if events.is_empty() {
        return view! { <p class="muted">{t!(i18n, trace_no_events)}</p> }.into_any();
    }
    view! {
        <ol class="trace-timeline">
            {events.into_iter().map(|e| {
                let kind = e.kind;
                let at = e.at.clone();
                let datetime = e.at.as_str().to_owned();
                let gtin = gtin.clone();
                let superseded = e.corrected_by.is_some();
                let correction = e.corrects.is_some();
                let correct = on_correct.filter(|_| !superseded).map(|cb| {
                    let event = e.clone();
                    view! {
                        <button type="button" class="button button-small correct-event"
                            on:click=move |_| cb.run(event.clone())>{t!(i18n, event_correct)}</button>
                    }
                });
                view! {
                    <li class="trace-event" class:superseded=superseded data-kind=kind.code() data-event=e.id>
                        <span class="trace-dot" aria-hidden="true"></span>
                        <div class="trace-event-body">
                            <h3 class="trace-event-kind">{move || kind.name(lang())}</h3>
                            {superseded.then(|| view! { <p class="event-flag superseded-flag">{t!(i18n, event_superseded)}</p> })}
                            {correction.then(|| view! { <p class="event-flag correction-flag">{t!(i18n, event_is_correction)}</p> })}
                            <p class="trace-event-time" data-item="6"><time datetime=datetime>{move || at.format(lang())}</time></p>
                            <p class="trace-event-place">{e.place.clone()}</p>
                            <p class="trace-event-codes muted">
                                {(!e.location_code.is_empty()).then(|| view! {
                                    <span>{t!(i18n, trace_location_code)}": "<span class="mono">{e.location_code.clone()}</span></span>" · "
                                })}
                                <span>{t!(i18n, trace_product_code)}": "<span class="mono">{gtin}</span></span>
                            </p>
                            <p class="trace-event-actor">{t!(i18n, trace_actor)}": "{e.actor.clone()}</p>
                            {(!e.note.is_empty()).then(|| view! { <p class="trace-event-note">{e.note.clone()}</p> })}
                            {(!e.photos.is_empty()).then(|| view! {
                                <div class="trace-photos">
                                    {e.photos.iter().enumerate().map(|(i, url)| {
                                        let n = i + 1;
                                        // Photos on this site are shown; others (the page's policy
                                        // loads images only from here) are links.
                                        if url.starts_with('/') {
                                            view! { <img src=url.clone() alt=move || format!("{} {n}", t_string!(i18n, trace_photo)) loading="lazy" width="160" height="120"/> }.into_any()
                                        } else {
                                            view! { <a href=url.clone() rel="noopener noreferrer" target="_blank">{t!(i18n, trace_photo)}" "{n}</a> }.into_any()
                                        }
                                    }).collect_view()}
                                </div>
                            })}
                            {correct}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The product page's traceability section: the product's lots, newest first, each
/// linking to its public lot page (its GS1 Digital Link) and its label; members of the
/// cooperative also get a link to manage the lots.
#[component]
pub fn ProductLotList(lots: Vec<LotLink>, coop: String, product: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    view! {
        <section class="section trace-lots" aria-labelledby="trace-title">
            <h2 id="trace-title">{t!(i18n, traceability)}</h2>
            {if lots.is_empty() {
                view! { <p class="muted">{t!(i18n, traceability_empty)}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{t!(i18n, trace_lots_intro)}</p>
                    <ul class="trace-lot-list">
                        {lots.into_iter().map(|l| {
                            let produced = l.produced_on.clone();
                            let best_before = l.best_before.clone();
                            let path = l.link().path();
                            view! {
                                <li class="trace-lot-item">
                                    <LotA href=path class="trace-lot-link">
                                        <span class="trace-lot-code">{t!(i18n, trace_lot)}" "<span class="mono">{l.lot_code.clone()}</span></span>
                                        <span class="muted">{l.pack_label.clone()}</span>
                                        <span class="trace-lot-dates">
                                            {t!(i18n, trace_produced_on)}" "{move || produced.format(lang())}
                                            " · "{t!(i18n, trace_best_before)}" "{move || best_before.format(lang())}
                                        </span>
                                    </LotA>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ManageLotsLink coop product/>
        </section>
    }
}

/// "Manage lots" for members of the product's cooperative (an island: it knows who is
/// signed in only in the browser).
#[island]
fn ManageLotsLink(coop: String, product: String) -> impl IntoView {
    crate::island::enter();
    let i18n = use_i18n();
    let session = crate::session::use_session();
    let manage = routes::seller_product_lots(&coop, &product);
    let is_member =
        move || session.user().flatten().is_some_and(|u| u.memberships.iter().any(|m| m.cooperative.slug == coop));
    view! {
        <Show when=is_member>
            <p><a href=manage.clone() class="button button-small">{t!(i18n, trace_manage_lots)}</a></p>
        </Show>
    }
}
