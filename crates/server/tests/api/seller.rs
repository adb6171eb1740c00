//! The seller console's API against a real server: the product editor and review,
//! photo uploads and their checks, order actions with stock, and the dashboard.

use crate::helpers as common;

use chohtx_server::seed::demo_member_email;
use common::{Session, png, server, some_address, two_cooperatives};
use domain::account::MemberRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn draft(province: u8) -> Value {
    json!({
        "name": {"vi": "Gạo ST25 Lúa Tôm Hậu Giang", "en": "ST25 rice-shrimp rice"},
        "description": {"vi": "Gạo thơm trồng luân canh với tôm, không thuốc trừ sâu.", "en": ""},
        "category": "rice_grains", "brand": "Lúa Tôm Mỹ Xuyên", "origin_province_code": province, "ocop_stars": 4,
        "certifications": [{"kind": "vietgap", "number": "VietGAP-TT-19-01-92-0099", "issuer": "QUACERT", "expires_on": "2027-12-31"},
            {"kind": "ocop", "number": "OCOP-93-2026-007", "issuer": "UBND tỉnh Hậu Giang", "expires_on": "2030-12-31"}],
        "variants": [
            {"label": "Túi 2 kg", "unit": "túi", "net_weight_g": 2000, "price": 98000, "stock": 20, "gtin": "9520000009991"},
            {"label": "Túi 5 kg", "unit": "túi", "net_weight_g": 5000, "price": 235000, "stock": 8, "gtin": ""}
        ]
    })
}

