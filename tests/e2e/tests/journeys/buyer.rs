//! The buyer journey: search without diacritics, filter, two pack sizes and a second
//! cooperative in the cart, a reload, checkout (cash on delivery, then VietQR), tracking.

use chohtx_e2e::{Api, Browser};
use chohtx_server::seed::{DEMO_PASSWORD, demo_member_email};
use domain::{account::MemberRole, api::Page, catalog::ProductSummary};
use serde_json::json;

/// A product of another cooperative than `not_coop`, in stock (found through the API).
async fn other_product(b: &Browser, not_coop: &str) -> anyhow::Result<String> {
    let page: Page<ProductSummary> =
        reqwest::get(b.server.url("/api/v1/products?q=ca+phe&in_stock=true&per_page=50")).await?.json().await?;
    Ok(page.items.into_iter().find(|p| p.cooperative.slug != not_coop).expect("a coffee from another cooperative").slug)
}

/// Opens the catalog's filters if they are folded: on a phone they start folded; on a wide
/// screen the filters' island opens them once it runs, so it is waited for first.
async fn unfold_filters(b: &Browser) -> anyhow::Result<()> {
    b.wait_ready().await?;
    let folded = b.client.execute("return !document.querySelector('.filter-panel').open", vec![]).await?;
    if folded == json!(true) {
        b.click(".filter-panel summary").await?;
    }
    Ok(())
}

/// Steps 1–5: search, filter, add two pack sizes and another cooperative's product, reload.
async fn fill_cart(b: &Browser) -> anyhow::Result<()> {
    b.open("/").await?;
    b.find(".product-card:not(.skeleton)").await?;
    // 1. Search "gao st25" without diacritics.
    b.type_into("#site-search", "gao st25\u{E007}").await?;
    b.wait_for_url(|u| u.starts_with("/san-pham?q=gao")).await?;
    b.wait_for_text(".catalog-results", "Gạo ST25").await?;
    // 2. Filter by province (Cần Thơ, code 92).
    unfold_filters(b).await?;
    b.select("#filter-province", "92").await?;
    b.wait_for_url(|u| u.contains("province=92")).await?;
    b.wait_for_text(".result-count", "sản phẩm").await?;
    let origins = b.find_all(".product-card-origin").await?;
    for o in origins {
        assert_eq!(o.text().await?, "Cần Thơ");
    }
    // A price range applies when sent, typed with the separators prices are shown with;
    // one upside down is refused where it was typed, and the page stays.
    unfold_filters(b).await?;
    b.type_into("input[name=min_price]", "5.000").await?;
    b.type_into("input[name=max_price]", "1.000\u{E007}").await?;
    b.find("#price-error:not([hidden])").await?;
    assert!(!b.current_path().await?.contains("min_price"), "nothing applied");
    b.type_into("input[name=max_price]", "5.000.000\u{E007}").await?;
    b.wait_for_url(|u| u.contains("province=92") && u.contains("min_price=5000") && u.contains("max_price=5000000"))
        .await?;
    b.wait_for_text(".result-count", "sản phẩm").await?;
    // 3. Open the product and add two pack sizes.
    b.click("a[href='/san-pham/gao-st25-my-xuyen']").await?;
    b.find(".add-to-cart").await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".added-note", "Đã thêm").await?;
    b.click(".variant-option:nth-of-type(2) label").await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "2").await?;
    // 4. A product from another cooperative.
    let slug = other_product(b, "htx-lua-gao-my-xuyen").await?;
    b.open(&format!("/san-pham/{slug}")).await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "3").await?;
    // 5. Reload: the cart is still there.
    b.client.refresh().await?;
    b.wait_for_text(".cart-badge", "3").await?;
    b.open("/gio-hang").await?;
    let groups = b.find_all(".cart-group").await?;
    assert_eq!(groups.len(), 2, "one group per cooperative");
    b.screenshot("cart").await?;
    Ok(())
}

async fn fill_checkout(b: &Browser, bank_transfer: bool) -> anyhow::Result<()> {
    b.open("/thanh-toan").await?;
    b.type_into("#buyer_name", "Nguyễn Thị Lan").await?;
    b.type_into("#buyer_phone", "0912 345 678").await?;
    b.select("#province", "92").await?;
    // Communes load for the chosen province.
    b.find("#commune option[value='31135']").await?;
    b.select("#commune", "31135").await?;
    b.type_into("#street", "12 đường 3/2").await?;
    if bank_transfer {
        b.click("input[value=bank_transfer]").await?;
    }
    b.click(".checkout-form button[type=submit]").await?;
    Ok(())
}

