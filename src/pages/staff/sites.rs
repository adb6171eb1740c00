//! Cooperatives' websites (`/xuc-tien/trang-htx`): hide a page with a reason (the
//! cooperative sees it; the page is then 404) or show it again, and set a cooperative's
//! own domains (its website at `/` of each). Every change is audited by the server.

use super::{StaffArea, StaffError, Tab};
use crate::{
    api::{self, ApiError},
    components::field_error::FieldMessage,
    i18n::{t, t_string, use_i18n},
    routes,
};
use domain::{
    profile::{DomainList, ProfileVisibility, StaffSite},
    validate::Errors,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SitesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, staff_sites_title)/>
        <StaffArea tab=Tab::Sites>
            <SiteList/>
        </StaffArea>
    }
}

#[component]
fn SiteList() -> impl IntoView {
    let i18n = use_i18n();
    let sites = LocalResource::new(|| async { api::get::<Vec<StaffSite>>("/api/v1/staff/sites").await });
    view! {
        <h1>{t!(i18n, staff_sites_title)}</h1>
        <p class="hint">{t!(i18n, staff_sites_intro)}</p>
        {move || match sites.get() {
            None => view! { <div class="skeleton-block" aria-hidden="true"></div> }.into_any(),
            Some(Err(error)) => view! { <StaffError error/> }.into_any(),
            Some(Ok(list)) => view! {
                <ul class="staff-sites">
                    {list.into_iter().map(|site| view! { <SiteRow site/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn SiteRow(site: StaffSite) -> impl IntoView {
    let i18n = use_i18n();
    let slug = StoredValue::new(site.slug.clone());
    let current = RwSignal::new(site.clone());
    let domains = RwSignal::new(site.domains.join(", "));
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let answer = move |result: Result<StaffSite, ApiError>| match result {
        Ok(s) => {
            domains.set(s.domains.join(", "));
            current.set(s);
            errors.set(Errors::new());
            failure.set(None);
            saved.set(true);
        }
        Err(e) => {
            errors.set(e.fields());
            failure.set(Some(e));
        }
    };
    let save_domains = Action::new_local(move |list: &DomainList| {
        let (slug, list) = (slug.get_value(), list.clone());
        async move {
            api::put::<_, StaffSite>(
                &format!("/api/v1/staff/cooperatives/{}/domains", crate::url::encode(&slug)),
                &list,
            )
            .await
        }
    });
    let visibility = Action::new_local(move |v: &ProfileVisibility| {
        let (slug, v) = (slug.get_value(), v.clone());
        async move {
            api::put::<_, StaffSite>(
                &format!("/api/v1/staff/cooperatives/{}/visibility", crate::url::encode(&slug)),
                &v,
            )
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(r) = save_domains.value().get() {
            untrack(|| answer(r));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = visibility.value().get() {
            untrack(|| answer(r));
        }
    });
    let id = site.slug.clone();
    let domains_id = format!("site-{id}-domains");
    let reason_id = format!("site-{id}-reason");
    let domain_error = Signal::derive(move || {
        errors.with(|e| e.0.iter().find(|(k, _)| k.starts_with("domains")).map(|(_, v)| v.clone()))
    });
    let reason_error = Signal::derive(move || errors.with(|e| e.get("reason").cloned()));
    let (d_for, d_in, d_err, d_err_for) =
        (domains_id.clone(), domains_id.clone(), format!("{domains_id}-error"), format!("{domains_id}-error"));
    let (r_for, r_in, r_err, r_err_for) =
        (reason_id.clone(), reason_id.clone(), format!("{reason_id}-error"), format!("{reason_id}-error"));
    view! {
        <li class="staff-site section" data-slug=id.clone()>
            <h2><a href=routes::cooperative(&id)>{site.name.clone()}</a></h2>
            <p class="badge">{move || match current.with(|c| c.hidden_reason.clone()) {
                Some(r) => view! { {t!(i18n, staff_sites_hidden, reason = move || r.clone())} }.into_any(),
                None => view! { {t!(i18n, staff_sites_shown)} }.into_any(),
            }}</p>
            <div class="field">
                <label for=d_for>{t!(i18n, staff_sites_domains)}</label>
                <input id=d_in type="text" autocomplete="off" spellcheck="false" autocapitalize="off" placeholder="htx-vi-du.vn"
                    aria-invalid=move || domain_error.with(Option::is_some).to_string() aria-describedby=d_err_for
                    prop:value=move || domains.get() on:input=move |ev| domains.set(event_target_value(&ev))/>
                <FieldMessage id=d_err error=domain_error/>
            </div>
            <button type="button" class="button" disabled=move || save_domains.pending().get()
                on:click=move |_| {
                    saved.set(false);
                    let list = domains.get_untracked().split([',', ' ', '\n']).map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned).collect();
                    save_domains.dispatch(DomainList { domains: list });
                }>{t!(i18n, staff_sites_save_domains)}</button>
            {move || if current.with(|c| c.hidden_reason.is_some()) {
                view! {
                    <button type="button" class="button" on:click=move |_| {
                        saved.set(false);
                        visibility.dispatch(ProfileVisibility { hidden: false, reason: String::new() });
                    }>{t!(i18n, staff_sites_show)}</button>
                }.into_any()
            } else {
                let (r_for, r_in, r_err, r_err_for) = (r_for.clone(), r_in.clone(), r_err.clone(), r_err_for.clone());
                view! {
                    <div class="field">
                        <label for=r_for>{t!(i18n, staff_sites_hide_reason)}</label>
                        <input id=r_in type="text" maxlength="500" autocomplete="off"
                            aria-invalid=move || reason_error.with(Option::is_some).to_string() aria-describedby=r_err_for
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <FieldMessage id=r_err error=reason_error/>
                    </div>
                    <button type="button" class="button seller-button-danger-outline" on:click=move |_| {
                        saved.set(false);
                        visibility.dispatch(ProfileVisibility { hidden: true, reason: reason.get_untracked() });
                    }>{t!(i18n, staff_sites_hide)}</button>
                }.into_any()
            }}
            {move || failure.get().map(|error| view! { <StaffError error/> })}
            {move || saved.get().then(|| view! { <p class="ok-note" role="status">{t!(i18n, staff_sites_saved)}</p> })}
        </li>
    }
}