#[tokio::test]
async fn a_member_lists_a_product_that_staff_publish_and_a_buyer_orders_then_the_seller_ships() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let base = format!("/api/v1/seller/{coop}");

    // A wrong check digit is named on its field; nothing is created.
    let mut bad = draft(province);
    bad["variants"][0]["gtin"] = json!("9520000009992");
    let a = member.send(&s, Method::POST, &format!("{base}/products"), Some(bad)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["fields"]["variants.0.gtin"]["code"], "gtin_check_digit");

    let created = member.send(&s, Method::POST, &format!("{base}/products"), Some(draft(province))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "draft");
    let slug = created.body["slug"].as_str().unwrap().to_owned();
    assert_eq!(slug, "gao-st25-lua-tom-hau-giang");
    assert_eq!(created.body["draft"]["variants"][0]["gtin"], "09520000009991");
    // Not in the catalog while a draft.
    let public = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/products/{slug}"), None).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);

    // Not to review without a photo.
    let no_photo = member.send(&s, Method::POST, &format!("{base}/products/{slug}/submit"), None).await;
    assert_eq!(no_photo.status, StatusCode::BAD_REQUEST, "{}", no_photo.body);
    assert_eq!(no_photo.body["error"]["fields"]["images"]["code"], "needs_photo");

    // A photo: resized WebP copies for srcset.
    let up = member
        .send_bytes(&s, &format!("{base}/products/{slug}/images?alt=T%C3%BAi%20g%E1%BA%A1o%202%20kg"), png(1600, 1200))
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    assert_eq!(up.body["alt"]["vi"], "Túi gạo 2 kg");
    let widths: Vec<i64> =
        up.body["renditions"].as_array().unwrap().iter().map(|r| r["width"].as_i64().unwrap()).collect();
    assert_eq!(widths, [320, 640, 1280]);
    assert_eq!((up.body["width"].as_i64(), up.body["height"].as_i64()), (Some(1280), Some(960)));
    let file = Session::anonymous().send(&s, Method::GET, up.body["url"].as_str().unwrap(), None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "image/webp");
    assert!(file.headers["cache-control"].to_str().unwrap().contains("immutable"));

    // Submit → pending; staff approval publishes it.
    let submitted = member.send(&s, Method::POST, &format!("{base}/products/{slug}/submit"), None).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.body["status"], "pending");
    let again = member.send(&s, Method::POST, &format!("{base}/products/{slug}/submit"), None).await;
    assert_eq!(again.code(), "not_a_draft");
    sqlx::query("UPDATE products SET status = 'published' WHERE slug = $1")
        .bind(&slug)
        .execute(&s.state.db)
        .await
        .unwrap();
    let found = Session::anonymous().send(&s, Method::GET, "/api/v1/products?q=lua+tom+hau+giang", None).await;
    assert!(found.body["items"].as_array().unwrap().iter().any(|p| p["slug"] == slug.as_str()), "{}", found.body);
    let product = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/products/{slug}"), None).await;
    assert_eq!(product.body["images"][0]["renditions"].as_array().unwrap().len(), 3);
    let variant = product.body["variants"][0]["id"].as_i64().unwrap();

    // A buyer orders 3 bags; the seller confirms and ships; the buyer's page follows.
    let placed = Session::anonymous()
        .send(
            &s,
            Method::POST,
            "/api/v1/orders",
            Some(json!({"buyer_name": "Trần Thị Hoa", "buyer_phone": "0903 111 222",
            "address": {"province_code": province, "commune_code": commune, "street": "45 Trần Hưng Đạo"},
            "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 3}]})),
        )
        .await;
    let number = placed.body["orders"][0]["number"].as_str().unwrap().to_owned();
    let token = placed.body["orders"][0]["token"].as_str().unwrap().to_owned();
    let pending = member.send(&s, Method::GET, &format!("{base}/orders?status=pending"), None).await;
    assert!(
        pending
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["number"] == number.as_str() && o["buyer_name"] == "Trần Thị Hoa")
    );
    let status = format!("{base}/orders/{number}/status");
    let ship_first = member.send(&s, Method::POST, &status, Some(json!({"action": "deliver"}))).await;
    assert_eq!(ship_first.code(), "invalid_transition");
    assert_eq!(member.send(&s, Method::POST, &status, Some(json!({"action": "confirm"}))).await.status, StatusCode::OK);
    let no_code = member
        .send(&s, Method::POST, &status, Some(json!({"action": "ship", "carrier": "GHN", "tracking_code": ""})))
        .await;
    assert_eq!(no_code.body["error"]["fields"]["tracking_code"]["code"], "required");
    let shipped = member
        .send(
            &s,
            Method::POST,
            &status,
            Some(json!({"action": "ship", "carrier": "Giao Hàng Nhanh", "tracking_code": "GHN8XK2"})),
        )
        .await;
    assert_eq!(shipped.body["status"], "shipped");
    let tracking =
        Session::anonymous().send(&s, Method::GET, &format!("/api/v1/orders/{number}?token={token}"), None).await;
    assert_eq!(tracking.body["status"], "shipped");
    let history: Vec<&str> =
        tracking.body["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(history, ["pending", "confirmed", "shipped"]);
    assert_eq!(tracking.body["history"][2]["note"], "Giao Hàng Nhanh: GHN8XK2");
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(stock, 17);
}

#[tokio::test]
async fn cancelling_restores_stock_and_needs_a_reason() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let (variant, before): (i64, i64) = sqlx::query_as(
        "SELECT v.id, v.stock FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock >= 2 ORDER BY v.id LIMIT 1",
    )
    .bind(&coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let placed = place_cod(&s, (province, commune), variant, 2).await;
    let number = placed.body["orders"][0]["number"].as_str().unwrap().to_owned();
    let status = format!("/api/v1/seller/{coop}/orders/{number}/status");
    let no_reason = admin.send(&s, Method::POST, &status, Some(json!({"action": "cancel", "reason": " "}))).await;
    assert_eq!(no_reason.body["error"]["fields"]["reason"]["code"], "required");
    let cancelled = admin
        .send(&s, Method::POST, &status, Some(json!({"action": "cancel", "reason": "Hết hàng vụ này, hẹn vụ sau"})))
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.body);
    let after: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(after, before);
    let twice = admin.send(&s, Method::POST, &status, Some(json!({"action": "cancel", "reason": "again"}))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

/// The editor saves stock as a change from what it showed, so an order placed while the
/// editor was open is not undone by saving.
#[tokio::test]
async fn saving_the_editor_keeps_orders_placed_while_it_was_open() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let (slug, variant, before): (String, i64, i64) = sqlx::query_as(
        "SELECT p.slug, v.id, v.stock FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock >= 2 ORDER BY v.id LIMIT 1",
    )
    .bind(&coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let path = format!("/api/v1/seller/{coop}/products/{slug}");
    let opened = admin.send(&s, Method::GET, &path, None).await.body["draft"].clone();
    let at = |draft: &Value| draft["variants"].as_array().unwrap().iter().position(|v| v["id"] == variant).unwrap();
    let i = at(&opened);
    assert_eq!(opened["variants"][i]["stock_seen"], before);
    // A buyer takes two while the editor is open.
    let placed = place_cod(&s, (province, commune), variant, 2).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let stock = || async {
        sqlx::query_scalar::<_, i64>("SELECT stock FROM variants WHERE id = $1")
            .bind(variant)
            .fetch_one(&s.state.db)
            .await
            .unwrap()
    };
    // Saving without touching the stock keeps the order counted.
    let saved = admin.send(&s, Method::PUT, &path, Some(opened.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(stock().await, before - 2);
    assert_eq!(saved.body["draft"]["variants"][i]["stock"], before - 2, "the editor shows the stock as it is now");
    // Restocking by ten from the stale screen adds ten to what is left.
    let mut restock = opened.clone();
    restock["variants"][i]["stock"] = json!(before + 10);
    admin.send(&s, Method::PUT, &path, Some(restock)).await;
    assert_eq!(stock().await, before + 8);
    // A client that sends no `stock_seen` sets the stock as given.
    let mut absolute = opened;
    absolute["variants"][i]["stock"] = json!(5);
    absolute["variants"][i].as_object_mut().unwrap().remove("stock_seen");
    admin.send(&s, Method::PUT, &path, Some(absolute)).await;
    assert_eq!(stock().await, 5);
}

#[tokio::test]
async fn uploads_refuse_non_images_oversized_files_and_image_bombs_with_clear_messages() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, _) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let created =
        member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(draft(province))).await;
    let slug = created.body["slug"].as_str().unwrap();
    let url = format!("/api/v1/seller/{coop}/products/{slug}/images?alt=%E1%BA%A2nh");

    // A text file named like a photo: the content decides.
    let fake = member.send_bytes(&s, &url, b"<html><script>alert(1)</script></html>".to_vec()).await;
    assert_eq!(fake.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(fake.code(), "unsupported_image");
    // Over 10 MiB.
    let big = member.send_bytes(&s, &url, vec![0xFF; 10 * 1024 * 1024 + 1]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(big.code(), "payload_too_large");
    // A PNG that claims 60,000 × 60,000 pixels.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = bomb[12..29].iter().fold(!0u32, |mut c, &b| {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
        c
    });
    bomb[29..33].copy_from_slice(&(!crc).to_be_bytes());
    let a = member.send_bytes(&s, &url, bomb).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert_eq!(a.code(), "image_too_large");
    // Alt text is required.
    let no_alt = member.send_bytes(&s, &format!("/api/v1/seller/{coop}/products/{slug}/images"), png(10, 10)).await;
    assert_eq!(no_alt.body["error"]["fields"]["alt.vi"]["code"], "required");
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM product_images i JOIN products p ON p.id = i.product_id WHERE p.slug = $1",
    )
    .bind(slug)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    assert_eq!(count, 0, "nothing refused was stored");
}

#[tokio::test]
async fn the_dashboard_counts_confirmed_goods_by_day_product_and_province() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock >= 3 ORDER BY v.id LIMIT 1",
    )
    .bind(&coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let mut placed = Vec::new();
    for phone in ["0901000001", "0901000002"] {
        let p = Session::anonymous()
            .send(
                &s,
                Method::POST,
                "/api/v1/orders",
                Some(json!({"buyer_name": "Khách", "buyer_phone": phone,
                "address": {"province_code": province, "commune_code": commune, "street": "Số 1"},
                "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": 1}]})),
            )
            .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        placed.push(p.body["orders"][0].clone());
    }
    let dashboard = || async { admin.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/dashboard"), None).await };
    // Nothing is sold until the cooperative confirms: both orders await confirmation.
    let d = dashboard().await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["daily"].as_array().unwrap().len(), 90);
    let goods = |o: &Value| o["subtotal"].as_i64().unwrap();
    assert_eq!(d.body["revenue_30"], 0);
    assert_eq!(d.body["unconfirmed_30"], goods(&placed[0]) + goods(&placed[1]));
    assert_eq!(d.body["daily"][89]["orders"], 0);
    assert_eq!(d.body["awaiting"].as_array().unwrap().len(), 2);

    // One confirmed: a sale of its goods, without the shipping fee.
    let number = placed[0]["number"].as_str().unwrap();
    let c = admin
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{coop}/orders/{number}/status"),
            Some(json!({"action": "confirm"})),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert!(placed[0]["shipping_fee"].as_i64().unwrap() > 0 || placed[0]["total"] == placed[0]["subtotal"]);
    let d = dashboard().await;
    assert_eq!(d.body["revenue_30"], goods(&placed[0]));
    assert_eq!(d.body["revenue_90"], goods(&placed[0]));
    assert_eq!(d.body["unconfirmed_30"], goods(&placed[1]));
    assert_eq!(d.body["daily"][89]["orders"], 1);
    assert_eq!(d.body["awaiting"].as_array().unwrap().len(), 2, "confirmed orders still wait to be shipped");
    assert_eq!(d.body["buyers_by_province"][0]["province_code"], province);
    assert_eq!(d.body["buyers_by_province"][0]["buyers"], 1);
    assert_eq!(d.body["revenue_by_product"][0]["quantity"], 1);
}

