//! The seller journey: a cooperative member signs in, creates a product with two pack
//! sizes (the GTIN check digit is caught as it is typed), uploads a photo (the progress
//! bar shows), submits it; staff approve it through the API; it is in the catalog; a
//! buyer orders it; the seller confirms and ships; the buyer's tracking page says shipped
//! and the stock went down. Then the console's pages at phone width, checked by axe.

use chohtx_e2e::{Api, Browser};
use domain::{catalog::Product, gtin::check_digit};
use serde_json::json;
use std::time::Duration;

const COOP: &str = "htx-lua-gao-my-xuyen";
const PASSWORD: &str = chohtx_server::seed::DEMO_PASSWORD;

fn member() -> String {
    chohtx_server::seed::demo_member_email(domain::account::MemberRole::Member, COOP)
}

/// A GTIN-13 with a correct check digit, and the same with a wrong one.
fn gtins() -> (String, String, u8) {
    let data = "893999900001";
    let digits: Vec<u8> = format!("{data:0>13}").bytes().map(|b| b - b'0').collect();
    let good = check_digit(&digits);
    let bad = (good + 1) % 10;
    (format!("{data}{good}"), format!("{data}{bad}"), good)
}

/// A PNG of `w`×`h` pixels, stored without compression (so it is a few megabytes and the
/// upload takes a moment): a green field with golden stripes.
pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::with_capacity((h * (w * 3 + 1)) as usize);
    let mut seed = 0x2545_F491u32;
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 24) as u8;
            let stripe = ((x + y) / 60) % 4 == 0;
            let px = if stripe { [230, 180 + noise, 60] } else { [40 + noise, 110 + noise, 70] };
            raw.extend_from_slice(&px);
        }
    }
    // zlib with "stored" deflate blocks of at most 65,535 bytes, then Adler-32.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Clicks `css` after scrolling it to the middle of the window: the page has a sticky
/// header and the editor a sticky save bar, which could cover it at either edge.
async fn click(b: &Browser, css: &str) -> anyhow::Result<()> {
    let el = b.find(css).await?;
    b.client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&el)?]).await?;
    el.click().await?;
    Ok(())
}

