//! Orders, quotes and communes against the real router on a real socket, over a fresh
//! SQLite database seeded with the demo catalog. The commune table is read from
//! `CHOHTX_DIVISIONS`, `data/vn-divisions.json` or `../shared/data/` (see Config::for_tests).

use chohtx_server::testing::TestServer;
use domain::{
    api::{ErrorBody, ProvinceItem},
    money::Vnd,
    order::{Commune, CreatedOrders, Order, OrderStatus, PaymentMethod, Quote},
    validate::FieldError,
    vietqr,
};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn server() -> TestServer {
    TestServer::start(None).await.expect("server starts")
}

/// A buyable variant of the demo catalog.
#[derive(Debug, Clone)]
struct Pick {
    variant_id: i64,
    product_id: i64,
    price: i64,
    stock: i64,
    coop_id: i64,
}

/// Buyable variants with stock, cheapest first, at most one per cooperative.
async fn buyable(s: &TestServer) -> Vec<Pick> {
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT v.id, p.id, v.price, v.stock, c.id FROM variants v JOIN products p ON p.id = v.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock > 0 ORDER BY v.price, v.id",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    let mut picks: Vec<Pick> = Vec::new();
    for (variant_id, product_id, price, stock, coop_id) in rows {
        if !picks.iter().any(|p| p.coop_id == coop_id) {
            picks.push(Pick { variant_id, product_id, price, stock, coop_id });
        }
    }
    picks
}

async fn stock_of(s: &TestServer, variant_id: i64) -> i64 {
    sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant_id)
        .fetch_one(&s.state.db)
        .await
        .unwrap()
}

