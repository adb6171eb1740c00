//! Signing in and up, and resetting a forgotten password. A login is an email address or
//! a Vietnamese phone number. Forms check the same rules as the server before sending,
//! keep what was typed when something fails, and put each error next to its field.

use crate::{
    api::{self, ApiError},
    components::form::{FormError, TextField, field_error, focus_first_error, on_result},
    i18n::{t, t_string, use_i18n},
    routes,
    session::{safe_next, use_session},
};
use domain::api::ErrorCode;
use domain::{
    account::{Login, PasswordResetConfirm, SignInRequest, SignUpRequest, check_password},
    validate::{Errors, FieldError},
};
use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
};

/// The local path to go to after signing in (`?next=`), if it is a safe one.
fn use_next() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| safe_next(query.read().get("next")))
}

/// `base`, keeping `?next=` so the visitor still comes back where they were.
fn with_next(base: &str, next: Option<String>) -> String {
    match next {
        Some(n) => format!("{base}?next={}", crate::url::encode(&n)),
        None => base.to_owned(),
    }
}

fn login_errors(login: &str, errors: &mut Errors) {
    if let Err(e) = Login::parse(login) {
        errors.add("login", e);
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let next = use_next();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let sign_in = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });
    on_result(
        move || sign_in.value().get(),
        errors,
        failure,
        move |info| {
            session.signed_in(info);
            let to = next.get_untracked().unwrap_or_else(|| routes::HOME.to_owned());
            navigate(&to, NavigateOptions { replace: true, ..Default::default() });
        },
    );
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if sign_in.pending().get_untracked() {
            return;
        }
        let request = SignInRequest { login: login.get_untracked(), password: password.get_untracked() };
        let mut e = Errors::new();
        login_errors(&request.login, &mut e);
        if request.password.is_empty() {
            e.add("password", FieldError::Required);
        }
        failure.set(None);
        if e.is_empty() {
            errors.set(e);
            sign_in.dispatch(request);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    view! {
        <Title text=move || t_string!(i18n, sign_in)/>
        <section class="auth-card">
            <h1>{t!(i18n, sign_in)}</h1>
            <AlreadySignedIn/>
            <form novalidate on:submit=on_submit>
                <TextField id="login" value=login error=field_error(errors, "login") autocomplete="username" required=true
                    hint=move || t!(i18n, login_hint)>
                    {t!(i18n, login_label)}
                </TextField>
                <TextField id="password" kind="password" value=password error=field_error(errors, "password")
                    autocomplete="current-password" required=true>
                    {t!(i18n, password)}
                </TextField>
                <p class="form-aside"><A href=routes::FORGOT_PASSWORD>{t!(i18n, forgot_password_link)}</A></p>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <button type="submit" class="button button-primary button-wide" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { t_string!(i18n, signing_in) } else { t_string!(i18n, sign_in) }}
                </button>
            </form>
            <p class="auth-switch">
                {t!(i18n, no_account_yet)}" "
                <A href=move || with_next(routes::SIGN_UP, next.get())>{t!(i18n, sign_up)}</A>
            </p>
        </section>
    }
}

