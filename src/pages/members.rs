//! `/htx-cua-toi/{slug}/thanh-vien`: the members of one of the signed-in person's
//! cooperatives. Every member sees the list; an admin adds people by their login
//! (creating the account, with a first password, when nobody has that login yet),
//! chooses their role, and removes members.

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
    account::{AddMemberRequest, Login, Member, MemberRole, NAME_MAX, User, check_password},
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
            <AddMember slug=slug.get_value() on_added=move || members.refetch()/>
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

#[component]
fn AddMember(slug: String, #[prop(into)] on_added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let slug = StoredValue::new(slug);
    let login = RwSignal::new(String::new());
    let role = RwSignal::new(MemberRole::Member);
    let new_account = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let added = RwSignal::new(None::<String>);
    let add = Action::new_local(move |request: &AddMemberRequest| {
        let (slug, request) = (slug.get_value(), request.clone());
        async move { api::add_member(&slug, &request).await }
    });
    Effect::new(move |_| {
        if let Some(result) = add.value().get() {
            untrack(|| match result {
                Ok(member) => {
                    added.set(Some(member.name));
                    errors.set(Errors::new());
                    failure.set(None);
                    login.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    new_account.set(false);
                    role.set(MemberRole::Member);
                    on_added.run(());
                }
                Err(e) => {
                    let fields = e.fields();
                    // Nobody has this login yet: the server asks for a name and password.
                    if fields.get("name").is_some() || fields.get("password").is_some() {
                        new_account.set(true);
                    }
                    errors.set(fields);
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if add.pending().get_untracked() {
            return;
        }
        let creating = new_account.get_untracked();
        let request = AddMemberRequest {
            login: login.get_untracked(),
            name: if creating { name.get_untracked() } else { String::new() },
            password: if creating { password.get_untracked() } else { String::new() },
            role: role.get_untracked(),
        };
        let mut e = Errors::new();
        let parsed = match Login::parse(&request.login) {
            Ok(l) => Some(l),
            Err(err) => {
                e.add("login", err);
                None
            }
        };
        if creating {
            let n = e.text("name", &request.name, NAME_MAX);
            if let Err(err) = check_password(&request.password, parsed.as_ref(), &n) {
                e.add("password", err);
            }
        }
        failure.set(None);
        added.set(None);
        if e.is_empty() {
            errors.set(e);
            add.dispatch(request);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    view! {
        <section class="section account-section" aria-labelledby="add-member-title">
            <h2 id="add-member-title">{t!(i18n, add_member)}</h2>
            {move || added.get().map(|n| view! { <p class="notice" role="status">{t!(i18n, member_added)}" "<strong>{n}</strong></p> })}
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
                <label class="check">
                    <input type="checkbox" name="new_account" aria-controls="new-account-fields"
                        prop:checked=move || new_account.get()
                        on:change=move |ev| new_account.set(event_target_checked(&ev))/>
                    <span>{t!(i18n, create_member_account)}</span>
                </label>
                <div id="new-account-fields" hidden=move || !new_account.get()>
                    <p class="hint">{t!(i18n, create_member_account_hint)}</p>
                    <TextField id="member_name" value=name error=field_error(errors, "name") autocomplete="off"
                        maxlength=NAME_MAX>
                        {t!(i18n, full_name)}
                    </TextField>
                    <TextField id="member_password" kind="password" value=password error=field_error(errors, "password")
                        autocomplete="new-password" hint=move || t!(i18n, password_rules)>
                        {t!(i18n, first_password)}
                    </TextField>
                </div>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <button type="submit" class="button button-primary" disabled=move || add.pending().get()>
                    {move || if add.pending().get() { t_string!(i18n, adding) } else { t_string!(i18n, add_member) }}
                </button>
            </form>
        </section>
    }
}
