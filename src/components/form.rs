//! Form pieces shared by the account pages: a labelled text field with its hint and
//! translated error, a form-level error translated from the API's code, and focusing
//! the first invalid field.

use crate::{
    api::ApiError,
    components::field_error::FieldMessage,
    i18n::{t, t_string, use_i18n},
};
use domain::api::ErrorCode;
use domain::validate::{Errors, FieldError};
use leptos::prelude::*;

/// A labelled input bound to `value`, with an optional hint and the field's error.
/// `kind="password"` adds a button that shows or hides what was typed.
#[component]
pub fn TextField(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<FieldError>>,
    /// The input's `type`; `text` when not given.
    #[prop(optional)]
    kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    /// The label.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = if kind.is_empty() { "text" } else { kind };
    let password = kind == "password";
    let shown = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{error_id} {hint_id}") } else { error_id.clone() };
    let input_type = move || if password && shown.get() { "text" } else { kind };
    let input = view! {
        <input id=id name=id type=input_type
            autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
            inputmode=(!inputmode.is_empty()).then_some(inputmode)
            placeholder=(!placeholder.is_empty()).then_some(placeholder)
            maxlength=maxlength.map(|m| m.to_string())
            autocapitalize=(password || kind == "email" || id.contains("login")).then_some("off")
            spellcheck=(password || kind == "email" || id.contains("login")).then_some("false")
            required=required
            aria-invalid=move || error.with(Option::is_some).to_string()
            aria-describedby=described
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))/>
    };
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            {if password {
                view! {
                    <div class="password-input">
                        {input}
                        <button type="button" class="reveal" aria-controls=id aria-pressed=move || shown.get().to_string()
                            on:click=move |_| shown.update(|s| *s = !*s)>
                            {move || if shown.get() { t_string!(i18n, hide_password) } else { t_string!(i18n, show_password) }}
                        </button>
                    </div>
                }.into_any()
            } else {
                input.into_any()
            }}
            {hint.map(|h| view! { <p id=hint_id class="hint">{h.run()}</p> })}
            <FieldMessage id=error_id error/>
        </div>
    }
}

/// The error of one field, as a signal for [`TextField`].
pub fn field_error(errors: RwSignal<Errors>, field: &'static str) -> Signal<Option<FieldError>> {
    Signal::derive(move || errors.with(|e| e.get(field).cloned()))
}

/// A failed submit explained: by the API's code when it has one, else by kind.
#[component]
pub fn FormError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    // The session ended, or its CSRF token is stale: ask who is signed in again (a page
    // that needs an account then sends the visitor to sign in and back).
    if matches!(error, ApiError::Http { status: 401 | 403, .. })
        && error.code() != Some(ErrorCode::InvalidCredentials)
        && let Some(session) = use_context::<crate::session::Session>()
    {
        session.refetch();
    }
    let message = match (&error, error.code()) {
        (ApiError::Network, _) => t!(i18n, form_network_error).into_any(),
        (_, Some(ErrorCode::InvalidCredentials)) => t!(i18n, invalid_credentials).into_any(),
        (_, Some(ErrorCode::RateLimited)) => t!(i18n, rate_limited).into_any(),
        (_, Some(ErrorCode::InvalidToken)) => t!(i18n, invalid_reset_token).into_any(),
        (_, Some(ErrorCode::Unauthenticated)) => t!(i18n, session_expired).into_any(),
        (_, Some(ErrorCode::Csrf)) => t!(i18n, stale_session).into_any(),
        (ApiError::Http { status: 429, .. }, _) => t!(i18n, rate_limited).into_any(),
        (ApiError::Http { status: 401, .. }, _) => t!(i18n, session_expired).into_any(),
        (ApiError::Http { status: 403, .. }, _) => t!(i18n, forbidden).into_any(),
        (ApiError::Http { status: 404, .. }, _) => t!(i18n, error_not_found).into_any(),
        (ApiError::Http { status: 400 | 409 | 422, .. }, _) => t!(i18n, form_fix_errors).into_any(),
        _ => t!(i18n, form_server_error).into_any(),
    };
    view! { <p class="form-error" role="alert">{message}</p> }
}

/// Handles each answer of a form's action: `on_ok` with a success; with a failure, marks
/// the fields it names, keeps the error for [`FormError`] and moves focus to the first
/// marked field. What was typed stays.
pub fn on_result<T: 'static>(
    value: impl Fn() -> Option<Result<T, ApiError>> + 'static,
    errors: RwSignal<Errors>,
    failure: RwSignal<Option<ApiError>>,
    on_ok: impl Fn(T) + 'static,
) {
    Effect::new(move |_| {
        if let Some(result) = value() {
            untrack(|| match result {
                Ok(v) => on_ok(v),
                Err(e) => {
                    errors.set(e.fields());
                    failure.set(Some(e));
                    focus_first_error();
                }
            });
        }
    });
}

/// Moves focus to the first field marked invalid, after the marks are drawn.
pub fn focus_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(el)) = document().query_selector("[aria-invalid=true]") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}
