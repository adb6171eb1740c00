//! Form pieces shared by the account pages: a labelled text field with its hint and
//! translated error, a form-level error translated from the API's code, and focusing
//! the first invalid field. And the scaffold of a form that sends one request
//! ([`FormState`], [`FormFailure`], [`SubmitButton`]): checked first with the domain's
//! rules, each error next to its field, the request's failure under the form.

use crate::{
    api::ApiError,
    components::field_error::FieldMessage,
    i18n::{t, t_string, use_i18n},
};
use domain::api::ErrorCode;
use domain::validate::{Errors, FieldError};
use leptos::{ev, prelude::*};

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

/// A labelled textarea bound to `value`, with an optional hint (under it, named first by
/// `aria-describedby`) and the field's error.
#[component]
pub fn TextArea(
    id: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<FieldError>>,
    rows: u32,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] placeholder: Signal<Option<&'static str>>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    /// The label.
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field">
            <label for=id>{children()}</label>
            <textarea id=id name=name rows=rows.to_string() maxlength=maxlength.map(|m| m.to_string()) required=required
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=described
                placeholder=move || placeholder.get()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
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

/// What a form shows of its last try: each field's error, and the failure of its request
/// (for [`FormFailure`]). `Copy`, like the signals in it.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Errors>,
    pub failure: RwSignal<Option<ApiError>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    pub fn new() -> Self {
        Self { errors: RwSignal::new(Errors::new()), failure: RwSignal::new(None) }
    }

    /// The error of one field, for [`TextField`] and [`FieldMessage`].
    pub fn error(self, field: &'static str) -> Signal<Option<FieldError>> {
        field_error(self.errors, field)
    }

    /// `aria-invalid` of a field bound by hand.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.errors.with(|e| e.get(field).is_some()).to_string()
    }

    /// The form's submit handler: unless `action` is still running, clears the last
    /// failure and takes the request from `checked` (which builds it and checks it with
    /// the domain's rules); sends it when they pass, else marks the fields and moves focus
    /// to the first.
    pub fn on_submit<I, O>(
        self,
        action: Action<I, O>,
        checked: impl Fn() -> Result<I, Errors> + 'static,
    ) -> impl Fn(ev::SubmitEvent) + 'static
    where
        I: Send + Sync + 'static,
        O: Send + Sync + 'static,
    {
        move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            if action.pending().get_untracked() {
                return;
            }
            self.failure.set(None);
            match checked() {
                Ok(request) => {
                    self.errors.set(Errors::new());
                    action.dispatch(request);
                }
                Err(e) => {
                    self.errors.set(e);
                    focus_first_error();
                }
            }
        }
    }

    /// Handles each answer of `action`: a success clears the marks and goes to `on_ok`; a
    /// failure is shown as [`on_result`] shows it.
    pub fn on_answer<I: 'static, T: Clone + 'static>(
        self,
        action: Action<I, Result<T, ApiError>>,
        on_ok: impl Fn(T) + 'static,
    ) {
        on_result(
            move || action.value().get(),
            self.errors,
            self.failure,
            move |v| {
                self.errors.set(Errors::new());
                self.failure.set(None);
                on_ok(v);
            },
        );
    }
}

/// The failure of a form's last request, explained ([`FormError`]), while there is one.
#[component]
pub fn FormFailure(failure: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || failure.get().map(|error| view! { <FormError error/> })
}

/// A form's primary submit button: disabled while `pending`, and then says `busy_label`.
#[component]
pub fn SubmitButton(
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] busy_label: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" disabled=move || pending.get()>
            {move || if pending.get() { busy_label.get() } else { label.get() }}
        </button>
    }
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
