//! `/htx-cua-toi/{slug}/xet-duyet`: a cooperative's review, for its members — its status
//! and the reason staff gave, the products sent back to draft or hidden with theirs, and
//! (for the admin, once the cooperative is fixed) sending it back for review.

use crate::{
    api::{self, ApiError},
    components::{async_view::Loaded, form::FormError},
    i18n::{t, t_string, use_i18n},
    pages::{account::coop_status_label, staff::moderation::product_status_label},
    routes,
    session::RequireUser,
    use_lang,
};
use domain::{
    account::{MemberRole, User},
    catalog::CoopStatus,
    curation::CooperativeReview,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn CooperativeReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, review_title)/>
        <RequireUser let:user>
            {move || view! { <Review user slug=slug.get()/> }}
        </RequireUser>
    }
}

#[component]
fn Review(user: Signal<User>, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let slug = StoredValue::new(slug);
    let is_admin = Memo::new(move |_| {
        user.with(|u| {
            u.memberships.iter().any(|m| m.cooperative.slug == slug.get_value() && m.role == MemberRole::Admin)
        })
    });
    let name = Memo::new(move |_| {
        user.with(|u| {
            u.memberships.iter().find(|m| m.cooperative.slug == slug.get_value()).map(|m| m.cooperative.name.clone())
        })
    });
    let review = LocalResource::new(move || {
        let slug = slug.get_value();
        async move { api::cooperative_review(&slug).await }
    });
    view! {
        <div class="review-page">
            <header class="account-head">
                <p class="eyebrow">{move || name.get().unwrap_or_else(|| slug.get_value())}</p>
                <h1>{t!(i18n, review_title)}</h1>
            </header>
            <Loaded resource=review skeleton=|| view! { <div class="skeleton-block"></div> } let:r>
                <ReviewView review=r is_admin on_change=move || review.refetch()/>
            </Loaded>
        </div>
    }
}

#[component]
fn ReviewView(review: CooperativeReview, is_admin: Memo<bool>, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let CooperativeReview { slug, status, status_reason, can_resubmit, products } = review;
    let failure = RwSignal::new(None::<ApiError>);
    let resubmit = Action::new_local(move |slug: &String| {
        let slug = slug.clone();
        async move { api::resubmit_cooperative(&slug).await }
    });
    Effect::new(move |_| {
        if let Some(result) = resubmit.value().get() {
            untrack(|| match result {
                Ok(_) => {
                    failure.set(None);
                    on_change.run(());
                }
                Err(e) => failure.set(Some(e)),
            });
        }
    });
    let coop_slug = slug.clone();
    view! {
        <section class="section account-section">
            <p><span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span></p>
            {match (status, status_reason.is_empty()) {
                (CoopStatus::Approved, _) => view! { <p>{t!(i18n, review_approved)}</p> }.into_any(),
                (CoopStatus::Pending, true) => view! { <p>{t!(i18n, review_waiting)}</p> }.into_any(),
                (_, _) => view! {
                    <div class="line-notice review-reason">
                        <p><strong>{if status == CoopStatus::Suspended { t!(i18n, review_suspended_because).into_any() } else { t!(i18n, review_returned_because).into_any() }}</strong></p>
                        <p>{status_reason}</p>
                    </div>
                }.into_any(),
            }}
            {can_resubmit.then(|| view! {
                <Show when=move || is_admin.get() fallback=move || view! { <p class="muted">{t!(i18n, review_admin_resubmits)}</p> }>
                    <p class="hint">{t!(i18n, review_resubmit_hint)}</p>
                    <button type="button" class="button button-primary" disabled=move || resubmit.pending().get()
                        on:click={
                            let slug = slug.clone();
                            move |_| { resubmit.dispatch(slug.clone()); }
                        }>
                        {t!(i18n, review_resubmit)}
                    </button>
                </Show>
            })}
            {move || failure.get().map(|error| view! { <FormError error/> })}
        </section>
        <section class="section account-section" aria-labelledby="review-products-title">
            <h2 id="review-products-title">{t!(i18n, review_products)}</h2>
            {if products.is_empty() {
                view! { <p class="muted">{t!(i18n, review_no_products)}</p> }.into_any()
            } else {
                view! {
                    <ul class="account-list">
                        {products.into_iter().map(|p| {
                            let status = p.status;
                            let name = p.name.clone();
                            view! {
                                <li class="account-item">
                                    <div>
                                        <p class="account-item-title">
                                            <A href=routes::seller_product(&coop_slug, &p.slug)>{move || name.get(lang()).to_owned()}</A>
                                        </p>
                                        <p><span class="badge" data-status=status.code()>{move || product_status_label(i18n, status)}</span></p>
                                        <p class="line-notice">{p.review_note}</p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
