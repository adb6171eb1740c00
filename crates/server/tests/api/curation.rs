//! Trade promotion against the real router and a fresh demo database: moderation with
//! its audit trail and the cooperative's view of the reasons, featured products and
//! campaigns coming and going on their dates (the test moves the server's clock), the
//! composed home page, and statistics whose CSV numbers match the database.

use crate::helpers as common;

use chohtx_server::{
    seed::{DEMO_STAFF_EMAIL, demo_member_email},
    testing::TestServer,
};
use common::{Answer, Session, server, some_address};
use domain::{account::MemberRole, curation::HomePage};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use time::Duration;

async fn staff(s: &TestServer) -> Session {
    Session::sign_in(s, DEMO_STAFF_EMAIL).await
}

async fn home(s: &TestServer) -> HomePage {
    let a = Session::anonymous().send(s, Method::GET, "/api/v1/home", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    serde_json::from_value(a.body).expect("the home page decodes")
}

fn featured_slugs(h: &HomePage) -> Vec<String> {
    h.featured.iter().map(|p| p.slug.clone()).collect()
}

/// Today in Vietnam plus `days`, as `YYYY-MM-DD`.
fn day(s: &TestServer, days: i64) -> String {
    let d = (s.state.clock.now().to_offset(time::macros::offset!(+7)) + Duration::days(days)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn move_clock(s: &TestServer, by: Duration) {
    s.state.clock.set(s.state.clock.now() + by);
}

async fn post(session: &Session, s: &TestServer, path: &str, body: Value) -> Answer {
    session.send(s, Method::POST, path, Some(body)).await
}

async fn last_audit(s: &TestServer, staff: &Session, entity: &str) -> Value {
    let a = staff.send(s, Method::GET, &format!("/api/v1/staff/audit?entity={entity}&limit=1"), None).await;
    a.body[0].clone()
}

#[tokio::test]
async fn staff_moderate_cooperatives_and_products_and_every_decision_is_audited() {
    let s = server().await;
    let staff = staff(&s).await;

    // The queue: the two pending demo cooperatives with what staff check, and the
    // pending products with images, pack sizes and certifications.
    let q = staff.send(&s, Method::GET, "/api/v1/staff/queue", None).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let coops: Vec<&str> =
        q.body["cooperatives"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert!(coops.contains(&"htx-nhan-long-pho-hien") && coops.contains(&"tht-non-la-tay-ho"), "{coops:?}");
    let coop =
        q.body["cooperatives"].as_array().unwrap().iter().find(|c| c["slug"] == "htx-nhan-long-pho-hien").unwrap();
    assert!(
        coop["registration_number"].is_string()
            && coop["admins"][0].as_str().unwrap().contains("admin.htx-nhan-long-pho-hien")
    );
    let product = q.body["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "nhan-long-hung-yen")
        .expect("pending product");
    assert!(!product["images"].as_array().unwrap().is_empty());
    assert!(!product["variants"].as_array().unwrap().is_empty());
    assert_eq!(product["cooperative_status"], "pending");
    assert!(q.body["today"].is_string(), "the app flags certifications expired before today");

    // A product of a cooperative that is not approved cannot be published yet.
    let a = post(&staff, &s, "/api/v1/staff/products/nhan-long-hung-yen/approve", json!({})).await;
    assert_eq!((a.status, a.code()), (StatusCode::CONFLICT, "cooperative_not_approved"), "{}", a.body);

    // Rejecting needs a reason; the cooperative is returned, leaves the queue, and its
    // admin sees why, fixes and resubmits.
    let a = post(&staff, &s, "/api/v1/staff/cooperatives/htx-nhan-long-pho-hien/reject", json!({"reason": "  "})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["fields"]["reason"]["code"], "required");
    let reason = "Mã số HTX không khớp với giấy chứng nhận đăng ký.";
    let a =
        post(&staff, &s, "/api/v1/staff/cooperatives/htx-nhan-long-pho-hien/reject", json!({"reason": reason})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!((a.body["status"].as_str(), a.body["status_reason"].as_str()), (Some("pending"), Some(reason)));
    let q = staff.send(&s, Method::GET, "/api/v1/staff/queue", None).await;
    assert!(!q.body["cooperatives"].to_string().contains("htx-nhan-long-pho-hien"));
    assert_eq!(q.body["returned_cooperatives"], 1);
    let audit = last_audit(&s, &staff, "cooperative").await;
    assert_eq!(audit["action"], "cooperative.reject");
    assert_eq!(audit["before"]["status_reason"], "");
    assert_eq!(audit["after"]["status_reason"], reason);

    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, "htx-nhan-long-pho-hien")).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, "htx-nhan-long-pho-hien")).await;
    let r = member.send(&s, Method::GET, "/api/v1/cooperatives/htx-nhan-long-pho-hien/review", None).await;
    assert_eq!(
        (r.body["status_reason"].as_str(), r.body["can_resubmit"].as_bool()),
        (Some(reason), Some(true)),
        "{}",
        r.body
    );
    let a = post(&member, &s, "/api/v1/cooperatives/htx-nhan-long-pho-hien/resubmit", json!({})).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "only the admin resubmits");
    let a = post(&admin, &s, "/api/v1/cooperatives/htx-nhan-long-pho-hien/resubmit", json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["status_reason"], "");
    let a = post(&admin, &s, "/api/v1/cooperatives/htx-nhan-long-pho-hien/resubmit", json!({})).await;
    assert_eq!((a.status, a.code()), (StatusCode::CONFLICT, "nothing_to_resubmit"));
    let q = staff.send(&s, Method::GET, "/api/v1/staff/queue", None).await;
    assert!(q.body["cooperatives"].to_string().contains("htx-nhan-long-pho-hien"), "back in the queue");

    // Approve the cooperative, then its product: it is in the shop.
    let a = post(&staff, &s, "/api/v1/staff/cooperatives/htx-nhan-long-pho-hien/approve", json!({})).await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("approved")), "{}", a.body);
    let a = post(&staff, &s, "/api/v1/staff/cooperatives/htx-nhan-long-pho-hien/approve", json!({})).await;
    assert_eq!((a.status, a.code()), (StatusCode::CONFLICT, "invalid_transition"));
    let audit = last_audit(&s, &staff, "cooperative").await;
    assert_eq!(
        (audit["action"].as_str(), audit["before"]["status"].as_str(), audit["after"]["status"].as_str()),
        (Some("cooperative.approve"), Some("pending"), Some("approved"))
    );
    let a = post(&staff, &s, "/api/v1/staff/products/nhan-long-hung-yen/approve", json!({})).await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("published")), "{}", a.body);
    let p = Session::anonymous().send(&s, Method::GET, "/api/v1/products/nhan-long-hung-yen", None).await;
    assert_eq!(p.status, StatusCode::OK);
    let found = Session::anonymous().send(&s, Method::GET, "/api/v1/products?q=nhan+long+hung+yen", None).await;
    assert!(found.body["items"].to_string().contains("nhan-long-hung-yen"), "searchable once published");
    // The newly approved cooperative leads the home page's new cooperatives.
    assert_eq!(home(&s).await.new_cooperatives[0].slug, "htx-nhan-long-pho-hien");

    // Reject a product: back to draft, the note is the cooperative's to read.
    let note = "Ảnh chưa đúng sản phẩm; bổ sung hạn sử dụng.";
    let a = post(&staff, &s, "/api/v1/staff/products/long-nhan-say-kho-hung-yen/reject", json!({"reason": note})).await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("draft")), "{}", a.body);
    let r = member.send(&s, Method::GET, "/api/v1/cooperatives/htx-nhan-long-pho-hien/review", None).await;
    assert_eq!(r.body["products"][0]["slug"], "long-nhan-say-kho-hung-yen");
    assert_eq!(r.body["products"][0]["review_note"], note);
    let db_note: String =
        sqlx::query_scalar("SELECT review_note FROM products WHERE slug = 'long-nhan-say-kho-hung-yen'")
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    assert_eq!(db_note, note);
    let a = post(&staff, &s, "/api/v1/staff/products/long-nhan-say-kho-hung-yen/approve", json!({})).await;
    assert_eq!(a.code(), "invalid_transition", "a draft must be submitted again first");

    // Hide a published product; suspend a cooperative: both leave the shop at once.
    let a =
        post(&staff, &s, "/api/v1/staff/products/gao-st25-my-xuyen/hide", json!({"reason": "Nhãn sai hạn dùng"})).await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("hidden")));
    let p = Session::anonymous().send(&s, Method::GET, "/api/v1/products/gao-st25-my-xuyen", None).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(!featured_slugs(&home(&s).await).contains(&"gao-st25-my-xuyen".to_owned()), "a hidden product drops out");
    let a = post(
        &staff,
        &s,
        "/api/v1/staff/cooperatives/htx-ca-phe-ea-tul/suspend",
        json!({"reason": "Hết hạn giấy phép"}),
    )
    .await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("suspended")), "{}", a.body);
    let p = Session::anonymous()
        .send(&s, Method::GET, "/api/v1/products/ca-phe-robusta-rang-xay-buon-ma-thuot", None)
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    let a = post(&staff, &s, "/api/v1/staff/cooperatives/htx-ca-phe-ea-tul/reject", json!({"reason": "x"})).await;
    assert_eq!(a.code(), "invalid_transition");
    let a = post(&staff, &s, "/api/v1/staff/cooperatives/khong-co/approve", json!({})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // Reinstated, it sells again.
    post(&staff, &s, "/api/v1/staff/cooperatives/htx-ca-phe-ea-tul/approve", json!({})).await;
    let p = Session::anonymous()
        .send(&s, Method::GET, "/api/v1/products/ca-phe-robusta-rang-xay-buon-ma-thuot", None)
        .await;
    assert_eq!(p.status, StatusCode::OK);

    // Staff lists find any cooperative or product by status or name.
    let l = staff.send(&s, Method::GET, "/api/v1/staff/cooperatives?status=approved&q=nhan%20long", None).await;
    assert_eq!(l.body.as_array().unwrap().len(), 1, "{}", l.body);
    let l = staff.send(&s, Method::GET, "/api/v1/staff/products?status=hidden", None).await;
    assert!(l.body["items"].to_string().contains("gao-st25-my-xuyen"));
    assert_eq!(l.body["items"][0]["status"], "hidden");
    let l = staff.send(&s, Method::GET, "/api/v1/staff/products?status=nonsense", None).await;
    assert_eq!(l.status, StatusCode::BAD_REQUEST);
    let audit = staff.send(&s, Method::GET, "/api/v1/staff/audit?entity=product&limit=10", None).await;
    let actions: Vec<&str> = audit.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["product.hide", "product.reject", "product.approve"]);
}

