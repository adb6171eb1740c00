//! The seller console, `/ban-hang/{coop}/…`: for the members of one cooperative, its
//! dashboard, products (list, editor with photos, submit for review) and orders (list,
//! detail with the actions, printable pack list) and traceability lots (create lots, add
//! events, print labels), and for its admins the cooperative's website (profile).
//!
//! Every page sits in [`SellerShell`]: it needs an account (signed-out visitors are sent
//! to sign in and back) and a membership of that cooperative (anyone else sees a clear
//! message; the server refuses them too). The shell provides [`SellerCtx`] to the pages.

mod api;
mod dashboard;
mod editor;
mod images;
mod lots;
mod orders;
mod products;
mod profile;

use crate::{
    api::ApiError,
    components::form::FormError,
    i18n::{t, t_string, use_i18n},
    pages::account::coop_status_label,
    routes,
    session::RequireUser,
};
use domain::api::ErrorCode;
use domain::{
    account::{MemberRole, Membership, User},
    catalog::{CoopStatus, ProductStatus},
};
use leptos::prelude::*;
use leptos_router::{
    components::{A, Outlet, ParentRoute, Route},
    hooks::use_params_map,
    path,
};

/// The seller console's routes, one group in the app's router.
#[component(transparent)]
pub fn SellerRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/ban-hang/:coop") view=SellerShell>
            <Route path=path!("") view=dashboard::DashboardPage/>
            <Route path=path!("san-pham") view=products::ProductListPage/>
            <Route path=path!("them-san-pham") view=editor::NewProductPage/>
            <Route path=path!("san-pham/:slug") view=editor::EditProductPage/>
            <Route path=path!("don-hang") view=orders::OrderListPage/>
            <Route path=path!("don-hang/:number") view=orders::OrderDetailPage/>
            <Route path=path!("don-hang/:number/phieu-dong-goi") view=orders::PackListPage/>
            <Route path=path!("lo") view=lots::CoopLotsPage/>
            <Route path=path!("san-pham/:slug/lo") view=lots::ProductLotsPage/>
            <Route path=path!("ho-so") view=profile::ProfilePage/>
        </ParentRoute>
    }
    .into_inner()
}

/// The cooperative the console works for, given to every seller page.
#[derive(Clone, Debug, PartialEq)]
pub struct SellerCtx {
    pub membership: Membership,
}

impl SellerCtx {
    pub fn slug(&self) -> String {
        self.membership.cooperative.slug.clone()
    }
}

pub fn use_seller() -> SellerCtx {
    expect_context::<SellerCtx>()
}

#[component]
fn SellerShell() -> impl IntoView {
    let params = use_params_map();
    let coop = Memo::new(move |_| params.read().get("coop").unwrap_or_default());
    view! {
        <RequireUser let:user>
            // One console per cooperative: following a link to another one rebuilds it.
            {move || view! { <SellerArea user slug=coop.get()/> }}
        </RequireUser>
    }
}

#[component]
fn SellerArea(user: Signal<User>, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let membership = {
        let slug = slug.clone();
        Memo::new(move |_| user.with(|u| u.memberships.iter().find(|m| m.cooperative.slug == slug).cloned()))
    };
    // Built once per membership (a session refetch bringing the same one changes nothing).
    move || match membership.get() {
        None => view! {
            <div class="seller-denied error-panel" role="alert">
                <h1>{t!(i18n, seller_console)}</h1>
                <p>{t!(i18n, seller_not_member)}</p>
                <A href=routes::ACCOUNT attr:class="button">{t!(i18n, my_account)}</A>
            </div>
        }
        .into_any(),
        Some(m) => {
            provide_context(SellerCtx { membership: m.clone() });
            let coop = m.cooperative.slug.clone();
            let status = m.status;
            view! {
                <div class="seller">
                    <header class="seller-head no-print">
                        <p class="eyebrow">{t!(i18n, seller_console)}</p>
                        <p class="seller-coop">
                            <strong>{m.cooperative.name.clone()}</strong>
                            " "
                            <span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span>
                        </p>
                        {(status != CoopStatus::Approved).then(|| view! {
                            <p class="notice">{t!(i18n, seller_coop_not_approved_note)}</p>
                        })}
                        <nav class="seller-nav" aria-label=move || t_string!(i18n, seller_console)>
                            <A href=routes::seller(&coop) exact=true>{t!(i18n, seller_nav_dashboard)}</A>
                            <A href=routes::seller_products(&coop)>{t!(i18n, seller_nav_products)}</A>
                            <A href=routes::seller_orders(&coop)>{t!(i18n, seller_nav_orders)}</A>
                            <A href=routes::seller_lots(&coop)>{t!(i18n, seller_nav_lots)}</A>
                            {(m.role == MemberRole::Admin).then(|| view! {
                                <A href=routes::seller_profile(&coop)>{t!(i18n, seller_nav_profile)}</A>
                            })}
                            <A href=routes::members(&coop)>{t!(i18n, members_title)}</A>
                        </nav>
                    </header>
                    <Outlet/>
                </div>
            }
            .into_any()
        }
    }
}

pub fn product_status_label(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Draft => t_string!(i18n, seller_product_status_draft),
        ProductStatus::Pending => t_string!(i18n, seller_product_status_pending),
        ProductStatus::Published => t_string!(i18n, seller_product_status_published),
        ProductStatus::Hidden => t_string!(i18n, seller_product_status_hidden),
    }
}

#[component]
pub fn ProductStatusBadge(status: ProductStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="badge product-status" data-status=status.code()>{move || product_status_label(i18n, status)}</span> }
}

/// `3 đơn` / `1 order`, `3 orders`: the unit for one or for several (Vietnamese uses the
/// same word; English does not).
pub fn counted(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A failed seller request explained: the console's own API codes first, then the
/// app's usual form errors (network, session, validation…).
#[component]
pub fn SellerError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let known = match error.code() {
        Some(ErrorCode::CooperativeNotApproved) => Some(t!(i18n, seller_error_coop_not_approved).into_any()),
        Some(ErrorCode::NotADraft) => Some(t!(i18n, seller_error_not_a_draft).into_any()),
        Some(ErrorCode::InvalidTransition) => Some(t!(i18n, seller_error_invalid_transition).into_any()),
        Some(ErrorCode::PayloadTooLarge) => Some(t!(i18n, seller_upload_error_too_big).into_any()),
        Some(ErrorCode::ImageTooLarge) => Some(t!(i18n, seller_upload_error_too_many_pixels).into_any()),
        Some(ErrorCode::UnsupportedImage) => Some(t!(i18n, seller_upload_error_unsupported).into_any()),
        Some(ErrorCode::InvalidImage) => Some(t!(i18n, seller_upload_error_invalid).into_any()),
        _ => None,
    };
    match known {
        Some(message) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
        None => view! { <FormError error/> }.into_any(),
    }
}
