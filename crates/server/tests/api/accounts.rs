//! Accounts and security against the real router and a fresh database: sign-up and
//! sign-in, session expiry and logout, CSRF, the sign-in rate limit, password reset,
//! members and the audit log, security headers and body limits.

use crate::helpers as common;

use chohtx_server::{
    auth::{MAX_FAILURES_PER_ACCOUNT, SESSION_TTL},
    seed::{DEMO_BUYER_EMAIL, DEMO_STAFF_EMAIL, demo_member_email},
};
use common::{PASSWORD, Session, server, some_address, two_cooperatives};
use domain::account::{MemberRole, SessionInfo};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn sign_up_signs_in_and_refuses_a_taken_login_or_a_weak_password() {
    let s = server().await;
    let anon = Session::anonymous();
    let body = json!({"name": "Trần Văn Bình", "login": "0987 654 321", "password": "gạo thơm Sóc Trăng"});
    let a = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body.clone())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let cookie = a.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "{cookie}");
    let me = Session::from_answer(&a);
    let info: SessionInfo =
        serde_json::from_value(me.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    let user = info.user.expect("signed in");
    assert_eq!(user.phone.unwrap().e164(), "+84987654321");
    assert!(!user.is_staff && user.memberships.is_empty());

    let again = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.body["error"]["fields"]["login"]["code"], "login_taken");

    let weak = anon
        .send(
            &s,
            Method::POST,
            "/api/v1/auth/sign-up",
            Some(json!({"name": "", "login": "x@y", "password": "12345678"})),
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    let fields = &weak.body["error"]["fields"];
    assert_eq!(fields["name"]["code"], "required");
    assert_eq!(fields["login"]["code"], "invalid_email");
    assert_eq!(fields["password"]["code"], "password_too_common");

    // Over https (as a proxy reports it) the cookie is Secure.
    let a = anon
        .send_with(
            &s,
            Method::POST,
            "/api/v1/auth/sign-in",
            Some(json!({"login": DEMO_BUYER_EMAIL, "password": PASSWORD})),
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(a.headers.get("set-cookie").unwrap().to_str().unwrap().ends_with("; Secure"));
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let s = server().await;
    let wrong = Session::try_sign_in(&s, DEMO_BUYER_EMAIL, "not the password").await.err().unwrap();
    let unknown = Session::try_sign_in(&s, "nobody@example.vn", "not the password").await.err().unwrap();
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.code(), "invalid_credentials");
    // By phone number, in national form.
    Session::sign_in(&s, "0901 234 567").await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account_and_per_ip() {
    let s = server().await;
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        let a = Session::try_sign_in(&s, DEMO_BUYER_EMAIL, "wrong password").await.err().unwrap();
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Then attempts slow down, with a clear message: the next one waits a moment…
    let a = Session::try_sign_in(&s, DEMO_BUYER_EMAIL, PASSWORD).await.err().unwrap();
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.code(), "rate_limited");
    let wait: i64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "waits {wait} s");
    // …after which the right password works: the owner is slowed down, never locked out.
    s.state.clock.set(s.state.clock.now() + time::Duration::seconds(wait));
    Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    // An unknown account is limited the same way, so the limit reveals nothing.
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        Session::try_sign_in(&s, "nobody@example.vn", "wrong password").await.err().unwrap();
    }
    assert_eq!(Session::try_sign_in(&s, "nobody@example.vn", "x").await.err().unwrap().code(), "rate_limited");
    // Other accounts still work from this address until the per-IP limit.
    Session::sign_in(&s, DEMO_STAFF_EMAIL).await;

    // Per IP: many accounts tried from one address.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(16));
    for i in 0..chohtx_server::auth::MAX_FAILURES_PER_IP {
        Session::try_sign_in(&s, &format!("guess{i}@example.vn"), "wrong password").await.err().unwrap();
    }
    assert_eq!(Session::try_sign_in(&s, DEMO_STAFF_EMAIL, PASSWORD).await.err().unwrap().code(), "rate_limited");
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let s = server().await;
    // Twenty guesses at once (the test clock stands still): only the free attempts are
    // checked at all, the rest wait.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let url = s.url("/api/v1/auth/sign-in");
        tasks.spawn(async move {
            let body = json!({"login": DEMO_BUYER_EMAIL, "password": format!("guess {i}")});
            reqwest::Client::new().post(url).json(&body).send().await.unwrap().status()
        });
    }
    let (mut checked, mut waiting) = (0, 0);
    while let Some(status) = tasks.join_next().await {
        match status.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => waiting += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!(checked, MAX_FAILURES_PER_ACCOUNT, "checked guesses");
    assert_eq!(checked + waiting, 20);
    // However many guesses others make, the owner waits at most a minute.
    for _ in 0..10 {
        s.state.clock.set(s.state.clock.now() + time::Duration::seconds(61));
        let _ = Session::try_sign_in(&s, DEMO_BUYER_EMAIL, "another guess").await;
    }
    s.state.clock.set(s.state.clock.now() + chohtx_server::auth::ACCOUNT_DELAY_CAP);
    Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
}