#[tokio::test]
async fn featured_products_keep_their_order_and_come_and_go_on_their_dates() {
    let s = server().await;
    let staff = staff(&s).await;
    let h = home(&s).await;
    assert_eq!(h.featured.len(), 6, "the demo features six products");
    assert_eq!(h.campaigns.len(), 1, "and runs one campaign");
    assert_eq!(h.featured[0].slug, "gao-st25-my-xuyen");
    assert_eq!(h.categories.len(), 7);
    assert_eq!(h.new_cooperatives.len(), 4);

    let items = json!({"items": [
        {"product_slug": "vai-thieu-luc-ngan"},
        {"product_slug": "xoai-cat-hoa-loc", "starts_on": day(&s, 2)},
        {"product_slug": "cua-gach-ca-mau", "ends_on": day(&s, 5)},
        {"product_slug": "tieu-den-phu-quoc", "starts_on": day(&s, 1), "ends_on": day(&s, 3)},
    ]});
    let a = staff.send(&s, Method::PUT, "/api/v1/staff/featured", Some(items)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let states: Vec<&str> = a.body.as_array().unwrap().iter().map(|i| i["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["running", "scheduled", "running", "scheduled"]);
    assert_eq!(featured_slugs(&home(&s).await), ["vai-thieu-luc-ngan", "cua-gach-ca-mau"]);

    move_clock(&s, Duration::days(2));
    assert_eq!(
        featured_slugs(&home(&s).await),
        ["vai-thieu-luc-ngan", "xoai-cat-hoa-loc", "cua-gach-ca-mau", "tieu-den-phu-quoc"]
    );
    move_clock(&s, Duration::days(2));
    assert_eq!(featured_slugs(&home(&s).await), ["vai-thieu-luc-ngan", "xoai-cat-hoa-loc", "cua-gach-ca-mau"]);
    move_clock(&s, Duration::days(2));
    assert_eq!(featured_slugs(&home(&s).await), ["vai-thieu-luc-ngan", "xoai-cat-hoa-loc"], "ended features drop out");
    let list = staff.send(&s, Method::GET, "/api/v1/staff/featured", None).await;
    assert_eq!(list.body[2]["state"], "ended");

    // A hidden product drops out but stays pinned (and can stay in the list); a product
    // buyers cannot see cannot be newly pinned.
    post(&staff, &s, "/api/v1/staff/products/vai-thieu-luc-ngan/hide", json!({"reason": "Hết mùa"})).await;
    assert_eq!(featured_slugs(&home(&s).await), ["xoai-cat-hoa-loc"]);
    let list = staff.send(&s, Method::GET, "/api/v1/staff/featured", None).await;
    assert_eq!(
        (list.body[0]["product"]["slug"].as_str(), list.body[0]["visible"].as_bool()),
        (Some("vai-thieu-luc-ngan"), Some(false))
    );
    let keep = json!({"items": [{"product_slug": "xoai-cat-hoa-loc"}, {"product_slug": "vai-thieu-luc-ngan"}]});
    let a = staff.send(&s, Method::PUT, "/api/v1/staff/featured", Some(keep)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let bad = json!({"items": [
        {"product_slug": "khong-ton-tai"},
        {"product_slug": "ca-phe-phin-giay-ea-tul"},
        {"product_slug": "xoai-cat-hoa-loc", "starts_on": "2026-03-02", "ends_on": "2026-03-01"},
        {"product_slug": "xoai-cat-hoa-loc"},
    ]});
    let a = staff.send(&s, Method::PUT, "/api/v1/staff/featured", Some(bad)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let fields = &a.body["error"]["fields"];
    assert_eq!(fields["items.2.ends_on"]["code"], "ends_before_start");
    assert_eq!(fields["items.3.product_slug"]["code"], "duplicate");
    let a = staff
        .send(
            &s,
            Method::PUT,
            "/api/v1/staff/featured",
            Some(json!({"items": [{"product_slug": "khong-ton-tai"}, {"product_slug": "ca-phe-phin-giay-ea-tul"}]})),
        )
        .await;
    assert_eq!(a.body["error"]["fields"]["items.0.product_slug"]["code"], "unknown_choice", "{}", a.body);
    assert_eq!(a.body["error"]["fields"]["items.1.product_slug"]["code"], "unavailable", "a draft cannot be pinned");
    assert_eq!(featured_slugs(&home(&s).await), ["xoai-cat-hoa-loc"], "a refused list changes nothing");

    // Nothing featured: the home page still answers with its other parts.
    let a = staff.send(&s, Method::PUT, "/api/v1/staff/featured", Some(json!({"items": []}))).await;
    assert_eq!(a.status, StatusCode::OK);
    let h = home(&s).await;
    assert!(h.featured.is_empty() && !h.categories.is_empty());
    let audit = last_audit(&s, &staff, "featured").await;
    assert_eq!(audit["action"], "featured.update");
    assert_eq!(audit["before"][0]["product"], "xoai-cat-hoa-loc");
}

fn campaign_body(s: &TestServer, title: &str, starts: i64, ends: i64) -> Value {
    json!({
        "title": {"vi": title, "en": "Cần Thơ OCOP fair"},
        "description": {"vi": "Đặc sản của Cần Thơ", "en": ""},
        "banner": "mekong",
        "starts_on": day(s, starts),
        "ends_on": day(s, ends),
        "selection": "manual",
        "product_slugs": ["gao-lut-st25", "gao-st25-my-xuyen", "xoai-cat-hoa-loc", "buoi-nam-roi-binh-minh", "keo-dua-sua-mo-cay"],
    })
}

#[tokio::test]
async fn campaigns_run_between_their_dates_with_products_by_hand_or_by_rule() {
    let s = server().await;
    let staff = staff(&s).await;
    let anon = Session::anonymous();

    let a = post(&staff, &s, "/api/v1/staff/campaigns", campaign_body(&s, "Phiên chợ OCOP Cần Thơ", 1, 10)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let slug = a.body["slug"].as_str().unwrap().to_owned();
    assert_eq!(slug, "phien-cho-ocop-can-tho");
    assert_eq!(a.body["state"], "scheduled");
    assert_eq!(a.body["products"][0]["slug"], "gao-lut-st25", "picked order");
    assert_eq!(a.body["banner"]["url"], "/images/campaigns/mekong.svg");
    let page = format!("/api/v1/campaigns/{slug}");
    let before = anon.send(&s, Method::GET, &page, None).await;
    assert_eq!(
        (before.status, before.body["state"].as_str()),
        (StatusCode::OK, Some("scheduled")),
        "shown before it starts"
    );
    assert_eq!(before.body["starts_on"], day(&s, 1));
    let h = home(&s).await;
    assert!(h.campaigns.iter().all(|c| c.summary.slug != slug));

    // Its first day: on the home page, first (latest start), with four of its products.
    move_clock(&s, Duration::days(1));
    let h = home(&s).await;
    assert_eq!(h.campaigns[0].summary.slug, slug);
    let shown: Vec<&str> = h.campaigns[0].products.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(shown, ["gao-lut-st25", "gao-st25-my-xuyen", "xoai-cat-hoa-loc", "buoi-nam-roi-binh-minh"]);
    assert_eq!(h.campaigns[0].summary.product_count, 5);
    let p = anon.send(&s, Method::GET, &page, None).await;
    assert_eq!((p.status, p.body["state"].as_str()), (StatusCode::OK, Some("running")));
    assert!(p.body.get("picks").is_none(), "buyers do not see the editor's list");

    // A picked product that is hidden leaves the page but stays in the editor.
    post(&staff, &s, "/api/v1/staff/products/gao-lut-st25/hide", json!({"reason": "Hết hàng"})).await;
    let p = anon.send(&s, Method::GET, &page, None).await;
    assert_eq!(p.body["products"][0]["slug"], "gao-st25-my-xuyen");
    let e = staff.send(&s, Method::GET, &format!("/api/v1/staff/campaigns/{slug}"), None).await;
    assert_eq!(
        (e.body["picks"][0]["slug"].as_str(), e.body["picks"][0]["visible"].as_bool()),
        (Some("gao-lut-st25"), Some(false))
    );

    // Change it to a rule: Cần Thơ (92) rice with at least 3 OCOP stars. The slug stays.
    let mut body = campaign_body(&s, "Phiên chợ gạo Cần Thơ", -1, 3);
    body["selection"] = json!("rule");
    body["rule"] = json!({"category": "rice_grains", "province": 92, "min_ocop_stars": 3});
    let a = staff.send(&s, Method::PUT, &format!("/api/v1/staff/campaigns/{slug}"), Some(body)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["slug"], slug.as_str());
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT p.slug FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND p.category = 'rice_grains'
           AND p.origin_province_code = 92 AND p.ocop_stars >= 3 ORDER BY p.sold_count DESC, p.id",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    let got: Vec<&str> = a.body["products"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);

    // After its last day it leaves the home page; its page says it ended.
    move_clock(&s, Duration::days(3));
    assert!(home(&s).await.campaigns.iter().any(|c| c.summary.slug == slug), "the last day is included");
    move_clock(&s, Duration::days(1));
    assert!(home(&s).await.campaigns.iter().all(|c| c.summary.slug != slug));
    assert_eq!(anon.send(&s, Method::GET, &page, None).await.body["state"], "ended");

    // Invalid input is explained per field.
    let mut bad = campaign_body(&s, "", 5, 1);
    bad["banner"] = json!("https://evil.example/banner.png");
    bad["product_slugs"] = json!(["khong-ton-tai"]);
    let a = post(&staff, &s, "/api/v1/staff/campaigns", bad).await;
    let f = &a.body["error"]["fields"];
    assert_eq!(
        (f["title.vi"]["code"].as_str(), f["banner"]["code"].as_str(), f["ends_on"]["code"].as_str()),
        (Some("required"), Some("unknown_choice"), Some("ends_before_start")),
        "{}",
        a.body
    );
    let mut bad = campaign_body(&s, "Phiên chợ thử", 0, 1);
    bad["product_slugs"] = json!(["khong-ton-tai"]);
    let a = post(&staff, &s, "/api/v1/staff/campaigns", bad).await;
    assert_eq!(a.body["error"]["fields"]["product_slugs.0"]["code"], "unknown_choice", "{}", a.body);

    let list = staff.send(&s, Method::GET, "/api/v1/staff/campaigns", None).await;
    assert!(list.body.as_array().unwrap().len() >= 3, "the demo's two and this one");
    let d = staff.send(&s, Method::DELETE, &format!("/api/v1/staff/campaigns/{slug}"), None).await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert_eq!(anon.send(&s, Method::GET, &page, None).await.status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = staff
        .send(&s, Method::GET, "/api/v1/staff/audit?entity=campaign", None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, ["campaign.delete", "campaign.update", "campaign.create"]);
}

/// Places a guest order of `quantity` × the first variant of `slug`; returns its number.
async fn order(s: &TestServer, slug: &str, quantity: u32) -> String {
    let (province, commune) = some_address(s);
    let variant: i64 = sqlx::query_scalar("SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1 ORDER BY v.position LIMIT 1")
        .bind(slug)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let a = Session::anonymous()
        .send(
            s,
            Method::POST,
            "/api/v1/orders",
            Some(json!({"buyer_name": "Trần Thị Thu", "buyer_phone": "0912345678",
                "address": {"province_code": province, "commune_code": commune, "street": "5 Hùng Vương"},
                "payment_method": "cod", "lines": [{"variant_id": variant, "quantity": quantity}]})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.body["orders"][0]["number"].as_str().unwrap().to_owned()
}

/// A CSV body as RFC 4180 reads it: a BOM, then CRLF rows of cells, quoted cells with
/// doubled quotes inside.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("UTF-8 with a BOM");
    let (mut rows, mut row, mut cell, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CRLF line ends"),
            (false, '\n') => panic!("a bare LF"),
            (false, c) => cell.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut cell));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(row.is_empty() && cell.is_empty(), "the last line ends with CRLF");
    rows
}

async fn csv(s: &TestServer, staff: &Session, table: &str, range: &str) -> Vec<Vec<String>> {
    let a = staff.send(s, Method::GET, &format!("/api/v1/staff/stats/csv/{table}?{range}"), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.headers["content-type"], "text/csv; charset=utf-8");
    assert!(a.headers["content-disposition"].to_str().unwrap().contains(".csv"));
    parse_csv(a.body.as_str().unwrap())
}

#[tokio::test]
async fn statistics_csv_numbers_match_the_database() {
    let s = server().await;
    let staff = staff(&s).await;
    // Orders in three months: two months ago, last month (one cancelled), this month.
    move_clock(&s, -Duration::days(62));
    order(&s, "gao-st25-my-xuyen", 2).await;
    move_clock(&s, Duration::days(31));
    order(&s, "gao-st25-my-xuyen", 1).await;
    let cancelled = order(&s, "keo-dua-sua-mo-cay", 5).await;
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE number = $1")
        .bind(&cancelled)
        .execute(&s.state.db)
        .await
        .unwrap();
    move_clock(&s, Duration::days(31));
    order(&s, "nuoc-mam-phu-quoc-40-do-dam", 2).await;
    order(&s, "tieu-den-phu-quoc", 1).await;
    let range = format!("from={}&to={}", day(&s, -100), day(&s, 0));

    // Orders per month: the database's own month arithmetic (UTC+7) against the CSV.
    let rows = csv(&s, &staff, "orders", &range).await;
    assert_eq!(rows[0], ["Tháng", "Số đơn hàng", "Doanh số (đồng)"]);
    let db: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT strftime('%Y-%m', created_at, '+7 hours') AS m, COUNT(*), SUM(subtotal) FROM orders
         WHERE status <> 'cancelled' GROUP BY m ORDER BY m",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    assert_eq!(db.len(), 3, "{db:?}");
    let by_month: BTreeMap<String, (String, String)> =
        rows[1..].iter().map(|r| (r[0].clone(), (r[1].clone(), r[2].clone()))).collect();
    for (month, n, sales) in &db {
        assert_eq!(by_month[month], (n.to_string(), sales.to_string()), "{month}");
    }
    let csv_orders: u64 = rows[1..].iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(csv_orders, 4, "the cancelled order is left out, empty months are zero");

    // Cooperatives by province and kind.
    let rows = csv(&s, &staff, "cooperatives", &range).await;
    assert_eq!(rows[0][5], "Tổng số");
    let db: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT province_code, kind, COUNT(*) FROM cooperatives WHERE status = 'approved' GROUP BY province_code, kind",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    for (province, kind, n) in &db {
        let row = rows.iter().find(|r| r[0] == province.to_string()).unwrap_or_else(|| panic!("province {province}"));
        let col = match kind.as_str() {
            "htx" => 2,
            "tht" => 3,
            _ => 4,
        };
        assert_eq!(row[col], n.to_string(), "{province} {kind}");
    }
    let total: i64 = db.iter().map(|r| r.2).sum();
    assert_eq!(rows[1..].iter().map(|r| r[5].parse::<i64>().unwrap()).sum::<i64>(), total);
    assert!(rows.iter().any(|r| r[1] == "Thành phố Cần Thơ"), "province names in full");

    // Published products by category.
    let rows = csv(&s, &staff, "products", &range).await;
    assert_eq!(rows[0], ["Mã danh mục", "Danh mục", "Số sản phẩm đang bán"]);
    for r in &rows[1..] {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
             WHERE p.status = 'published' AND c.status = 'approved' AND p.category = $1",
        )
        .bind(&r[0])
        .fetch_one(&s.state.db)
        .await
        .unwrap();
        assert_eq!(r[2], n.to_string(), "{}", r[0]);
    }

    // Top products: quantities and sales of the order lines of orders not cancelled.
    let rows = csv(&s, &staff, "top_products", &range).await;
    let db: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT oi.product_slug, SUM(oi.quantity), SUM(oi.line_total) FROM order_items oi JOIN orders o ON o.id = oi.order_id
         WHERE o.status <> 'cancelled' GROUP BY oi.product_slug ORDER BY SUM(oi.quantity) DESC, SUM(oi.line_total) DESC",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    assert_eq!(rows.len() - 1, db.len());
    for (r, (slug, q, sales)) in rows[1..].iter().zip(&db) {
        assert_eq!((&r[1], &r[4], &r[5]), (slug, &q.to_string(), &sales.to_string()));
    }
    assert_eq!(rows[1][1], "gao-st25-my-xuyen");

    // Traceability share, and new cooperatives of the range.
    let rows = csv(&s, &staff, "traceability", &range).await;
    let approved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cooperatives WHERE status = 'approved'")
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(rows[1][0], approved.to_string());
    let with_lots: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT p.cooperative_id) FROM lots l JOIN products p ON p.id = l.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id WHERE c.status = 'approved'",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    assert_eq!(rows[1][1], with_lots.to_string());
    let permille = (with_lots * 1000 + approved / 2) / approved;
    assert_eq!(rows[1][2], format!("{}.{}", permille / 10, permille % 10));
    let rows = csv(&s, &staff, "new_cooperatives", &range).await;
    let registered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cooperatives WHERE created_at >= $1")
        .bind(chohtx_server::clock::rfc3339(s.state.clock.now() - Duration::days(101)))
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert!((rows.len() - 1) as i64 <= registered && rows.len() > 1, "the two demo cooperatives registered days ago");
    assert_eq!(rows[0], ["Ngày đăng ký", "Hợp tác xã", "Loại hình", "Tỉnh/thành phố", "Trạng thái"]);

    // The JSON behind the charts says the same; bad ranges are explained.
    let j = staff.send(&s, Method::GET, &format!("/api/v1/staff/stats?{range}"), None).await;
    assert_eq!(j.status, StatusCode::OK);
    let months = j.body["orders_by_month"].as_array().unwrap();
    assert_eq!(months.iter().map(|m| m["orders"].as_u64().unwrap()).sum::<u64>(), 4);
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats?from=2026-02-30", None).await;
    assert_eq!(a.body["error"]["fields"]["from"]["code"], "invalid_date");
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats?from=2026-05-02&to=2026-05-01", None).await;
    assert_eq!(a.body["error"]["fields"]["to"]["code"], "ends_before_start");
    // Dates far outside the calendar arithmetic's range are a field error (400), never a 500.
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats?to=9999-12-31", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["fields"]["to"]["code"], "out_of_range");
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats/csv/orders?from=0001-01-01", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats?from=1999-12-31&to=2026-01-01", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["fields"]["from"]["code"], "out_of_range");
    let a = staff.send(&s, Method::GET, "/api/v1/staff/stats/csv/weapons", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}
