//! Fresh things for the trade-promotion cells of the authorization matrix to act on, so
//! a cell never depends on another: a cooperative or product in a given status, a
//! campaign. Used by `authz.rs`.
#![allow(dead_code)]

use super::Session;
use chohtx_server::{seed::DEMO_STAFF_EMAIL, testing::TestServer};
use reqwest::Method;
use serde_json::json;

fn now(s: &TestServer) -> String {
    s.state.clock.now_rfc3339()
}

/// A cooperative in `status` (`pending` or `approved`); returns its slug.
pub async fn cooperative(s: &TestServer, status: &str) -> String {
    let slug = format!("htx-thu-{}", fastrand::u64(..));
    sqlx::query(
        "INSERT INTO cooperatives (slug, name, kind, province_code, commune_code, commune_name, street, phone, status,
            registration_number, created_at)
         VALUES ($1, $2, 'htx', 92, 1, 'Xã Thử', 'Ấp 1', '+842923812345', $3, '1800123456', $4)",
    )
    .bind(&slug)
    .bind(format!("HTX Thử {slug}"))
    .bind(status)
    .bind(now(s))
    .execute(&s.state.db)
    .await
    .expect("cooperative inserted");
    slug
}

/// A product in `status` of the first approved demo cooperative; returns its slug.
pub async fn product(s: &TestServer, status: &str) -> String {
    let slug = format!("san-pham-thu-{}", fastrand::u64(..));
    sqlx::query(
        "INSERT INTO products (cooperative_id, slug, name_vi, category, origin_province_code, status, created_at, updated_at)
         VALUES ((SELECT id FROM cooperatives WHERE status = 'approved' ORDER BY id LIMIT 1), $1, 'Sản phẩm thử', 'fruit', 92, $2, $3, $3)",
    )
    .bind(&slug)
    .bind(status)
    .bind(now(s))
    .execute(&s.state.db)
    .await
    .expect("product inserted");
    slug
}

/// A campaign made by the demo staff officer; returns its slug.
pub async fn campaign(s: &TestServer) -> String {
    let staff = Session::sign_in(s, DEMO_STAFF_EMAIL).await;
    let a = staff.send(s, Method::POST, "/api/v1/staff/campaigns", Some(campaign_body())).await;
    a.body["slug"].as_str().unwrap_or_else(|| panic!("campaign created: {}", a.body)).to_owned()
}

pub fn campaign_body() -> serde_json::Value {
    json!({"title": {"vi": format!("Phiên chợ thử {}", fastrand::u32(..)), "en": ""},
        "description": {"vi": "Phiên chợ thử", "en": ""}, "banner": "ocop",
        "starts_on": "2026-01-01", "ends_on": "2026-01-31", "selection": "rule", "rule": {"min_ocop_stars": 4}})
}
