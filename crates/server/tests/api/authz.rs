//! The authorization matrix: every private or mutating route × every kind of caller,
//! with the status each must get. Authorization is deny by default: a route that is in
//! the OpenAPI document but neither listed as public nor in this matrix fails the test.

use crate::helpers as common;
use crate::helpers::curation_fixtures as fresh;

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
    ("get", "/api/v1/orders/{number}/vietqr.png"),
    ("post", "/api/v1/order-lookup"),
    ("get", "/api/v1/session"),
    ("post", "/api/v1/auth/sign-up"),
    ("post", "/api/v1/auth/sign-in"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("get", "/api/v1/home"),
    ("get", "/api/v1/campaigns/{slug}"),
    ("get", "/api/v1/lots/{gtin}/{lot}"),
    ("get", "/api/v1/lots/{gtin}/{lot}/qr.svg"),
    ("get", "/api/v1/invitations/{token}"),
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
    Row { method: "post", template: "/api/v1/cooperatives/{slug}/invitations", expect: [401, 403, 403, 403, 201, 403] },
    Row { method: "get", template: "/api/v1/cooperatives/{slug}/invitations", expect: [401, 403, 403, 403, 200, 403] },
    Row {
        method: "delete",
        template: "/api/v1/cooperatives/{slug}/invitations/{id}",
        expect: [401, 403, 403, 403, 204, 403],
    },
    // Whoever holds the link and is signed in (the fixture's invitation is to a fresh cooperative).
    Row { method: "post", template: "/api/v1/invitations/{token}/accept", expect: [401, 201, 201, 201, 201, 201] },
    Row {
        method: "delete",
        template: "/api/v1/cooperatives/{slug}/members/{user_id}",
        expect: [401, 403, 403, 403, 204, 403],
    },
    Row { method: "post", template: "/api/v1/staff/users", expect: [401, 403, 403, 403, 403, 201] },
    Row { method: "get", template: "/api/v1/staff/audit", expect: [401, 403, 403, 403, 403, 200] },
    // The seller console: members of the cooperative only.
    Row { method: "get", template: "/api/v1/seller/{coop}/products", expect: [401, 403, 403, 200, 200, 403] },
    Row { method: "post", template: "/api/v1/seller/{coop}/products", expect: [401, 403, 403, 201, 201, 403] },
    Row { method: "get", template: "/api/v1/seller/{coop}/products/{slug}", expect: [401, 403, 403, 200, 200, 403] },
    Row { method: "put", template: "/api/v1/seller/{coop}/products/{slug}", expect: [401, 403, 403, 200, 200, 403] },
    Row {
        method: "post",
        template: "/api/v1/seller/{coop}/products/{slug}/submit",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row {
        method: "post",
        template: "/api/v1/seller/{coop}/products/{slug}/images",
        expect: [401, 403, 403, 201, 201, 403],
    },
    Row {
        method: "patch",
        template: "/api/v1/seller/{coop}/products/{slug}/images/{id}",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row {
        method: "delete",
        template: "/api/v1/seller/{coop}/products/{slug}/images/{id}",
        expect: [401, 403, 403, 204, 204, 403],
    },
    Row {
        method: "put",
        template: "/api/v1/seller/{coop}/products/{slug}/images/order",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row { method: "get", template: "/api/v1/seller/{coop}/orders", expect: [401, 403, 403, 200, 200, 403] },
    Row { method: "get", template: "/api/v1/seller/{coop}/orders/{number}", expect: [401, 403, 403, 200, 200, 403] },
    Row {
        method: "post",
        template: "/api/v1/seller/{coop}/orders/{number}/status",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row {
        method: "post",
        template: "/api/v1/seller/{coop}/orders/{number}/paid",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row { method: "get", template: "/api/v1/seller/{coop}/dashboard", expect: [401, 403, 403, 200, 200, 403] },
    // The cooperative's profile (its website): its admins only.
    Row { method: "get", template: "/api/v1/seller/{coop}/profile", expect: [401, 403, 403, 403, 200, 403] },
    Row { method: "put", template: "/api/v1/seller/{coop}/profile", expect: [401, 403, 403, 403, 200, 403] },
    Row { method: "post", template: "/api/v1/seller/{coop}/profile/images", expect: [401, 403, 403, 403, 201, 403] },
    // Cooperatives' websites: staff only.
    Row { method: "get", template: "/api/v1/staff/sites", expect: [401, 403, 403, 403, 403, 200] },
    Row {
        method: "put",
        template: "/api/v1/staff/cooperatives/{slug}/visibility",
        expect: [401, 403, 403, 403, 403, 200],
    },
    Row {
        method: "put",
        template: "/api/v1/staff/cooperatives/{slug}/domains",
        expect: [401, 403, 403, 403, 403, 200],
    },
    // Traceability lots: members of the cooperative only.
    Row { method: "get", template: "/api/v1/seller/{coop}/lots", expect: [401, 403, 403, 200, 200, 403] },
    Row { method: "get", template: "/api/v1/seller/{coop}/lots/{id}", expect: [401, 403, 403, 200, 200, 403] },
    Row {
        method: "get",
        template: "/api/v1/seller/{coop}/products/{slug}/lots",
        expect: [401, 403, 403, 200, 200, 403],
    },
    Row {
        method: "post",
        template: "/api/v1/seller/{coop}/products/{slug}/lots",
        expect: [401, 403, 403, 201, 201, 403],
    },
    Row { method: "post", template: "/api/v1/seller/{coop}/lots/{id}/events", expect: [401, 403, 403, 201, 201, 403] },
    Row { method: "post", template: "/api/v1/seller/{coop}/lots/{id}/photos", expect: [401, 403, 403, 201, 201, 403] },
    // Trade promotion: staff only; a cooperative's own review for its members.
    Row { method: "get", template: "/api/v1/staff/queue", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "get", template: "/api/v1/staff/cooperatives", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "get", template: "/api/v1/staff/products", expect: [401, 403, 403, 403, 403, 200] },
    Row {
        method: "post",
        template: "/api/v1/staff/cooperatives/{slug}/approve",
        expect: [401, 403, 403, 403, 403, 200],
    },
    Row {
        method: "post",
        template: "/api/v1/staff/cooperatives/{slug}/reject",
        expect: [401, 403, 403, 403, 403, 200],
    },
    Row {
        method: "post",
        template: "/api/v1/staff/cooperatives/{slug}/suspend",
        expect: [401, 403, 403, 403, 403, 200],
    },
    Row { method: "post", template: "/api/v1/staff/products/{slug}/approve", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "post", template: "/api/v1/staff/products/{slug}/reject", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "post", template: "/api/v1/staff/products/{slug}/hide", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "get", template: "/api/v1/cooperatives/{slug}/review", expect: [401, 403, 403, 200, 200, 403] },
    // 409 for the admin: authorised, but an approved cooperative has nothing to resubmit.
    Row { method: "post", template: "/api/v1/cooperatives/{slug}/resubmit", expect: [401, 403, 403, 403, 409, 403] },
    Row { method: "get", template: "/api/v1/staff/featured", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "put", template: "/api/v1/staff/featured", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "get", template: "/api/v1/staff/campaigns", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "post", template: "/api/v1/staff/campaigns", expect: [401, 403, 403, 403, 403, 201] },
    Row { method: "get", template: "/api/v1/staff/campaigns/{slug}", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "put", template: "/api/v1/staff/campaigns/{slug}", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "delete", template: "/api/v1/staff/campaigns/{slug}", expect: [401, 403, 403, 403, 403, 204] },
    Row { method: "get", template: "/api/v1/staff/stats", expect: [401, 403, 403, 403, 403, 200] },
    Row { method: "get", template: "/api/v1/staff/stats/csv/{table}", expect: [401, 403, 403, 403, 403, 200] },
];

/// A draft product of the fixture's cooperative, made by its admin: (slug, image id).
async fn seller_draft(s: &TestServer, f: &Fixture) -> (String, i64) {
    let admin = Session::sign_in(s, &demo_member_email(MemberRole::Admin, &f.coop)).await;
    let p = admin
        .send(s, Method::POST, &format!("/api/v1/seller/{}/products", f.coop), Some(seller_product_body(f.province)))
        .await;
    let slug = p.body["slug"].as_str().unwrap_or_else(|| panic!("draft created: {}", p.body)).to_owned();
    let img = admin
        .send_bytes(
            s,
            &format!("/api/v1/seller/{}/products/{slug}/images?alt=%E1%BA%A2nh", f.coop),
            common::png(64, 48),
        )
        .await;
    (slug, img.body["id"].as_i64().unwrap_or_else(|| panic!("image uploaded: {}", img.body)))
}

fn seller_product_body(province: u8) -> Value {
    json!({"name": {"vi": format!("Gạo thử {}", unique()), "en": ""}, "description": {"vi": "Mô tả", "en": ""},
        "category": "rice_grains", "brand": "", "origin_province_code": province, "ocop_stars": 0, "certifications": [],
        "variants": [{"label": "Túi 1 kg", "net_weight_g": 1000, "price": 50000, "stock": 10, "gtin": ""}]})
}

/// A pending order of the fixture's cooperative, placed by a guest.
async fn coop_order(s: &TestServer, f: &Fixture) -> String {
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock > 0 ORDER BY v.stock DESC LIMIT 1",
    )
    .bind(&f.coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let placed = Session::anonymous()
        .send(
            s,
            Method::POST,
            "/api/v1/orders",
            Some(json!({"buyer_name": "Khách", "buyer_phone": "0912345678",
            "address": {"province_code": f.province, "commune_code": f.commune, "street": "1 Đường Số 1"},
            "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 1}]})),
        )
        .await;
    placed.body["orders"][0]["number"].as_str().unwrap_or_else(|| panic!("order placed: {}", placed.body)).to_owned()
}

/// A pending order of the fixture's cooperative to be paid by bank transfer (a cash order
/// turned into one: whether the cooperative has a bank account is not this test's point).
async fn coop_order_paid_by_transfer(s: &TestServer, f: &Fixture) -> String {
    let number = coop_order(s, f).await;
    sqlx::query("UPDATE orders SET payment_method = 'bank_transfer' WHERE number = $1")
        .bind(&number)
        .execute(&s.state.db)
        .await
        .unwrap();
    number
}

/// A product of the fixture's cooperative with a GTIN: (slug, GTIN).
async fn product_with_gtin(s: &TestServer, f: &Fixture) -> (String, String) {
    sqlx::query_as(
        "SELECT p.slug, v.gtin FROM products p JOIN cooperatives c ON c.id = p.cooperative_id JOIN variants v ON v.product_id = p.id
         WHERE c.slug = $1 AND v.gtin IS NOT NULL ORDER BY p.id, v.position LIMIT 1",
    )
    .bind(&f.coop)
    .fetch_one(&s.state.db)
    .await
    .expect("a demo product with a GTIN")
}

/// A lot of the fixture's cooperative (the demo data has one per product with a GTIN).
async fn lot_of(s: &TestServer, f: &Fixture) -> i64 {
    sqlx::query_scalar(
        "SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 ORDER BY l.id LIMIT 1",
    )
    .bind(&f.coop)
    .fetch_one(&s.state.db)
    .await
    .expect("a demo lot")
}

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

/// What a cell sends: nothing, JSON, or raw bytes (a photo upload).
enum Body {
    Json(Value),
    Bytes(Vec<u8>),
}

/// The concrete path and body of one cell; creates what the cell acts on (a fresh
/// address of the buyer, a fresh member, a fresh draft or order) so cells do not depend
/// on each other.
async fn request_for(s: &TestServer, f: &Fixture, row: &Row) -> (String, Option<Body>) {
    let seller = |rest: &str| format!("/api/v1/seller/{}{rest}", f.coop);
    match (row.method, row.template) {
        ("get", "/api/v1/seller/{coop}/products")
        | ("get", "/api/v1/seller/{coop}/orders")
        | ("get", "/api/v1/seller/{coop}/dashboard") => {
            return (row.template.replace("{coop}", &f.coop), None);
        }
        ("post", "/api/v1/seller/{coop}/products") => {
            return (seller("/products"), Some(Body::Json(seller_product_body(f.province))));
        }
        ("get", "/api/v1/seller/{coop}/products/{slug}") | ("post", "/api/v1/seller/{coop}/products/{slug}/submit") => {
            let (slug, _) = seller_draft(s, f).await;
            let rest = if row.method == "get" { String::new() } else { "/submit".into() };
            return (seller(&format!("/products/{slug}{rest}")), None);
        }
        ("put", "/api/v1/seller/{coop}/products/{slug}") => {
            let (slug, _) = seller_draft(s, f).await;
            return (seller(&format!("/products/{slug}")), Some(Body::Json(seller_product_body(f.province))));
        }
        ("post", "/api/v1/seller/{coop}/lots/{id}/photos") => {
            let lot = lot_of(s, f).await;
            return (seller(&format!("/lots/{lot}/photos")), Some(Body::Bytes(common::png(40, 30))));
        }
        ("post", "/api/v1/seller/{coop}/products/{slug}/images") => {
            let (slug, _) = seller_draft(s, f).await;
            return (
                seller(&format!("/products/{slug}/images?alt=%E1%BA%A2nh")),
                Some(Body::Bytes(common::png(40, 30))),
            );
        }
        ("patch", "/api/v1/seller/{coop}/products/{slug}/images/{id}") => {
            let (slug, id) = seller_draft(s, f).await;
            return (
                seller(&format!("/products/{slug}/images/{id}")),
                Some(Body::Json(json!({"alt": {"vi": "Bao gạo", "en": ""}}))),
            );
        }
        ("delete", "/api/v1/seller/{coop}/products/{slug}/images/{id}") => {
            let (slug, id) = seller_draft(s, f).await;
            return (seller(&format!("/products/{slug}/images/{id}")), None);
        }
        ("put", "/api/v1/seller/{coop}/products/{slug}/images/order") => {
            let (slug, id) = seller_draft(s, f).await;
            return (seller(&format!("/products/{slug}/images/order")), Some(Body::Json(json!({"ids": [id]}))));
        }
        ("get", "/api/v1/seller/{coop}/orders/{number}") => {
            let number = coop_order(s, f).await;
            return (seller(&format!("/orders/{number}")), None);
        }
        ("post", "/api/v1/seller/{coop}/orders/{number}/status") => {
            let number = coop_order(s, f).await;
            return (seller(&format!("/orders/{number}/status")), Some(Body::Json(json!({"action": "confirm"}))));
        }
        ("post", "/api/v1/seller/{coop}/profile/images") => {
            return (seller("/profile/images?kind=logo"), Some(Body::Bytes(common::png(40, 30))));
        }
        ("post", "/api/v1/seller/{coop}/orders/{number}/paid") => {
            let number = coop_order_paid_by_transfer(s, f).await;
            return (seller(&format!("/orders/{number}/paid")), None);
        }
        _ => {}
    }
    let (path, body) = request_json(s, f, row).await;
    (path, body.map(Body::Json))
}

async fn request_json(s: &TestServer, f: &Fixture, row: &Row) -> (String, Option<Value>) {
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
        ("post", "/api/v1/cooperatives/{slug}/invitations") => (
            format!("/api/v1/cooperatives/{}/invitations", f.coop),
            Some(json!({"login": format!("tv{}@example.vn", unique()), "role": "member"})),
        ),
        ("get", "/api/v1/cooperatives/{slug}/invitations") => {
            (format!("/api/v1/cooperatives/{}/invitations", f.coop), None)
        }
        ("delete", "/api/v1/cooperatives/{slug}/invitations/{id}") => {
            let admin = Session::sign_in(s, &demo_member_email(MemberRole::Admin, &f.coop)).await;
            let i = admin
                .send(
                    s,
                    Method::POST,
                    &format!("/api/v1/cooperatives/{}/invitations", f.coop),
                    Some(json!({"login": format!("tv{}@example.vn", unique()), "role": "member"})),
                )
                .await;
            (format!("/api/v1/cooperatives/{}/invitations/{}", f.coop, i.body["id"]), None)
        }
        ("post", "/api/v1/invitations/{token}/accept") => {
            let token = common::invitation_to(s, &fresh::cooperative(s, "approved").await, "member").await;
            (format!("/api/v1/invitations/{token}/accept"), None)
        }
        ("delete", "/api/v1/cooperatives/{slug}/members/{user_id}") => {
            let user_id = common::new_member(s, &f.coop).await;
            (format!("/api/v1/cooperatives/{}/members/{user_id}", f.coop), None)
        }
        ("post", "/api/v1/staff/users") => (
            row.template.into(),
            Some(
                json!({"name": "Cán bộ mới", "login": format!("cb{}@example.vn", unique()), "password": "xúc tiến thương mại"}),
            ),
        ),
        ("post", "/api/v1/staff/cooperatives/{slug}/approve") => {
            (format!("/api/v1/staff/cooperatives/{}/approve", fresh::cooperative(s, "pending").await), None)
        }
        ("post", "/api/v1/staff/cooperatives/{slug}/reject") => (
            format!("/api/v1/staff/cooperatives/{}/reject", fresh::cooperative(s, "pending").await),
            Some(json!({"reason": "Thiếu mã số HTX"})),
        ),
        ("post", "/api/v1/staff/cooperatives/{slug}/suspend") => (
            format!("/api/v1/staff/cooperatives/{}/suspend", fresh::cooperative(s, "approved").await),
            Some(json!({"reason": "Giấy phép hết hạn"})),
        ),
        ("post", "/api/v1/staff/products/{slug}/approve") => {
            (format!("/api/v1/staff/products/{}/approve", fresh::product(s, "pending").await), None)
        }
        ("post", "/api/v1/staff/products/{slug}/reject") => (
            format!("/api/v1/staff/products/{}/reject", fresh::product(s, "pending").await),
            Some(json!({"reason": "Ảnh chưa rõ"})),
        ),
        ("post", "/api/v1/staff/products/{slug}/hide") => (
            format!("/api/v1/staff/products/{}/hide", fresh::product(s, "published").await),
            Some(json!({"reason": "Nhãn sai"})),
        ),
        ("get", "/api/v1/cooperatives/{slug}/review") => (format!("/api/v1/cooperatives/{}/review", f.coop), None),
        ("post", "/api/v1/cooperatives/{slug}/resubmit") => (format!("/api/v1/cooperatives/{}/resubmit", f.coop), None),
        ("put", "/api/v1/staff/featured") => (
            row.template.into(),
            Some(json!({"items": [{"product_slug": "gao-st25-my-xuyen"}, {"product_slug": "vai-thieu-luc-ngan"}]})),
        ),
        ("post", "/api/v1/staff/campaigns") => (row.template.into(), Some(fresh::campaign_body())),
        ("get", "/api/v1/staff/campaigns/{slug}") => {
            (format!("/api/v1/staff/campaigns/{}", fresh::campaign(s).await), None)
        }
        ("put", "/api/v1/staff/campaigns/{slug}") => {
            (format!("/api/v1/staff/campaigns/{}", fresh::campaign(s).await), Some(fresh::campaign_body()))
        }
        ("delete", "/api/v1/staff/campaigns/{slug}") => {
            (format!("/api/v1/staff/campaigns/{}", fresh::campaign(s).await), None)
        }
        ("get", "/api/v1/seller/{coop}/profile") => (format!("/api/v1/seller/{}/profile", f.coop), None),
        ("put", "/api/v1/seller/{coop}/profile") => (
            format!("/api/v1/seller/{}/profile", f.coop),
            Some(
                json!({"story": {"vi": "Câu chuyện của hợp tác xã", "en": ""}, "phone": "0299 385 1246", "street": "Ấp 1"}),
            ),
        ),
        ("put", "/api/v1/staff/cooperatives/{slug}/visibility") => (
            format!("/api/v1/staff/cooperatives/{}/visibility", fresh::cooperative(s, "approved").await),
            Some(json!({"hidden": true, "reason": "Ảnh không phù hợp"})),
        ),
        ("put", "/api/v1/staff/cooperatives/{slug}/domains") => (
            format!("/api/v1/staff/cooperatives/{}/domains", fresh::cooperative(s, "approved").await),
            Some(json!({"domains": [format!("htx{}.example.vn", unique())]})),
        ),
        ("get", "/api/v1/staff/stats/csv/{table}") => ("/api/v1/staff/stats/csv/orders".into(), None),
        ("get", "/api/v1/seller/{coop}/lots") => (format!("/api/v1/seller/{}/lots", f.coop), None),
        ("get", "/api/v1/seller/{coop}/lots/{id}") => {
            (format!("/api/v1/seller/{}/lots/{}", f.coop, lot_of(s, f).await), None)
        }
        ("get", "/api/v1/seller/{coop}/products/{slug}/lots") => {
            (format!("/api/v1/seller/{}/products/{}/lots", f.coop, product_with_gtin(s, f).await.0), None)
        }
        ("post", "/api/v1/seller/{coop}/products/{slug}/lots") => {
            let (slug, gtin) = product_with_gtin(s, f).await;
            (
                format!("/api/v1/seller/{}/products/{slug}/lots", f.coop),
                Some(json!({"gtin": gtin, "lot_code": format!("AZ-{}", unique()), "quantity": 10, "unit": "túi",
                    "province_code": f.province, "commune_code": f.commune, "produced_on": "2025-06-01", "best_before": "2026-06-01"})),
            )
        }
        ("post", "/api/v1/seller/{coop}/lots/{id}/events") => (
            format!("/api/v1/seller/{}/lots/{}/events", f.coop, lot_of(s, f).await),
            Some(json!({"kind": "care", "at": "2025-06-01T07:00", "place": "Ruộng thử", "actor": "Tổ sản xuất"})),
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
            let a = match body {
                Some(Body::Bytes(bytes)) => session.send_bytes(&s, &path, bytes).await,
                Some(Body::Json(v)) => session.send(&s, method, &path, Some(v)).await,
                None => session.send(&s, method, &path, None).await,
            };
            let expected = StatusCode::from_u16(row.expect[i]).unwrap();
            if a.status != expected {
                failures.push(format!(
                    "{} {path} as {caller:?}: {} (expected {expected}) {}",
                    row.method, a.status, a.body
                ));
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

#[tokio::test]
async fn routes_that_need_a_session_document_401() {
    let s = server().await;
    let doc = Session::anonymous().send(&s, Method::GET, "/api/openapi.json", None).await.body;
    let undocumented: Vec<_> = MATRIX
        .iter()
        .filter(|row| row.expect[0] == 401)
        .filter(|row| {
            let answer = &doc["paths"][row.template][row.method]["responses"]["401"];
            answer["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/ErrorBody"
        })
        .map(|row| format!("{} {}", row.method, row.template))
        .collect();
    assert!(undocumented.is_empty(), "routes answering 401 without documenting it: {undocumented:?}");
}
