//! The app's pages, rendered here (Leptos SSR, `chohtx_web` with its `ssr` feature) and
//! taken over in the browser by the bundles Trunk builds into `dist/pkg` (the storefront's
//! islands) and `dist/pkg-app` (the app rendered in the browser: cart, checkout, accounts,
//! consoles; `chohtx_web::bundles` says which path gets which).
//!
//! - Every GET that is not the API, a built file or an upload renders the app: its router
//!   picks the page (or the 404 page, with status 404). Pages are rendered whole before
//!   they are sent (`render_app_async`): their data, `<title>`, meta tags and status are
//!   known first, and an in-process API call takes milliseconds.
//! - The app's data calls reach the API router in process (`chohtx_web::api::in_process`),
//!   with the visitor's cookies: the same handlers, queries and authorisation as `fetch`.
//! - The bundle and stylesheet are served under `/v/{version}/…`, the version being a
//!   hash of the built files taken at start: cached for a year, replaced on each deploy.
//! - Each page gets a fresh CSP nonce for its inline scripts (the hydration loader and the
//!   serialised resources), and `Cache-Control: private, no-cache`.

use crate::http::{self, security};
use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderValue, header},
    response::Response,
};
use chohtx_web::{
    api::in_process::Api,
    shell::{Assets, PublicOrigin, shell},
};
use leptos::prelude::*;
use sha2::{Digest, Sha256};
use std::{convert::Infallible, path::Path, pin::Pin, sync::Arc};
use tokio_util::task::LocalPoolHandle;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

type Render = dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> + Send + Sync;

/// Renders a request's page; cheap to clone.
#[derive(Clone)]
pub struct Pages {
    render: Arc<Render>,
    /// The build's hash, taken once at start (it reads the whole bundle).
    version: Arc<str>,
}

impl Pages {
    /// `api` is the API router the pages read their data from; `origin` the public origin
    /// for absolute links (canonical URLs, og tags, JSON-LD).
    pub fn new(dist: &Path, api: Router, origin: String) -> Pages {
        // Leptos spawns its effects and resources on tokio (once per process).
        let _ = any_spawner::Executor::init_tokio();
        let version = build_version(dist);
        let assets = Assets {
            storefront: format!("v/{version}/{STOREFRONT_PKG}"),
            app: format!("v/{version}/{APP_PKG}"),
            stylesheet: format!("/v/{version}/main.css"),
            app_stylesheet: format!("/v/{version}/app.css"),
        };
        let origin = PublicOrigin(origin);
        let context = move || {
            provide_context(Api(api.clone()));
            provide_context(origin.clone());
            leptos::nonce::provide_nonce();
            if let (Some(nonce), Some(response)) =
                (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
            {
                if let Ok(csp) = HeaderValue::from_str(&security::page_policy(&nonce)) {
                    response.insert_header(header::CONTENT_SECURITY_POLICY, csp);
                }
                // Pages may show the signed-in visitor's name: never in a shared cache.
                response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            }
        };
        let render = leptos_axum::render_app_async_with_context(context, move || shell(assets.clone()));
        // A page is rendered and its owner dropped on one thread: the app keeps some
        // browser-only values (`LocalResource`, local `StoredValue`s) that must be dropped
        // where they were made. The whole page is in hand before it is sent anyway.
        let pool = LocalPoolHandle::new(std::thread::available_parallelism().map_or(2, |n| n.get()));
        Pages {
            version: version.into(),
            render: Arc::new(move |req| {
                let render = render.clone();
                let task = pool.spawn_pinned(move || async move {
                    let (parts, body) = render(req).await.into_parts();
                    match axum::body::to_bytes(body, usize::MAX).await {
                        Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
                        Err(_) => failed(),
                    }
                });
                Box::pin(async move { task.await.unwrap_or_else(|_| failed()) })
            }),
        }
    }

    pub async fn render(&self, req: Request) -> Response {
        (self.render)(req).await
    }

    /// The site outside `/api`: the versioned bundle, the service worker (`/sw.js`), the
    /// other built files (images, icons, the manifest), and a page for every other path.
    pub fn router(self, dist: &Path) -> Router {
        let version = self.version.clone();
        let pages = self.clone();
        let page = tower::service_fn(move |req: Request| {
            let pages = pages.clone();
            async move { Ok::<_, Infallible>(pages.render(req).await) }
        });
        let files = ServeDir::new(dist)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(page);
        let versioned = tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .service(ServeDir::new(dist).precompressed_br().precompressed_gzip());
        Router::new()
            .merge(super::service_worker::router(dist, &version))
            .nest_service(&format!("/v/{version}"), versioned)
            .fallback_service(files)
            .layer(axum::middleware::from_fn(super::assets::cache_headers))
    }
}

/// The folders of the two bundles in `dist/` (see `chohtx_web::bundles`).
const STOREFRONT_PKG: &str = "pkg";
const APP_PKG: &str = "pkg-app";

/// A short hash of the built bundles and stylesheets ("dev" when there is no build).
fn build_version(dist: &Path) -> String {
    let mut hash = Sha256::new();
    let mut any = false;
    let files = [STOREFRONT_PKG, APP_PKG]
        .into_iter()
        .flat_map(|pkg| ["chohtx-web_bg.wasm", "chohtx-web.js"].map(|file| format!("{pkg}/{file}")))
        .chain(["main.css".to_owned(), "app.css".to_owned()]);
    for file in files {
        if let Ok(bytes) = std::fs::read(dist.join(file)) {
            hash.update(&bytes);
            any = true;
        }
    }
    if any { hex::encode(&hash.finalize()[..8]) } else { "dev".to_owned() }
}

/// A page that could not be rendered (a panic in a component): the error answer.
fn failed() -> Response {
    use axum::response::IntoResponse;
    http::error::ApiError::Internal(anyhow::anyhow!("rendering a page failed")).into_response()
}
