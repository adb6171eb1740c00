//! Prometheus metrics: one registry per server (held by `AppState`, so test servers in one
//! process count apart), filled by the HTTP layer (`http::metrics`) and the features, and
//! served only on the separate listener of `CHOHTX_METRICS_ADDR`.

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{
        counter::Counter,
        family::Family,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

/// The `Content-Type` of [`Metrics::render`]: Prometheus's text format 0.0.4.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// An answered request: its method, the route's path template (`/api/v1/orders/{number}`,
/// never the raw path; `fallback` for the pages, built files and anything unmatched) and
/// its status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: &'static str,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PaymentLabels {
    pub payment: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitLabels {
    pub limit: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Every metric the server keeps.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    orders_placed: Family<PaymentLabels, Counter>,
    stock_conflicts: Counter,
    rate_limited: Family<LimitLabels, Counter>,
}

/// 1 ms to about 33 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "chohtx_http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        registry.register(
            "chohtx_http_request_duration_seconds",
            "Time to answer a request (to its response head), by method and route",
            latency.clone(),
        );
        let orders_placed = Family::<PaymentLabels, Counter>::default();
        registry.register(
            "chohtx_orders_placed",
            "Orders placed (one per cooperative of a checkout), by payment method",
            orders_placed.clone(),
        );
        let stock_conflicts = Counter::default();
        registry.register(
            "chohtx_stock_conflicts",
            "Checkouts refused (409 cart_changed) because a line's stock had run out",
            stock_conflicts.clone(),
        );
        let rate_limited = Family::<LimitLabels, Counter>::default();
        registry.register(
            "chohtx_rate_limited",
            "Requests refused or held back by a rate limit (sign_in, sign_up, order_address, order_phone, \
             password_reset_address, password_reset_account)",
            rate_limited.clone(),
        );
        Metrics { registry, requests, latency, orders_placed, stock_conflicts, rate_limited }
    }

    /// Counts an answered request and its time.
    pub fn request(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        let route = route.to_owned();
        self.latency.get_or_create(&RouteLabels { method, route: route.clone() }).observe(seconds);
        self.requests.get_or_create(&RequestLabels { method, route, status }).inc();
    }

    /// Counts `n` orders placed, paid by `payment` (its wire code).
    pub fn orders_placed(&self, payment: &'static str, n: u64) {
        self.orders_placed.get_or_create(&PaymentLabels { payment }).inc_by(n);
    }

    pub fn stock_conflict(&self) {
        self.stock_conflicts.inc();
    }

    /// Counts a request a rate limit refused (or, for `password_reset_account`, answered
    /// without effect).
    pub fn rate_limited(&self, limit: &'static str) {
        self.rate_limited.get_or_create(&LimitLabels { limit }).inc();
    }

    /// Every metric in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
            .expect("writing to a String does not fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_by_their_labels() {
        let m = Metrics::new();
        m.request("POST", "/api/v1/orders", 201, 0.004);
        m.request("POST", "/api/v1/orders", 201, 0.002);
        m.orders_placed("cod", 2);
        m.rate_limited("sign_in");
        let text = m.render();
        assert!(
            text.contains(r#"chohtx_http_requests_total{method="POST",route="/api/v1/orders",status="201"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"chohtx_http_request_duration_seconds_count{method="POST",route="/api/v1/orders"} 2"#));
        assert!(text.contains(r#"chohtx_orders_placed_total{payment="cod"} 2"#), "{text}");
        assert!(text.contains("chohtx_stock_conflicts_total 0"), "{text}");
        assert!(text.contains(r#"chohtx_rate_limited_total{limit="sign_in"} 1"#), "{text}");
    }
}
