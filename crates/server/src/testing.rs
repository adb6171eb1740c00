//! A real server on a free loopback port with a fresh temporary database, for the API
//! integration tests and the browser journeys.

use crate::{AppState, Clock, Config, app, prepare_with_clock};
use std::{net::SocketAddr, path::PathBuf};

pub struct TestServer {
    pub addr: SocketAddr,
    /// The metrics listener's address, when the configuration asks for one (`metrics_addr`).
    pub metrics_addr: Option<SocketAddr>,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server on the demo catalog. `dist` is the built app (None for API-only tests).
    pub async fn start(dist: Option<PathBuf>) -> anyhow::Result<TestServer> {
        TestServer::start_with(dist, |_| {}).await
    }

    /// [`TestServer::start`] with a configuration changed by `configure` (e.g. a public
    /// origin, or no demo data).
    pub async fn start_with(dist: Option<PathBuf>, configure: impl FnOnce(&mut Config)) -> anyhow::Result<TestServer> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let mut config = Config::for_tests(url);
        config.media_dir = dir.path().join("media");
        if let Some(d) = dist {
            config.dist_dir = d;
        }
        // The port is known before the state is made: links (pages, lots) use the address.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        config.addr = addr;
        configure(&mut config);
        // A clock that tests can move (session expiry, schedules), starting now.
        let state = prepare_with_clock(config, Clock::fixed(time::OffsetDateTime::now_utc())).await?;
        let metrics_addr = crate::spawn_metrics_listener(&state).await?;
        let router = app(state.clone());
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
                .await
                .expect("test server runs");
        });
        Ok(TestServer { addr, metrics_addr, state, _dir: dir })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}
