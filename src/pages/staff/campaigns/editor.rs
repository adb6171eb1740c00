//! The campaign editor (`/xuc-tien/chien-dich/{slug}`, `moi` for a new one).
//!
//! [`CampaignForm`] holds what is typed, the campaign as last saved, and the form's last
//! try; the form's parts are small components that each draw one fieldset from it.

use super::state_label;
use crate::{
    api,
    components::{
        field_error::FieldMessage,
        form::{FormFailure, FormState, SubmitButton, TextArea, TextField},
        product_card::ProductGrid,
    },
    i18n::{t, t_string, use_i18n},
    pages::staff::picker::ProductPicker,
    routes, use_lang,
};
use domain::{
    I18nText,
    catalog::{Category, CertKind, ProductSummary},
    curation::{
        CAMPAIGN_BANNERS, CAMPAIGN_DESCRIPTION_MAX, Campaign, CampaignRequest, CampaignRule, CampaignSelection,
        CampaignSummary, TITLE_MAX, banner_url,
    },
    geo,
    validate::{Errors, FieldError},
};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
};

/// A hand-picked product as the editor lists it.
#[derive(Clone, Debug, PartialEq)]
struct Pick {
    slug: String,
    name: I18nText,
    visible: bool,
}

/// The campaign's picks, in order.
fn picks_of(campaign: &Campaign) -> Vec<Pick> {
    campaign.picks.iter().map(|p| Pick { slug: p.slug.clone(), name: p.name.clone(), visible: p.visible }).collect()
}

fn optional_code<T>(v: &str, from: fn(&str) -> Option<T>) -> Option<T> {
    from(v.trim())
}

/// The rule's selects, as they hold it: codes as text ("" = any).
#[derive(Clone, Copy)]
struct RuleFields {
    category: RwSignal<String>,
    province: RwSignal<String>,
    cert: RwSignal<String>,
    min_ocop: RwSignal<String>,
}

impl RuleFields {
    fn new(rule: &CampaignRule) -> Self {
        Self {
            category: RwSignal::new(rule.category.map(|c| c.code().to_owned()).unwrap_or_default()),
            province: RwSignal::new(rule.province.map(|p| p.to_string()).unwrap_or_default()),
            cert: RwSignal::new(rule.cert.map(|c| c.code().to_owned()).unwrap_or_default()),
            min_ocop: RwSignal::new(rule.min_ocop_stars.map(|s| s.to_string()).unwrap_or_default()),
        }
    }

    fn rule(self) -> CampaignRule {
        CampaignRule {
            category: optional_code(&self.category.get_untracked(), Category::from_code),
            province: self.province.get_untracked().parse().ok(),
            cert: optional_code(&self.cert.get_untracked(), CertKind::from_code),
            min_ocop_stars: self.min_ocop.get_untracked().parse().ok(),
        }
    }
}

/// The editor's state: what is typed, the campaign as last saved, the last try (all
/// signals and stored values: `Copy`).
#[derive(Clone, Copy)]
struct CampaignForm {
    /// The campaign edited; `None` for a new one.
    slug: StoredValue<Option<String>>,
    title_vi: RwSignal<String>,
    title_en: RwSignal<String>,
    description_vi: RwSignal<String>,
    description_en: RwSignal<String>,
    banner: RwSignal<String>,
    starts_on: RwSignal<String>,
    ends_on: RwSignal<String>,
    selection: RwSignal<CampaignSelection>,
    rule: RuleFields,
    picks: RwSignal<Vec<Pick>>,
    /// The products the saved campaign shows, and where it stands.
    shown: RwSignal<Option<Vec<ProductSummary>>>,
    summary: RwSignal<Option<CampaignSummary>>,
    form: FormState,
    /// Whether what is on screen was just saved.
    saved: RwSignal<bool>,
}

