//! The trade-promotion console (`/xuc-tien`), for the alliance's staff: moderation,
//! featured products, campaigns, statistics. Every page is wrapped in [`StaffArea`]:
//! visitors are sent to sign in (and back), signed-in people who are not staff see a
//! refusal; the server refuses them too, whatever the app shows.

pub mod campaigns;
pub mod charts;
pub mod featured;
pub mod moderation;
pub mod picker;
pub mod sites;
pub mod stats;

use crate::{
    api::ApiError,
    i18n::{t, t_string, use_i18n},
    routes,
    session::RequireUser,
};
use domain::api::ErrorCode;
use domain::curation::ModerationAction;
use leptos::prelude::*;
use leptos_router::components::A;

/// The console's sections, in the order of its navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Moderation,
    Featured,
    Campaigns,
    Stats,
    Sites,
}

/// A console page: only for staff, with the console's navigation above `children`.
#[component]
pub fn StaffArea(tab: Tab, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let children = StoredValue::new(children);
    view! {
        <RequireUser let:user>
            {
                // Rebuilt only when staff-ness changes, not on every session refetch.
                let is_staff = Memo::new(move |_| user.with(|u| u.is_staff));
                move || if is_staff.get() {
                    view! {
                        <div class="staff">
                            <StaffNav tab/>
                            {children.with_value(|c| c())}
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="error-panel staff-only" role="alert">
                            <h1>{t!(i18n, staff_only_title)}</h1>
                            <p>{t!(i18n, staff_only_text)}</p>
                            <A href=routes::HOME attr:class="button">{t!(i18n, home)}</A>
                        </div>
                    }.into_any()
                }
            }
        </RequireUser>
    }
}

#[component]
fn StaffNav(tab: Tab) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |t: Tab, href: &'static str, label: &'static str| {
        view! {
            // A plain link (the router still handles it): `A` would mark the whole
            // console current, `/xuc-tien` being every page's prefix.
            <li><a href=href aria-current=(t == tab).then_some("page")>{label}</a></li>
        }
    };
    view! {
        <nav class="staff-nav" aria-label=move || t_string!(i18n, staff_console)>
            <p class="eyebrow">{t!(i18n, staff_console)}</p>
            <ul>
                {move || view! {
                    {link(Tab::Moderation, routes::STAFF, t_string!(i18n, staff_tab_moderation))}
                    {link(Tab::Featured, routes::STAFF_FEATURED, t_string!(i18n, staff_tab_featured))}
                    {link(Tab::Campaigns, routes::STAFF_CAMPAIGNS, t_string!(i18n, staff_tab_campaigns))}
                    {link(Tab::Stats, routes::STAFF_STATS, t_string!(i18n, staff_tab_stats))}
                    {link(Tab::Sites, routes::STAFF_SITES, t_string!(i18n, staff_nav_sites))}
                }}
            </ul>
        </nav>
    }
}

/// The label of a moderation action's button.
pub fn action_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, a: ModerationAction) -> &'static str {
    match a {
        ModerationAction::Approve => t_string!(i18n, staff_approve),
        ModerationAction::Reject => t_string!(i18n, staff_reject),
        ModerationAction::Suspend => t_string!(i18n, staff_suspend),
        ModerationAction::Hide => t_string!(i18n, staff_hide),
    }
}

/// A failed console request, explained by the API's code when it has one of ours.
#[component]
pub fn StaffError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    match error.code() {
        Some(ErrorCode::InvalidTransition) => {
            view! { <p class="form-error" role="alert">{t!(i18n, staff_error_invalid_transition)}</p> }.into_any()
        }
        Some(ErrorCode::CooperativeNotApproved) => {
            view! { <p class="form-error" role="alert">{t!(i18n, staff_error_coop_not_approved)}</p> }.into_any()
        }
        _ => view! { <crate::components::form::FormError error/> }.into_any(),
    }
}

/// `YYYY-MM-DD` shown in the visitor's language (dd/mm/yyyy in Vietnamese).
pub fn show_date(date: &domain::catalog::Date, lang: domain::Lang) -> String {
    date.format(lang)
}
