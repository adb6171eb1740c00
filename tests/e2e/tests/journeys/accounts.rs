//! Accounts in the browser: a buyer signs up, orders, finds the order under "my orders",
//! signs out and loses access; and no user text is ever run as HTML.

use chohtx_e2e::{Api, Browser};
use chohtx_server::seed::{DEMO_PASSWORD, demo_member_email};
use domain::account::MemberRole;
use serde_json::json;

/// Script that would run if user text were ever rendered as HTML.
const XSS: &str = "<img src=x onerror=window.__xss=1><script>window.__xss=1</script>";
/// The same attack within the 60-character limit of short fields (pack label, certificate number).
const XSS_SHORT: &str = "<img src=x onerror=window.__xss=1>";

/// A buyable variant of the first approved cooperative, and a commune of Cần Thơ.
async fn variant_and_commune(b: &Browser) -> anyhow::Result<(i64, u32)> {
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock > 5 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&b.server.state.db)
    .await?;
    let commune =
        b.server.state.divisions.communes(92).and_then(|c| c.first()).map(|c| c.code).expect("communes of Cần Thơ");
    Ok((variant, commune))
}

#[tokio::test]
async fn a_buyer_signs_up_orders_sees_my_orders_and_loses_access_after_signing_out() -> anyhow::Result<()> {
    let b = Browser::start(390, 844).await?;
    // Sign up in the browser.
    b.open("/dang-ky").await?;
    b.type_into("#name", "Phạm Thu Trang").await?;
    b.type_into("#login", "0938 765 432").await?;
    b.type_into("#password", "vườn bưởi Năm Roi").await?;
    b.click(".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| !u.starts_with("/dang-ky")).await?;
    b.wait_for_text(".account-name", "Trang").await?;

    // Order: the checkout knows who is signing in.
    b.open("/san-pham/gao-st25-my-xuyen").await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "1").await?;
    b.open("/thanh-toan").await?;
    let name = b.find("#buyer_name").await?;
    let started = std::time::Instant::now();
    while name.prop("value").await?.unwrap_or_default().is_empty() && started.elapsed() < chohtx_e2e::WAIT {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(name.prop("value").await?.unwrap_or_default(), "Phạm Thu Trang");
    b.select("#province", "92").await?;
    b.find("#commune option[value='31135']").await?;
    b.select("#commune", "31135").await?;
    b.type_into("#street", "8 Hòa Bình").await?;
    b.click(".checkout-form button[type=submit]").await?;
    b.wait_for_url(|u| u == "/dat-hang-thanh-cong").await?;
    let number = b.find(".placed-order .order-number").await?.text().await?;

    // "My orders" lists it, and it opens without the token.
    b.open("/tai-khoan").await?;
    b.wait_for_text("main", &number).await?;
    b.click(&format!("a[href^='/don-hang/{number}']")).await?;
    b.wait_for_text(".order-status", "Chờ xác nhận").await?;
    b.screenshot("my-orders-390").await?;

    // Sign out: the account page now sends to sign-in, and comes back after it.
    b.click(".account-button").await?;
    b.click(".account-panel button").await?;
    b.find(".account-link").await?;
    b.open("/tai-khoan").await?;
    b.wait_for_url(|u| u.starts_with("/dang-nhap")).await?;
    assert!(b.current_path().await?.contains("next="), "the sign-in page remembers where to return");
    let orders = b
        .client
        .execute_async("const done = arguments[0]; fetch('/api/v1/me/orders').then(r => done(r.status));", vec![])
        .await?;
    assert_eq!(orders, json!(401));
    b.type_into("#login", "0938765432").await?;
    b.type_into("#password", "vườn bưởi Năm Roi").await?;
    b.click(".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| u == "/tai-khoan").await?;
    b.wait_for_text("main", &number).await?;
    b.close().await
}

#[tokio::test]
async fn user_text_is_shown_literally_and_never_runs() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    let (variant, commune) = variant_and_commune(&b).await?;

    // Every free-text field a buyer, a cooperative admin and a seller can fill.
    let buyer = Api::sign_up(&b, XSS, "xss@example.vn", "một mật khẩu dài").await?;
    buyer
        .post(
            "/api/v1/me/addresses",
            json!({"recipient_name": XSS, "phone": "0912345678",
            "address": {"province_code": 92, "commune_code": commune, "street": XSS}}),
        )
        .await?;
    let placed = buyer
        .post(
            "/api/v1/orders",
            json!({"buyer_name": XSS, "buyer_phone": "0912345678",
            "address": {"province_code": 92, "commune_code": commune, "street": XSS}, "note": XSS,
            "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 1}]}),
        )
        .await?;
    let number = placed["orders"][0]["number"].as_str().unwrap_or_default().to_owned();
    let token = placed["orders"][0]["token"].as_str().unwrap_or_default().to_owned();
    let coop = buyer
        .post(
            "/api/v1/cooperatives",
            json!({"name": XSS, "kind": "htx", "province_code": 92, "commune_code": commune,
            "street": XSS, "registration_number": "1800123456", "phone": "0292 3812 345", "bank_bin": "970405",
            "bank_account": "123456789", "bank_account_name": "HTX XSS"}),
        )
        .await?;
    let coop_slug = coop["cooperative"]["slug"].as_str().unwrap_or_default().to_owned();
    // A member named like that: invited, then signed up and accepted.
    let invited = buyer
        .post(
            &format!("/api/v1/cooperatives/{coop_slug}/invitations"),
            json!({"login": "tv.xss@example.vn", "role": "member"}),
        )
        .await?;
    let member = Api::sign_up(&b, XSS, "tv.xss@example.vn", "một mật khẩu dài").await?;
    member
        .post(&format!("/api/v1/invitations/{}/accept", invited["token"].as_str().unwrap_or_default()), json!({}))
        .await?;
    sqlx::query("UPDATE cooperatives SET status = 'approved', story_vi = $1 WHERE slug = $2")
        .bind(XSS)
        .bind(&coop_slug)
        .execute(&b.server.state.db)
        .await?;

    let seller_coop = "htx-lua-gao-my-xuyen";
    let seller = Api::sign_in(&b, &demo_member_email(MemberRole::Admin, seller_coop), DEMO_PASSWORD).await?;
    let product = seller
        .post(&format!("/api/v1/seller/{seller_coop}/products"), json!({
            "name": {"vi": format!("Gạo {XSS}"), "en": XSS}, "description": {"vi": XSS, "en": XSS},
            "category": "rice_grains", "brand": XSS, "origin_province_code": 92, "ocop_stars": 0,
            "certifications": [{"kind": "vietgap", "number": XSS_SHORT, "issuer": XSS, "expires_on": "2030-01-01"}],
            "variants": [{"label": XSS_SHORT, "unit": "túi", "net_weight_g": 1000, "price": 50000, "stock": 5, "gtin": ""}]}))
        .await?;
    let product_slug = product["slug"].as_str().unwrap_or_default().to_owned();
    sqlx::query("UPDATE products SET status = 'published' WHERE slug = $1")
        .bind(&product_slug)
        .execute(&b.server.state.db)
        .await?;

    // Pages that show those texts, as anonymous visitors and as the buyer.
    let literal = "<script>window.__xss=1</script>";
    for path in [
        format!("/don-hang/{number}?token={token}"),
        format!("/htx/{coop_slug}"),
        format!("/san-pham/{product_slug}"),
        "/san-pham?q=gao+img+src".to_owned(),
    ] {
        b.open(&path).await?;
        b.wait_for_text("main", literal).await.map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        assert!(!b.injected_script_ran().await?, "{path}: user text ran as script");
    }
    b.sign_in("xss@example.vn", "một mật khẩu dài").await?;
    for path in ["/tai-khoan".to_owned(), format!("/don-hang/{number}"), format!("/htx-cua-toi/{coop_slug}/thanh-vien")]
    {
        b.open(&path).await?;
        b.wait_for_text("main", literal).await.map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        assert!(!b.injected_script_ran().await?, "{path}: user text ran as script");
    }
    // The account menu shows the name too (its last word, the given name in Vietnamese use).
    b.wait_for_text(".account-name", "<script>").await?;
    assert!(!b.injected_script_ran().await?);
    b.screenshot("xss-literal-account").await?;
    b.close().await
}
