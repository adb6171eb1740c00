//! The HTTP side of the metrics: [`record`] counts every answered request by its route's
//! path template, and [`router`] is the metrics listener's only route, `GET /metrics`
//! (`CHOHTX_METRICS_ADDR`; the public router has none).

use crate::metrics::{CONTENT_TYPE, Metrics};
use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use std::{sync::Arc, time::Instant};

/// The route label of a request no route matched: the pages, the built files and any
/// unknown path (one label, however many paths are tried).
pub const FALLBACK_ROUTE: &str = "fallback";

/// Middleware: times the request and counts its answer under its route's template.
pub async fn record(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let response = next.run(req).await;
    let route = route.as_deref().unwrap_or(FALLBACK_ROUTE);
    metrics.request(method, route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// Standard methods by name; anything else as `other`, so labels stay few.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `GET /metrics` in Prometheus's text format, for the metrics listener.
pub fn router(metrics: Arc<Metrics>) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let metrics = metrics.clone();
            async move { ([(header::CONTENT_TYPE, CONTENT_TYPE)], metrics.render()).into_response() }
        }),
    )
}