impl CampaignForm {
    fn new(slug: Option<String>, initial: Option<Campaign>, saved: bool) -> Self {
        let request = initial.as_ref().map(Campaign::to_request).unwrap_or_default();
        let CampaignRequest { title, description, banner, starts_on, ends_on, selection, rule, .. } = request;
        Self {
            slug: StoredValue::new(slug),
            title_vi: RwSignal::new(title.vi),
            title_en: RwSignal::new(title.en),
            description_vi: RwSignal::new(description.vi),
            description_en: RwSignal::new(description.en),
            banner: RwSignal::new(banner),
            starts_on: RwSignal::new(starts_on),
            ends_on: RwSignal::new(ends_on),
            selection: RwSignal::new(selection),
            rule: RuleFields::new(&rule),
            picks: RwSignal::new(initial.as_ref().map(picks_of).unwrap_or_default()),
            shown: RwSignal::new(initial.as_ref().map(|c| c.products.clone())),
            summary: RwSignal::new(initial.map(|c| c.summary)),
            form: FormState::new(),
            saved: RwSignal::new(saved),
        }
    }

    fn is_new(self) -> bool {
        self.slug.with_value(Option::is_none)
    }

    fn request(self) -> CampaignRequest {
        CampaignRequest {
            title: I18nText { vi: self.title_vi.get_untracked(), en: self.title_en.get_untracked() },
            description: I18nText { vi: self.description_vi.get_untracked(), en: self.description_en.get_untracked() },
            banner: self.banner.get_untracked(),
            starts_on: self.starts_on.get_untracked(),
            ends_on: self.ends_on.get_untracked(),
            selection: self.selection.get_untracked(),
            rule: self.rule.rule(),
            product_slugs: self.picks.with_untracked(|p| p.iter().map(|p| p.slug.clone()).collect()),
        }
    }

    /// The request as typed, if it passes the server's own rules.
    fn checked(self) -> Result<CampaignRequest, Errors> {
        let request = self.request();
        self.saved.set(false);
        request.validate()?;
        Ok(request)
    }

    /// Takes what the server answered for a saved campaign.
    fn apply(self, campaign: Campaign) {
        self.shown.set(Some(campaign.products.clone()));
        self.summary.set(Some(campaign.summary.clone()));
        self.picks.set(picks_of(&campaign));
        self.saved.set(true);
    }

    /// Adds a product found by the picker, at the end (once).
    fn pick(self, p: ProductSummary) {
        if !self.picks.with_untracked(|v| v.iter().any(|x| x.slug == p.slug)) {
            self.picks.update(|v| v.push(Pick { slug: p.slug, name: p.name, visible: true }));
            self.saved.set(false);
        }
    }
}

#[component]
pub(super) fn Editor(slug: Option<String>, initial: Option<Campaign>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let just_saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let c = CampaignForm::new(slug, initial, just_saved);
    let save = Action::new_local(move |request: &CampaignRequest| {
        let (slug, request) = (c.slug.get_value(), request.clone());
        async move {
            match slug {
                Some(slug) => api::update_campaign(&slug, &request).await,
                None => api::create_campaign(&request).await,
            }
        }
    });
    c.form.on_answer(save, move |campaign: Campaign| {
        if c.is_new() {
            let to = format!("{}?saved=1", routes::staff_campaign(&campaign.summary.slug));
            navigate(&to, NavigateOptions { replace: true, ..Default::default() });
        } else {
            c.apply(campaign);
        }
    });
    view! {
        <EditorHead c/>
        <form class="panel-form campaign-form" novalidate on:submit=c.form.on_submit(save, move || c.checked())>
            <TextsFieldset c/>
            <BannerFieldset c/>
            <DatesFieldset c/>
            <SelectionFieldset c/>
            <FormFailure failure=c.form.failure/>
            <div class="save-bar">
                <SubmitButton pending=save.pending() label=move || t_string!(i18n, staff_save_campaign)
                    busy_label=move || t_string!(i18n, staff_saving)/>
                {(!c.is_new()).then(|| view! { <DeleteButton c/> })}
                <span role="status" class="muted">{move || c.saved.get().then(|| t_string!(i18n, staff_saved))}</span>
            </div>
        </form>
        {move || c.shown.get().map(|products| view! {
            <section class="section" aria-labelledby="campaign-products-title">
                <h2 id="campaign-products-title">{t!(i18n, staff_campaign_products, count = products.len())}</h2>
                <ProductGrid products/>
            </section>
        })}
    }
}

