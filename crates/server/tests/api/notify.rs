//! The notifications outbox: each event writes its notice in its own transaction, and
//! the worker delivers it — here by email to a real local SMTP server (aiosmtpd, installed
//! by `cargo xtask install` into `.tools/venv`).

use crate::helpers as common;

use chohtx_server::{
    db::outbox,
    mail::Senders,
    seed::{DEMO_BUYER_EMAIL, demo_member_email},
    testing::TestServer,
};
use common::{Session, invite, server, smtp::SmtpSink, some_address, two_cooperatives};
use domain::account::MemberRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// The outbox rows of `kind`: (recipient, payload).
async fn notices(s: &TestServer, kind: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT recipient, payload FROM outbox WHERE kind = $1 ORDER BY id")
            .bind(kind)
            .fetch_all(&s.state.db)
            .await
            .unwrap();
    rows.into_iter().map(|(r, p)| (r, serde_json::from_str(&p).unwrap())).collect()
}

async fn outbox_rows(s: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&s.state.db).await.unwrap()
}

/// A published variant of the cooperative with stock, and its stock.
async fn variant_of(s: &TestServer, coop: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT v.id, v.stock FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock > 0 ORDER BY v.stock DESC LIMIT 1",
    )
    .bind(coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap()
}

fn order_body(s: &TestServer, variant: i64, quantity: i64) -> Value {
    let (province, commune) = some_address(s);
    json!({"buyer_name": "Khách", "buyer_phone": "0912345678",
        "address": {"province_code": province, "commune_code": commune, "street": "1 Đường Số 1"},
        "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": quantity}]})
}

#[tokio::test]
async fn placing_an_order_queues_a_notice_for_its_cooperative_and_a_refused_order_queues_none() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (variant, stock) = variant_of(&s, &coop).await;
    let before = outbox_rows(&s).await;
    // Refused in its transaction (more than the stock) or before it (no lines): no notice.
    let too_many =
        Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(order_body(&s, variant, stock + 1))).await;
    assert_eq!(too_many.status, StatusCode::CONFLICT, "{}", too_many.body);
    let mut empty = order_body(&s, variant, 1);
    empty["lines"] = json!([]);
    let invalid = Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(empty)).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST, "{}", invalid.body);
    assert_eq!(outbox_rows(&s).await, before);

    let placed = Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(order_body(&s, variant, 1))).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let number = placed.body["orders"][0]["number"].as_str().unwrap();
    let placed = notices(&s, "order.placed").await;
    assert_eq!(placed.len(), 1, "{placed:?}");
    let (to, payload) = &placed[0];
    // To the cooperative's admin.
    assert_eq!(to, &demo_member_email(MemberRole::Admin, &coop));
    assert_eq!(payload["number"], number);
    let text = payload["text"].as_str().unwrap();
    assert!(text.contains(number) && text.contains(&format!("/ban-hang/{coop}/don-hang/{number}")), "{text}");
    assert!(payload["subject"].as_str().unwrap().starts_with("Đơn hàng mới"));
}

#[tokio::test]
async fn an_order_moving_on_queues_a_notice_to_its_buyer_by_email_or_phone() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (variant, _) = variant_of(&s, &coop).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    // A signed-in buyer's order: the account's email.
    let buyer = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let mine = buyer.send(&s, Method::POST, "/api/v1/orders", Some(order_body(&s, variant, 1))).await;
    let mine = mine.body["orders"][0]["number"].as_str().unwrap().to_owned();
    // A guest's order: only a phone number.
    let guest = Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(order_body(&s, variant, 1))).await;
    let guest = guest.body["orders"][0]["number"].as_str().unwrap().to_owned();
    let act = |number: &str, action: Value| {
        let path = format!("/api/v1/seller/{coop}/orders/{number}/status");
        let admin = admin.clone();
        let s = &s;
        async move { admin.send(s, Method::POST, &path, Some(action)).await }
    };
    assert_eq!(act(&mine, json!({"action": "confirm"})).await.status, StatusCode::OK);
    assert_eq!(
        act(&mine, json!({"action": "ship", "carrier": "VNPost", "tracking_code": "EB123"})).await.status,
        StatusCode::OK
    );
    let cancelled = act(&guest, json!({"action": "cancel", "reason": "Hết hàng vụ này"})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);

    let confirmed = notices(&s, "order.confirmed").await;
    assert_eq!(confirmed.len(), 1);
    assert_eq!((confirmed[0].0.as_str(), &confirmed[0].1["number"]), (DEMO_BUYER_EMAIL, &json!(mine)));
    let shipped = notices(&s, "order.shipped").await;
    assert_eq!(shipped.len(), 1);
    assert_eq!(shipped[0].0, DEMO_BUYER_EMAIL);
    let cancelled = notices(&s, "order.cancelled").await;
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].0, "+84912345678");
    assert!(cancelled[0].1["text"].as_str().unwrap().contains("Hết hàng vụ này"));

    // The market cancelling an unconfirmed order tells the buyer too.
    let old = Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(order_body(&s, variant, 1))).await;
    let old = old.body["orders"][0]["number"].as_str().unwrap().to_owned();
    s.state.clock.set(s.state.clock.now() + time::Duration::hours(s.state.config.order_hold_hours + 1));
    assert!(chohtx_server::api::orders::expiry::expire_unconfirmed(&s.state).await.unwrap() >= 1);
    let cancelled = notices(&s, "order.cancelled").await;
    assert!(cancelled.iter().any(|(_, p)| p["number"] == old.as_str()), "{cancelled:?}");
}

