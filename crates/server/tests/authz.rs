//! The authorization matrix: every private or mutating route × every kind of caller,
//! with the status each must get. Authorization is deny by default: a route that is in
//! the OpenAPI document but neither listed as public nor in this matrix fails the test.

mod common;

use chohtx_server::{
    seed::{DEMO_BUYER_EMAIL, DEMO_STAFF_EMAIL, demo_member_email},
    testing::TestServer,
};
use common::{Session, server, some_address, two_cooperatives};
use domain::account::MemberRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Buyer,
    OtherCoopMember,
    Member,
    CoopAdmin,
    Staff,
}

const CALLERS: [Caller; 6] =
    [Caller::Anonymous, Caller::Buyer, Caller::OtherCoopMember, Caller::Member, Caller::CoopAdmin, Caller::Staff];

/// Routes anyone may call (reading the catalog, guest checkout and tracking by secret
/// token, signing in). Each is public on purpose.
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/v1/products"),
    ("get", "/api/v1/products/{slug}"),
    ("get", "/api/v1/cooperatives"),
    ("get", "/api/v1/cooperatives/{slug}"),
    ("get", "/api/v1/categories"),
    ("get", "/api/v1/provinces"),
    ("get", "/api/v1/provinces/{code}/communes"),
    ("post", "/api/v1/cart/quote"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders/{number}"),
    ("get", "/api/v1/orders/{number}/vietqr.svg"),
    ("get", "/api/v1/session"),
    ("post", "/api/v1/auth/sign-up"),
    ("post", "/api/v1/auth/sign-in"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
];

/// A private or mutating route and the status per caller, in [`CALLERS`] order.
struct Row {
    method: &'static str,
    template: &'static str,
    expect: [u16; 6],
}

const MATRIX: &[Row] = &[
    Row { method: "post", template: "/api/v1/auth/sign-out", expect: [204, 204, 204, 204, 204, 204] },
    Row { method: "get", template: "/api/v1/me/orders", expect: [401, 200, 200, 200, 200, 200] },
    Row { method: "get", template: "/api/v1/me/orders/{number}", expect: [401, 200, 404, 404, 404, 404] },
    Row { method: "get", template: "/api/v1/me/addresses", expect: [401, 200, 200, 200, 200, 200] },
    Row { method: "post", template: "/api/v1/me/addresses", expect: [401, 201, 201, 201, 201, 201] },
    Row { method: "delete", template: "/api/v1/me/addresses/{id}", expect: [401, 204, 404, 404, 404, 404] },
    Row { method: "post", template: "/api/v1/cooperatives", expect: [401, 201, 201, 201, 201, 201] },
    Row { method: "get", template: "/api/v1/cooperatives/{slug}/members", expect: [401, 403, 403, 200, 200, 403] },
    Row { method: "post", template: "/api/v1/cooperatives/{slug}/members", expect: [401, 403, 403, 403, 201, 403] },
    Row {
        method: "delete",
        template: "/api/v1/cooperatives/{slug}/members/{user_id}",
        expect: [401, 403, 403, 403, 204, 403],
    },
    Row { method: "post", template: "/api/v1/staff/users", expect: [401, 403, 403, 403, 403, 201] },
    Row { method: "get", template: "/api/v1/staff/audit", expect: [401, 403, 403, 403, 403, 200] },
];

struct Fixture {
    coop: String,
    other_coop: String,
    buyer_order: String,
    province: u8,
    commune: u32,
}

async fn session_of(s: &TestServer, f: &Fixture, caller: Caller) -> Session {
    match caller {
        Caller::Anonymous => Session::anonymous(),
        Caller::Buyer => Session::sign_in(s, DEMO_BUYER_EMAIL).await,
        Caller::OtherCoopMember => Session::sign_in(s, &demo_member_email(MemberRole::Member, &f.other_coop)).await,
        Caller::Member => Session::sign_in(s, &demo_member_email(MemberRole::Member, &f.coop)).await,
        Caller::CoopAdmin => Session::sign_in(s, &demo_member_email(MemberRole::Admin, &f.coop)).await,
        Caller::Staff => Session::sign_in(s, DEMO_STAFF_EMAIL).await,
    }
}

fn unique() -> u64 {
    fastrand::u64(1_000_000..9_999_999)
}

/// The concrete path and body of one cell; creates what the cell acts on (a fresh
/// address of the buyer, a fresh member) so cells do not depend on each other.
async fn request_for(s: &TestServer, f: &Fixture, row: &Row) -> (String, Option<Value>) {
    let address = json!({"recipient_name": "Người nhận", "phone": "0901234567",
        "address": {"province_code": f.province, "commune_code": f.commune, "street": "1 Đường Số 1"}});
    match (row.method, row.template) {
        ("get", "/api/v1/me/orders/{number}") => (format!("/api/v1/me/orders/{}", f.buyer_order), None),
        ("post", "/api/v1/me/addresses") => (row.template.into(), Some(address)),
        ("delete", "/api/v1/me/addresses/{id}") => {
            let buyer = Session::sign_in(s, DEMO_BUYER_EMAIL).await;
            let a = buyer.send(s, Method::POST, "/api/v1/me/addresses", Some(address)).await;
            (format!("/api/v1/me/addresses/{}", a.body["id"]), None)
        }
        ("post", "/api/v1/cooperatives") => (
            row.template.into(),
            Some(json!({"name": format!("HTX Thử {}", unique()), "kind": "htx", "province_code": f.province,
                "commune_code": f.commune, "street": "Ấp 1", "registration_number": "1800123456", "phone": "0292 3812 345",
                "bank_bin": "970405", "bank_account": "123456789", "bank_account_name": "HTX Thu"})),
        ),
        ("get", "/api/v1/cooperatives/{slug}/members") => (format!("/api/v1/cooperatives/{}/members", f.coop), None),
        ("post", "/api/v1/cooperatives/{slug}/members") => (
            format!("/api/v1/cooperatives/{}/members", f.coop),
            Some(json!({"login": format!("tv{}@example.vn", unique()), "name": "Thành viên mới",
                "password": "cánh đồng mẫu lớn", "role": "member"})),
        ),
        ("delete", "/api/v1/cooperatives/{slug}/members/{user_id}") => {
            let admin = Session::sign_in(s, &demo_member_email(MemberRole::Admin, &f.coop)).await;
            let m = admin
                .send(
                    s,
                    Method::POST,
                    &format!("/api/v1/cooperatives/{}/members", f.coop),
                    Some(json!({"login": format!("tv{}@example.vn", unique()), "name": "Sắp rời",
                        "password": "cánh đồng mẫu lớn", "role": "member"})),
                )
                .await;
            (format!("/api/v1/cooperatives/{}/members/{}", f.coop, m.body["user_id"]), None)
        }
        ("post", "/api/v1/staff/users") => (
            row.template.into(),
            Some(json!({"name": "Cán bộ mới", "login": format!("cb{}@example.vn", unique()), "password": "xúc tiến thương mại"})),
        ),
        _ => (row.template.into(), None),
    }
}

#[tokio::test]
async fn every_private_route_answers_each_caller_as_expected() {
    let s = server().await;
    let (coop, other_coop) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    // An order of the demo buyer.
    let buyer = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock > 0 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let placed = buyer
        .send(
            &s,
            Method::POST,
            "/api/v1/orders",
            Some(json!({"buyer_name": "Minh Anh", "buyer_phone": "0901234567",
                "address": {"province_code": province, "commune_code": commune, "street": "12 Lê Lợi"},
                "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 1}]})),
        )
        .await;
    let buyer_order = placed.body["orders"][0]["number"].as_str().expect("order placed").to_owned();
    let f = Fixture { coop, other_coop, buyer_order, province, commune };

    let mut failures = Vec::new();
    for row in MATRIX {
        for (i, caller) in CALLERS.iter().enumerate() {
            let (path, body) = request_for(&s, &f, row).await;
            let session = session_of(&s, &f, *caller).await;
            let method = Method::from_bytes(row.method.to_uppercase().as_bytes()).unwrap();
            let a = session.send(&s, method, &path, body).await;
            let expected = StatusCode::from_u16(row.expect[i]).unwrap();
            if a.status != expected {
                failures.push(format!("{} {path} as {caller:?}: {} (expected {expected}) {}", row.method, a.status, a.body));
            }
            if a.status.is_client_error() {
                assert!(a.body["error"]["code"].is_string(), "{} {path}: errors use the API's shape", row.method);
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn every_route_is_either_public_or_in_the_matrix() {
    let s = server().await;
    let doc = Session::anonymous().send(&s, Method::GET, "/api/openapi.json", None).await.body;
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.clone(), path.clone()));
            }
        }
    }
    let classified: BTreeSet<(String, String)> = PUBLIC
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .chain(MATRIX.iter().map(|r| (r.method.to_string(), r.template.to_string())))
        .collect();
    let unclassified: Vec<_> = routes.difference(&classified).collect();
    assert!(unclassified.is_empty(), "routes neither public nor in the authorization matrix: {unclassified:?}");
    let stale: Vec<_> = classified.difference(&routes).collect();
    assert!(stale.is_empty(), "listed routes that do not exist: {stale:?}");
}
