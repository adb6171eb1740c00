//! `/xuc-tien/chien-dich`: campaigns and online fairs — the list, and the editor
//! (`/xuc-tien/chien-dich/{slug}`, `moi` for a new one): titles and descriptions in
//! Vietnamese and English, a banner, dates, and products picked by hand (in order) or
//! chosen by a rule. The form checks `CampaignRequest::validate` before sending, the
//! server checks it again.

use super::{StaffArea, Tab, picker::ProductPicker};
use crate::{
    api::{self, ApiError},
    components::{
        async_view::Loaded,
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error},
        product_card::ProductGrid,
    },
    i18n::{t, t_string, use_i18n},
    routes, use_lang,
};
use domain::{
    I18nText,
    catalog::{Category, CertKind, ProductSummary},
    curation::{
        CAMPAIGN_BANNERS, CAMPAIGN_DESCRIPTION_MAX, Campaign, CampaignRequest, CampaignRule, CampaignSelection,
        CampaignSummary, ScheduleState, TITLE_MAX, banner_url,
    },
    geo,
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_params_map, use_query_map},
};

/// The slug of the "new campaign" page.
const NEW: &str = "moi";

pub fn state_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, s: ScheduleState) -> &'static str {
    match s {
        ScheduleState::Scheduled => t_string!(i18n, staff_state_scheduled),
        ScheduleState::Running => t_string!(i18n, staff_state_running),
        ScheduleState::Ended => t_string!(i18n, staff_state_ended),
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, staff_tab_campaigns)/>
        <StaffArea tab=Tab::Campaigns>
            <CampaignList/>
        </StaffArea>
    }
}