#[tokio::test]
async fn a_bank_transfer_is_marked_paid_once_and_the_buyer_sees_it() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND c.bank_account IS NOT NULL AND p.status = 'published' AND v.stock >= 2 ORDER BY v.id LIMIT 1",
    )
    .bind(&coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let place = |payment: &'static str| {
        let body = json!({"buyer_name": "Khách", "buyer_phone": "0901000003",
            "address": {"province_code": province, "commune_code": commune, "street": "Số 1"},
            "payment_method": payment, "lines": [{"variant_id": variant, "quantity": 1}]});
        async { Session::anonymous().send(&s, Method::POST, "/api/v1/orders", Some(body)).await }
    };
    let placed = place("bank_transfer").await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let (number, token) =
        (placed.body["orders"][0]["number"].as_str().unwrap(), placed.body["orders"][0]["token"].as_str().unwrap());
    let tracking = format!("/api/v1/orders/{number}?token={token}");
    let before = Session::anonymous().send(&s, Method::GET, &tracking, None).await;
    assert!(before.body["paid_at"].is_null() && before.body["vietqr"].is_object(), "{}", before.body);

    let paid = member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/orders/{number}/paid"), None).await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    assert!(paid.body["paid_at"].is_string());
    let after = Session::anonymous().send(&s, Method::GET, &tracking, None).await;
    assert_eq!(after.body["paid_at"], paid.body["paid_at"]);
    assert!(after.body["vietqr"].is_null(), "no more asking for the transfer");
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'order.mark_paid' AND entity_id = $1")
            .bind(number)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    assert_eq!(audit, 1);

    // Once only, and never a cash order.
    let again = member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/orders/{number}/paid"), None).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "invalid_transition"));
    let cod = place("cod").await;
    let cod = cod.body["orders"][0]["number"].as_str().unwrap().to_owned();
    let refused = member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/orders/{cod}/paid"), None).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::CONFLICT, "invalid_transition"));
}

