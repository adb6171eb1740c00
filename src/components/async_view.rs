//! Loading and error states for data from the API: a skeleton while loading (and the
//! previous content while reloading), a translated error with a way to retry on failure.

use crate::{
    api::ApiError,
    i18n::{t, use_i18n},
};
use leptos::prelude::*;

/// Renders `children` with the resource's value once loaded. The resource is isomorphic
/// (see [`crate::api::get`]): the server renders the page with its data and sends the
/// value along, so the browser hydrates without asking again. A 404 from the API renders
/// the not-found page (with status 404 on the server).
#[component]
pub fn Loaded<R, V, F>(
    /// A `Resource` (public pages: loaded on the server) or a `LocalResource` (private
    /// pages: loaded in the browser only).
    resource: R,
    /// Shown while the first load is under way.
    #[prop(into)]
    skeleton: ViewFn,
    children: F,
) -> impl IntoView
where
    R: ApiResource,
    V: IntoView + 'static,
    F: Fn(R::Value) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Transition fallback=move || skeleton.run()>
            <ErrorBoundary fallback=move |errors| {
                let error = first_api_error(&errors);
                if error.is_not_found() {
                    view! { <crate::pages::not_found::NotFound/> }.into_any()
                } else {
                    if error.is_unavailable() {
                        set_status(503);
                    }
                    view! { <ErrorPanel error on_retry=move || resource.refetch()/> }.into_any()
                }
            }>
                {
                    let children = children.clone();
                    move || {
                        let children = children.clone();
                        Suspend::new(async move { resource.load().await.map(children) })
                    }
                }
            </ErrorBoundary>
        </Transition>
    }
}

/// What [`Loaded`] needs of a resource of an API answer.
pub trait ApiResource: Copy + Send + Sync + 'static {
    type Value: 'static;
    fn load(self) -> impl Future<Output = Result<Self::Value, ApiError>> + Send + 'static;
    fn refetch(&self);
}

impl<T> ApiResource for Resource<Result<T, ApiError>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    type Value = T;
    fn load(self) -> impl Future<Output = Result<T, ApiError>> + Send + 'static {
        self.into_future()
    }
    fn refetch(&self) {
        Resource::refetch(self)
    }
}

impl<T: Clone + 'static> ApiResource for LocalResource<Result<T, ApiError>> {
    type Value = T;
    fn load(self) -> impl Future<Output = Result<T, ApiError>> + Send + 'static {
        self.into_future()
    }
    fn refetch(&self) {
        LocalResource::refetch(self)
    }
}

fn first_api_error(errors: &ArcRwSignal<Errors>) -> ApiError {
    errors.read().iter().find_map(|(_, e)| e.downcast_ref::<ApiError>().cloned()).unwrap_or(ApiError::Decode)
}

#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || match &error {
        ApiError::Network => t!(i18n, error_network).into_any(),
        ApiError::Http { status: 404, .. } => t!(i18n, error_not_found).into_any(),
        ApiError::Http { status, .. } if *status < 500 => t!(i18n, error_bad_request).into_any(),
        _ => t!(i18n, error_server).into_any(),
    };
    view! {
        <div class="error-panel" role="alert">
            <h2>{t!(i18n, error_title)}</h2>
            <p>{message}</p>
            // A link to this very page: where the app is not running (a server-rendered
            // storefront page, or JavaScript off) it loads the page again; in the app it
            // retries in place.
            <a href="" class="button" rel="nofollow" on:click=move |ev| {
                ev.prevent_default();
                ev.stop_propagation();
                on_retry.run(());
            }>{t!(i18n, retry)}</a>
        </div>
    }
}

/// The answer's status on the server: 404 for a page about something that does not exist.
pub fn set_not_found_status() {
    set_status(404);
}

/// The answer's status on the server (nothing in the browser): 404 for a page about
/// something that does not exist, 503 for a page whose data could not be had (so that
/// crawlers and caches come back later rather than keep the error).
fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
