//! `/loi-moi/{token}`: an invitation to join a cooperative. Anyone with the link sees
//! which cooperative and which role (nothing about the person invited); a signed-out
//! visitor signs in or signs up and comes back; the signed-in holder of the link accepts
//! it and becomes a member. The link is the credential: whoever holds it and accepts joins,
//! so the admin sends it only to the person invited.

use crate::{
    api::{self, ApiError},
    components::form::FormError,
    i18n::{t, t_string, use_i18n},
    pages::account::role_label,
    routes,
    session::{sign_in_then, use_session},
};
use domain::{
    account::{InvitationInfo, Membership},
    api::ErrorCode,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    // Private: the token never goes into a server-rendered page.
    let info = LocalResource::new(move || {
        let token = token.get();
        async move { api::invitation(&token).await }
    });
    view! {
        <Title text=move || t_string!(i18n, invitation_title)/>
        <div class="auth-page invitation-page">
            <h1>{t!(i18n, invitation_title)}</h1>
            {move || match info.get() {
                None => view! { <p class="muted" aria-busy="true">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) if e.is_not_found() => view! {
                    <div class="error-panel" role="alert"><p>{t!(i18n, invitation_invalid)}</p></div>
                }
                .into_any(),
                Some(Err(error)) => view! { <FormError error/> }.into_any(),
                Some(Ok(invitation)) => view! { <Invitation invitation token=token.get_untracked()/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Invitation(invitation: InvitationInfo, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let InvitationInfo { cooperative, role, expires_at } = invitation;
    let here = routes::invitation(&token);
    let token = StoredValue::new(token);
    let accept = Action::new_local(move |_: &()| {
        let token = token.get_value();
        async move { api::accept_invitation(&token).await }
    });
    let accepted = RwSignal::new(None::<Membership>);
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(result) = accept.value().get() {
            untrack(|| match result {
                Ok(m) => {
                    accepted.set(Some(m));
                    failure.set(None);
                    // The account menu shows the new cooperative.
                    session.refetch();
                }
                Err(e) => failure.set(Some(e)),
            });
        }
    });
    let name = cooperative.name.clone();
    let until = expires_at.get(..10).unwrap_or_default().to_owned();
    let sign_in = sign_in_then(&here);
    let sign_up = format!("{}?next={}", routes::SIGN_UP, crate::url::encode(&here));
    view! {
        <p>
            {t!(i18n, invitation_to)}" "<strong>{name}</strong>" "
            <span class="badge" data-role=role.code()>{move || role_label(i18n, role)}</span>
        </p>
        <p class="muted">{t!(i18n, invitation_valid_until)}" "{until}</p>
        {move || match (accepted.get(), session.user()) {
            (Some(m), _) => {
                let href = routes::members(&m.cooperative.slug);
                view! {
                    <p class="notice" role="status">{t!(i18n, invitation_accepted)}</p>
                    <a href=href class="button button-primary">{t!(i18n, members_title)}</a>
                }
                .into_any()
            }
            (None, Some(Some(_))) => view! {
                {move || failure.get().map(|error| match error.code() {
                    Some(ErrorCode::AlreadyMember) => view! { <p class="notice" role="status">{t!(i18n, field_already_member)}</p> }.into_any(),
                    Some(ErrorCode::InvalidToken) => view! { <p class="error-panel" role="alert">{t!(i18n, invitation_invalid)}</p> }.into_any(),
                    _ => view! { <FormError error/> }.into_any(),
                })}
                <button type="button" class="button button-primary" disabled=move || accept.pending().get()
                    on:click=move |_| { accept.dispatch(()); }>
                    {move || if accept.pending().get() { t_string!(i18n, accepting) } else { t_string!(i18n, accept_invitation) }}
                </button>
            }
            .into_any(),
            (None, Some(None)) => view! {
                <p>{t!(i18n, invitation_sign_in_first)}</p>
                <p>
                    <A href=sign_in.clone() attr:class="button button-primary">{t!(i18n, sign_in)}</A>" "
                    <A href=sign_up.clone() attr:class="button">{t!(i18n, sign_up)}</A>
                </p>
            }
            .into_any(),
            (None, None) => view! { <p class="muted" aria-busy="true">{t!(i18n, loading)}</p> }.into_any(),
        }}
    }
}