#[tokio::test]
async fn ocop_stars_need_an_ocop_certificate_that_is_valid_when_submitted() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, _) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let base = format!("/api/v1/seller/{coop}");
    let mut body = draft(province);
    body["certifications"].as_array_mut().unwrap().retain(|c| c["kind"] != "ocop");
    let refused = member.send(&s, Method::POST, &format!("{base}/products"), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body["error"]["fields"]["ocop_stars"]["code"], "needs_ocop_certificate");

    // An expired OCOP certificate may be kept on a draft (it may be being renewed), but
    // the stars do not go to review on it.
    body["certifications"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kind": "ocop", "number": "OCOP-93-2022-001", "issuer": "UBND tỉnh Hậu Giang", "expires_on": "2024-12-31"}));
    let created = member.send(&s, Method::POST, &format!("{base}/products"), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let slug = created.body["slug"].as_str().unwrap();
    let up = member.send_bytes(&s, &format!("{base}/products/{slug}/images?alt=%E1%BA%A2nh"), png(64, 48)).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let submitted = member.send(&s, Method::POST, &format!("{base}/products/{slug}/submit"), None).await;
    assert_eq!(submitted.status, StatusCode::BAD_REQUEST, "{}", submitted.body);
    assert_eq!(submitted.body["error"]["fields"]["ocop_stars"]["code"], "certificate_expired");
}

#[tokio::test]
async fn a_pending_cooperative_cannot_submit_products() {
    let s = server().await;
    let coop: String = sqlx::query_scalar("SELECT slug FROM cooperatives WHERE status = 'pending' LIMIT 1")
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let (province, _) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let created = admin.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(draft(province))).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let slug = created.body["slug"].as_str().unwrap();
    let a = admin.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products/{slug}/submit"), None).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "cooperative_not_approved");
}