#[tokio::test]
async fn sessions_end_at_sign_out_and_expire() {
    let s = server().await;
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    assert_eq!(me.send(&s, Method::GET, "/api/v1/me/orders", None).await.status, StatusCode::OK);
    let out = me.send(&s, Method::POST, "/api/v1/auth/sign-out", None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers.get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    // The old cookie opens nothing any more.
    let a = me.send(&s, Method::GET, "/api/v1/me/orders", None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.code(), "unauthenticated");
    let info: SessionInfo =
        serde_json::from_value(me.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    assert!(info.user.is_none());

    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    s.state.clock.set(s.state.clock.now() + SESSION_TTL - time::Duration::minutes(1));
    assert_eq!(me.send(&s, Method::GET, "/api/v1/me/orders", None).await.status, StatusCode::OK);
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(2));
    assert_eq!(me.send(&s, Method::GET, "/api/v1/me/orders", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn csrf_cross_origin_posts_and_missing_tokens_are_refused() {
    let s = server().await;
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let (province, commune) = some_address(&s);
    let address = json!({"recipient_name": "Minh Anh", "phone": "0901234567",
        "address": {"province_code": province, "commune_code": commune, "street": "12 Lê Lợi"}});

    // A form on another site posting with the browser's cookie.
    let evil = me
        .send_with(
            &s,
            Method::POST,
            "/api/v1/me/addresses",
            Some(address.clone()),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN);
    assert_eq!(evil.code(), "cross_origin");
    let fetch_meta = me
        .send_with(&s, Method::POST, "/api/v1/me/addresses", Some(address.clone()), &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(fetch_meta.code(), "cross_origin");

    // The cookie alone is not enough: the session's token must come along.
    let no_token = Session { csrf: None, ..me.clone() };
    let a = no_token.send(&s, Method::POST, "/api/v1/me/addresses", Some(address.clone())).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "csrf");
    let wrong = Session { csrf: Some("0".repeat(64)), ..me.clone() };
    assert_eq!(wrong.send(&s, Method::POST, "/api/v1/me/addresses", Some(address.clone())).await.code(), "csrf");
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM addresses").fetch_one(&s.state.db).await.unwrap(),
        0,
        "nothing was saved"
    );

    // Same origin with the token works.
    let host = s.addr.to_string();
    let origin = format!("http://{host}");
    let ok = me.send_with(&s, Method::POST, "/api/v1/me/addresses", Some(address), &[("origin", &origin)]).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["phone"], "+84901234567");
}

#[tokio::test]
async fn password_reset_sets_a_new_password_once_and_ends_sessions() {
    let s = server().await;
    let old = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    // Always 202, whether or not the account exists.
    for login in [DEMO_BUYER_EMAIL, "nobody@example.vn", "abc"] {
        let a = Session::anonymous()
            .send(&s, Method::POST, "/api/v1/auth/password-reset", Some(json!({"login": login})))
            .await;
        assert_eq!(a.status, StatusCode::ACCEPTED);
    }
    let token = {
        let mut conn = s.state.db.acquire().await.unwrap();
        chohtx_server::auth::issue_reset_token(&mut conn, &s.state, old.user_id.unwrap()).await.unwrap()
    };
    let confirm = |password: &str| json!({"token": token, "password": password});
    let weak =
        Session::anonymous().send(&s, Method::POST, "/api/v1/auth/password-reset/confirm", Some(confirm("123"))).await;
    assert_eq!(weak.body["error"]["fields"]["password"]["code"], "password_too_short");
    let ok = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset/confirm", Some(confirm("mật khẩu mới của Anh")))
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    let reused = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset/confirm", Some(confirm("một mật khẩu khác nữa")))
        .await;
    assert_eq!(reused.code(), "invalid_token");
    assert_eq!(old.send(&s, Method::GET, "/api/v1/me/orders", None).await.status, StatusCode::UNAUTHORIZED);
    assert!(Session::try_sign_in(&s, DEMO_BUYER_EMAIL, PASSWORD).await.is_err());
    Session::try_sign_in(&s, DEMO_BUYER_EMAIL, "mật khẩu mới của Anh").await.ok().expect("new password works");
}

#[tokio::test]
async fn a_registered_cooperative_is_pending_and_its_admin_manages_members_with_an_audit_trail() {
    let s = server().await;
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let (province, commune) = some_address(&s);
    let reg = json!({"name": "HTX Nông nghiệp Lúa Vàng", "kind": "htx", "province_code": province, "commune_code": commune,
        "street": "Ấp 3", "registration_number": "2201234567", "phone": "0299 3612 345", "bank_bin": "970405",
        "bank_account": "7100 2050 12345", "bank_account_name": "Hợp tác xã Lúa Vàng"});
    let a = me.send(&s, Method::POST, "/api/v1/cooperatives", Some(reg.clone())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["status"], "pending");
    assert_eq!(a.body["role"], "admin");
    let slug = a.body["cooperative"]["slug"].as_str().unwrap().to_owned();
    assert_eq!(slug, "htx-nong-nghiep-lua-vang");
    // Not public while pending.
    let public = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/cooperatives/{slug}"), None).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    // A second registration with the same name gets its own address.
    let again = me.send(&s, Method::POST, "/api/v1/cooperatives", Some(reg)).await;
    assert_eq!(again.body["cooperative"]["slug"], format!("{slug}-2"));

    // The admin invites two people, who accept with their own accounts; one is removed.
    let members = format!("/api/v1/cooperatives/{slug}/members");
    let tam = common::sign_up(&s, "Lê Văn Tâm", "0977 111 222", "ruộng lúa mùa nổi").await;
    let to_tam = common::invite(&s, &me, &slug, "0977 111 222", "member").await;
    assert_eq!(to_tam.status, StatusCode::CREATED, "{}", to_tam.body);
    let accept = |a: &common::Answer| format!("/api/v1/invitations/{}/accept", a.body["token"].as_str().unwrap());
    assert_eq!(tam.send(&s, Method::GET, &members, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(tam.send(&s, Method::POST, &accept(&to_tam), None).await.status, StatusCode::CREATED);
    assert_eq!(tam.send(&s, Method::GET, &members, None).await.status, StatusCode::OK);
    let staff_email = DEMO_STAFF_EMAIL;
    let to_staff = common::invite(&s, &me, &slug, staff_email, "admin").await;
    let staff_member = Session::sign_in(&s, staff_email).await;
    assert_eq!(staff_member.send(&s, Method::POST, &accept(&to_staff), None).await.status, StatusCode::CREATED);
    let list = me.send(&s, Method::GET, &members, None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 3);
    let tam_id = tam.user_id.unwrap();
    let removed = me.send(&s, Method::DELETE, &format!("{members}/{tam_id}"), None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(tam.send(&s, Method::GET, &members, None).await.status, StatusCode::FORBIDDEN);
    // The last admin cannot leave the cooperative without one.
    let staff_id = staff_member.user_id.unwrap();
    me.send(&s, Method::DELETE, &format!("{members}/{staff_id}"), None).await;
    let last = me.send(&s, Method::DELETE, &format!("{members}/{}", me.user_id.unwrap()), None).await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert_eq!(last.code(), "last_admin");

    // Every admin action is in the audit log, with before and after; staff read it.
    let staff = Session::sign_in(&s, DEMO_STAFF_EMAIL).await;
    let log = staff.send(&s, Method::GET, "/api/v1/staff/audit?entity=cooperative", None).await;
    assert_eq!(log.status, StatusCode::OK);
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "member.remove",
            "member.remove",
            "invitation.accept",
            "invitation.create",
            "invitation.accept",
            "invitation.create",
            "cooperative.register",
            "cooperative.register"
        ]
    );
    let removal = &log.body[1];
    assert_eq!(removal["actor_name"], "Nguyễn Thị Minh Anh");
    assert_eq!(removal["before"]["name"], "Lê Văn Tâm");
    assert!(removal["after"].is_null());
    assert!(removal["at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn demo_accounts_exist_for_every_cooperative_and_staff_create_staff() {
    let s = server().await;
    let (a, _) = two_cooperatives(&s).await;
    for role in MemberRole::ALL {
        let who = Session::sign_in(&s, &demo_member_email(*role, &a)).await;
        let info: SessionInfo =
            serde_json::from_value(who.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
        assert_eq!(info.user.unwrap().memberships[0].role, *role);
    }
    let staff = Session::sign_in(&s, DEMO_STAFF_EMAIL).await;
    let new = staff
        .send(
            &s,
            Method::POST,
            "/api/v1/staff/users",
            Some(json!({"name": "Cán bộ Hai", "login": "canbo2@example.vn",
            "password": "xúc tiến thương mại"})),
        )
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.body);
    assert_eq!(new.body["is_staff"], true);
    let two = Session::sign_in_with(&s, "canbo2@example.vn", "xúc tiến thương mại").await;
    assert_eq!(two.send(&s, Method::GET, "/api/v1/staff/audit", None).await.status, StatusCode::OK);

    // The first staff account can also come from the configuration.
    let db = s.state.db.clone();
    assert!(
        chohtx_server::api::staff::ensure_staff(
            &db,
            "Ba",
            "canbo3@example.vn",
            "xúc tiến thương mại",
            "2026-01-01T00:00:00Z"
        )
        .await
        .unwrap()
    );
    assert!(
        !chohtx_server::api::staff::ensure_staff(
            &db,
            "Ba",
            "canbo3@example.vn",
            "xúc tiến thương mại",
            "2026-01-01T00:00:00Z"
        )
        .await
        .unwrap()
    );
}

#[tokio::test]
async fn signed_in_orders_appear_in_my_orders_and_only_there() {
    let s = server().await;
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let (province, commune) = some_address(&s);
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock > 5 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let order = json!({"buyer_name": "Minh Anh", "buyer_phone": "0901234567",
        "address": {"province_code": province, "commune_code": commune, "street": "12 Lê Lợi"},
        "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 2}]});
    let placed = me.send(&s, Method::POST, "/api/v1/orders", Some(order.clone())).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let number = placed.body["orders"][0]["number"].as_str().unwrap().to_owned();
    // A guest order does not appear.
    Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(order)).await;

    let mine = me.send(&s, Method::GET, "/api/v1/me/orders", None).await;
    let list = mine.body.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["number"], number.as_str());
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["item_count"], 2);
    let one = me.send(&s, Method::GET, &format!("/api/v1/me/orders/{number}"), None).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.headers.get("cache-control").unwrap(), "private, no-store");

    let other = Session::sign_in(&s, DEMO_STAFF_EMAIL).await;
    assert!(other.send(&s, Method::GET, "/api/v1/me/orders", None).await.body.as_array().unwrap().is_empty());
    assert_eq!(
        other.send(&s, Method::GET, &format!("/api/v1/me/orders/{number}"), None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn security_headers_and_body_limits_apply_everywhere() {
    let s = server().await;
    for path in ["/", "/san-pham", "/api/v1/products", "/api/v1/session", "/api/nope"] {
        let a = Session::anonymous().send(&s, Method::GET, path, None).await;
        let h = &a.headers;
        let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP")).to_str().unwrap();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin", "{path}");
    }
    let big = json!({"login": "x".repeat(100_000), "password": "y"});
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    for (method, path) in [
        (Method::POST, "/api/v1/auth/sign-in"),
        (Method::POST, "/api/v1/auth/sign-up"),
        (Method::POST, "/api/v1/me/addresses"),
        (Method::POST, "/api/v1/cooperatives"),
        (Method::POST, "/api/v1/orders"),
        (Method::POST, "/api/v1/cart/quote"),
    ] {
        let a = me.send(&s, method, path, Some(big.clone())).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {}", a.body);
        assert_eq!(a.code(), "payload_too_large");
    }
}

#[tokio::test]
async fn the_server_refuses_to_seed_demo_data_on_an_https_origin() {
    let refused = chohtx_server::testing::TestServer::start_with(None, |c| {
        c.public_origin = Some("https://cho.example.vn".into());
    })
    .await;
    let message = format!("{:#}", refused.err().expect("the server must not start with demo data over https"));
    assert!(message.contains("CHOHTX_SEED_DEMO") && message.contains("https"), "{message}");
    // Without demo data it starts, and its database is empty.
    let s = chohtx_server::testing::TestServer::start_with(None, |c| {
        c.public_origin = Some("https://cho.example.vn".into());
        c.seed_demo = false;
    })
    .await
    .expect("starts without demo data");
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(&s.state.db).await.unwrap();
    assert_eq!(products, 0);
}

#[tokio::test]
async fn over_https_responses_carry_hsts_and_the_session_cookie_is_host_prefixed() {
    let s = chohtx_server::testing::TestServer::start_with(None, |c| {
        c.public_origin = Some("https://cho.example.vn".into());
        c.seed_demo = false;
    })
    .await
    .unwrap();
    let body = json!({"name": "Trần Văn Bình", "login": "0987 654 321", "password": "gạo thơm Sóc Trăng"});
    let a = Session::anonymous().send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let cookie = a.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-chohtx_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("; Path=/") && !cookie.contains("Domain"), "{cookie}");
    // The browser sends it back under that name, and the server reads it.
    let me = Session::from_answer(&a);
    let info: SessionInfo =
        serde_json::from_value(me.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    assert_eq!(info.user.map(|u| u.name).as_deref(), Some("Trần Văn Bình"));
    let page = Session::anonymous().send(&s, Method::GET, "/api/v1/products", None).await;
    assert!(page.headers.contains_key("strict-transport-security"));
    let out = me.send(&s, Method::POST, "/api/v1/auth/sign-out", None).await;
    assert!(out.headers["set-cookie"].to_str().unwrap().starts_with("__Host-chohtx_session=;"));

    // Over http: no HSTS, the cookie keeps its name.
    let plain = server().await;
    let a = Session::anonymous().send(&plain, Method::GET, "/api/v1/products", None).await;
    assert!(!a.headers.contains_key("strict-transport-security"));
    let signed = Session::sign_in(&plain, DEMO_BUYER_EMAIL).await;
    assert!(signed.cookie.unwrap().starts_with("chohtx_session="));
}

#[tokio::test]
async fn a_decomposed_address_name_is_stored_and_returned_nfc() {
    let s = server().await;
    let (province, commune) = some_address(&s);
    let buyer = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Lan";
    let street = "12 \u{110}u\u{31b}o\u{31b}\u{300}ng 3/2";
    let a = buyer
        .send(
            &s,
            Method::POST,
            "/api/v1/me/addresses",
            Some(json!({"recipient_name": nfd, "phone": "0912 345 678",
                "address": {"province_code": province, "commune_code": commune, "street": street}})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["recipient_name"], "Nguyễn Thị Lan");
    assert_eq!(a.body["address"]["street"], "12 Đường 3/2");
    let stored: String = sqlx::query_scalar("SELECT recipient_name FROM addresses WHERE id = $1")
        .bind(a.body["id"].as_i64().unwrap())
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(stored, "Nguyễn Thị Lan");
}

#[tokio::test]
async fn a_successful_reset_voids_the_accounts_other_reset_links() {
    let s = server().await;
    let user_id = Session::sign_in(&s, DEMO_BUYER_EMAIL).await.user_id.unwrap();
    let (first, second) = {
        let mut conn = s.state.db.acquire().await.unwrap();
        let first = chohtx_server::auth::issue_reset_token(&mut conn, &s.state, user_id).await.unwrap();
        let second = chohtx_server::auth::issue_reset_token(&mut conn, &s.state, user_id).await.unwrap();
        (first, second)
    };
    let confirm = |token: &str, password: &str| json!({"token": token, "password": password});
    let ok = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset/confirm", Some(confirm(&second, "mật khẩu mới của Anh")))
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    // An older link (say, in a mailbox someone else reads) no longer sets a password.
    let old = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset/confirm", Some(confirm(&first, "kẻ khác đặt mật khẩu")))
        .await;
    assert_eq!(old.code(), "invalid_token", "{}", old.body);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited_and_a_taken_login_is_said_at_once() {
    let s = server().await;
    let anon = Session::anonymous();
    let body =
        |i: usize| json!({"name": "Chị Lan", "login": format!("lan{i}@example.vn"), "password": "một mật khẩu dài"});
    for i in 0..chohtx_server::auth::MAX_SIGN_UPS_PER_IP as usize {
        let a = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body(i))).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    // A taken login is answered before the limit (and before any hashing).
    let taken = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body(0))).await;
    assert_eq!(taken.body["error"]["fields"]["login"]["code"], "login_taken");
    let a = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body(99))).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.code(), "rate_limited");
    // The window passes.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(16));
    let a = anon.send(&s, Method::POST, "/api/v1/auth/sign-up", Some(body(99))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
}

async fn reset_links(s: &chohtx_server::testing::TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM password_resets").fetch_one(&s.state.db).await.unwrap()
}

#[tokio::test]
async fn password_reset_requests_are_throttled_per_account_silently_and_per_address_with_429() {
    use chohtx_server::auth::{RESETS_PER_ACCOUNT_PER_HOUR, RESETS_PER_ADDRESS_PER_HOUR};
    let s = server().await;
    let anon = Session::anonymous();
    let reset = |login: String| {
        let (anon, s) = (anon.clone(), &s);
        async move { anon.send(s, Method::POST, "/api/v1/auth/password-reset", Some(json!({"login": login}))).await }
    };
    for _ in 0..RESETS_PER_ACCOUNT_PER_HOUR {
        assert_eq!(reset(DEMO_BUYER_EMAIL.into()).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!(reset_links(&s).await, RESETS_PER_ACCOUNT_PER_HOUR);
    // One more for the account: the same answer as for an unknown one, and no link.
    let more = reset(DEMO_BUYER_EMAIL.into()).await;
    let unknown = reset("nobody@example.vn".into()).await;
    assert_eq!((more.status, &more.body), (unknown.status, &unknown.body));
    assert_eq!(more.status, StatusCode::ACCEPTED);
    assert_eq!(reset_links(&s).await, RESETS_PER_ACCOUNT_PER_HOUR, "no link past the account's limit");
    // Other logins are still answered, until the address has asked too often.
    let asked = RESETS_PER_ACCOUNT_PER_HOUR + 2;
    for i in asked..RESETS_PER_ADDRESS_PER_HOUR {
        assert_eq!(reset(format!("guess{i}@example.vn")).await.status, StatusCode::ACCEPTED);
    }
    let refused = reset(DEMO_STAFF_EMAIL.into()).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert_eq!(refused.code(), "rate_limited");
    let wait: i64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    // An hour later both limits have passed.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(61));
    let before = reset_links(&s).await;
    assert_eq!(reset(DEMO_BUYER_EMAIL.into()).await.status, StatusCode::ACCEPTED);
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE expires_at > $1")
        .bind(s.state.clock.now_rfc3339())
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(live, 1, "a new link once the hour has passed (of {before} before)");
}

#[tokio::test]
async fn expired_reset_links_are_deleted_when_a_new_one_is_issued() {
    let s = server().await;
    let user_id = Session::sign_in(&s, DEMO_BUYER_EMAIL).await.user_id.unwrap();
    let mut conn = s.state.db.acquire().await.unwrap();
    chohtx_server::auth::issue_reset_token(&mut conn, &s.state, user_id).await.unwrap();
    chohtx_server::auth::issue_reset_token(&mut conn, &s.state, user_id).await.unwrap();
    drop(conn);
    assert_eq!(reset_links(&s).await, 2);
    // Never used, expired: gone as soon as anyone asks for a link.
    s.state.clock.set(s.state.clock.now() + time::Duration::minutes(61));
    let a = Session::anonymous()
        .send(&s, Method::POST, "/api/v1/auth/password-reset", Some(json!({"login": DEMO_STAFF_EMAIL})))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(reset_links(&s).await, 1, "only the staff member's new link is left");
}