/// Signs in through the sign-in page the console sent us to, and waits to come back.
async fn sign_in_at(b: &Browser, path: &str, login: &str) -> anyhow::Result<()> {
    b.open(path).await?;
    b.wait_for_url(|u| u.starts_with("/dang-nhap?next=")).await?;
    b.type_into("#login", login).await?;
    b.type_into("#password", PASSWORD).await?;
    click(b, ".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| u == path).await?;
    Ok(())
}

async fn product(b: &Browser, slug: &str) -> anyhow::Result<Product> {
    Ok(reqwest::get(b.server.url(&format!("/api/v1/products/{slug}"))).await?.error_for_status()?.json().await?)
}

/// Steps 1–3: sign in, create the product with two pack sizes and a photo, submit it.
/// Returns its slug.
async fn create_and_submit(b: &Browser) -> anyhow::Result<String> {
    // 1. The console needs an account: the sign-in page sends the member back to it.
    let new_product = format!("/ban-hang/{COOP}/them-san-pham");
    sign_in_at(b, &new_product, &member()).await?;

    // 2. The product, in both languages.
    b.type_into("#name-vi", "Gạo ST25 ruộng tôm E2E").await?;
    b.type_into("#name-en", "ST25 rice-shrimp rice E2E").await?;
    b.select("#category", "rice_grains").await?;
    b.type_into("#brand", "Lúa Tôm Mỹ Xuyên").await?;
    b.select("#origin", "92").await?;
    // OCOP stars stand on an OCOP certificate: the editor asks for one until it is listed.
    b.select("#ocop", "4").await?;
    b.wait_for_text("#ocop-error", "chứng nhận OCOP").await?;
    click(b, ".add-cert").await?;
    b.select("#cert-0-kind", "ocop").await?;
    b.type_into("#cert-0-number", "OCOP-92-2026-101").await?;
    b.type_into("#cert-0-issuer", "UBND TP Cần Thơ").await?;
    b.set_value("#cert-0-expires", "2030-12-31").await?;
    b.type_into("#description-vi", "Gạo thơm trồng luân canh với tôm.").await?;
    // Pack size 1, with a GTIN whose check digit is wrong: the error shows while typing.
    let (good, bad, expected) = gtins();
    b.type_into("#variant-0-label", "Túi 2 kg").await?;
    b.type_into("#variant-0-weight", "2000").await?;
    b.type_into("#variant-0-price", "98.000").await?;
    b.wait_for_text("#variant-0-price-hint", "98.000").await?;
    b.type_into("#variant-0-stock", "40").await?;
    b.type_into("#variant-0-gtin", &bad).await?;
    b.wait_for_text("#variant-0-gtin-error", &format!("phải là {expected}")).await?;
    b.type_into("#variant-0-gtin", &good).await?;
    b.wait_for_text("#variant-0-gtin-hint", "GTIN-14").await?;
    // Pack size 2.
    click(b, ".add-variant").await?;
    b.type_into("#variant-1-label", "Túi 5 kg").await?;
    b.type_into("#variant-1-weight", "5000").await?;
    b.type_into("#variant-1-price", "235000").await?;
    b.type_into("#variant-1-stock", "12").await?;
    b.screenshot("seller-editor-1280").await?;
    // Photos need a saved product: the photo section saves the draft and opens it there.
    click(b, ".save-for-photos").await?;
    let url = b.wait_for_url(|u| u.starts_with(&format!("/ban-hang/{COOP}/san-pham/"))).await?;
    let slug = url.rsplit('/').next().unwrap().to_owned();
    b.wait_for_text(".publish-status", "Bản nháp").await?;
    let hash = b.client.execute("return location.hash", vec![]).await?;
    assert_eq!(hash, json!("#anh"), "the product opens at its photos");
    // Not to review without a photo: the photo section says so.
    click(b, ".submit-review").await?;
    b.wait_for_text("#images-error", "ít nhất một ảnh").await?;

    // The photo: alt text first, then the file; the progress bar shows while it goes.
    let dir = std::env::temp_dir().join(format!("chohtx-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("gao-st25.png");
    std::fs::write(&file, png(1400, 1000))?;
    b.find("#upload-file").await?.send_keys(&file.display().to_string()).await?;
    b.type_into("#upload-alt-vi", "Túi gạo ST25 2 kg trên bàn gỗ").await?;
    // Watch the bar from the page itself, so even a quick upload is seen.
    b.client
        .execute(
            r#"window.__progress = [];
               new MutationObserver(() => {
                   const p = document.querySelector('.upload-progress progress');
                   if (p) window.__progress.push(Number(p.value));
               }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });"#,
            vec![],
        )
        .await?;
    click(b, ".upload-button").await?;
    if b.find(".upload-progress").await.is_ok() {
        let _ = b.screenshot("seller-upload-progress").await;
    }
    b.wait_for_text(".upload-form .ok-note", "Đã tải ảnh lên").await?;
    let seen = b.client.execute("return window.__progress", vec![]).await?;
    let seen: Vec<f64> = serde_json::from_value(seen)?;
    assert!(!seen.is_empty(), "the progress bar was never shown");
    assert!(seen.iter().any(|v| *v >= 100.0), "the progress bar never reached 100%: {seen:?}");
    let images = b.find_all(".image-item").await?;
    assert_eq!(images.len(), 1);
    // The list shows the resized WebP copies.
    let srcset = b.find(".image-item img").await?.attr("srcset").await?.unwrap_or_default();
    assert!(srcset.contains(".webp"), "srcset: {srcset}");

    // 3. Submit for review.
    click(b, ".submit-review").await?;
    b.wait_for_text(".publish-status", "Chờ duyệt").await?;
    b.screenshot("seller-submitted-1280").await?;
    Ok(slug)
}

#[tokio::test]
async fn seller_lists_a_product_and_ships_its_first_order() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    let slug = create_and_submit(&b).await?;

    // Staff approve it (the curation API).
    let staff = Api::sign_in(&b, chohtx_server::seed::DEMO_STAFF_EMAIL, PASSWORD).await?;
    staff.post(&format!("/api/v1/staff/products/{slug}/approve"), json!({})).await?;

    // 4. It is in the catalog.
    b.open("/san-pham?q=gao+st25+ruong+tom+e2e").await?;
    b.wait_for_text(".catalog-results", "Gạo ST25 ruộng tôm E2E").await?;
    let stock_before = product(&b, &slug).await?.variants[0].stock;
    assert_eq!(stock_before, 40);

    // 5. A buyer (a guest, after the member signs out) orders the 2 kg bag.
    click(&b, ".account-button").await?;
    click(&b, ".sign-out").await?;
    b.wait_for_url(|u| u == "/").await?;
    b.open(&format!("/san-pham/{slug}")).await?;
    click(&b, ".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "1").await?;
    b.open("/thanh-toan").await?;
    b.type_into("#buyer_name", "Nguyễn Thị Lan").await?;
    b.type_into("#buyer_phone", "0912 345 678").await?;
    b.select("#province", "92").await?;
    b.find("#commune option[value='31135']").await?;
    b.select("#commune", "31135").await?;
    b.type_into("#street", "12 đường 3/2").await?;
    click(&b, ".checkout-form button[type=submit]").await?;
    b.wait_for_url(|u| u == "/dat-hang-thanh-cong").await?;
    let number = b.find(".placed-order .order-number").await?.text().await?;
    let tracking = b.find(".placed-order a").await?.attr("href").await?.expect("a tracking link");

    // 6. The member confirms and ships it.
    let orders = format!("/ban-hang/{COOP}/don-hang");
    sign_in_at(&b, &orders, &member()).await?;
    click(&b, &format!("a[href='/ban-hang/{COOP}/don-hang/{number}']")).await?;
    b.wait_for_text(".order-status", "Chờ xác nhận").await?;
    b.wait_for_text(".order-lines-table", "Túi 2 kg").await?;
    click(&b, ".confirm-order").await?;
    b.wait_for_text(".order-status", "Đã xác nhận").await?;
    click(&b, ".start-ship").await?;
    b.type_into("#carrier", "GHN").await?;
    b.type_into("#tracking_code", "GHN5E2E123").await?;
    click(&b, ".ship-order").await?;
    b.wait_for_text(".order-status", "Đang giao").await?;
    b.wait_for_text(".order-history", "GHN: GHN5E2E123").await?;
    b.screenshot("seller-order-shipped-1280").await?;
    // The pack list has the line and the address.
    click(&b, ".pack-list-link").await?;
    b.wait_for_text(".pack-list", "Túi 2 kg").await?;
    b.wait_for_text(".pack-list-to", "12 đường 3/2").await?;
    b.screenshot("seller-pack-list-1280").await?;

    // 7. The buyer's tracking page says shipped; the stock went down.
    b.open(&tracking).await?;
    b.wait_for_text(".order-status", "Đang giao").await?;
    // With the carrier and the tracking code, the code ready to copy.
    b.wait_for_text(".shipment .carrier", "GHN").await?;
    b.wait_for_text(".shipment .tracking-code", "GHN5E2E123").await?;
    b.find(".shipment .copy-button").await?;
    let stock_after = product(&b, &slug).await?.variants[0].stock;
    assert_eq!(stock_after, stock_before - 1, "one 2 kg bag left the stock");
    // The dashboard counts the sale.
    b.open(&format!("/ban-hang/{COOP}")).await?;
    b.wait_for_text(".chart-caption", "1 đơn").await?;
    b.screenshot("seller-dashboard-1280").await?;
    b.close().await
}

/// Someone who is not a member sees a clear message, not the console.
#[tokio::test]
async fn the_console_is_only_for_members() -> anyhow::Result<()> {
    let b = Browser::start(390, 844).await?;
    sign_in_at(&b, &format!("/ban-hang/{COOP}"), chohtx_server::seed::DEMO_BUYER_EMAIL).await?;
    b.wait_for_text(".seller-denied", "chỉ dành cho thành viên").await?;
    assert!(b.client.find(fantoccini::Locator::Css(".seller-nav")).await.is_err());
    b.close().await
}

#[tokio::test]
async fn console_pages_work_on_a_phone_without_serious_accessibility_violations() -> anyhow::Result<()> {
    let b = Browser::start(360, 800).await?;
    // Headless Chromium keeps windows at least 500 px wide unless told otherwise.
    b.client.set_window_size(360, 800).await?;
    sign_in_at(&b, &format!("/ban-hang/{COOP}"), &member()).await?;
    let mut report = Vec::new();
    for (path, ready, name) in [
        (format!("/ban-hang/{COOP}"), ".chart-columns", "seller-dashboard-360"),
        (format!("/ban-hang/{COOP}/san-pham"), ".product-rows", "seller-products-360"),
        (format!("/ban-hang/{COOP}/san-pham/gao-st25-my-xuyen"), ".image-item, .upload-form", "seller-editor-360"),
        (format!("/ban-hang/{COOP}/them-san-pham"), "#name-vi", "seller-new-360"),
        (format!("/ban-hang/{COOP}/don-hang"), ".status-tabs", "seller-orders-360"),
    ] {
        b.open(&path).await?;
        b.find(ready).await?;
        // Nothing wider than the phone.
        let overflow = b
            .client
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![])
            .await?;
        assert!(overflow.as_f64().unwrap_or(0.0) <= 0.0, "{path} scrolls sideways by {overflow}px");
        report.extend(b.accessibility_violations().await?.into_iter().map(|v| format!("{path}: {v}")));
        b.screenshot(name).await?;
    }
    assert!(report.is_empty(), "serious or critical violations:\n{}", report.join("\n"));
    // Unsaved changes are kept: type, reload, and they are back.
    b.open(&format!("/ban-hang/{COOP}/them-san-pham")).await?;
    b.type_into("#name-vi", "Nước mắm thử").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The page asks before a reload with unsaved changes; a person would say "leave".
    // A listener that runs first keeps WebDriver from facing that prompt.
    b.client
        .execute("window.addEventListener('beforeunload', e => e.stopImmediatePropagation(), true);", vec![])
        .await?;
    b.client.refresh().await?;
    b.find(".restored").await?;
    let name = b.find("#name-vi").await?.prop("value").await?.unwrap_or_default();
    assert_eq!(name, "Nước mắm thử");
    b.close().await
}
