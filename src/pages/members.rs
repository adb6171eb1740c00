//! `/htx-cua-toi/{slug}/thanh-vien`: the members of one of the signed-in person's
//! cooperatives. Every member sees the list; an admin invites people by their email or
//! phone number with a role (a link to copy and send: they join once they accept it),
//! sees and revokes the pending invitations, and removes members.

use crate::{
    api::{self, ApiError},
    components::{
        async_view::Loaded,
        field_error::FieldMessage,
        form::{FormError, TextField, field_error, focus_first_error},
    },
    i18n::{t, t_string, use_i18n},
    pages::account::{ListSkeleton, coop_status_label, role_label},
    routes,
    session::RequireUser,
};
use domain::{
    account::{InvitationCreated, InvitationRequest, Login, Member, MemberRole, PendingInvitation, User},
    catalog::CoopStatus,
    validate::Errors,
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    view! {
        <Title text=move || t_string!(i18n, members_title)/>
        <RequireUser let:user>
            // One view per cooperative: following a link to another one rebuilds it.
            {move || view! { <Members user slug=slug.get()/> }}
        </RequireUser>
    }
}

#[component]
fn Members(user: Signal<User>, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let membership = {
        let slug = slug.clone();
        Memo::new(move |_| user.with(|u| u.memberships.iter().find(|m| m.cooperative.slug == slug).cloned()))
    };
    let may_view = move || membership.with(Option::is_some) || user.with(|u| u.is_staff);
    let is_admin = Memo::new(move |_| membership.with(|m| m.as_ref().is_some_and(|m| m.role == MemberRole::Admin)));
    let me = Memo::new(move |_| user.with(|u| u.id));
    let title_slug = slug.clone();
    view! {
        <div class="members-page">
            <header class="account-head">
                <p class="eyebrow">{move || membership.get().map(|m| m.cooperative.name).unwrap_or_else(|| title_slug.clone())}</p>
                <h1>{t!(i18n, members_title)}</h1>
                {move || membership.get().map(|m| {
                    let status = m.status;
                    view! {
                        <p>
                            <span class="badge" data-status=status.code()>{move || coop_status_label(i18n, status)}</span>
                        </p>
                        {(status == CoopStatus::Pending).then(|| view! { <p class="notice">{t!(i18n, coop_pending_note)}</p> })}
                    }
                })}
            </header>
            <Show when=may_view fallback=move || view! {
                <div class="error-panel" role="alert">
                    <p>{t!(i18n, not_a_member)}</p>
                    <A href=routes::ACCOUNT attr:class="button">{t!(i18n, my_account)}</A>
                </div>
            }>
                <MemberList slug=slug.clone() is_admin me/>
            </Show>
        </div>
    }
}

#[component]
fn MemberList(slug: String, is_admin: Memo<bool>, me: Memo<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let slug = StoredValue::new(slug);
    let members = LocalResource::new(move || {
        let slug = slug.get_value();
        async move { api::members(&slug).await }
    });
    let remove_failure = RwSignal::new(None::<ApiError>);
    let remove = Action::new_local(move |user_id: &i64| {
        let (slug, user_id) = (slug.get_value(), *user_id);
        async move { api::remove_member(&slug, user_id).await }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            untrack(|| {
                remove_failure.set(result.err());
                members.refetch();
            });
        }
    });
    view! {
        <section class="section account-section" aria-labelledby="member-list-title">
            <h2 id="member-list-title" class="visually-hidden">{t!(i18n, members_title)}</h2>
            {move || remove_failure.get().map(|error| view! { <FormError error/> })}
            <Loaded resource=members skeleton=|| view! { <ListSkeleton/> } let:list>
                <ul class="account-list">
                    {list.into_iter().map(|m| view! { <MemberRow member=m is_admin me remove/> }).collect_view()}
                </ul>
            </Loaded>
        </section>
        <Show when=move || is_admin.get()>
            <Invitations slug=slug.get_value()/>
        </Show>
    }
}

#[component]
fn MemberRow(
    member: Member,
    is_admin: Memo<bool>,
    me: Memo<i64>,
    remove: Action<i64, Result<(), ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Member { user_id, name, login, role } = member;
    // Phone logins come as +84…; people read them as 09….
    let login = match domain::phone::Phone::parse(&login) {
        Ok(p) if login.starts_with('+') => p.national(),
        _ => login,
    };
    let label_name = name.clone();
    let removing = move || remove.pending().get() && remove.input().with(|i| *i == Some(user_id));
    view! {
        <li class="account-item">
            <div>
                <p class="account-item-title">
                    {name}
                    {move || (me.get() == user_id).then(|| view! { " "<span class="muted">{t!(i18n, you)}</span> })}
                </p>
                <p class="muted">
                    <span class="badge" data-role=role.code()>{move || role_label(i18n, role)}</span>" "{login}
                </p>
            </div>
            <Show when=move || is_admin.get() && me.get() != user_id>
                <button type="button" class="button button-small" disabled=move || remove.pending().get()
                    aria-label={
                        let n = label_name.clone();
                        move || format!("{} – {}", t_string!(i18n, remove_member), n)
                    }
                    on:click=move |_| { remove.dispatch(user_id); }>
                    {move || if removing() { t_string!(i18n, removing) } else { t_string!(i18n, remove) }}
                </button>
            </Show>
        </li>
    }
}