/// A removed pack size's id is never given to another, so cancelling an old order cannot
/// restock a product it did not sell.
#[tokio::test]
async fn cancelling_an_order_restocks_only_its_own_product() {
    let s = server().await;
    let (coop, other) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let created = admin.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(draft(province))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let slug = created.body["slug"].as_str().unwrap().to_owned();
    sqlx::query("UPDATE products SET status = 'published' WHERE slug = $1")
        .bind(&slug)
        .execute(&s.state.db)
        .await
        .unwrap();
    let path = format!("/api/v1/seller/{coop}/products/{slug}");
    let mut edited = admin.send(&s, Method::GET, &path, None).await.body["draft"].clone();
    // The newest pack size of all is ordered, then removed from the product.
    let sold = edited["variants"][1]["id"].as_i64().unwrap();
    let placed = place_cod(&s, (province, commune), sold, 2).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let number = placed.body["orders"][0]["number"].as_str().unwrap().to_owned();
    edited["variants"].as_array_mut().unwrap().truncate(1);
    let saved = admin.send(&s, Method::PUT, &path, Some(edited)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // Another cooperative lists a product; its pack sizes get new ids.
    let seller = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &other)).await;
    let mut theirs = draft(province);
    theirs["name"]["vi"] = json!("Gạo thơm của hợp tác xã khác");
    theirs["variants"][0]["gtin"] = json!("");
    let listed = seller.send(&s, Method::POST, &format!("/api/v1/seller/{other}/products"), Some(theirs)).await;
    assert_eq!(listed.status, StatusCode::CREATED, "{}", listed.body);
    let ids: Vec<i64> =
        listed.body["draft"]["variants"].as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).collect();
    assert!(ids.iter().all(|id| *id > sold), "ids are never reused: {ids:?} after {sold}");
    let their_product: i64 = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1")
        .bind(listed.body["slug"].as_str().unwrap())
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let db = s.state.db.clone();
    let stock_of = |product: i64| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT SUM(stock) FROM variants WHERE product_id = $1), stock_total FROM products WHERE id = $1",
            )
            .bind(product)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(stock_of(their_product).await, (28, 28));

    let cancelled = admin
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{coop}/orders/{number}/status"),
            Some(json!({"action": "cancel", "reason": "Khách đổi ý"})),
        )
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.body);
    assert_eq!(stock_of(their_product).await, (28, 28), "the other cooperative's stock is untouched");
}

/// Two uploads at once cannot both take the last free place.
#[tokio::test]
async fn parallel_uploads_never_pass_the_photo_limit() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, _) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let created =
        member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(draft(province))).await;
    let slug = created.body["slug"].as_str().unwrap().to_owned();
    let product: i64 =
        sqlx::query_scalar("SELECT id FROM products WHERE slug = $1").bind(&slug).fetch_one(&s.state.db).await.unwrap();
    let max = domain::seller::MAX_IMAGES as i64;
    for i in 0..max - 1 {
        sqlx::query(
            "INSERT INTO product_images (product_id, position, url, alt_vi, width, height) VALUES ($1, $2, $3, 'Ảnh', 640, 480)",
        )
        .bind(product)
        .bind(i)
        .bind(format!("/media/products/x{i}.webp"))
        .execute(&s.state.db)
        .await
        .unwrap();
    }
    let url = format!("/api/v1/seller/{coop}/products/{slug}/images?alt=%E1%BA%A2nh");
    let photo = png(900, 600);
    let up = || member.send_bytes(&s, &url, photo.clone());
    let (a, b, c, d, e, f) = tokio::join!(up(), up(), up(), up(), up(), up());
    let answers = [a, b, c, d, e, f];
    let created = answers.iter().filter(|a| a.status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{:?}", answers.iter().map(|a| (a.status, a.body.clone())).collect::<Vec<_>>());
    for a in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
        assert_eq!(a.body["error"]["fields"]["images"]["code"], "too_many", "{}", a.body);
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_images WHERE product_id = $1")
        .bind(product)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(count, max);
}