#[tokio::test]
async fn an_invitation_queues_its_link_for_the_invited_login() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let a = invite(&s, &admin, &coop, "0988 765 432", "member").await;
    let sent = notices(&s, "invitation.created").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "+84988765432");
    assert_eq!(sent[0].1["link"], a.body["link"]);
    assert!(sent[0].1["text"].as_str().unwrap().contains(a.body["link"].as_str().unwrap()));
}

#[tokio::test]
async fn a_password_reset_link_arrives_by_email_through_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let s = TestServer::start_with(None, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
        c.mail_from = "Chợ HTX <no-reply@chohtx.test>".into();
    })
    .await
    .unwrap();
    let asked = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset", Some(json!({"login": DEMO_BUYER_EMAIL})))
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    // Queued, not yet sent; the worker sends it.
    assert_eq!(notices(&s, "password_reset").await.len(), 1);
    let senders = Senders::from_config(&s.state.config).unwrap();
    let pass = outbox::deliver_due(&s.state.db, &senders, s.state.clock.now()).await.unwrap();
    assert_eq!(pass, outbox::Delivered { sent: 1, failed: 0 });
    let (sent_at, payload): (Option<String>, String) =
        sqlx::query_as("SELECT sent_at, payload FROM outbox WHERE kind = 'password_reset'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    assert!(sent_at.is_some());
    // Sent: the table keeps no usable link.
    assert!(!payload.contains("token="), "{payload}");

    let messages = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let mail = &messages[0];
    assert!(mail.contains(&format!("RCPT TO: {DEMO_BUYER_EMAIL}")), "{mail}");
    assert!(mail.contains("MAIL FROM: no-reply@chohtx.test"), "{mail}");
    assert!(mail.contains("Subject: Đặt lại mật khẩu Chợ HTX"), "{mail}");
    let prefix = format!("{}/dat-lai-mat-khau?token=", s.state.config.link_origin());
    let start = mail.find(&prefix).unwrap_or_else(|| panic!("a reset link in {mail}")) + prefix.len();
    let token: String = mail[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    // The link in the mail works.
    let reset = Session::anonymous()
        .send(
            &s,
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            Some(json!({"token": token, "password": "mật khẩu mới từ thư"})),
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    Session::sign_in_with(&s, DEMO_BUYER_EMAIL, "mật khẩu mới từ thư").await;
}

#[tokio::test]
async fn a_notice_the_smtp_server_refuses_is_kept_for_a_retry() {
    // Nothing listens on this port: the send fails and the row waits for its backoff.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s = TestServer::start_with(None, |c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await.unwrap();
    Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset", Some(json!({"login": DEMO_BUYER_EMAIL})))
        .await;
    let senders = Senders::from_config(&s.state.config).unwrap();
    let now = s.state.clock.now();
    assert_eq!(outbox::deliver_due(&s.state.db, &senders, now).await.unwrap().failed, 1);
    let (attempts, sent_at, error): (i64, Option<String>, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at, last_error FROM outbox WHERE kind = 'password_reset'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    assert_eq!((attempts, sent_at), (1, None));
    assert!(error.is_some_and(|e| e.contains("SMTP")));
}
