//! Loading and error states for data from the API: a skeleton while loading (and the
//! previous content while reloading), a translated error with a retry button on failure.

use crate::{
    api::ApiError,
    i18n::{t, use_i18n},
};
use leptos::prelude::*;

/// Renders `children` with the resource's value once loaded.
#[component]
pub fn Loaded<T, V, F>(
    resource: LocalResource<Result<T, ApiError>>,
    /// Shown while the first load is under way.
    #[prop(into)]
    skeleton: ViewFn,
    children: F,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Transition fallback=move || skeleton.run()>
            <ErrorBoundary fallback=move |errors| view! { <ErrorPanel error=first_api_error(&errors) on_retry=move || resource.refetch()/> }>
                {
                    let children = children.clone();
                    move || {
                        let children = children.clone();
                        Suspend::new(async move { resource.await.map(children) })
                    }
                }
            </ErrorBoundary>
        </Transition>
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
            <button type="button" class="button" on:click=move |_| on_retry.run(())>{t!(i18n, retry)}</button>
        </div>
    }
}
