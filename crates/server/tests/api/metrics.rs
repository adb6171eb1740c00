//! Prometheus metrics: on the metrics listener only (`CHOHTX_METRICS_ADDR`), counted by
//! route template, with the order, stock-conflict and rate-limit counters.

use crate::helpers::some_address;
use chohtx_server::{seed::DEMO_BUYER_EMAIL, testing::TestServer};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn server_with_metrics() -> TestServer {
    TestServer::start_with(None, |c| c.metrics_addr = Some("127.0.0.1:0".parse().unwrap())).await.unwrap()
}

async fn metrics(s: &TestServer) -> String {
    let addr = s.metrics_addr.expect("a metrics listener");
    let res = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    res.text().await.unwrap()
}

/// A buyable variant of the demo catalog, given `stock`.
async fn variant_with_stock(s: &TestServer, stock: i64) -> i64 {
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' ORDER BY v.price, v.id LIMIT 1",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    sqlx::query("UPDATE variants SET stock = $1 WHERE id = $2")
        .bind(stock)
        .bind(variant)
        .execute(&s.state.db)
        .await
        .unwrap();
    variant
}

/// A cash-on-delivery order of `quantity` of `variant`.
async fn order(s: &TestServer, key: &str, variant: i64, quantity: i64) -> reqwest::Response {
    let (province, commune) = some_address(s);
    let body = json!({
        "buyer_name": "Nguyễn Thị Lan",
        "buyer_phone": "0912 345 678",
        "address": {"province_code": province, "commune_code": commune, "street": "12 Đường 3/2"},
        "payment_method": "cod",
        "lines": [{"variant_id": variant, "quantity": quantity}],
    });
    Client::new().post(s.url("/api/v1/orders")).header("Idempotency-Key", key).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn the_metrics_listener_counts_orders_conflicts_throttles_and_requests_by_route_template() {
    let s = server_with_metrics().await;
    let variant = variant_with_stock(&s, 5).await;
    let placed = order(&s, "metrics-0001", variant, 1).await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let placed: Value = placed.json().await.unwrap();
    let (number, token) =
        (placed["orders"][0]["number"].as_str().unwrap(), placed["orders"][0]["token"].as_str().unwrap());
    let tracked = reqwest::get(s.url(&format!("/api/v1/orders/{number}?token={token}"))).await.unwrap();
    assert_eq!(tracked.status(), StatusCode::OK);
    assert_eq!(order(&s, "metrics-0002", variant, 5).await.status(), StatusCode::CONFLICT, "4 left");
    for _ in 0..=chohtx_server::auth::MAX_FAILURES_PER_ACCOUNT {
        let body = json!({"login": DEMO_BUYER_EMAIL, "password": "wrong password"});
        Client::new().post(s.url("/api/v1/auth/sign-in")).json(&body).send().await.unwrap();
    }

    let text = metrics(&s).await;
    for line in [
        r#"chohtx_orders_placed_total{payment="cod"} 1"#,
        "chohtx_stock_conflicts_total 1",
        r#"chohtx_rate_limited_total{limit="sign_in"} 1"#,
        r#"chohtx_http_requests_total{method="POST",route="/api/v1/orders",status="201"} 1"#,
        r#"chohtx_http_requests_total{method="POST",route="/api/v1/orders",status="409"} 1"#,
        r#"chohtx_http_requests_total{method="GET",route="/api/v1/orders/{number}",status="200"} 1"#,
        r#"chohtx_http_requests_total{method="POST",route="/api/v1/auth/sign-in",status="429"} 1"#,
        r#"chohtx_http_request_duration_seconds_count{method="POST",route="/api/v1/orders"} 2"#,
    ] {
        assert!(text.lines().any(|l| l == line), "no {line} in:\n{text}");
    }
    assert!(!text.contains(number), "routes are templates, never the raw path");
}

#[tokio::test]
async fn the_public_address_has_no_metrics() {
    let s = server_with_metrics().await;
    let variant = variant_with_stock(&s, 5).await;
    assert_eq!(order(&s, "metrics-0003", variant, 1).await.status(), StatusCode::CREATED);
    for path in ["/metrics", "/api/metrics"] {
        let res = reqwest::get(s.url(path)).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!res.text().await.unwrap().contains("chohtx_http_requests"), "{path}");
    }
    // Unknown paths are counted under one label, whatever they are.
    let text = metrics(&s).await;
    assert!(text.contains(r#"chohtx_http_requests_total{method="GET",route="fallback",status="404"} 1"#), "{text}");
    assert!(!text.contains("/metrics\""), "{text}");
    // And without CHOHTX_METRICS_ADDR there is no listener at all.
    let plain = TestServer::start(None).await.unwrap();
    assert!(plain.metrics_addr.is_none());
}