#[tokio::test]
async fn buyer_searches_filters_fills_cart_and_pays_on_delivery() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    fill_cart(&b).await?;
    // 6. Check out with cash on delivery: two order numbers, one per cooperative.
    fill_checkout(&b, false).await?;
    b.wait_for_url(|u| u == "/dat-hang-thanh-cong").await?;
    let numbers = b.find_all(".placed-order .order-number").await?;
    assert_eq!(numbers.len(), 2);
    for n in &numbers {
        assert!(n.text().await?.starts_with("DH"));
    }
    b.wait_for_text(".cart-badge", "").await?;
    b.screenshot("order-placed-1280").await?;
    // 7. The tracking page shows pending.
    let number = numbers[0].text().await?;
    b.click(".placed-order a").await?;
    b.wait_for_text(".order-status", "Chờ xác nhận").await?;
    assert!(b.client.find(fantoccini::Locator::Css(".vietqr-code")).await.is_err(), "no QR for cash on delivery");
    // 8. The cooperative cancels it with a reason: the buyer sees the reason.
    let coop: String = sqlx::query_scalar(
        "SELECT c.slug FROM orders o JOIN cooperatives c ON c.id = o.cooperative_id WHERE o.number = $1",
    )
    .bind(&number)
    .fetch_one(&b.server.state.db)
    .await?;
    let member = Api::sign_in(&b, &demo_member_email(MemberRole::Member, &coop), DEMO_PASSWORD).await?;
    let reason = "Hết hàng vụ này, hẹn chị vụ sau";
    member
        .post(&format!("/api/v1/seller/{coop}/orders/{number}/status"), json!({"action": "cancel", "reason": reason}))
        .await?;
    b.client.refresh().await?;
    b.wait_for_text(".order-status", "Đã hủy").await?;
    b.wait_for_text(".cancel-reason", reason).await?;
    b.screenshot("order-cancelled-1280").await?;
    // 9. Without the link: the order by its number and phone; a wrong phone finds nothing.
    b.open("/tra-cuu-don-hang").await?;
    b.type_into("#number", &number.to_lowercase()).await?;
    b.type_into("#phone", "0987 000 111").await?;
    b.click(".order-lookup button[type=submit]").await?;
    b.wait_for_text(".lookup-not-found", "Không tìm thấy đơn hàng").await?;
    b.type_into("#phone", "0912 345 678").await?;
    b.click(".order-lookup button[type=submit]").await?;
    b.wait_for_text("h1.order-number", &number).await?;
    b.wait_for_text(".cancel-reason", reason).await?;
    b.close().await
}

#[tokio::test]
async fn buyer_pays_by_vietqr_and_sees_the_code() -> anyhow::Result<()> {
    let b = Browser::start(390, 844).await?;
    fill_cart(&b).await?;
    fill_checkout(&b, true).await?;
    b.wait_for_url(|u| u == "/dat-hang-thanh-cong").await?;
    // The confirmation already shows how to pay: the QR code, a PNG to save, and the
    // transfer note in whole words within VietQR's 25 characters.
    b.find(".placed-order img.vietqr-code").await?;
    let save = b.find(".placed-order .save-qr").await?.attr("href").await?.unwrap_or_default();
    assert!(save.contains("/vietqr.png?token="), "{save}");
    let purpose = b.wait_for_text(".placed-order .transfer-purpose", "DH").await?;
    assert!(purpose.len() <= 25 && purpose.is_ascii(), "{purpose:?}");
    b.find(".placed-order .copy-button").await?;
    b.screenshot("order-placed-vietqr-390").await?;
    b.click(".placed-order-head a").await?;
    b.wait_for_text(".order-status", "Chờ xác nhận").await?;
    let qr = b.find("img.vietqr-code").await?;
    // The image really loaded (the server drew the SVG for this order and token).
    let loaded = b
        .client
        .execute("return arguments[0].complete && arguments[0].naturalWidth > 0", vec![serde_json::to_value(&qr)?])
        .await?;
    assert_eq!(loaded, serde_json::json!(true));
    b.wait_for_text(".transfer-details", "Số tài khoản").await?;
    b.screenshot("vietqr-390").await?;
    b.close().await
}

#[tokio::test]
async fn checkout_keeps_input_and_explains_errors() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    b.open("/san-pham/gao-st25-my-xuyen").await?;
    b.click(".add-to-cart").await?;
    b.open("/thanh-toan").await?;
    b.type_into("#buyer_name", "Trần Văn Minh").await?;
    b.type_into("#buyer_phone", "abc").await?;
    b.click(".checkout-form button[type=submit]").await?;
    b.wait_for_text("#buyer_phone-error", "Số điện thoại không hợp lệ").await?;
    b.wait_for_text("#province-error", "Chọn tỉnh, thành phố").await?;
    // A reload keeps what was typed.
    b.client.refresh().await?;
    let name = b.find("#buyer_name").await?.prop("value").await?.unwrap_or_default();
    assert_eq!(name, "Trần Văn Minh");
    b.close().await
}

#[tokio::test]
async fn pages_have_no_serious_accessibility_violations() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;
    let mut report = Vec::new();
    for (path, ready) in [
        ("/", ".product-card:not(.skeleton)"),
        ("/san-pham?q=gao+st25", ".product-card:not(.skeleton)"),
        ("/san-pham/gao-st25-my-xuyen", ".add-to-cart"),
    ] {
        b.open(path).await?;
        b.find(ready).await?;
        report.extend(b.accessibility_violations().await?.into_iter().map(|v| format!("{path}: {v}")));
        if path.starts_with("/san-pham/") {
            b.click(".add-to-cart").await?;
        }
    }
    for path in ["/gio-hang", "/thanh-toan"] {
        b.open(path).await?;
        b.find(".cart-line").await?;
        report.extend(b.accessibility_violations().await?.into_iter().map(|v| format!("{path}: {v}")));
        b.screenshot(&format!("a11y{}", path.replace('/', "-"))).await?;
    }
    assert!(report.is_empty(), "serious or critical violations:\n{}", report.join("\n"));
    b.close().await
}