/// The way back to the list, the page's title, and where a saved campaign stands.
#[component]
fn EditorHead(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="breadcrumb"><A href=routes::STAFF_CAMPAIGNS>{t!(i18n, staff_campaigns_title)}</A>" ›"</p>
        <h1>{if c.is_new() { t!(i18n, staff_new_campaign).into_any() } else { t!(i18n, staff_edit_campaign).into_any() }}</h1>
        {move || c.summary.get().map(|s| {
            let (state, slug) = (s.state, s.slug.clone());
            view! {
                <p class="muted">
                    <span class="badge" data-status=state.code()>{move || state_label(i18n, state)}</span>" "
                    <A href=routes::campaign(&slug)>{t!(i18n, staff_view_page)}" →"</A>
                </p>
            }
        })}
    }
}

/// Deletes the saved campaign, once confirmed, and goes back to the list.
#[component]
fn DeleteButton(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let remove = Action::new_local(move |_: &()| {
        let slug = c.slug.get_value().unwrap_or_default();
        async move { api::delete_campaign(&slug).await }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            untrack(|| match result {
                Ok(()) => navigate(routes::STAFF_CAMPAIGNS, Default::default()),
                Err(e) => c.form.failure.set(Some(e)),
            });
        }
    });
    let on_delete = move |_| {
        if window().confirm_with_message(t_string!(i18n, staff_confirm_delete)).unwrap_or(false) {
            remove.dispatch(());
        }
    };
    view! {
        <button type="button" class="button button-danger" disabled=move || remove.pending().get() on:click=on_delete>
            {t!(i18n, staff_delete_campaign)}
        </button>
    }
}

/// Titles and descriptions, in Vietnamese and English.
#[component]
fn TextsFieldset(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    let err = move |f: &'static str| c.form.error(f);
    view! {
        <fieldset>
            <legend>{t!(i18n, staff_campaign_texts)}</legend>
            <TextField id="title_vi" value=c.title_vi error=err("title.vi") required=true maxlength=TITLE_MAX>
                {t!(i18n, staff_title_vi)}
            </TextField>
            <TextField id="title_en" value=c.title_en error=err("title.en") maxlength=TITLE_MAX>
                {t!(i18n, staff_title_en)}
            </TextField>
            <TextArea id="description_vi" name="description_vi" value=c.description_vi error=err("description.vi") rows=4
                maxlength=CAMPAIGN_DESCRIPTION_MAX required=true>
                {t!(i18n, staff_description_vi)}
            </TextArea>
            <TextArea id="description_en" name="description_en" value=c.description_en error=err("description.en") rows=4
                maxlength=CAMPAIGN_DESCRIPTION_MAX>
                {t!(i18n, staff_description_en)}
            </TextArea>
        </fieldset>
    }
}

/// One of the prepared banners, by its picture.
#[component]
fn BannerFieldset(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    let banner = c.banner;
    view! {
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
            <FieldMessage id="banner-error" error=c.form.error("banner")/>
        </fieldset>
    }
}

#[component]
fn DatesFieldset(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{t!(i18n, staff_dates)}</legend>
            <div class="date-pair">
                <DateField id="starts_on" value=c.starts_on form=c.form>{t!(i18n, staff_starts_on)}</DateField>
                <DateField id="ends_on" value=c.ends_on form=c.form>{t!(i18n, staff_ends_on)}</DateField>
            </div>
        </fieldset>
    }
}

/// A required date, whose field in the API's errors is its `id`.
#[component]
fn DateField(id: &'static str, value: RwSignal<String>, form: FormState, children: Children) -> impl IntoView {
    let error = form.error(id);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            <input id=id type="date" required=true prop:value=move || value.get()
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=error_id.clone()
                on:change=move |ev| value.set(event_target_value(&ev))/>
            <FieldMessage id=error_id error/>
        </div>
    }
}

