//! Who is signed in: one `GET /api/v1/session` for the whole app, refetched after
//! sign-in, sign-up and sign-out. Pages read it with [`use_session`]; pages that need an
//! account wrap their content in [`RequireUser`].

use crate::{
    api::{self, ApiError},
    components::async_view::ErrorPanel,
    routes,
};
use domain::account::{SessionInfo, User};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

/// The session, provided once by the app shell.
#[derive(Clone, Copy)]
pub struct Session {
    resource: LocalResource<Result<SessionInfo, ApiError>>,
    /// The resource's last answer, copied by an effect: pages read this signal, not the
    /// resource, so no `<Suspense>` of a page waits for the session (the server never
    /// asks for it, and a page must hydrate as the server rendered it: signed out
    /// until the browser knows better).
    value: RwSignal<Option<Result<SessionInfo, ApiError>>>,
}

impl Session {
    pub fn provide() -> Session {
        let session = Session { resource: LocalResource::new(api::session), value: RwSignal::new(None) };
        Effect::new(move |_| {
            if crate::island::page_hydrated() {
                session.value.set(session.resource.get());
            }
        });
        provide_context(session);
        session
    }

    /// `None` while the first answer is awaited; `Some(None)` when signed out (or when
    /// the session could not be read: the shop still works for guests).
    pub fn user(&self) -> Option<Option<User>> {
        self.value.get().map(|r| r.ok().and_then(|s| s.user))
    }

    /// Whether the session answered at all (the answer may be an error).
    pub fn is_loaded(&self) -> bool {
        self.value.with(Option::is_some)
    }

    /// The error of the last session request, if it failed.
    pub fn error(&self) -> Option<ApiError> {
        self.value.get().and_then(Result::err)
    }

    /// Uses the session the server just sent (sign-in, sign-up) at once, then asks again
    /// so the app and the server agree.
    pub fn signed_in(&self, info: SessionInfo) {
        self.resource.set(Some(Ok(info)));
        self.resource.refetch();
    }

    /// Forgets the user at once, then asks the server again.
    pub fn signed_out(&self) {
        self.resource.set(Some(Ok(SessionInfo::default())));
        self.resource.refetch();
    }

    pub fn refetch(&self) {
        self.resource.refetch();
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Only local paths (`/…`, not `//host` or `/\host`) are followed after signing in, so a
/// crafted link cannot send someone to another site.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.starts_with("/\\")
            && !n.chars().any(|c| c.is_control() || c == '\\')
    })
}

/// The current path and query, to come back to after signing in.
pub fn current_path() -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    if query.is_empty() || query == "?" {
        path
    } else if query.starts_with('?') {
        format!("{path}{query}")
    } else {
        format!("{path}?{query}")
    }
}

/// The sign-in page, coming back to `next` afterwards.
pub fn sign_in_then(next: &str) -> String {
    format!("{}?next={}", routes::SIGN_IN, crate::url::encode(next))
}

/// Where the visitor stands, as a page that needs an account sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    Loading,
    SignedOut,
    Failed,
    SignedIn(i64),
}

/// A page part that needs an account: a skeleton while the session loads, a redirect to
/// the sign-in page (coming back here) when signed out, the content when signed in.
/// The content is built once per user: a session refetch that brings the same person
/// back (with new memberships, say) updates the `User` signal, not the page.
#[component]
pub fn RequireUser<F, V>(children: F) -> impl IntoView
where
    F: Fn(Signal<User>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    let navigate = use_navigate();
    let back_to = StoredValue::new(current_path());
    let gate = Memo::new(move |_| match (session.user(), session.error()) {
        (Some(Some(user)), _) => Gate::SignedIn(user.id),
        (_, Some(_)) => Gate::Failed,
        (Some(None), None) => Gate::SignedOut,
        (None, None) => Gate::Loading,
    });
    let last_user = Memo::new(move |previous: Option<&User>| match session.user().flatten() {
        Some(user) => user,
        None => previous.cloned().unwrap_or_else(|| User {
            id: 0,
            name: String::new(),
            email: None,
            phone: None,
            is_staff: false,
            memberships: Vec::new(),
        }),
    });
    Effect::new(move |_| {
        // Only while this page is still the one shown: signing out navigates home first.
        let still_here = window()
            .location()
            .pathname()
            .is_ok_and(|p| back_to.with_value(|b| b.split('?').next() == Some(p.as_str())));
        if gate.get() == Gate::SignedOut && still_here {
            let options = leptos_router::NavigateOptions { replace: true, ..Default::default() };
            navigate(&sign_in_then(&back_to.get_value()), options);
        }
    });
    move || match gate.get() {
        Gate::SignedIn(_) => children(last_user.into()).into_any(),
        Gate::Failed => {
            let error = untrack(|| session.error()).unwrap_or(ApiError::Network);
            view! { <ErrorPanel error on_retry=move || session.refetch()/> }.into_any()
        }
        Gate::Loading | Gate::SignedOut => view! { <PageSkeleton/> }.into_any(),
    }
}

/// Stands in for a page while what it needs loads.
#[component]
pub fn PageSkeleton() -> impl IntoView {
    view! {
        <div class="page-skeleton" aria-busy="true">
            <div class="skeleton-line short"></div>
            <div class="skeleton-line"></div>
            <div class="skeleton-block"></div>
        </div>
    }
}
