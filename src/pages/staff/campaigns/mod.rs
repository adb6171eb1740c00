//! `/xuc-tien/chien-dich`: campaigns and online fairs — the list, and the editor
//! ([`editor`]; `/xuc-tien/chien-dich/{slug}`, `moi` for a new one): titles and descriptions in
//! Vietnamese and English, a banner, dates, and products picked by hand (in order) or
//! chosen by a rule. The form checks `CampaignRequest::validate` before sending, the
//! server checks it again.

mod editor;

use super::{StaffArea, Tab};
use crate::{
    api,
    components::async_view::Loaded,
    i18n::{t, t_string, use_i18n},
    routes, use_lang,
};
use domain::curation::{CampaignSelection, CampaignSummary, ScheduleState};
use editor::Editor;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

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
