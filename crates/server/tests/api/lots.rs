//! Traceability lots over HTTP: members create lots and add events, others are refused,
//! the public lot has Circular 02/2024's ten items, the GS1 Digital Link resolves (the
//! app, or the product page for `linkType=gs1:pip`), and the product lists its lots.

use crate::helpers as common;

use chohtx_server::{
    seed::{DEMO_BUYER_EMAIL, DEMO_STAFF_EMAIL, demo_member_email},
    testing::TestServer,
};
use common::{Session, server};
use domain::{
    account::MemberRole,
    catalog::Product,
    trace::{EventPhoto, Lot, LotEvent, ProductLots, TraceLot},
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const COOP: &str = "htx-lua-gao-my-xuyen";
const PRODUCT: &str = "gao-st25-my-xuyen";
/// The 5 kg pack of `PRODUCT`.
const GTIN: &str = "09521234000020";

fn lot_body(lot_code: &str) -> Value {
    json!({
        "gtin": GTIN, "lot_code": lot_code, "quantity": 500, "unit": "túi",
        "plot_code": "VN-92-ST25-021", "area": "Ruộng ấp Hòa Lời",
        "province_code": 92, "commune_code": 31717,
        "produced_on": "2025-12-20", "best_before": "2026-12-20",
        "practices": "VietGAP (TCVN 11892-1:2017)",
        "inputs": ["Giống ST25 cấp xác nhận", "Phân hữu cơ vi sinh – 1.000 kg/ha"],
        "inspections": [{"lab": "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 3 (Quatest 3)", "tested_on": "2025-12-24",
            "result": "Đạt: không phát hiện dư lượng thuốc BVTV", "passed": true, "document_url": "https://example.com/kq-123.pdf"}]
    })
}

fn event_body(kind: &str, at: &str) -> Value {
    json!({"kind": kind, "at": at, "place": "Ruộng ấp Hòa Lời, Xã Hòa Tú", "location_code": "VN-92-ST25-021",
        "actor": "Tổ sản xuất số 2", "note": "Ghi chép của tổ", "photos": ["/images/products/paddy.svg"]})
}

/// Moves the test clock to a fixed day, so dates in the bodies are in the past.
fn set_clock(s: &TestServer) {
    s.state.clock.set(time::macros::datetime!(2026-01-15 03:00 UTC));
}

async fn member(s: &TestServer) -> Session {
    Session::sign_in(s, &demo_member_email(MemberRole::Member, COOP)).await
}

#[tokio::test]
async fn a_member_creates_a_lot_adds_events_and_the_public_reads_it() {
    let s = server().await;
    set_clock(&s);
    let m = member(&s).await;
    // A lot code with a slash: its links percent-encode it.
    let created = m
        .send(&s, Method::POST, &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"), Some(lot_body("HX/2026-A")))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let lot: Lot = serde_json::from_value(created.body).unwrap();
    assert_eq!(lot.pack_label, "Túi 5 kg");
    assert_eq!(lot.commune_name, "Xã Hòa Tú");
    assert_eq!(lot.url, s.url(&format!("/01/{GTIN}/10/HX%2F2026-A")));
    assert_eq!(lot.label_url, s.url(&format!("/tem/{GTIN}/HX%2F2026-A")));

    // Three events, given out of order: the timeline is in time order.
    for (kind, at) in
        [("harvest", "2025-12-15T06:00"), ("planting", "2025-08-25T06:30"), ("packing", "2025-12-20T09:00")]
    {
        let a = m
            .send(
                &s,
                Method::POST,
                &format!("/api/v1/seller/{COOP}/lots/{}/events", lot.id),
                Some(event_body(kind, at)),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let e: LotEvent = serde_json::from_value(a.body).unwrap();
        assert_eq!(e.at.as_str(), format!("{at}:00+07:00"));
    }
    let mine: ProductLots = serde_json::from_value(
        m.send(&s, Method::GET, &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"), None).await.body,
    )
    .unwrap();
    assert!(mine.packs.iter().any(|p| p.gtin.as_str() == GTIN));
    let listed = mine.lots.iter().find(|l| l.id == lot.id).expect("the new lot is listed");
    let kinds: Vec<&str> = listed.events.iter().map(|e| e.kind.code()).collect();
    assert_eq!(kinds, ["planting", "harvest", "packing"]);
    let one = m.send(&s, Method::GET, &format!("/api/v1/seller/{COOP}/lots/{}", lot.id), None).await;
    assert_eq!(one.status, StatusCode::OK);

    // Anyone reads it by GTIN and (percent-encoded) lot.
    let public = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/lots/{GTIN}/HX%2F2026-A"), None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let t: TraceLot = serde_json::from_value(public.body).unwrap();
    assert_eq!(t.lot.events.len(), 3);
    assert_eq!(t.trace_code, "(01)09521234000020(10)HX/2026-A");
    assert_eq!(t.qr_url, s.url(&format!("/api/v1/lots/{GTIN}/HX%2F2026-A/qr.svg")));

    // The audit log names who did it.
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'lot' AND entity_id = $1")
        .bind(lot.id.to_string())
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(audit, 4);
}

#[tokio::test]
async fn a_corrected_event_stays_in_the_history_and_the_public_sees_the_correction() {
    let s = server().await;
    set_clock(&s);
    let m = member(&s).await;
    let created = m
        .send(&s, Method::POST, &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"), Some(lot_body("FIX-2026-A")))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let lot: Lot = serde_json::from_value(created.body).unwrap();
    let events = format!("/api/v1/seller/{COOP}/lots/{}/events", lot.id);
    // A prefilled code typed over by mistake is refused outright…
    let mut typo = event_body("harvest", "2025-12-15T06:00");
    typo["location_code"] = json!("VN-92-LAI-003VN-92-LAI-003");
    let twice = m.send(&s, Method::POST, &events, Some(typo.clone())).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST, "{}", twice.body);
    assert_eq!(twice.body["error"]["fields"]["location_code"]["code"], "typed_twice");
    // …a typo the rules cannot see is corrected by a later event.
    typo["location_code"] = json!("VN-92-LAI-030");
    let wrong: LotEvent = serde_json::from_value(m.send(&s, Method::POST, &events, Some(typo)).await.body).unwrap();
    let mut fixed = event_body("harvest", "2025-12-15T06:00");
    fixed["location_code"] = json!("VN-92-LAI-003");
    fixed["corrects"] = json!(wrong.id);
    let a = m.send(&s, Method::POST, &events, Some(fixed.clone())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let correction: LotEvent = serde_json::from_value(a.body).unwrap();
    assert_eq!(correction.corrects, Some(wrong.id));
    // Once: a second correction of the same event is refused (correct the correction).
    let again = m.send(&s, Method::POST, &events, Some(fixed)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.body["error"]["fields"]["corrects"]["code"], "unknown_choice");

    // The cooperative's history keeps both, the wrong one marked.
    let one: Lot = serde_json::from_value(
        m.send(&s, Method::GET, &format!("/api/v1/seller/{COOP}/lots/{}", lot.id), None).await.body,
    )
    .unwrap();
    let old = one.events.iter().find(|e| e.id == wrong.id).expect("kept");
    assert_eq!(old.corrected_by, Some(correction.id));
    // The public page shows the corrected one only.
    let public = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/lots/{GTIN}/FIX-2026-A"), None).await;
    let t: TraceLot = serde_json::from_value(public.body).unwrap();
    let codes: Vec<&str> = t.lot.events.iter().map(|e| e.location_code.as_str()).collect();
    assert_eq!(codes, ["VN-92-LAI-003"]);
}

#[tokio::test]
async fn an_events_photo_is_uploaded_through_the_photo_pipeline() {
    let s = server().await;
    set_clock(&s);
    let m = member(&s).await;
    let created = m
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"),
            Some(lot_body("PHOTO-2026-A")),
        )
        .await;
    let lot: Lot = serde_json::from_value(created.body).unwrap();
    let photos = format!("/api/v1/seller/{COOP}/lots/{}/photos", lot.id);
    let up = m.send_bytes(&s, &photos, common::png(900, 600)).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let photo: EventPhoto = serde_json::from_value(up.body).unwrap();
    assert!(photo.url.starts_with("/media/lots/") && photo.url.ends_with(".webp"), "{}", photo.url);
    assert_eq!((photo.width, photo.height), (900, 600));
    let served = reqwest::get(s.url(&photo.url)).await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/webp");
    // Its URL goes into the event, and the public lot shows it.
    let mut event = event_body("harvest", "2025-12-15T06:00");
    event["photos"] = json!([photo.url]);
    let added = m.send(&s, Method::POST, &format!("/api/v1/seller/{COOP}/lots/{}/events", lot.id), Some(event)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let public = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/lots/{GTIN}/PHOTO-2026-A"), None).await;
    let t: TraceLot = serde_json::from_value(public.body).unwrap();
    assert_eq!(t.lot.events[0].photos, [photo.url]);

    // Not a picture: refused with the pipeline's own error; others' lots are not found.
    let text = m.send_bytes(&s, &photos, b"not a picture".to_vec()).await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let outsider = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let refused = outsider.send_bytes(&s, &photos, common::png(64, 48)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_members_of_the_products_cooperative_may_write() {
    let s = server().await;
    set_clock(&s);
    let path = format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots");
    let other_coop: String = sqlx::query_scalar(
        "SELECT slug FROM cooperatives WHERE status = 'approved' AND slug <> $1 ORDER BY id LIMIT 1",
    )
    .bind(COOP)
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    let other = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &other_coop)).await;
    for (who, session, expected) in [
        ("anonymous", Session::anonymous(), StatusCode::UNAUTHORIZED),
        ("buyer", Session::sign_in(&s, DEMO_BUYER_EMAIL).await, StatusCode::FORBIDDEN),
        ("staff", Session::sign_in(&s, DEMO_STAFF_EMAIL).await, StatusCode::FORBIDDEN),
        ("another cooperative's admin", other.clone(), StatusCode::FORBIDDEN),
    ] {
        let a = session.send(&s, Method::POST, &path, Some(lot_body("X-1"))).await;
        assert_eq!(a.status, expected, "{who}: {}", a.body);
        assert!(a.body["error"]["code"].is_string());
    }
    // Through its own cooperative's path, another cooperative's product does not exist.
    let a = other
        .send(&s, Method::POST, &format!("/api/v1/seller/{other_coop}/products/{PRODUCT}/lots"), Some(lot_body("X-1")))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // Nor do its lots.
    let lot_id: i64 =
        sqlx::query_scalar("SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id WHERE p.slug = $1 LIMIT 1")
            .bind(PRODUCT)
            .fetch_one(&s.state.db)
            .await
            .unwrap();
    let a = other
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{other_coop}/lots/{lot_id}/events"),
            Some(event_body("care", "2025-10-01T07:00")),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = other
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/seller/{COOP}/lots/{lot_id}/events"),
            Some(event_body("care", "2025-10-01T07:00")),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_lots_and_events_are_refused_field_by_field() {
    let s = server().await;
    set_clock(&s);
    let m = member(&s).await;
    let path = format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots");
    let mut body = lot_body("Lô số 1");
    body["gtin"] = json!("09521234000099"); // another product's pack
    body["best_before"] = json!("2025-01-01");
    body["commune_code"] = json!(26734); // not in Cần Thơ
    body["inspections"][0]["document_url"] = json!("javascript:alert(1)");
    let a = m.send(&s, Method::POST, &path, Some(body)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    let fields = &a.body["error"]["fields"];
    assert_eq!(fields["lot_code"]["code"], "invalid_lot_code");
    assert_eq!(fields["best_before"]["code"], "before_production");
    assert_eq!(fields["inspections.0.document_url"]["code"], "invalid_url");
    assert!(fields["commune_code"]["code"].is_string(), "{fields}");

    let mut body = lot_body("OK-1");
    body["gtin"] = json!("09521234000099");
    let a = m.send(&s, Method::POST, &path, Some(body)).await;
    assert_eq!(a.body["error"]["fields"]["gtin"]["code"], "unknown_choice", "{}", a.body);

    // The same GTIN and lot code twice.
    assert_eq!(m.send(&s, Method::POST, &path, Some(lot_body("DUP-1"))).await.status, StatusCode::CREATED);
    let a = m.send(&s, Method::POST, &path, Some(lot_body("DUP-1"))).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["fields"]["lot_code"]["code"], "lot_exists");

    // An event in the future (the clock says 10:00 in Vietnam).
    let lot: Lot = serde_json::from_value(m.send(&s, Method::POST, &path, Some(lot_body("EV-1"))).await.body).unwrap();
    let events = format!("/api/v1/seller/{COOP}/lots/{}/events", lot.id);
    let a = m.send(&s, Method::POST, &events, Some(event_body("shipping", "2026-01-15T10:05"))).await;
    assert_eq!(a.body["error"]["fields"]["at"]["code"], "in_future", "{}", a.body);
    let a = m.send(&s, Method::POST, &events, Some(event_body("shipping", "2026-01-15T09:55"))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let a = m.send(&s, Method::POST, &events, Some(json!({"kind": "care", "at": "", "place": "", "actor": ""}))).await;
    let f = &a.body["error"]["fields"];
    assert_eq!(
        (f["at"]["code"].as_str(), f["place"]["code"].as_str(), f["actor"]["code"].as_str()),
        (Some("required"), Some("required"), Some("required"))
    );
}

/// The ten items of Circular 02/2024/TT-BKHCN, each present and not empty.
fn assert_ten_items(t: &TraceLot) {
    assert!(!t.product.name.vi.is_empty(), "1. product name");
    assert!(t.product.image.is_some(), "2. image");
    assert!(!t.producer.name.is_empty(), "3. producer name");
    assert!(
        !t.producer.street.is_empty() && !t.producer.commune_name.is_empty() && t.producer.province_code > 0,
        "4. producer address"
    );
    assert!(t.lot.events.len() >= 3, "5. production stages");
    assert!(t.lot.events.iter().any(|e| !e.location_code.is_empty()), "5. location codes");
    assert!(!t.gtin.as_str().is_empty() && !t.lot.plot_code.is_empty(), "5. product and area codes");
    assert!(t.lot.events.windows(2).all(|w| w[0].at <= w[1].at), "6. event times, in order");
    assert!(t.trace_code.starts_with("(01)") && t.url.contains("/01/"), "7. trace code");
    assert!(!t.product.brand.is_empty() && !t.lot_code.is_empty(), "8. brand and lot");
    assert!(t.lot.best_before > t.lot.produced_on, "9. shelf life");
    assert!(!t.standards.is_empty() || !t.lot.practices.is_empty(), "10. standards applied");
}

#[tokio::test]
async fn the_demo_lot_has_the_ten_items_of_circular_02() {
    let s = server().await;
    let a = Session::anonymous().send(&s, Method::GET, "/api/v1/lots/09521234000013/ST25-2025-HX01", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let t: TraceLot = serde_json::from_value(a.body.clone()).unwrap();
    assert_ten_items(&t);
    assert_eq!(t.lot.plot_code, "VN-92-ST25-017");
    assert!(t.standards.iter().any(|c| c.number.starts_with("VietGAP")));
    assert!(t.lot.inspections[0].lab.contains("Quatest 3"));
    assert!(t.product.on_sale);
    assert_eq!(t.producer.slug, COOP);
    // A GTIN-13 names the same item.
    let short = Session::anonymous().send(&s, Method::GET, "/api/v1/lots/9521234000013/ST25-2025-HX01", None).await;
    assert_eq!(short.status, StatusCode::OK);
    // Unknown lots, GTINs and malformed GTINs are the same 404.
    for path in [
        "/api/v1/lots/09521234000013/NOPE",
        "/api/v1/lots/09521234000099/ST25-2025-HX01",
        "/api/v1/lots/123/ST25-2025-HX01",
    ] {
        let a = Session::anonymous().send(&s, Method::GET, path, None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(a.code(), "not_found");
    }
}

#[tokio::test]
async fn every_demo_product_with_a_gtin_has_a_lot_with_a_full_timeline() {
    let s = server().await;
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT p.slug FROM products p WHERE EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.gtin IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM lots l WHERE l.product_id = p.id AND (SELECT COUNT(*) FROM lot_events e WHERE e.lot_id = l.id) >= 5)",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    assert!(missing.is_empty(), "products without a demo lot: {missing:?}");
    // Every seeded lot reads back with the ten items.
    let lots: Vec<(String, String)> = sqlx::query_as(
        "SELECT l.gtin, l.lot_code FROM lots l JOIN products p ON p.id = l.product_id JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved'",
    )
    .fetch_all(&s.state.db)
    .await
    .unwrap();
    assert!(lots.len() >= 50, "{}", lots.len());
    for (gtin, lot) in lots {
        let a = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/lots/{gtin}/{lot}"), None).await;
        assert_eq!(a.status, StatusCode::OK, "{gtin} {lot}");
        assert_ten_items(&serde_json::from_value(a.body).unwrap());
    }
}

#[tokio::test]
async fn lots_of_drafts_and_of_unapproved_cooperatives_are_not_public() {
    let s = server().await;
    for (status_sql, slug) in [
        ("SELECT l.gtin, l.lot_code FROM lots l JOIN products p ON p.id = l.product_id WHERE p.status = 'draft' LIMIT 1", "draft"),
        (
            "SELECT l.gtin, l.lot_code FROM lots l JOIN products p ON p.id = l.product_id JOIN cooperatives c ON c.id = p.cooperative_id
             WHERE c.status <> 'approved' LIMIT 1",
            "pending cooperative",
        ),
    ] {
        let (gtin, lot): (String, String) = sqlx::query_as(status_sql).fetch_one(&s.state.db).await.unwrap();
        let a = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/lots/{gtin}/{lot}"), None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{slug}");
    }
}

#[tokio::test]
async fn the_product_lists_its_lots_with_links_and_labels() {
    let s = server().await;
    let a = Session::anonymous().send(&s, Method::GET, &format!("/api/v1/products/{PRODUCT}"), None).await;
    assert_eq!(a.status, StatusCode::OK);
    // The raw JSON names the fields the issue asks for.
    let first = &a.body["lots"][0];
    for field in ["gtin", "lot_code", "url", "label_url"] {
        assert!(first[field].is_string(), "lots[0].{field}: {first}");
    }
    let p: Product = serde_json::from_value(a.body).unwrap();
    assert_eq!(p.lots.len(), 3, "one demo lot per pack size of the flagship product");
    let demo = p.lots.iter().find(|l| l.gtin.as_str() == "09521234000013").unwrap();
    assert_eq!(demo.lot_code, "ST25-2025-HX01");
    assert_eq!(demo.url, s.url("/01/09521234000013/10/ST25-2025-HX01"));
    assert_eq!(demo.label_url, s.url("/tem/09521234000013/ST25-2025-HX01"));
    // The origin is the server's own, never the Host the client sent (issue #12).
    let a = Session::anonymous()
        .send_with(&s, Method::GET, &format!("/api/v1/products/{PRODUCT}"), None, &[("host", "cho.example.vn")])
        .await;
    assert!(a.body["lots"][0]["url"].as_str().unwrap().starts_with(&s.url("/01/")), "{}", a.body["lots"][0]);
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_digital_link_resolves_to_the_app_or_the_product_page() {
    let s = TestServer::start(None).await.unwrap();
    let client = no_redirects();

    let pip = client.get(s.url("/01/09521234000013/10/ST25-2025-HX01?linkType=gs1:pip")).send().await.unwrap();
    assert!(pip.status().is_redirection(), "{}", pip.status());
    assert_eq!(pip.headers()["location"], "/san-pham/gao-st25-my-xuyen");
    // A GTIN alone is its product.
    let gtin_only = client.get(s.url("/01/09521234000020")).send().await.unwrap();
    assert_eq!(gtin_only.headers()["location"], "/san-pham/gao-st25-my-xuyen");
    // An unknown lot of a known GTIN still has its product page.
    let other_lot = client.get(s.url("/01/09521234000020/10/NO-SUCH-LOT?linkType=gs1:pip")).send().await.unwrap();
    assert_eq!(other_lot.headers()["location"], "/san-pham/gao-st25-my-xuyen");

    // Without a link type: the lot's page, rendered by the server; an encoded or unknown
    // lot gets the app's page saying so, with status 404.
    for (path, status) in [
        ("/01/09521234000013/10/ST25-2025-HX01", StatusCode::OK),
        ("/tem/09521234000013/ST25-2025-HX01", StatusCode::OK),
        ("/01/09521234000013/10/HX%2F01%20X", StatusCode::NOT_FOUND),
        ("/01/09521234999997/10/NO-SUCH-LOT", StatusCode::NOT_FOUND),
        ("/01/09521234999997/10/NO-SUCH-LOT?linkType=gs1:pip", StatusCode::NOT_FOUND),
        ("/01/09521234999997", StatusCode::NOT_FOUND),
        ("/tem/09521234000013/HX%2F01/a4", StatusCode::NOT_FOUND),
    ] {
        let r = client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("<html") && html.contains("Chợ HTX"), "{path}");
        if status == StatusCode::OK {
            assert!(html.contains("ST25-2025-HX01"), "{path} shows its lot");
        }
    }
}

#[tokio::test]
async fn the_qr_code_is_an_svg_of_the_digital_link() {
    let s = server().await;
    let r = reqwest::get(s.url("/api/v1/lots/09521234000013/ST25-2025-HX01/qr.svg")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let svg = r.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
    let missing = reqwest::get(s.url("/api/v1/lots/09521234000013/NOPE/qr.svg")).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lots_of_pending_or_hidden_products_are_not_public() {
    let s = server().await;
    let client = no_redirects();
    let lot = "/api/v1/lots/09521234000013/ST25-2025-HX01";
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, COOP)).await;
    for status in ["pending", "hidden"] {
        sqlx::query("UPDATE products SET status = $1 WHERE slug = $2")
            .bind(status)
            .bind(PRODUCT)
            .execute(&s.state.db)
            .await
            .unwrap();
        let a = Session::anonymous().send(&s, Method::GET, lot, None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{status}: {}", a.body);
        assert_eq!(a.code(), "not_found", "{status}");
        let qr = Session::anonymous().send(&s, Method::GET, &format!("{lot}/qr.svg"), None).await;
        assert_eq!(qr.status, StatusCode::NOT_FOUND, "{status}: the QR code");
        let page = client.get(s.url("/01/09521234000013/10/ST25-2025-HX01")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{status}: the Digital Link page");
        let pip = client.get(s.url("/01/09521234000013/10/ST25-2025-HX01?linkType=gs1:pip")).send().await.unwrap();
        assert!(!pip.status().is_redirection(), "{status}: no product page to send to");
        let sitemap = client.get(s.url("/sitemap.xml")).send().await.unwrap().text().await.unwrap();
        assert!(!sitemap.contains("ST25-2025-HX01"), "{status}: not in the sitemap");
        // The cooperative's members still see their lots.
        let own = member.send(&s, Method::GET, &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"), None).await;
        assert_eq!(own.status, StatusCode::OK, "{status}: {}", own.body);
        let own: ProductLots = serde_json::from_value(own.body).unwrap();
        assert!(own.lots.iter().any(|l| l.lot_code == "ST25-2025-HX01"), "{status}");
        // …and read (and print the labels of) their unpublished lots, never cached publicly.
        let read = member.send(&s, Method::GET, lot, None).await;
        assert_eq!(read.status, StatusCode::OK, "{status}: a member reads the lot");
        assert_eq!(read.headers["cache-control"], "private, no-store", "{status}");
        let qr = member.send(&s, Method::GET, &format!("{lot}/qr.svg"), None).await;
        assert_eq!(qr.status, StatusCode::OK, "{status}: a member prints its QR code");
        assert_eq!(qr.headers["cache-control"], "private, no-store", "{status}");
    }
}

#[tokio::test]
async fn lot_links_and_qr_codes_never_come_from_a_forged_host() {
    let s = server().await;
    let lot = "/api/v1/lots/09521234000013/ST25-2025-HX01";
    let forged = [("host", "evil.example")];
    let a = Session::anonymous().send_with(&s, Method::GET, lot, None, &forged).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let t: TraceLot = serde_json::from_value(a.body).unwrap();
    let origin = s.url("");
    for url in [&t.url, &t.label_url, &t.qr_url, &t.lot.url] {
        assert!(url.starts_with(&origin) && !url.contains("evil.example"), "{url} is on {origin}");
    }
    let qr = Session::anonymous().send_with(&s, Method::GET, &format!("{lot}/qr.svg"), None, &forged).await;
    assert_eq!(qr.status, StatusCode::OK);
    // The QR code is drawn from the link; the SVG cannot be read back here, but its size
    // (modules) follows the link's length: the same as without the forged Host.
    let plain = Session::anonymous().send(&s, Method::GET, &format!("{lot}/qr.svg"), None).await;
    assert_eq!(qr.body, plain.body, "the same QR code whatever the Host says");
}