async fn communes(s: &TestServer, province: u8) -> Vec<Commune> {
    let res = reqwest::get(s.url(&format!("/api/v1/provinces/{province}/communes"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// A valid order body for province 92 (Cần Thơ) with the given (variant, quantity) lines.
async fn order_body(s: &TestServer, lines: &[(i64, i64)], payment: &str) -> Value {
    let commune = communes(s, 92).await.remove(0);
    json!({
        "buyer_name": "Nguyễn Thị Lan",
        "buyer_phone": "0912 345 678",
        "address": {"province_code": 92, "commune_code": commune.code, "street": "12 Đường 3/2"},
        "note": "Giao giờ hành chính",
        "payment_method": payment,
        "lines": lines.iter().map(|(v, q)| json!({"variant_id": v, "quantity": q})).collect::<Vec<_>>(),
    })
}

async fn post_order(client: &Client, s: &TestServer, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut req = client.post(s.url("/api/v1/orders")).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.unwrap()
}

/// Asserts a JSON error answer with this status and returns it.
async fn expect_error(res: reqwest::Response, status: StatusCode, what: &str) -> ErrorBody {
    assert_eq!(res.status(), status, "{what}");
    assert_eq!(res.headers()["content-type"], "application/json", "{what}");
    res.json().await.unwrap_or_else(|e| panic!("{what}: not the error shape: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_orders_on_stock_ten_sell_exactly_ten() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    sqlx::query("UPDATE variants SET stock = 10 WHERE id = $1")
        .bind(pick.variant_id)
        .execute(&s.state.db)
        .await
        .unwrap();
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let client = Client::new();

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..50 {
        let (client, body, url) = (client.clone(), body.clone(), s.url("/api/v1/orders"));
        tasks.spawn(async move {
            let res = client
                .post(url)
                .header("Idempotency-Key", format!("parallel-order-{n:04}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status();
            (status, res.json::<Value>().await.unwrap())
        });
    }
    let (mut created, mut refused) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (status, body) = done.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                let e: ErrorBody = serde_json::from_value(body).unwrap();
                assert_eq!(e.error.code, "cart_changed");
                assert!(
                    matches!(e.error.fields.get("lines.0.quantity"), Some(FieldError::OutOfStock { available: 0 })),
                    "{:?}",
                    e.error.fields
                );
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (10, 40));
    assert_eq!(stock_of(&s, pick.variant_id).await, 0);
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_items WHERE variant_id = $1")
        .bind(pick.variant_id)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(orders, 10);
}

#[tokio::test]
async fn replaying_an_idempotency_key_returns_the_same_order() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    let before = stock_of(&s, pick.variant_id).await;
    let body = order_body(&s, &[(pick.variant_id, 2)], "cod").await;
    let client = Client::new();
    let key = "3f1c9a6e-5b0d-4c2e-9f3a-7d8e1b2c4a5f";

    let first = post_order(&client, &s, Some(key), &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: CreatedOrders = first.json().await.unwrap();
    let again = post_order(&client, &s, Some(key), &body).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: CreatedOrders = again.json().await.unwrap();
    assert_eq!(first, again, "the same key and body give the same orders");
    assert_eq!(stock_of(&s, pick.variant_id).await, before - 2, "stock is taken once");
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&s.state.db).await.unwrap();
    assert_eq!(orders, 1);

    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(3);
    let e =
        expect_error(post_order(&client, &s, Some(key), &other).await, StatusCode::UNPROCESSABLE_ENTITY, "reused key")
            .await;
    assert_eq!(e.error.code, "idempotency_key_reused");
    assert_eq!(stock_of(&s, pick.variant_id).await, before - 2);
}

#[tokio::test]
async fn an_order_is_found_by_its_number_and_phone_and_guessing_is_limited() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    let client = Client::new();
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let placed = post_order(&client, &s, Some("lookup-order-0001"), &body).await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let placed: CreatedOrders = placed.json().await.unwrap();
    let number = placed.orders[0].number.clone();
    let lookup = |number: String, phone: &'static str| {
        let client = client.clone();
        let url = s.url("/api/v1/order-lookup");
        async move { client.post(url).json(&json!({"number": number, "phone": phone})).send().await.unwrap() }
    };

    // As people type them: lower case, spaces, +84.
    let found = lookup(number.to_lowercase(), "+84 912 345 678").await;
    assert_eq!(found.status(), StatusCode::OK);
    assert_eq!(found.headers()["cache-control"], "private, no-store");
    let order: domain::order::Order = found.json().await.unwrap();
    assert_eq!(order.number, number);
    // A wrong phone and an unknown number answer alike.
    let wrong = expect_error(lookup(number.clone(), "0987 654 321").await, StatusCode::NOT_FOUND, "wrong phone").await;
    let unknown =
        expect_error(lookup("DH22222222".into(), "0912 345 678").await, StatusCode::NOT_FOUND, "unknown").await;
    assert_eq!((wrong.error.code.as_str(), wrong.error.message), (unknown.error.code.as_str(), unknown.error.message));
    let bad = expect_error(lookup("".into(), "abc").await, StatusCode::BAD_REQUEST, "empty").await;
    assert_eq!(bad.error.code, "validation");

    // Ten lookups of one number an hour: then 429, even with the right phone.
    for _ in 2..10 {
        assert_eq!(lookup(number.clone(), "0987 654 321").await.status(), StatusCode::NOT_FOUND);
    }
    let refused = lookup(number.clone(), "0912 345 678").await;
    assert!(refused.headers().contains_key("retry-after"));
    let refused = expect_error(refused, StatusCode::TOO_MANY_REQUESTS, "the eleventh").await;
    assert_eq!(refused.error.code, "rate_limited");
}

#[tokio::test]
async fn bad_input_is_4xx_json_never_500() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    let client = Client::new();
    let good = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let key = |n: u32| format!("bad-input-key-{n}");

    for (n, quantity) in [0i64, -3].into_iter().enumerate() {
        let mut b = good.clone();
        b["lines"][0]["quantity"] = json!(quantity);
        let e =
            expect_error(post_order(&client, &s, Some(&key(n as u32)), &b).await, StatusCode::BAD_REQUEST, "quantity")
                .await;
        assert_eq!(e.error.code, "validation");
        assert!(
            matches!(e.error.fields.get("lines.0.quantity"), Some(FieldError::OutOfRange { .. })),
            "{:?}",
            e.error.fields
        );
    }

    let mut b = good.clone();
    b["lines"][0]["variant_id"] = json!(987_654_321);
    let e =
        expect_error(post_order(&client, &s, Some(&key(10)), &b).await, StatusCode::CONFLICT, "unknown variant").await;
    assert_eq!(e.error.code, "cart_changed");
    assert_eq!(e.error.fields.get("lines.0.variant_id"), Some(&FieldError::Unavailable));

    let mut b = good.clone();
    b["buyer_phone"] = json!("abc");
    let e = expect_error(post_order(&client, &s, Some(&key(11)), &b).await, StatusCode::BAD_REQUEST, "phone").await;
    assert_eq!(e.error.fields.get("buyer_phone"), Some(&FieldError::InvalidPhone));

    let ha_noi = communes(&s, 1).await.remove(0);
    let mut b = good.clone();
    b["address"]["commune_code"] = json!(ha_noi.code);
    let e = expect_error(post_order(&client, &s, Some(&key(12)), &b).await, StatusCode::BAD_REQUEST, "commune").await;
    assert_eq!(e.error.fields.get("address.commune_code"), Some(&FieldError::CommuneNotInProvince));

    let mut b = good.clone();
    b["address"]["commune_code"] = json!(4_000_000);
    let e = expect_error(post_order(&client, &s, Some(&key(13)), &b).await, StatusCode::BAD_REQUEST, "unknown commune")
        .await;
    assert_eq!(e.error.fields.get("address.commune_code"), Some(&FieldError::UnknownChoice));

    let mut b = good.clone();
    b["note"] = json!("x".repeat(100 * 1024));
    let e = expect_error(post_order(&client, &s, Some(&key(14)), &b).await, StatusCode::PAYLOAD_TOO_LARGE, "oversize")
        .await;
    assert_eq!(e.error.code, "payload_too_large");

    let res = client
        .post(s.url("/api/v1/orders"))
        .header("Idempotency-Key", key(15))
        .header("content-type", "application/json")
        .body("{\"buyer_name\": ")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let e = expect_error(res, StatusCode::BAD_REQUEST, "malformed").await;
    assert_eq!(e.error.code, "invalid_json");

    let res = client
        .post(s.url("/api/v1/orders"))
        .header("Idempotency-Key", key(16))
        .json(&json!({"buyer_name": "Lan", "lines": "many"}))
        .send()
        .await
        .unwrap();
    let e = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "not an order").await;
    assert_eq!(e.error.code, "invalid_json");

    let e = expect_error(post_order(&client, &s, None, &good).await, StatusCode::BAD_REQUEST, "no key").await;
    assert_eq!(e.error.code, "idempotency_key_required");
    let e =
        expect_error(post_order(&client, &s, Some("short"), &good).await, StatusCode::BAD_REQUEST, "short key").await;
    assert_eq!(e.error.code, "idempotency_key_required");

    let res = client
        .post(s.url("/api/v1/cart/quote"))
        .json(&json!({"lines": [{"variant_id": 1, "quantity": -1}]}))
        .send()
        .await
        .unwrap();
    let e = expect_error(res, StatusCode::BAD_REQUEST, "quote quantity").await;
    assert!(e.error.fields.get("lines.0.quantity").is_some());

    let e = expect_error(
        reqwest::get(s.url("/api/v1/orders/DHXXXXXXXX")).await.unwrap(),
        StatusCode::NOT_FOUND,
        "no token",
    )
    .await;
    assert_eq!(e.error.code, "not_found");

    assert_eq!(stock_of(&s, pick.variant_id).await, pick.stock, "nothing was sold");
}

#[tokio::test]
async fn a_changed_price_or_a_hidden_product_refuses_the_order_with_every_line_named() {
    let s = server().await;
    let picks = buyable(&s).await;
    let (a, b) = (&picks[0], &picks[1]);
    let client = Client::new();
    let mut body = order_body(&s, &[(a.variant_id, 1), (b.variant_id, 1)], "cod").await;
    body["lines"][0]["expected_price"] = json!(a.price - 1000);
    sqlx::query("UPDATE products SET status = 'hidden' WHERE id = $1")
        .bind(b.product_id)
        .execute(&s.state.db)
        .await
        .unwrap();
    let e = expect_error(post_order(&client, &s, Some("changed-cart-1"), &body).await, StatusCode::CONFLICT, "changed")
        .await;
    assert_eq!(e.error.code, "cart_changed");
    assert_eq!(e.error.fields.get("lines.0.price"), Some(&FieldError::PriceChanged { current: a.price }));
    assert_eq!(e.error.fields.get("lines.1.variant_id"), Some(&FieldError::Unavailable));
    assert_eq!(stock_of(&s, a.variant_id).await, a.stock, "a refused order takes no stock");
}

#[tokio::test]
async fn cart_with_two_cooperatives_makes_two_orders() {
    let s = server().await;
    let picks = buyable(&s).await;
    let (a, b) = (&picks[0], &picks[1]);
    let sold_before: i64 = sqlx::query_scalar("SELECT sold_count FROM products WHERE id = $1")
        .bind(a.product_id)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let client = Client::new();
    let body = order_body(&s, &[(a.variant_id, 2), (b.variant_id, 1)], "bank_transfer").await;
    let res = post_order(&client, &s, Some("two-coops-0001"), &body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: CreatedOrders = res.json().await.unwrap();
    assert_eq!(created.orders.len(), 2, "one order per cooperative");
    assert_ne!(created.orders[0].cooperative.slug, created.orders[1].cooperative.slug);
    for o in &created.orders {
        assert!(o.number.starts_with("DH") && o.number.len() == 10, "{}", o.number);
        assert_eq!(o.token.len(), 64);
        assert_eq!(o.status, OrderStatus::Pending);
        assert_eq!(o.total, o.subtotal.checked_add(o.shipping_fee).unwrap());
        let payload = o.payload.as_deref().expect("bank transfer has a VietQR payload");
        assert!(vietqr::crc_is_valid(payload), "{payload}");
        assert!(payload.contains(&format!("54{:02}{}", o.total.dong().to_string().len(), o.total.dong())), "{payload}");
        assert!(payload.contains(&o.number), "the transfer note carries the order number: {payload}");
    }
    let first = &created.orders[0];
    assert_eq!(first.subtotal, Vnd::new(a.price * 2));
    assert_eq!(stock_of(&s, a.variant_id).await, a.stock - 2);
    let (sold_after, stock_total): (i64, i64) =
        sqlx::query_as("SELECT sold_count, stock_total FROM products WHERE id = $1")
            .bind(a.product_id)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    assert_eq!(sold_after, sold_before + 2);
    let summed: i64 = sqlx::query_scalar("SELECT SUM(stock) FROM variants WHERE product_id = $1")
        .bind(a.product_id)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(stock_total, summed, "aggregates are refreshed");

    // Tracking with the token.
    let url = s.url(&format!("/api/v1/orders/{}?token={}", first.number, first.token));
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let order: Order = res.json().await.unwrap();
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(order.history.len(), 1);
    assert_eq!(order.history[0].status, OrderStatus::Pending);
    assert_eq!(order.payment_method, PaymentMethod::BankTransfer);
    assert_eq!(order.lines.len(), 1);
    assert_eq!((order.lines[0].variant_id, order.lines[0].quantity), (a.variant_id, 2));
    assert_eq!(order.total, first.total);
    assert_eq!(order.buyer_phone.e164(), "+84912345678");
    assert!(!order.address.commune_name.is_empty());
    let qr = order.vietqr.expect("a pending bank transfer shows how to pay");
    assert_eq!(Some(qr.payload.as_str()), first.payload.as_deref());
    assert_eq!(qr.amount, first.total);
    assert!(qr.purpose.starts_with(&first.number) && qr.purpose.len() <= 25, "{}", qr.purpose);

    // A wrong token, no token, or an unknown number all look the same.
    for path in [
        format!("/api/v1/orders/{}?token={}", first.number, "0".repeat(64)),
        format!("/api/v1/orders/{}?token={}", first.number, created.orders[1].token),
        format!("/api/v1/orders/{}", first.number),
        format!("/api/v1/orders/DH22222222?token={}", first.token),
        format!("/api/v1/orders/{}/vietqr.svg?token=wrong", first.number),
    ] {
        let e = expect_error(reqwest::get(s.url(&path)).await.unwrap(), StatusCode::NOT_FOUND, &path).await;
        assert_eq!(e.error.code, "not_found");
    }

    // The QR code.
    let res = reqwest::get(s.url(&format!("/api/v1/orders/{}/vietqr.svg?token={}", first.number, first.token)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let svg = res.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
    // And as a PNG to save into the phone's photos.
    let res = reqwest::get(s.url(&format!("/api/v1/orders/{}/vietqr.png?token={}", first.number, first.token)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(
        res.headers()["content-disposition"].to_str().unwrap(),
        format!("attachment; filename=\"VietQR-{}.png\"", first.number)
    );
    assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Cash on delivery has no QR code.
    let cod = order_body(&s, &[(a.variant_id, 1)], "cod").await;
    let res = post_order(&client, &s, Some("cod-order-0001"), &cod).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cod: CreatedOrders = res.json().await.unwrap();
    assert!(cod.orders[0].payload.is_none());
    let o = &cod.orders[0];
    let order: Order = reqwest::get(s.url(&format!("/api/v1/orders/{}?token={}", o.number, o.token)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(order.vietqr.is_none());
    let svg = reqwest::get(s.url(&format!("/api/v1/orders/{}/vietqr.svg?token={}", o.number, o.token))).await.unwrap();
    assert_eq!(svg.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bank_transfer_needs_the_cooperatives_account() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    sqlx::query("UPDATE cooperatives SET bank_account = NULL WHERE id = $1")
        .bind(pick.coop_id)
        .execute(&s.state.db)
        .await
        .unwrap();
    let client = Client::new();
    let body = order_body(&s, &[(pick.variant_id, 1)], "bank_transfer").await;
    let e = expect_error(
        post_order(&client, &s, Some("no-bank-0001"), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no bank",
    )
    .await;
    assert_eq!(e.error.code, "bank_transfer_unavailable");
    assert_eq!(stock_of(&s, pick.variant_id).await, pick.stock);
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    assert_eq!(post_order(&client, &s, Some("no-bank-0002"), &body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn quote_reports_price_stock_and_groups_with_free_shipping_above_the_threshold() {
    let s = server().await;
    let picks = buyable(&s).await;
    let cheap = &picks[0];
    // A variant of another cooperative whose order clears the free-shipping threshold.
    let big: (i64, i64, i64) = sqlx::query_as(
        "SELECT v.id, v.price, v.stock FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock >= 2 AND v.price >= 250000 AND c.id <> $1
         ORDER BY v.price LIMIT 1",
    )
    .bind(cheap.coop_id)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let hidden: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.status <> 'published' LIMIT 1",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let req = json!({"lines": [
        {"variant_id": cheap.variant_id, "quantity": cheap.stock + 5},
        {"variant_id": big.0, "quantity": 2},
        {"variant_id": hidden, "quantity": 1},
        {"variant_id": 987654321, "quantity": 1},
    ]});
    let res = Client::new().post(s.url("/api/v1/cart/quote")).json(&req).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let q: Quote = res.json().await.unwrap();
    assert_eq!(q.unavailable, vec![hidden, 987654321]);
    assert_eq!(q.groups.len(), 2);
    let g0 = &q.groups[0];
    let l0 = &g0.lines[0];
    assert_eq!((l0.variant_id, l0.unit_price, l0.stock), (cheap.variant_id, Vnd::new(cheap.price), cheap.stock as u32));
    assert_eq!(l0.quantity, cheap.stock as u32, "capped at the stock");
    assert!(l0.image_url.is_some());
    assert_eq!(g0.subtotal, Vnd::new(cheap.price * cheap.stock));
    let expected_fee = if g0.subtotal >= Vnd::new(500_000) { Vnd::ZERO } else { Vnd::new(30_000) };
    assert_eq!(g0.shipping_fee, expected_fee);
    let g1 = &q.groups[1];
    assert_eq!(g1.subtotal, Vnd::new(big.1 * 2));
    assert!(g1.subtotal >= Vnd::new(500_000));
    assert_eq!(g1.shipping_fee, Vnd::ZERO, "free from 500.000 ₫");
    assert_eq!(q.total, g0.total.checked_add(g1.total).unwrap());
}

#[tokio::test]
async fn provinces_and_their_communes() {
    let s = server().await;
    let provinces: Vec<ProvinceItem> = reqwest::get(s.url("/api/v1/provinces")).await.unwrap().json().await.unwrap();
    assert_eq!(provinces.len(), 34);
    assert_eq!(provinces[0].short_name, "An Giang");

    let can_tho = communes(&s, 92).await;
    assert!(can_tho.len() > 50, "{}", can_tho.len());
    assert!(
        can_tho
            .windows(2)
            .all(|w| domain::text::vietnamese_sort_key(&w[0].name) <= domain::text::vietnamese_sort_key(&w[1].name)),
        "sorted the Vietnamese way"
    );
    assert!(can_tho.iter().any(|c| c.name.contains("Ninh Kiều")));

    for path in ["/api/v1/provinces/94/communes", "/api/v1/provinces/abc/communes", "/api/v1/provinces/0/communes"] {
        let e = expect_error(reqwest::get(s.url(path)).await.unwrap(), StatusCode::NOT_FOUND, path).await;
        assert_eq!(e.error.code, "not_found");
    }
}

#[tokio::test]
async fn without_the_commune_table_communes_and_orders_answer_503() {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;

    let dir = tempfile::tempdir().unwrap();
    let mut config = chohtx_server::Config::for_tests(format!("sqlite://{}", dir.path().join("t.db").display()));
    config.divisions_path = dir.path().join("missing.json");
    let app = chohtx_server::app(chohtx_server::prepare(config).await.unwrap());
    let call = |req: Request<Body>| {
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice::<Value>(&body).unwrap())
        }
    };

    let (status, body) = call(Request::get("/api/v1/provinces/92/communes").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "divisions_unavailable");
    let order = json!({
        "buyer_name": "Lan", "buyer_phone": "0912345678", "payment_method": "cod",
        "address": {"province_code": 92, "commune_code": 31150, "street": "12"},
        "lines": [{"variant_id": 1, "quantity": 1}],
    });
    let req = Request::post("/api/v1/orders")
        .header("content-type", "application/json")
        .header("Idempotency-Key", "no-divisions-1")
        .body(Body::from(order.to_string()))
        .unwrap();
    let (status, body) = call(req).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "divisions_unavailable");
    let (status, body) = call(Request::get("/api/v1/provinces").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the 34 provinces are compiled in");
    assert_eq!(body.as_array().unwrap().len(), 34);
}

#[tokio::test]
async fn repeated_lines_of_one_variant_are_capped_at_999_in_all() {
    let s = server().await;
    let pick = buyable(&s).await.remove(0);
    sqlx::query("UPDATE variants SET stock = 100000 WHERE id = $1")
        .bind(pick.variant_id)
        .execute(&s.state.db)
        .await
        .unwrap();
    let lines: Vec<(i64, i64)> = (0..50).map(|_| (pick.variant_id, 999)).collect();
    let body = order_body(&s, &lines, "cod").await;
    let e = expect_error(
        post_order(&Client::new(), &s, Some("cap-test-0001"), &body).await,
        StatusCode::BAD_REQUEST,
        "50 × 999",
    )
    .await;
    let err = serde_json::to_value(&e).unwrap();
    assert_eq!(err["error"]["fields"]["lines.1.quantity"]["code"], "out_of_range", "{err}");
    assert_eq!(err["error"]["fields"]["lines.1.quantity"]["max"], 999, "{err}");
    assert_eq!(stock_of(&s, pick.variant_id).await, 100000, "nothing was taken");

    let quote = Client::new()
        .post(s.url("/api/v1/cart/quote"))
        .json(&json!({"lines": [{"variant_id": pick.variant_id, "quantity": 600}, {"variant_id": pick.variant_id, "quantity": 400}]}))
        .send()
        .await
        .unwrap();
    let e = expect_error(quote, StatusCode::BAD_REQUEST, "600 + 400").await;
    assert_eq!(serde_json::to_value(&e).unwrap()["error"]["fields"]["lines.1.quantity"]["code"], "out_of_range");
    // Within the cap, repeated lines are still one line.
    let body = order_body(&s, &[(pick.variant_id, 500), (pick.variant_id, 499)], "cod").await;
    assert_eq!(post_order(&Client::new(), &s, Some("cap-test-0002"), &body).await.status(), StatusCode::CREATED);
    assert_eq!(stock_of(&s, pick.variant_id).await, 100000 - 999);
}

/// A server whose order limits are low (the test configuration's are high).
async fn server_with_order_limits(per_address_per_hour: i64, per_phone_per_day: i64) -> TestServer {
    TestServer::start_with(None, |c| {
        c.orders_per_address_per_hour = per_address_per_hour;
        c.orders_per_phone_per_day = per_phone_per_day;
    })
    .await
    .expect("server starts")
}

/// The cheapest buyable variant, with stock for a few orders.
async fn stocked_pick(s: &TestServer) -> Pick {
    let mut pick = buyable(s).await.remove(0);
    pick.stock = 100;
    sqlx::query("UPDATE variants SET stock = $1 WHERE id = $2")
        .bind(pick.stock)
        .bind(pick.variant_id)
        .execute(&s.state.db)
        .await
        .unwrap();
    pick
}

/// `body` for another buyer phone number.
fn with_phone(body: &Value, phone: &str) -> Value {
    let mut b = body.clone();
    b["buyer_phone"] = json!(phone);
    b
}

/// Asserts a 429 `too_many_orders` in the error shape; returns its `Retry-After` seconds.
async fn expect_too_many_orders(res: reqwest::Response, what: &str) -> i64 {
    let retry_after: i64 = res
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("{what}: no Retry-After"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let e = expect_error(res, StatusCode::TOO_MANY_REQUESTS, what).await;
    assert_eq!(e.error.code, "too_many_orders", "{what}");
    retry_after
}

#[tokio::test]
async fn checkouts_from_one_address_are_limited_per_hour_and_refused_or_replayed_ones_do_not_count() {
    let s = server_with_order_limits(2, 1_000).await;
    let pick = stocked_pick(&s).await;
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let client = Client::new();
    // A refused order (out of stock) does not count.
    let too_many = order_body(&s, &[(pick.variant_id, pick.stock + 1)], "cod").await;
    expect_error(post_order(&client, &s, Some("refused-0001"), &too_many).await, StatusCode::CONFLICT, "oversold")
        .await;
    let first = post_order(&client, &s, Some("address-0001"), &with_phone(&body, "0912 000 001")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(10));
    let second = post_order(&client, &s, Some("address-0002"), &with_phone(&body, "0912 000 002")).await;
    assert_eq!(second.status(), StatusCode::CREATED);

    // The third checkout within the hour is refused, whatever the phone number, until the
    // first leaves the window; a sign-in meanwhile (which purges its own rows) keeps the count.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(10));
    let third = with_phone(&body, "0912 000 003");
    let wait = expect_too_many_orders(post_order(&client, &s, Some("address-0003"), &third).await, "third").await;
    assert_eq!(wait, 40 * 60, "until the first checkout is an hour old");
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(20));
    let _ = reqwest::Client::new()
        .post(s.url("/api/v1/auth/sign-in"))
        .json(&json!({"login": "nobody@example.vn", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    expect_too_many_orders(post_order(&client, &s, Some("address-0003"), &third).await, "after a sign-in").await;
    // A replay is answered as before, limit or not.
    let replay = post_order(&client, &s, Some("address-0001"), &with_phone(&body, "0912 000 001")).await;
    assert_eq!(replay.status(), StatusCode::CREATED, "a replay is not a new checkout");
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&s.state.db).await.unwrap();
    assert_eq!(orders, 2);

    // The refused request's key was rolled back with it: the retry after the wait places it.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(20));
    let res = post_order(&client, &s, Some("address-0003"), &third).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn checkouts_for_one_phone_number_are_limited_per_day() {
    let s = server_with_order_limits(1_000, 2).await;
    let pick = stocked_pick(&s).await;
    let body = order_body(&s, &[(pick.variant_id, 1)], "bank_transfer").await;
    let client = Client::new();
    for (n, phone) in ["0912 345 678", "+84 912 345 678"].iter().enumerate() {
        let res = post_order(&client, &s, Some(&format!("phone-000{n}")), &with_phone(&body, phone)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    }
    // The same number however written.
    s.state.clock.set(s.state.clock.now() + time::Duration::hours(23));
    let res = post_order(&client, &s, Some("phone-0002"), &with_phone(&body, "0912345678")).await;
    let wait = expect_too_many_orders(res, "third for one phone").await;
    assert_eq!(wait, 3600);
    // Another number is not limited by it.
    let res = post_order(&client, &s, Some("phone-0003"), &with_phone(&body, "0987 654 321")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    s.state.clock.set(s.state.clock.now() + time::Duration::hours(1));
    let res = post_order(&client, &s, Some("phone-0002"), &with_phone(&body, "0912345678")).await;
    assert_eq!(res.status(), StatusCode::CREATED, "a day later");
}

async fn post_order_from(
    client: &Client,
    s: &TestServer,
    key: &str,
    body: &Value,
    forwarded: &str,
) -> reqwest::Response {
    client
        .post(s.url("/api/v1/orders"))
        .header("Idempotency-Key", key)
        .header("X-Forwarded-For", forwarded)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forwarded_for_from_an_untrusted_peer_is_ignored_by_the_order_limit() {
    // No trusted proxy (the default): the test client's X-Forwarded-For is a claim anyone
    // can make, so both requests are from 127.0.0.1.
    let s = server_with_order_limits(1, 1_000).await;
    let pick = stocked_pick(&s).await;
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let client = Client::new();
    let res = post_order_from(&client, &s, "spoofed-0001", &with_phone(&body, "0912 000 001"), "203.0.113.7").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = post_order_from(&client, &s, "spoofed-0002", &with_phone(&body, "0912 000 002"), "198.51.100.9").await;
    expect_too_many_orders(res, "a spoofed address").await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_right_most_untrusted_forwarded_address_is_limited() {
    let s = TestServer::start_with(None, |c| {
        c.orders_per_address_per_hour = 1;
        c.trusted_proxies = "127.0.0.1, 10.0.0.0/8".parse().unwrap();
    })
    .await
    .unwrap();
    let pick = stocked_pick(&s).await;
    let body = order_body(&s, &[(pick.variant_id, 1)], "cod").await;
    let client = Client::new();
    let post = |key: &'static str, phone: &'static str, forwarded: &'static str| {
        let (client, body) = (client.clone(), with_phone(&body, phone));
        let s = &s;
        async move { post_order_from(&client, s, key, &body, forwarded).await }
    };
    // The client's own claim (left) is passed over: this is 203.0.113.7…
    assert_eq!(post("proxied-0001", "0912 000 001", "192.0.2.1, 203.0.113.7").await.status(), StatusCode::CREATED);
    // …and so is this, through a second proxy: its limit is reached.
    let res = post("proxied-0002", "0912 000 002", "192.0.2.99, 203.0.113.7, 10.0.0.5").await;
    expect_too_many_orders(res, "the same client through two proxies").await;
    // Another client behind the same proxy has its own limit.
    assert_eq!(post("proxied-0003", "0912 000 003", "203.0.113.7, 198.51.100.9").await.status(), StatusCode::CREATED);
    // Without the header the proxy itself is the client.
    let res = post_order(&client, &s, Some("proxied-0004"), &with_phone(&body, "0912 000 004")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = post_order(&client, &s, Some("proxied-0005"), &with_phone(&body, "0912 000 005")).await;
    expect_too_many_orders(res, "the proxy's own address").await;
}