/// The admin's invitations: a form that makes a link for an email or phone number and a
/// role (shown once, to copy and send), and the pending ones, each revocable.
#[component]
fn Invitations(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let slug = StoredValue::new(slug);
    let login = RwSignal::new(String::new());
    let role = RwSignal::new(MemberRole::Member);
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<InvitationCreated>);
    let pending = LocalResource::new(move || {
        let slug = slug.get_value();
        async move { api::invitations(&slug).await }
    });
    let invite = Action::new_local(move |request: &InvitationRequest| {
        let (slug, request) = (slug.get_value(), request.clone());
        async move { api::invite_member(&slug, &request).await }
    });
    Effect::new(move |_| {
        if let Some(result) = invite.value().get() {
            untrack(|| match result {
                Ok(invitation) => {
                    created.set(Some(invitation));
                    errors.set(Errors::new());
                    failure.set(None);
                    login.set(String::new());
                    role.set(MemberRole::Member);
                    pending.refetch();
                }
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let revoke_failure = RwSignal::new(None::<ApiError>);
    let revoke = Action::new_local(move |id: &i64| {
        let (slug, id) = (slug.get_value(), *id);
        async move { api::revoke_invitation(&slug, id).await }
    });
    Effect::new(move |_| {
        if let Some(result) = revoke.value().get() {
            untrack(|| {
                revoke_failure.set(result.err());
                pending.refetch();
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if invite.pending().get_untracked() {
            return;
        }
        let request = InvitationRequest { login: login.get_untracked(), role: role.get_untracked() };
        let mut e = Errors::new();
        if let Err(err) = Login::parse(&request.login) {
            e.add("login", err);
        }
        failure.set(None);
        created.set(None);
        let ok = e.is_empty();
        errors.set(e);
        if ok {
            invite.dispatch(request);
        } else {
            focus_first_error();
        }
    };
    view! {
        <section class="section account-section" aria-labelledby="invite-member-title">
            <h2 id="invite-member-title">{t!(i18n, invite_member)}</h2>
            <p class="hint">{t!(i18n, invite_member_hint)}</p>
            {move || created.get().map(|c| {
                let link = c.link.clone();
                view! {
                    <div class="notice" role="status">
                        <p>{t!(i18n, invitation_created)}</p>
                        <p><input class="invitation-link" type="text" readonly aria-label=move || t_string!(i18n, invitation_link)
                            prop:value=link/></p>
                        <p class="hint">{t!(i18n, invitation_link_hint)}</p>
                    </div>
                }
            })}
            <form class="panel-form" novalidate on:submit=on_submit>
                <TextField id="login" value=login error=field_error(errors, "login") autocomplete="off" required=true
                    hint=move || t!(i18n, member_login_hint)>
                    {t!(i18n, login_label)}
                </TextField>
                <div class="field">
                    <label for="role">{t!(i18n, role)}</label>
                    <select id="role" name="role" aria-describedby="role-error"
                        prop:value=move || role.get().code()
                        on:change=move |ev| {
                            if let Some(r) = MemberRole::from_code(&event_target_value(&ev)) {
                                role.set(r);
                            }
                        }>
                        {MemberRole::ALL.iter().map(|r| {
                            let r = *r;
                            view! { <option value=r.code() selected=move || role.get() == r>{move || role_label(i18n, r)}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="role-error" error=field_error(errors, "role")/>
                </div>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <button type="submit" class="button button-primary" disabled=move || invite.pending().get()>
                    {move || if invite.pending().get() { t_string!(i18n, inviting) } else { t_string!(i18n, invite_member) }}
                </button>
            </form>
        </section>
        <section class="section account-section" aria-labelledby="pending-invitations-title">
            <h2 id="pending-invitations-title">{t!(i18n, pending_invitations)}</h2>
            {move || revoke_failure.get().map(|error| view! { <FormError error/> })}
            <Loaded resource=pending skeleton=|| view! { <ListSkeleton/> } let:list>
                {list.is_empty().then(|| view! { <p class="muted">{t!(i18n, no_pending_invitations)}</p> })}
                <ul class="account-list">
                    {list.into_iter().map(|p| {
                        let PendingInvitation { id, login, role, expires_at, .. } = p;
                        let login = match domain::phone::Phone::parse(&login) {
                            Ok(phone) if login.starts_with('+') => phone.national(),
                            _ => login,
                        };
                        let until = expires_at.get(..10).unwrap_or_default().to_owned();
                        let label = login.clone();
                        view! {
                            <li class="account-item">
                                <div>
                                    <p class="account-item-title">{login}</p>
                                    <p class="muted">
                                        <span class="badge" data-role=role.code()>{move || role_label(i18n, role)}</span>
                                        " "{t!(i18n, invitation_valid_until)}" "{until}
                                    </p>
                                </div>
                                <button type="button" class="button button-small" disabled=move || revoke.pending().get()
                                    aria-label=move || format!("{} – {}", t_string!(i18n, revoke_invitation), label)
                                    on:click=move |_| { revoke.dispatch(id); }>
                                    {t!(i18n, revoke_invitation)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Loaded>
        </section>
    }
}