#[component]
fn CampaignList() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::staff_campaigns);
    view! {
        <div class="section-head">
            <h1>{t!(i18n, staff_campaigns_title)}</h1>
            <A href=routes::STAFF_NEW_CAMPAIGN attr:class="button button-primary new-campaign">{t!(i18n, staff_new_campaign)}</A>
        </div>
        <p class="muted">{t!(i18n, staff_campaigns_intro)}</p>
        <Loaded resource=list skeleton=|| view! { <div class="skeleton-block"></div> } let:campaigns>
            {if campaigns.is_empty() {
                view! { <p class="empty-state">{t!(i18n, staff_campaigns_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="campaign-admin-list">
                        {campaigns.into_iter().map(|c| view! { <CampaignCard campaign=c/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

#[component]
fn CampaignCard(campaign: CampaignSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let CampaignSummary { slug, title, banner, starts_on, ends_on, state, selection, product_count, .. } = campaign;
    let title_text = title.clone();
    view! {
        <li class="campaign-admin-item" data-slug=slug.clone()>
            <img src=banner.url alt="" width="240" height="80" loading="lazy"/>
            <div>
                <h2><A href=routes::staff_campaign(&slug)>{move || title_text.get(lang()).to_owned()}</A></h2>
                <p class="muted">
                    <span class="badge" data-status=state.code()>{move || state_label(i18n, state)}</span>" "
                    {move || format!("{} – {}", starts_on.format(lang()), ends_on.format(lang()))}" · "
                    {move || if selection == CampaignSelection::Rule { t_string!(i18n, staff_by_rule) } else { t_string!(i18n, staff_by_hand) }}" · "
                    {t!(i18n, products_count, count = product_count)}
                </p>
                {(state != ScheduleState::Scheduled).then(|| view! {
                    <A href=routes::campaign(&slug) attr:class="see-all">{t!(i18n, staff_view_page)}" →"</A>
                })}
            </div>
        </li>
    }
}

#[component]
pub fn CampaignEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, staff_tab_campaigns)/>
        <StaffArea tab=Tab::Campaigns>
            {move || {
                let slug = slug.get();
                if slug == NEW {
                    view! { <Editor slug=None initial=None/> }.into_any()
                } else {
                    view! { <LoadCampaign slug/> }.into_any()
                }
            }}
        </StaffArea>
    }
}

#[component]
fn LoadCampaign(slug: String) -> impl IntoView {
    let slug = StoredValue::new(slug);
    let campaign = LocalResource::new(move || {
        let slug = slug.get_value();
        async move { api::staff_campaign(&slug).await }
    });
    view! {
        <Loaded resource=campaign skeleton=|| view! { <div class="skeleton-block"></div> } let:c>
            <Editor slug=Some(slug.get_value()) initial=Some(c)/>
        </Loaded>
    }
}

/// A hand-picked product as the editor lists it.
#[derive(Clone, Debug, PartialEq)]
struct Pick {
    slug: String,
    name: I18nText,
    visible: bool,
}

fn optional_code<T>(v: &str, from: fn(&str) -> Option<T>) -> Option<T> {
    from(v.trim())
}

#[component]
fn Editor(slug: Option<String>, initial: Option<Campaign>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let navigate = use_navigate();
    let query = use_query_map();
    let request = initial.as_ref().map(Campaign::to_request).unwrap_or_default();
    let editing = slug.clone();
    let slug = StoredValue::new(slug);
    let title_vi = RwSignal::new(request.title.vi.clone());
    let title_en = RwSignal::new(request.title.en.clone());
    let description_vi = RwSignal::new(request.description.vi.clone());
    let description_en = RwSignal::new(request.description.en.clone());
    let banner = RwSignal::new(request.banner.clone());
    let starts_on = RwSignal::new(request.starts_on.clone());
    let ends_on = RwSignal::new(request.ends_on.clone());
    let selection = RwSignal::new(request.selection);
    let category = RwSignal::new(request.rule.category.map(|c| c.code().to_owned()).unwrap_or_default());
    let province = RwSignal::new(request.rule.province.map(|p| p.to_string()).unwrap_or_default());
    let cert = RwSignal::new(request.rule.cert.map(|c| c.code().to_owned()).unwrap_or_default());
    let min_ocop = RwSignal::new(request.rule.min_ocop_stars.map(|s| s.to_string()).unwrap_or_default());
    let picks = RwSignal::new(
        initial
            .as_ref()
            .map(|c| {
                c.picks
                    .iter()
                    .map(|p| Pick { slug: p.slug.clone(), name: p.name.clone(), visible: p.visible })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let shown = RwSignal::new(initial.as_ref().map(|c| c.products.clone()));
    let summary = RwSignal::new(initial.as_ref().map(|c| c.summary.clone()));
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(query.with_untracked(|q| q.get("saved").is_some()));

    let build = move || CampaignRequest {
        title: I18nText { vi: title_vi.get_untracked(), en: title_en.get_untracked() },
        description: I18nText { vi: description_vi.get_untracked(), en: description_en.get_untracked() },
        banner: banner.get_untracked(),
        starts_on: starts_on.get_untracked(),
        ends_on: ends_on.get_untracked(),
        selection: selection.get_untracked(),
        rule: CampaignRule {
            category: optional_code(&category.get_untracked(), Category::from_code),
            province: province.get_untracked().parse().ok(),
            cert: optional_code(&cert.get_untracked(), CertKind::from_code),
            min_ocop_stars: min_ocop.get_untracked().parse().ok(),
        },
        product_slugs: picks.with_untracked(|p| p.iter().map(|p| p.slug.clone()).collect()),
    };
    let save = Action::new_local(move |request: &CampaignRequest| {
        let (slug, request) = (slug.get_value(), request.clone());
        async move {
            match slug {
                Some(slug) => api::update_campaign(&slug, &request).await,
                None => api::create_campaign(&request).await,
            }
        }
    });
    let navigate_saved = navigate.clone();
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            untrack(|| match result {
                Ok(campaign) => {
                    errors.set(Errors::new());
                    failure.set(None);
                    if slug.with_value(Option::is_none) {
                        let to = format!("{}?saved=1", routes::staff_campaign(&campaign.summary.slug));
                        navigate_saved(&to, NavigateOptions { replace: true, ..Default::default() });
                    } else {
                        shown.set(Some(campaign.products.clone()));
                        summary.set(Some(campaign.summary.clone()));
                        picks.set(
                            campaign
                                .picks
                                .iter()
                                .map(|p| Pick { slug: p.slug.clone(), name: p.name.clone(), visible: p.visible })
                                .collect(),
                        );
                        saved.set(true);
                    }
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let request = build();
        failure.set(None);
        saved.set(false);
        match request.validate() {
            Ok(_) => {
                errors.set(Errors::new());
                save.dispatch(request);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let remove = Action::new_local(move |_: &()| {
        let slug = slug.get_value().unwrap_or_default();
        async move { api::delete_campaign(&slug).await }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            untrack(|| match result {
                Ok(()) => navigate(routes::STAFF_CAMPAIGNS, Default::default()),
                Err(e) => failure.set(Some(e)),
            });
        }
    });
    let on_delete = move |_| {
        if window().confirm_with_message(t_string!(i18n, staff_confirm_delete)).unwrap_or(false) {
            remove.dispatch(());
        }
    };
    let on_pick = Callback::new(move |p: ProductSummary| {
        if !picks.with_untracked(|v| v.iter().any(|x| x.slug == p.slug)) {
            picks.update(|v| v.push(Pick { slug: p.slug, name: p.name, visible: true }));
            saved.set(false);
        }
    });
    let chosen = Signal::derive(move || picks.with(|p| p.iter().map(|p| p.slug.clone()).collect::<Vec<_>>()));
    let err = move |f: &'static str| field_error(errors, f);
    let textarea = move |id: &'static str, value: RwSignal<String>, field: &'static str, required: bool| {
        let error_id = format!("{id}-error");
        view! {
            <textarea id=id name=id rows="4" maxlength=CAMPAIGN_DESCRIPTION_MAX.to_string() required=required
                aria-describedby=error_id.clone() aria-invalid=move || err(field).with(Option::is_some).to_string()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <FieldMessage id=error_id error=err(field)/>
        }
    };

    view! {
        <p class="breadcrumb"><A href=routes::STAFF_CAMPAIGNS>{t!(i18n, staff_campaigns_title)}</A>" ›"</p>
        <h1>{if editing.is_some() { t!(i18n, staff_edit_campaign).into_any() } else { t!(i18n, staff_new_campaign).into_any() }}</h1>
        {move || summary.get().map(|s| {
            let (state, slug) = (s.state, s.slug.clone());
            view! {
                <p class="muted">
                    <span class="badge" data-status=state.code()>{move || state_label(i18n, state)}</span>" "
                    <A href=routes::campaign(&slug)>{t!(i18n, staff_view_page)}" →"</A>
                </p>
            }
        })}
        <form class="panel-form campaign-form" novalidate on:submit=on_submit>
            <fieldset>
                <legend>{t!(i18n, staff_campaign_texts)}</legend>
                <TextField id="title_vi" value=title_vi error=err("title.vi") required=true maxlength=TITLE_MAX>
                    {t!(i18n, staff_title_vi)}
                </TextField>
                <TextField id="title_en" value=title_en error=err("title.en") maxlength=TITLE_MAX>
                    {t!(i18n, staff_title_en)}
                </TextField>
                <div class="field">
                    <label for="description_vi">{t!(i18n, staff_description_vi)}</label>
                    {textarea("description_vi", description_vi, "description.vi", true)}
                </div>
                <div class="field">
                    <label for="description_en">{t!(i18n, staff_description_en)}</label>
                    {textarea("description_en", description_en, "description.en", false)}
                </div>
            </fieldset>
            <fieldset class="banner-choice">
                <legend>{t!(i18n, staff_banner)}</legend>
                <div class="banner-options">
                    {CAMPAIGN_BANNERS.iter().map(|key| {
                        let key = *key;
                        view! {
                            <label class="banner-option">
                                <input type="radio" name="banner" value=key prop:checked=move || banner.get() == key
                                    on:change=move |_| banner.set(key.to_owned())/>
                                <img src=banner_url(key) alt="" width="240" height="80"/>
                                <span class="visually-hidden">{key}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldMessage id="banner-error" error=err("banner")/>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, staff_dates)}</legend>
                <div class="date-pair">
                    <div class="field">
                        <label for="starts_on">{t!(i18n, staff_starts_on)}</label>
                        <input id="starts_on" type="date" required=true prop:value=move || starts_on.get()
                            aria-invalid=move || err("starts_on").with(Option::is_some).to_string() aria-describedby="starts_on-error"
                            on:change=move |ev| starts_on.set(event_target_value(&ev))/>
                        <FieldMessage id="starts_on-error" error=err("starts_on")/>
                    </div>
                    <div class="field">
                        <label for="ends_on">{t!(i18n, staff_ends_on)}</label>
                        <input id="ends_on" type="date" required=true prop:value=move || ends_on.get()
                            aria-invalid=move || err("ends_on").with(Option::is_some).to_string() aria-describedby="ends_on-error"
                            on:change=move |ev| ends_on.set(event_target_value(&ev))/>
                        <FieldMessage id="ends_on-error" error=err("ends_on")/>
                    </div>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, staff_products_selection)}</legend>
                <label class="choice">
                    <input type="radio" name="selection" value="manual" prop:checked=move || selection.get() == CampaignSelection::Manual
                        on:change=move |_| selection.set(CampaignSelection::Manual)/>
                    <span>{t!(i18n, staff_by_hand)}<small>{t!(i18n, staff_by_hand_hint)}</small></span>
                </label>
                <label class="choice">
                    <input type="radio" name="selection" value="rule" prop:checked=move || selection.get() == CampaignSelection::Rule
                        on:change=move |_| selection.set(CampaignSelection::Rule)/>
                    <span>{t!(i18n, staff_by_rule)}<small>{t!(i18n, staff_by_rule_hint)}</small></span>
                </label>
                <Show when=move || selection.get() == CampaignSelection::Rule>
                    <div class="rule-fields">
                        <div class="field">
                            <label for="rule_category">{t!(i18n, staff_category)}</label>
                            <select id="rule_category" on:change=move |ev| category.set(event_target_value(&ev))>
                                <option value="">{t!(i18n, staff_any)}</option>
                                {Category::ALL.iter().map(|c| {
                                    let c = *c;
                                    view! { <option value=c.code() selected=move || category.get() == c.code()>{move || c.name(lang())}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="rule_province">{t!(i18n, origin)}</label>
                            <select id="rule_province" aria-describedby="rule_province-error" on:change=move |ev| province.set(event_target_value(&ev))>
                                <option value="">{t!(i18n, staff_any)}</option>
                                {geo::provinces_by_name().into_iter().map(|p| {
                                    let code = p.code.to_string();
                                    let selected = code.clone();
                                    view! { <option value=code selected=move || province.get() == selected>{p.name}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="rule_province-error" error=err("rule.province")/>
                        </div>
                        <div class="field">
                            <label for="rule_cert">{t!(i18n, staff_certification)}</label>
                            <select id="rule_cert" on:change=move |ev| cert.set(event_target_value(&ev))>
                                <option value="">{t!(i18n, staff_any)}</option>
                                {CertKind::ALL.iter().filter(|k| **k != CertKind::Ocop).map(|k| {
                                    let k = *k;
                                    view! { <option value=k.code() selected=move || cert.get() == k.code()>{move || k.name(lang())}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="rule_min_ocop">{t!(i18n, staff_min_ocop)}</label>
                            <select id="rule_min_ocop" aria-describedby="rule_min_ocop-error" on:change=move |ev| min_ocop.set(event_target_value(&ev))>
                                <option value="">{t!(i18n, staff_any)}</option>
                                {(1..=5u8).map(|n| {
                                    let v = n.to_string();
                                    let selected = v.clone();
                                    view! { <option value=v selected=move || min_ocop.get() == selected>{format!("≥ {n} ★")}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="rule_min_ocop-error" error=err("rule.min_ocop_stars")/>
                        </div>
                        <p id="rule-error" class="field-error" hidden=move || errors.with(|e| e.get("rule").is_none())>
                            {t!(i18n, staff_rule_required)}
                        </p>
                    </div>
                </Show>
                <Show when=move || selection.get() == CampaignSelection::Manual>
                    <div class="manual-picks">
                        <FieldMessage id="picks-error" error=err("product_slugs")/>
                        <ol class="pick-list">
                            <For each=move || picks.get().into_iter().enumerate() key=|(i, p)| (*i, p.slug.clone()) let:item>
                                <PickRow index=item.0 pick=item.1 picks errors/>
                            </For>
                        </ol>
                        <ProductPicker id="campaign-search" chosen on_pick/>
                    </div>
                </Show>
            </fieldset>
            {move || failure.get().map(|error| view! { <FormError error/> })}
            <div class="save-bar">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t_string!(i18n, staff_saving) } else { t_string!(i18n, staff_save_campaign) }}
                </button>
                {editing.is_some().then(|| view! {
                    <button type="button" class="button button-danger" disabled=move || remove.pending().get() on:click=on_delete>
                        {t!(i18n, staff_delete_campaign)}
                    </button>
                })}
                <span role="status" class="muted">{move || saved.get().then(|| t_string!(i18n, staff_saved))}</span>
            </div>
        </form>
        {move || shown.get().map(|products| view! {
            <section class="section" aria-labelledby="campaign-products-title">
                <h2 id="campaign-products-title">{t!(i18n, staff_campaign_products, count = products.len())}</h2>
                <ProductGrid products/>
            </section>
        })}
    }
}

#[component]
fn PickRow(index: usize, pick: Pick, picks: RwSignal<Vec<Pick>>, errors: RwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let Pick { slug, name, visible } = pick;
    let count = move || picks.with(Vec::len);
    let swap = move |a: usize, b: usize| {
        picks.update(|v| {
            if a < v.len() && b < v.len() {
                v.swap(a, b)
            }
        })
    };
    let error = Signal::derive(move || errors.with(|e| e.get(&format!("product_slugs.{index}")).cloned()));
    let label = StoredValue::new(name.clone());
    let aria = move |what: fn(leptos_i18n::I18nContext<crate::i18n::Locale>) -> &'static str| {
        move || format!("{} – {}", what(i18n), label.with_value(|l| l.get(lang()).to_owned()))
    };
    view! {
        <li class="pick-row" data-slug=slug.clone()>
            <span class="featured-position">{index + 1}</span>
            <span class="pick-name">
                {move || name.get(lang()).to_owned()}
                {(!visible).then(|| view! { " "<span class="badge" data-status="hidden">{t!(i18n, staff_featured_hidden)}</span> })}
                <FieldMessage id=format!("pick-{index}-error") error inline=true/>
            </span>
            <span class="featured-buttons">
                <button type="button" class="icon-button" disabled=index == 0 aria-label=aria(|i18n| t_string!(i18n, staff_move_up))
                    on:click=move |_| swap(index.saturating_sub(1), index)>"↑"</button>
                <button type="button" class="icon-button" disabled={move || index + 1 >= count()} aria-label=aria(|i18n| t_string!(i18n, staff_move_down))
                    on:click=move |_| swap(index, index + 1)>"↓"</button>
                <button type="button" class="icon-button" aria-label=aria(|i18n| t_string!(i18n, staff_remove))
                    on:click={
                        let slug = slug.clone();
                        move |_| picks.update(|v| v.retain(|p| p.slug != slug))
                    }>"✕"</button>
            </span>
        </li>
    }
}
