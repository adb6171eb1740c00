//! The traceability journey: a demo member creates a lot with three events in the seller
//! area; an anonymous visitor opens its GS1 Digital Link and sees the ten items of
//! Circular 02/2024/TT-BKHCN. And the QR code of a rendered label, read back from a
//! screenshot by an independent decoder (rqrr), is exactly the lot's Digital Link.

use chohtx_e2e::{Api, Browser, png};
use domain::{account::MemberRole, trace::Lot};
use serde_json::json;

const COOP: &str = "htx-lua-gao-my-xuyen";
const PRODUCT: &str = "gao-st25-my-xuyen";
const PASSWORD: &str = chohtx_server::seed::DEMO_PASSWORD;

fn member() -> String {
    chohtx_server::seed::demo_member_email(MemberRole::Member, COOP)
}

/// Waits until `css` matches exactly `n` elements.
async fn wait_for_count(b: &Browser, css: &str, n: usize) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let found = b.client.find_all(fantoccini::Locator::Css(css)).await?.len();
        if found == n {
            return Ok(());
        }
        anyhow::ensure!(started.elapsed() < chohtx_e2e::WAIT, "{css}: {found} elements, expected {n}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn add_event(
    b: &Browser,
    lot: &str,
    kind: &str,
    at: &str,
    place: &str,
    actor: &str,
    n: usize,
) -> anyhow::Result<()> {
    b.select("#event-kind", kind).await?;
    b.set_value("#event_at", at).await?;
    b.type_into("#event_place", place).await?;
    b.type_into("#event_actor", actor).await?;
    b.type_into("#event-note", "Ghi từ kiểm thử đầu cuối").await?;
    b.click(".event-form button[type=submit]").await?;
    wait_for_count(b, &format!(".lot-card[data-lot='{lot}'] .trace-event"), n).await
}

