//! The header's account corner: "Đăng nhập" for visitors; for a signed-in person their
//! given name opening a menu (a native `<details>`, so it works with the keyboard and
//! screen readers) with the account page, their cooperatives, registering one, and
//! signing out. The menu closes on Escape, on a click outside and when a link is taken.

use crate::{
    api::{self, ApiError},
    components::icons::UserIcon,
    i18n::{t, t_string, use_i18n},
    island, routes,
    session::{sign_in_then, use_session},
};
use domain::account::User;
use leptos::{ev, prelude::*};

/// The name people are called by: in Vietnamese names the given name comes last.
pub fn given_name(full: &str) -> &str {
    full.split_whitespace().last().unwrap_or(full)
}

#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    // Rebuilt only when who is signed in changes, not on every session refetch.
    let user = Memo::new(move |_| session.user());
    move || match user.get() {
        // Keeps the header's layout while the session loads.
        None => view! { <span class="account-placeholder" aria-hidden="true"></span> }.into_any(),
        Some(None) => view! { <SignInLink/> }.into_any(),
        Some(Some(user)) => view! { <UserMenu user/> }.into_any(),
    }
}

#[component]
fn SignInLink() -> impl IntoView {
    let i18n = use_i18n();
    let url = island::current_url();
    // Comes back to the page the visitor was on, unless that is an account page itself.
    let href = move || {
        let url = url.get();
        let path = url.split('?').next().unwrap_or_default();
        let auth_page =
            [routes::SIGN_IN, routes::SIGN_UP, routes::FORGOT_PASSWORD, routes::RESET_PASSWORD].contains(&path);
        if auth_page || path == routes::HOME { routes::SIGN_IN.to_owned() } else { sign_in_then(&url) }
    };
    view! {
        <a href=href class="account-link">{t!(i18n, sign_in)}</a>
    }
}

#[component]
fn UserMenu(user: User) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = island::navigator();
    let details = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(d) = details.get_untracked() {
            d.set_open(false);
        }
    };
    // A click anywhere outside the open menu closes it.
    let outside = window_event_listener(ev::click, move |ev| {
        let Some(d) = details.get_untracked() else { return };
        if !d.open() {
            return;
        }
        use leptos::wasm_bindgen::JsCast;
        let inside = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|n| d.contains(Some(&n)));
        if !inside {
            d.set_open(false);
        }
    });
    on_cleanup(move || outside.remove());
    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape"
            && let Some(d) = details.get_untracked()
            && d.open()
        {
            d.set_open(false);
            use leptos::wasm_bindgen::JsCast;
            if let Ok(Some(summary)) = d.query_selector("summary")
                && let Ok(s) = summary.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = s.focus();
            }
        }
    };

    let failure = RwSignal::new(None::<ApiError>);
    let sign_out = Action::new_local(|_: &()| api::sign_out());
    Effect::new(move |_| {
        if let Some(result) = sign_out.value().get() {
            untrack(|| match result {
                // 401: the session had already ended; either way nobody is signed in.
                Ok(()) | Err(ApiError::Http { status: 401, .. }) => {
                    close();
                    // Leave first, so a page that needs an account does not send the
                    // visitor to sign in again.
                    navigate(routes::HOME);
                    session.signed_out();
                    // The checkout draft holds the account's name, phone and address: a
                    // shared phone should not keep them for the next person.
                    crate::pages::checkout::forget_draft();
                }
                Err(e) => failure.set(Some(e)),
            });
        }
    });

    let login = user.email.clone().or_else(|| user.phone.as_ref().map(|p| p.national())).unwrap_or_default();
    let short = given_name(&user.name).to_owned();
    view! {
        <details class="account-menu" node_ref=details on:keydown=on_keydown>
            <summary class="account-button">
                <UserIcon/>
                <span class="account-name">{short}</span>
                <span class="visually-hidden">" – "{move || t_string!(i18n, account_menu)}</span>
            </summary>
            <div class="account-panel">
                <p class="account-panel-head">
                    <strong>{user.name.clone()}</strong>
                    <small class="muted">{login}</small>
                </p>
                <ul on:click=move |_| close()>
                    <li><a href=routes::ACCOUNT>{t!(i18n, my_account)}</a></li>
                    {user.is_staff.then(|| view! { <li><a href=routes::STAFF class="staff-menu-link">{t!(i18n, staff_console)}</a></li> })}
                    {user.memberships.iter().map(|m| {
                        let href = routes::members(&m.cooperative.slug);
                        let seller_href = routes::seller(&m.cooperative.slug);
                        let name = m.cooperative.name.clone();
                        let seller_name = name.clone();
                        view! {
                            <li><a href=seller_href class="seller-menu-link">{seller_name}<small class="muted">{t!(i18n, seller_menu)}</small></a></li>
                            <li><a href=href>{name}<small class="muted">{t!(i18n, members_title)}</small></a></li>
                        }
                    }).collect_view()}
                    <li><a href=routes::REGISTER_COOPERATIVE>{t!(i18n, register_cooperative)}</a></li>
                </ul>
                <button type="button" class="menu-item sign-out" disabled=move || sign_out.pending().get()
                    on:click=move |_| { failure.set(None); sign_out.dispatch(()); }>
                    {t!(i18n, sign_out)}
                </button>
                {move || failure.get().map(|_| view! { <p class="field-error" role="alert">{t!(i18n, sign_out_failed)}</p> })}
            </div>
        </details>
    }
}
