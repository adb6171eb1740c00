//! Chợ HTX server: JSON routes under `/api/v1`, `/api/health`, the OpenAPI document, and
//! the app's pages, rendered here and hydrated by the bundle Trunk builds into `dist/`.

//!
//! Layers (enforced by `layers.rs`): `api/*` features use `db`, `http`, `auth` and the
//! utilities, never one another; `db` uses only the domain crate and the utilities;
//! `seed` builds demo data through any of them; nothing but `main`/tests uses `seed`.

pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod divisions;
pub mod http;
#[cfg(test)]
mod layers;
pub mod mail;
pub mod metrics;
pub mod secret;
pub mod seed;
#[cfg(feature = "testing")]
pub mod testing;

use axum::{Router, extract::DefaultBodyLimit, middleware};
use std::{sync::Arc, time::Duration};
use tower::Layer;
use tower_http::{catch_panic::CatchPanicLayer, compression::CompressionLayer, trace::TraceLayer};

pub use clock::Clock;
pub use config::Config;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Pool,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Communes by province, loaded at start (empty when the file is missing).
    pub divisions: Arc<divisions::Divisions>,
    /// What `/metrics` on the metrics listener shows.
    pub metrics: Arc<metrics::Metrics>,
    /// The catalog's words, for correcting a search that finds nothing (built when needed).
    pub vocabulary: Arc<db::vocabulary::VocabularyCache>,
    /// The cooperatives' own domains (Host routing), cached until staff change them.
    pub domains: Arc<db::domains::DomainCache>,
}

/// Largest request body any API route accepts.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP application: API, OpenAPI document and static app.
pub fn app(state: AppState) -> Router {
    let api = http::openapi::api_router(state.clone())
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new());
    let headers = http::security::Headers::new(state.config.is_https());
    let request_timeout = Duration::from_secs(state.config.request_timeout_secs);
    // Absolute links in pages come from the configuration, never from a request's Host.
    let pages = http::pages::Pages::new(&state.config.dist_dir, api.clone(), state.config.link_origin());
    let site = Router::new()
        .merge(api)
        // GS1 Digital Link paths (/01/{gtin}/10/{lot}): the lot's page, or a redirect.
        .merge(api::lots::resolver(state.clone(), pages.clone()))
        .merge(api::sitemap::router(state.clone()))
        .merge(http::assets::media_router(&state.config.media_dir))
        .merge(pages.router(&state.config.dist_dir))
        .layer(middleware::from_fn(move |req, next| http::serve::request_timeout(request_timeout, req, next)))
        .layer(middleware::from_fn(move |req, next| http::security::add_headers(headers.clone(), req, next)))
        .layer(CatchPanicLayer::custom(http::error::panic_response))
        .layer(TraceLayer::new_for_http())
        // Outermost: every answer counts, timeouts and panics included, under its route's template.
        .layer(middleware::from_fn_with_state(state.metrics.clone(), http::metrics::record));
    // Around the whole router (a `Router::layer` runs after routing): a cooperative's own
    // domain has its page at `/`, and unknown hosts are refused before anything else.
    Router::new().fallback_service(middleware::from_fn_with_state(state, http::host::route_host).layer(site))
}

/// Serves `GET /metrics` on `CHOHTX_METRICS_ADDR` when it is set (never on the public
/// address); returns the address it listens on.
pub async fn spawn_metrics_listener(state: &AppState) -> anyhow::Result<Option<std::net::SocketAddr>> {
    let Some(addr) = state.config.metrics_addr else { return Ok(None) };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let router = http::metrics::router(state.metrics.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!("metrics listener: {e}");
        }
    });
    Ok(Some(addr))
}

/// Opens (and if needed creates, migrates and seeds) the database, then serves until
/// SIGTERM or Ctrl-C: new connections are refused, requests in flight get
/// `CHOHTX_SHUTDOWN_GRACE_SECS` to finish, and the database is closed. Prints the URL once
/// listening.
pub async fn serve(mut config: Config) -> anyhow::Result<()> {
    if std::env::var_os("CHOHTX_TRUST_PROXY").is_some() {
        tracing::warn!(
            "CHOHTX_TRUST_PROXY is no longer read: list the proxies in CHOHTX_TRUSTED_PROXIES \
             (until then X-Forwarded-For is ignored and the peer is the client)"
        );
    }
    // Bound first: with port 0 the links (reset mails, invitations) name the real port.
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    config.addr = addr;
    let state = prepare(config).await?;
    println!("Chợ HTX is running at http://{addr}/");
    if let Some(metrics) = spawn_metrics_listener(&state).await? {
        tracing::info!("metrics at http://{metrics}/metrics");
    }
    api::orders::expiry::spawn(state.clone());
    db::outbox::spawn(state.clone(), mail::Senders::from_config(&state.config)?);
    let timeouts = http::serve::Timeouts {
        header: Duration::from_secs(state.config.header_timeout_secs),
        grace: Duration::from_secs(state.config.shutdown_grace_secs),
    };
    http::serve::serve(listener, app(state.clone()), timeouts, http::serve::shutdown_signal()).await;
    // Every acknowledged order is committed; closing checkpoints the WAL.
    state.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Connects, migrates and (when `seed_demo`, never for an https origin) seeds the demo
/// catalog into an empty database; loads the commune table.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    prepare_with_clock(config, Clock::system()).await
}

/// [`prepare`] with a given clock (tests move it to check expiry and schedules).
pub async fn prepare_with_clock(config: Config, clock: Clock) -> anyhow::Result<AppState> {
    if config.seed_demo {
        config.refuse_demo_on_https()?;
    }
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    if config.seed_demo && seed::is_empty(&db).await? {
        let n = seed::load_demo(&db, &clock).await?;
        tracing::info!("seeded the demo catalog: {n} products and its demo accounts");
    }
    if let (Some(login), Some(password)) = (&config.staff_login, &config.staff_password)
        && api::staff::ensure_staff(&db, &config.staff_name, login, password, &clock.now_rfc3339()).await?
    {
        tracing::info!("created the staff account {login} from the configuration");
    }
    let divisions = Arc::new(divisions::Divisions::load_or_empty(&config.divisions_path));
    Ok(AppState {
        db,
        config: Arc::new(config),
        clock,
        divisions,
        metrics: Arc::new(metrics::Metrics::new()),
        vocabulary: Arc::default(),
        domains: Arc::default(),
    })
}