#[tokio::test]
async fn a_member_records_a_lot_and_a_visitor_traces_it_by_its_digital_link() -> anyhow::Result<()> {
    let b = Browser::start(390, 844).await?;
    // 1. Sign in as a demo member: the lots page needs an account and sends us back.
    let lots_page = format!("/ban-hang/{COOP}/san-pham/{PRODUCT}/lo");
    b.open(&lots_page).await?;
    b.wait_for_url(|u| u.starts_with("/dang-nhap?next=")).await?;
    b.type_into("#login", &member()).await?;
    b.type_into("#password", PASSWORD).await?;
    b.click(".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| u == lots_page).await?;

    // 2. Create a lot of the 5 kg pack (the form is folded once the product has lots).
    b.click(".lot-new > summary").await?;
    b.find(".lot-form").await?;
    b.select("#lot-gtin", "09521234000020").await?;
    b.type_into("#lot_code", "E2E-2026-01").await?;
    b.type_into("#lot_quantity", "480").await?;
    b.set_value("#lot_produced_on", "2025-12-20").await?;
    b.set_value("#lot_best_before", "2026-12-20").await?;
    b.type_into("#lot_plot_code", "VN-92-ST25-033").await?;
    b.type_into("#lot_area", "Ruộng ấp Hòa Lời").await?;
    // The cooperative's commune is chosen already, once the communes have loaded.
    b.find("#lot-commune option[value='31717']").await?;
    b.type_into("#lot-practices", "VietGAP (TCVN 11892-1:2017), luân canh lúa – tôm").await?;
    b.type_into("#lot-inputs", "Giống ST25 cấp xác nhận\nPhân hữu cơ vi sinh – 1.000 kg/ha").await?;
    b.type_into("#lot_lab", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 3 (Quatest 3)").await?;
    b.set_value("#lot_tested_on", "2025-12-23").await?;
    b.type_into("#lot_result", "Đạt: không phát hiện dư lượng thuốc BVTV").await?;
    b.click(".lot-form button[type=submit]").await?;
    b.find(".lot-card[data-lot='E2E-2026-01']").await?;

    // 3. Three events; the new lot's event form is open.
    let lot = "E2E-2026-01";
    add_event(&b, lot, "planting", "2025-08-25T06:30", "Ruộng ấp Hòa Lời, Xã Hòa Tú", "Tổ sản xuất số 2", 1).await?;
    add_event(&b, lot, "harvest", "2025-12-15T06:00", "Ruộng ấp Hòa Lời, Xã Hòa Tú", "Tổ thu hoạch", 2).await?;
    // The packing event gets a photo from the phone, through the photo pipeline.
    let dir = std::env::temp_dir().join(format!("chohtx-e2e-lot-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("dong-goi.png");
    std::fs::write(&file, png(800, 600))?;
    b.find("#event-photo-file").await?.send_keys(&file.display().to_string()).await?;
    b.find(".event-photo-thumbs img").await?;
    let listed = b.find("#event-photos").await?.prop("value").await?.unwrap_or_default();
    assert!(listed.starts_with("/media/lots/"), "the photo's URL joins the list: {listed}");
    add_event(&b, lot, "packing", "2025-12-20T09:00", "Xưởng đóng gói của HTX", "Tổ đóng gói", 3).await?;
    std::fs::remove_dir_all(&dir)?;
    // A wrong event is corrected, not edited: the form fills in with it, the fix is added,
    // the old one stays marked.
    b.click(&format!(".lot-card[data-lot='{lot}'] .trace-event[data-kind='harvest'] .correct-event")).await?;
    b.wait_for_text(".event-form .correcting", "Thu hoạch").await?;
    let place = b.find("#event_place").await?.prop("value").await?.unwrap_or_default();
    assert_eq!(place, "Ruộng ấp Hòa Lời, Xã Hòa Tú", "the form holds the event being corrected");
    b.type_into("#event_actor", "Tổ thu hoạch số 3").await?;
    b.click(".event-form button[type=submit]").await?;
    wait_for_count(&b, &format!(".lot-card[data-lot='{lot}'] .trace-event"), 4).await?;
    wait_for_count(&b, &format!(".lot-card[data-lot='{lot}'] .trace-event.superseded"), 1).await?;
    let url = b.find(&format!(".lot-card[data-lot='{lot}'] .lot-url")).await?.text().await?;
    assert_eq!(url, b.server.url("/01/09521234000020/10/E2E-2026-01"));
    b.client.execute("document.querySelector(\".lot-card[data-lot='E2E-2026-01']\").scrollIntoView();", vec![]).await?;
    b.screenshot("lots-seller-390").await?;

    // 4. An anonymous visitor opens the GS1 Digital Link.
    b.client.delete_all_cookies().await?;
    b.client.goto(&url).await?;
    b.find(".trace h1").await?;
    assert!(b.current_path().await?.starts_with("/01/09521234000020/10/E2E-2026-01"));
    assert!(b.client.find(fantoccini::Locator::Css(".account-name")).await.is_err(), "signed out");
    // 5. All ten items of Circular 02/2024, each with content.
    for item in 1..=10 {
        let el = b.find(&format!("[data-item='{item}']")).await?;
        if item == 2 {
            let loaded = b
                .client
                .execute(
                    "const i = arguments[0].querySelector('img'); return !!i && i.complete && i.naturalWidth > 0",
                    vec![serde_json::to_value(&el)?],
                )
                .await?;
            assert_eq!(loaded, json!(true), "2. the product image");
        } else {
            let text = el.text().await?;
            assert!(!text.trim().is_empty(), "item {item} is empty");
        }
    }
    b.wait_for_text("[data-item='1']", "Gạo ST25").await?;
    b.wait_for_text("[data-item='7']", "(01)09521234000020(10)E2E-2026-01").await?;
    b.wait_for_text("[data-item='5']", "VN-92-ST25-033").await?;
    assert_eq!(b.find_all(".trace-event").await?.len(), 3, "the corrected event gives way to its correction");
    b.wait_for_text(".trace-timeline", "Tổ thu hoạch số 3").await?;
    b.wait_for_text("[data-item='10']", "VietGAP").await?;
    let photo = b.find(".trace-event[data-kind='packing'] .trace-photos img").await?;
    // Lazy: it loads once scrolled to.
    let started = std::time::Instant::now();
    loop {
        let width = b
            .client
            .execute(
                "arguments[0].scrollIntoView(); return arguments[0].complete ? arguments[0].naturalWidth : 0",
                vec![serde_json::to_value(&photo)?],
            )
            .await?;
        if width == json!(800) {
            break;
        }
        anyhow::ensure!(started.elapsed() < chohtx_e2e::WAIT, "the packing photo is not shown: {width}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.screenshot("lot-public-390").await?;
    let violations = b.accessibility_violations().await?;
    assert!(violations.is_empty(), "accessibility: {violations:#?}");
    b.close().await
}

/// Decodes every QR code in a PNG screenshot.
fn decode_qr(png: &[u8]) -> anyhow::Result<Vec<String>> {
    let grey = image::load_from_memory(png)?.to_luma8();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(grey.width() as usize, grey.height() as usize, |x, y| {
            grey.get_pixel(x as u32, y as u32).0[0]
        });
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        // Keep what was looked at, for a person to see why.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("qr-unreadable.png"), png)?;
        anyhow::bail!("no QR code found in the screenshot (saved as qr-unreadable.png)");
    }
    grids.iter().map(|g| Ok(g.decode()?.1)).collect()
}

/// A lot of the demo product, made by its member through the API.
async fn create_lot(b: &Browser, gtin: &str, lot_code: &str) -> anyhow::Result<Lot> {
    let member = Api::sign_in(b, &member(), PASSWORD).await?;
    let lot = member
        .post(
            &format!("/api/v1/seller/{COOP}/products/{PRODUCT}/lots"),
            json!({"gtin": gtin, "lot_code": lot_code, "quantity": 100, "unit": "túi",
                "province_code": 92, "commune_code": 31717, "produced_on": "2025-12-20", "best_before": "2026-12-20"}),
        )
        .await?;
    Ok(serde_json::from_value(lot)?)
}

#[tokio::test]
async fn the_label_qr_code_reads_back_as_the_digital_link() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    // A lot whose code needs percent-encoding, made through the API.
    let lot = create_lot(&b, "09521234000037", "HX/E2E+1").await?;
    assert_eq!(lot.url, b.server.url("/01/09521234000037/10/HX%2FE2E%2B1"));

    for (page, expected) in [
        ("/tem/09521234000013/ST25-2025-HX01", b.server.url("/01/09521234000013/10/ST25-2025-HX01")),
        ("/tem/09521234000037/HX%2FE2E%2B1", lot.url.clone()),
    ] {
        b.open(page).await?;
        let qr = b.find(".label-qr").await?;
        let loaded = b
            .client
            .execute("return arguments[0].complete && arguments[0].naturalWidth > 0", vec![serde_json::to_value(&qr)?])
            .await?;
        assert_eq!(loaded, json!(true), "{page}: the QR image loaded");
        // The label as a person sees it: its text, and the code read from its pixels.
        b.wait_for_text(
            ".label-lot",
            &expected.rsplit("/10/").next().map(|l| domain::gs1::percent_decode(l).unwrap()).unwrap(),
        )
        .await?;
        // The page as shown (the single label is zoomed on screen, which element
        // screenshots do not follow), so exactly one code, this one.
        let codes = decode_qr(&b.client.screenshot().await?)?;
        assert_eq!(codes, vec![expected.clone()], "{page}");
    }
    b.screenshot("label-1280").await?;

    // The A4 sheet: 21 labels, each the same code.
    b.open("/tem/09521234000013/ST25-2025-HX01/a4").await?;
    assert_eq!(b.find_all(".label-sheet .label").await?.len(), 21);
    // A screen shows 30 mm at about 113 px, under 3 px per module: look closer, as a
    // phone camera does on paper. Every label in view reads back as the same link.
    b.client
        .execute(
            "document.documentElement.style.zoom = '2'; document.querySelectorAll('.label-sheet .label')[19].scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let codes = decode_qr(&b.client.screenshot().await?)?;
    assert!(codes.iter().all(|c| *c == b.server.url("/01/09521234000013/10/ST25-2025-HX01")), "{codes:?}");
    b.screenshot("label-sheet-1280").await?;
    b.close().await
}

#[tokio::test]
async fn an_unknown_lot_says_so_and_pip_leads_to_the_product() -> anyhow::Result<()> {
    let b = Browser::start(390, 844).await?;
    b.open("/01/09521234000013/10/KHONG-CO").await?;
    b.wait_for_text(".trace-not-found h1", "Không tìm thấy lô hàng").await?;
    b.open("/01/09521234000013/10/ST25-2025-HX01?linkType=gs1:pip").await?;
    b.wait_for_url(|u| u == "/san-pham/gao-st25-my-xuyen").await?;
    // The product page lists its lots; one leads to the lot page.
    b.find(".trace-lot-link").await?;
    b.click(".trace-lot-link[href='/01/09521234000013/10/ST25-2025-HX01']").await?;
    b.wait_for_url(|u| u == "/01/09521234000013/10/ST25-2025-HX01").await?;
    b.wait_for_text("[data-item='7']", "(01)09521234000013(10)ST25-2025-HX01").await?;
    b.close().await
}

/// `%` is allowed in a lot code (GS1 CSET 82): the links of the app keep such a code
/// intact, where the router would otherwise decode its `%25`.
#[tokio::test]
async fn a_lot_code_with_a_percent_sign_survives_in_app_links() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    let lot = create_lot(&b, "09521234000037", "HX%25").await?;
    assert_eq!(lot.url, b.server.url("/01/09521234000037/10/HX%2525"));
    // From the label page, follow its link to the public lot page.
    b.open("/tem/09521234000037/HX%2525").await?;
    b.wait_for_text(".label-lot", "HX%25").await?;
    b.click(".label-actions a[href^='/01/']").await?;
    b.wait_for_text("[data-item='7']", "(01)09521234000037(10)HX%25").await?;
    assert_eq!(b.current_path().await?, "/01/09521234000037/10/HX%2525");
    b.close().await
}