/// On the sign-in and sign-up pages, a note for someone already signed in.
#[component]
fn AlreadySignedIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.user().flatten().map(|user| {
            view! {
                <p class="notice" role="status">
                    {t!(i18n, already_signed_in_as)}" "<strong>{user.name}</strong>". "
                    <A href=routes::ACCOUNT>{t!(i18n, go_to_account)}</A>
                </p>
            }
        })
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let next = use_next();
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let sign_up = Action::new_local(|request: &SignUpRequest| {
        let request = request.clone();
        async move { api::sign_up(&request).await }
    });
    on_result(
        move || sign_up.value().get(),
        errors,
        failure,
        move |info| {
            session.signed_in(info);
            let to = next.get_untracked().unwrap_or_else(|| routes::ACCOUNT.to_owned());
            navigate(&to, NavigateOptions { replace: true, ..Default::default() });
        },
    );
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if sign_up.pending().get_untracked() {
            return;
        }
        let request = SignUpRequest {
            name: name.get_untracked(),
            login: login.get_untracked(),
            password: password.get_untracked(),
        };
        failure.set(None);
        match request.validate() {
            Ok(_) => {
                errors.set(Errors::new());
                sign_up.dispatch(request);
            }
            Err(e) => {
                errors.set(e);
                focus_first_error();
            }
        }
    };
    let login_taken = move || errors.with(|e| e.get("login") == Some(&FieldError::LoginTaken));
    view! {
        <Title text=move || t_string!(i18n, sign_up)/>
        <section class="auth-card">
            <h1>{t!(i18n, sign_up_title)}</h1>
            <p class="muted">{t!(i18n, sign_up_intro)}</p>
            <AlreadySignedIn/>
            <form novalidate on:submit=on_submit>
                <TextField id="name" value=name error=field_error(errors, "name") autocomplete="name" required=true
                    maxlength=domain::account::NAME_MAX>
                    {t!(i18n, full_name)}
                </TextField>
                <TextField id="login" value=login error=field_error(errors, "login") autocomplete="username" required=true
                    hint=move || t!(i18n, login_hint)>
                    {t!(i18n, login_label)}
                </TextField>
                <Show when=login_taken>
                    <p class="form-aside">
                        <A href=move || with_next(routes::SIGN_IN, next.get())>{t!(i18n, sign_in_instead)}</A>
                    </p>
                </Show>
                <TextField id="password" kind="password" value=password error=field_error(errors, "password")
                    autocomplete="new-password" required=true hint=move || t!(i18n, password_rules)>
                    {t!(i18n, password)}
                </TextField>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <button type="submit" class="button button-primary button-wide" disabled=move || sign_up.pending().get()>
                    {move || if sign_up.pending().get() { t_string!(i18n, signing_up) } else { t_string!(i18n, create_account) }}
                </button>
            </form>
            <p class="auth-switch">
                {t!(i18n, have_account)}" "
                <A href=move || with_next(routes::SIGN_IN, next.get())>{t!(i18n, sign_in)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let request = Action::new_local(|login: &String| {
        let login = login.clone();
        async move { api::request_password_reset(&login).await }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = request.value().get() {
            untrack(|| {
                errors.set(e.fields());
                failure.set(Some(e));
            });
        }
    });
    let sent = move || matches!(request.value().get(), Some(Ok(())));
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if request.pending().get_untracked() {
            return;
        }
        let value = login.get_untracked();
        let mut e = Errors::new();
        login_errors(&value, &mut e);
        failure.set(None);
        if e.is_empty() {
            errors.set(e);
            request.dispatch(value);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    view! {
        <Title text=move || t_string!(i18n, forgot_password_title)/>
        <section class="auth-card">
            <h1>{t!(i18n, forgot_password_title)}</h1>
            <Show when=sent fallback=move || view! {
                <p class="muted">{t!(i18n, forgot_password_intro)}</p>
                <form novalidate on:submit=on_submit>
                    <TextField id="login" value=login error=field_error(errors, "login") autocomplete="username" required=true
                        hint=move || t!(i18n, login_hint)>
                        {t!(i18n, login_label)}
                    </TextField>
                    {move || failure.get().map(|error| view! { <FormError error/> })}
                    <button type="submit" class="button button-primary button-wide" disabled=move || request.pending().get()>
                        {move || if request.pending().get() { t_string!(i18n, sending) } else { t_string!(i18n, send_reset_link) }}
                    </button>
                </form>
            }>
                <div class="notice" role="status">
                    <p>{t!(i18n, reset_link_sent)}</p>
                    <p class="muted">{t!(i18n, reset_link_demo_note)}</p>
                </div>
            </Show>
            <p class="auth-switch"><A href=routes::SIGN_IN>{t!(i18n, back_to_sign_in)}</A></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("token").filter(|t| !t.trim().is_empty()));
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let confirm = Action::new_local(|request: &PasswordResetConfirm| {
        let request = request.clone();
        async move { api::confirm_password_reset(&request).await }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = confirm.value().get() {
            untrack(|| {
                errors.set(e.fields());
                failure.set(Some(e));
            });
        }
    });
    let done = Memo::new(move |_| matches!(confirm.value().get(), Some(Ok(()))));
    let has_token = Memo::new(move |_| token.with(Option::is_some));
    let token_refused = move || failure.with(|f| f.as_ref().and_then(|e| e.code()) == Some(ErrorCode::InvalidToken));
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if confirm.pending().get_untracked() {
            return;
        }
        let Some(token) = token.get_untracked() else { return };
        let request = PasswordResetConfirm { token, password: password.get_untracked() };
        let mut e = Errors::new();
        if let Err(err) = check_password(&request.password, None, "") {
            e.add("password", err);
        }
        failure.set(None);
        if e.is_empty() {
            errors.set(e);
            confirm.dispatch(request);
        } else {
            errors.set(e);
            focus_first_error();
        }
    };
    let form = move || {
        view! {
            <form novalidate on:submit=on_submit>
                <TextField id="password" kind="password" value=password error=field_error(errors, "password")
                    autocomplete="new-password" required=true hint=move || t!(i18n, password_rules)>
                    {t!(i18n, new_password)}
                </TextField>
                {move || failure.get().map(|error| view! { <FormError error/> })}
                <Show when=token_refused>
                    <p class="form-aside"><A href=routes::FORGOT_PASSWORD>{t!(i18n, request_new_link)}</A></p>
                </Show>
                <button type="submit" class="button button-primary button-wide" disabled=move || confirm.pending().get()>
                    {move || if confirm.pending().get() { t_string!(i18n, saving) } else { t_string!(i18n, set_new_password) }}
                </button>
            </form>
        }
    };
    view! {
        <Title text=move || t_string!(i18n, reset_password_title)/>
        <section class="auth-card">
            <h1>{t!(i18n, reset_password_title)}</h1>
            {move || {
                if done.get() {
                    view! {
                        <div class="notice" role="status">
                            <p>{t!(i18n, password_changed)}</p>
                            <A href=routes::SIGN_IN attr:class="button button-primary">{t!(i18n, sign_in)}</A>
                        </div>
                    }.into_any()
                } else if !has_token.get() {
                    view! {
                        <p class="form-error" role="alert">{t!(i18n, invalid_reset_token)}</p>
                        <A href=routes::FORGOT_PASSWORD attr:class="button">{t!(i18n, request_new_link)}</A>
                    }.into_any()
                } else {
                    form().into_any()
                }
            }}
        </section>
    }
}