/// How the products are chosen: by hand, or by a rule.
#[component]
fn SelectionFieldset(c: CampaignForm) -> impl IntoView {
    let i18n = use_i18n();
    let selection = c.selection;
    view! {
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
                <RuleSelects rule=c.rule form=c.form/>
            </Show>
            <Show when=move || selection.get() == CampaignSelection::Manual>
                <ManualPicks c/>
            </Show>
        </fieldset>
    }
}

/// The rule: category, origin, certification, OCOP stars (at least one of them).
#[component]
fn RuleSelects(rule: RuleFields, form: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let categories = Category::ALL.iter().map(|c| {
        let c = *c;
        (c.code().to_owned(), Signal::derive(move || c.name(lang()).to_owned()))
    });
    let provinces = geo::provinces_by_name().into_iter().map(|p| (p.code.to_string(), Signal::from(p.name.to_owned())));
    let certs = CertKind::ALL.iter().filter(|k| **k != CertKind::Ocop).map(|k| {
        let k = *k;
        (k.code().to_owned(), Signal::derive(move || k.name(lang()).to_owned()))
    });
    // OCOP ratings start at 3 stars.
    let stars = (domain::catalog::OCOP_MIN_STARS..=5u8).map(|n| (n.to_string(), Signal::from(format!("≥ {n} ★"))));
    view! {
        <div class="rule-fields">
            <RuleSelect id="rule_category" value=rule.category options=categories.collect()>{t!(i18n, staff_category)}</RuleSelect>
            <RuleSelect id="rule_province" value=rule.province options=provinces.collect()
                error=form.error("rule.province")>{t!(i18n, origin)}</RuleSelect>
            <RuleSelect id="rule_cert" value=rule.cert options=certs.collect()>{t!(i18n, staff_certification)}</RuleSelect>
            <RuleSelect id="rule_min_ocop" value=rule.min_ocop options=stars.collect()
                error=form.error("rule.min_ocop_stars")>{t!(i18n, staff_min_ocop)}</RuleSelect>
            <p id="rule-error" class="field-error" hidden=move || form.errors.with(|e| e.get("rule").is_none())>
                {t!(i18n, staff_rule_required)}
            </p>
        </div>
    }
}

/// One select of the rule: "any" first, then `options` (value and text), and the error
/// under it when the field has its own.
#[component]
fn RuleSelect(
    id: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, Signal<String>)>,
    #[prop(optional, into)] error: Option<Signal<Option<FieldError>>>,
    /// The label.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            <select id=id aria-describedby=error.is_some().then(|| error_id.clone())
                on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{t!(i18n, staff_any)}</option>
                {options.into_iter().map(|(code, text)| {
                    let selected = code.clone();
                    view! { <option value=code selected=move || value.get() == selected>{text}</option> }
                }).collect_view()}
            </select>
            {error.map(|error| view! { <FieldMessage id=error_id error/> })}
        </div>
    }
}

/// The products picked by hand, in order, and the search that adds more.
#[component]
fn ManualPicks(c: CampaignForm) -> impl IntoView {
    let picks = c.picks;
    let chosen = Signal::derive(move || picks.with(|p| p.iter().map(|p| p.slug.clone()).collect::<Vec<_>>()));
    let on_pick = Callback::new(move |p: ProductSummary| c.pick(p));
    view! {
        <div class="manual-picks">
            <FieldMessage id="picks-error" error=c.form.error("product_slugs")/>
            <ol class="pick-list">
                <For each=move || picks.get().into_iter().enumerate() key=|(i, p)| (*i, p.slug.clone()) let:item>
                    <PickRow index=item.0 pick=item.1 picks errors=c.form.errors/>
                </For>
            </ol>
            <ProductPicker id="campaign-search" chosen on_pick/>
        </div>
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
