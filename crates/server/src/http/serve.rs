//! The accept loop: HTTP/1.1 connections with a header-read timeout (which also closes a
//! keep-alive connection left idle), a request timeout around every handler, and a
//! graceful shutdown bounded in time.

use crate::http::error::ApiError;
use axum::{Router, extract::ConnectInfo, extract::Request, middleware::Next, response::Response};
use domain::api::ErrorCode;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::{future::Future, time::Duration};
use tokio::{net::TcpListener, task::JoinSet};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// How long connections and requests may take.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From when the server waits for a request's head (a new connection, or an idle
    /// keep-alive one) until the head is complete; then the connection is closed.
    pub header: Duration,
    /// After the shutdown signal: how long requests in flight may take to finish.
    pub grace: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves. Then stops accepting, closes
/// idle connections, lets each request in flight finish and waits at most `grace` for them;
/// returns how many connections were still open at the end (and were dropped).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> usize {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(timeouts.header);
    let stop = CancellationToken::new();
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionRefused
                ) => continue,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::error!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let stop = stop.clone();
        connections.spawn(async move {
            tokio::pin!(connection);
            let result = tokio::select! {
                r = connection.as_mut() => r,
                () = stop.cancelled() => {
                    // Finish the request in flight (an idle connection closes now).
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::debug!("connection from {remote}: {e}");
            }
        });
    }
    drop(listener);
    stop.cancel();
    let open = connections.len();
    tracing::info!("shutting down: waiting up to {:?} for {open} connection(s)", timeouts.grace);
    let drained =
        tokio::time::timeout(timeouts.grace, async { while connections.join_next().await.is_some() {} }).await;
    let left = connections.len();
    if drained.is_err() {
        tracing::warn!("{left} connection(s) still open after {:?}: closing them", timeouts.grace);
    }
    connections.abort_all();
    left
}

/// Resolves on Ctrl-C or SIGTERM (what systemd, Docker and Kubernetes send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutdown signal received");
}

/// The request timeout: a handler that has not answered within `limit` is dropped (its
/// transaction rolls back) and the client gets 503 `unavailable` in the API's error shape.
pub async fn request_timeout(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            use axum::response::IntoResponse;
            ApiError::status(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "The server took too long to answer. Please try again.",
            )
            .into_response()
        }
    }
}