#[tokio::test]
async fn a_decomposed_product_name_is_stored_and_returned_nfc() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, _) = some_address(&s);
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    let mut body = draft(province);
    body["name"]["vi"] = json!("Ga\u{323}o Nguye\u{302}\u{303}n Gia");
    body["variants"][0]["label"] = json!("Tu\u{301}i 2 kg");
    let created = member.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["draft"]["name"]["vi"], "Gạo Nguyễn Gia");
    assert_eq!(created.body["draft"]["variants"][0]["label"], "Túi 2 kg");
    let stored: String = sqlx::query_scalar("SELECT name_vi FROM products WHERE slug = $1")
        .bind(created.body["slug"].as_str().unwrap())
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(stored, "Gạo Nguyễn Gia");
}

#[tokio::test]
async fn a_pending_cooperative_cannot_upload_photos() {
    let s = server().await;
    let coop: String = sqlx::query_scalar("SELECT slug FROM cooperatives WHERE status = 'pending' LIMIT 1")
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let (province, _) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let created = admin.send(&s, Method::POST, &format!("/api/v1/seller/{coop}/products"), Some(draft(province))).await;
    let slug = created.body["slug"].as_str().unwrap();
    let a = admin
        .send_bytes(&s, &format!("/api/v1/seller/{coop}/products/{slug}/images?alt=%E1%BA%A2nh"), png(64, 48))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    assert_eq!(a.code(), "cooperative_not_approved");
}

#[tokio::test]
async fn orders_not_confirmed_in_time_release_their_stock_with_a_note() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let (province, commune) = some_address(&s);
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let (variant, before): (i64, i64) = sqlx::query_as(
        "SELECT v.id, v.stock FROM variants v JOIN products p ON p.id = v.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE c.slug = $1 AND p.status = 'published' AND v.stock >= 4 ORDER BY v.id LIMIT 1",
    )
    .bind(&coop)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let place = || async {
        let placed = place_cod(&s, (province, commune), variant, 2).await;
        placed.body["orders"][0]["number"].as_str().unwrap_or_else(|| panic!("{}", placed.body)).to_owned()
    };
    let (waiting, confirmed) = (place().await, place().await);
    let confirm = admin
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{coop}/orders/{confirmed}/status"),
            Some(json!({"action": "confirm"})),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    // Within the hold nothing happens.
    assert_eq!(chohtx_server::api::orders::expiry::expire_unconfirmed(&s.state).await.unwrap(), 0);
    s.state.clock.set(s.state.clock.now() + time::Duration::hours(s.state.config.order_hold_hours + 1));
    assert_eq!(chohtx_server::api::orders::expiry::expire_unconfirmed(&s.state).await.unwrap(), 1);
    let order = admin.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/orders/{waiting}"), None).await;
    assert_eq!(order.body["status"], "cancelled", "{}", order.body);
    assert!(
        order.body.to_string().contains(chohtx_server::api::orders::expiry::EXPIRED_NOTE),
        "the cooperative sees why"
    );
    let kept = admin.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/orders/{confirmed}"), None).await;
    assert_eq!(kept.body["status"], "confirmed");
    let after: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(after, before - 2, "the expired order's stock is back, the confirmed one's is not");
}

/// A guest's cash-on-delivery order of `quantity` × `variant`, to `address`.
async fn place_cod(
    s: &chohtx_server::testing::TestServer,
    (province, commune): (u8, u32),
    variant: i64,
    quantity: u32,
) -> common::Answer {
    Session::anonymous()
        .send(
            s,
            Method::POST,
            "/api/v1/orders",
            Some(json!({"buyer_name": "Lê Văn Tư", "buyer_phone": "0978123456",
            "address": {"province_code": province, "commune_code": commune, "street": "Ấp 2"},
            "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": quantity}]})),
        )
        .await
}
