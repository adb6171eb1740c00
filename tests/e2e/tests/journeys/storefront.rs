//! Buyer journeys in real Chromium against the real server and the demo catalog.

use chohtx_e2e::Browser;

#[tokio::test]
async fn home_in_vietnamese_switch_to_english_then_open_a_product() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;

    // 1. Home shows seeded products in Vietnamese, whatever the browser's language (en-US here).
    b.open("/").await?;
    b.wait_for_text(".hero h1", "Đặc sản hợp tác xã").await?;
    let cards = b.find_all(".product-card:not(.skeleton)").await?;
    assert!(cards.len() >= 8, "seeded products are listed, got {}", cards.len());
    let price = b.find(".product-card .price-amount").await?.text().await?;
    assert!(price.ends_with(" ₫") && price.contains('.'), "Vietnamese price format: {price:?}");
    assert_eq!(b.html_lang().await?, "vi");
    b.screenshot("home-vi-1280").await?;

    // 2. Switching to English changes the labels (and the document language).
    b.click(".lang-switch").await?;
    b.wait_for_text(".hero h1", "Cooperative specialties").await?;
    b.wait_for_text("#new-title", "New arrivals").await?;
    assert_eq!(b.html_lang().await?, "en");

    // 3. A product page shows its price formatted for the language.
    b.click(".product-card a").await?;
    b.find(".product-title").await?;
    let en_price = b.wait_for_text(".price-large", "₫").await?;
    assert!(en_price.starts_with('₫') && !en_price.contains('.'), "English price: {en_price:?}");
    b.find(".variant-option").await?;

    // The choice persists: after a reload the page is still in English; switching back
    // gives the Vietnamese format.
    b.client.refresh().await?;
    b.wait_for_text(".quantity-label", "Quantity").await?;
    b.click(".lang-switch").await?;
    let vi_price = b.wait_for_text(".price-large", " ₫").await?;
    assert!(vi_price.contains('.') && vi_price.ends_with('₫'), "Vietnamese price: {vi_price:?}");
    b.screenshot("product-vi-1280").await?;
    b.close().await
}

#[tokio::test]
async fn phone_layout_and_not_found_page() -> anyhow::Result<()> {
    let b = Browser::start(360, 740).await?;
    b.open("/").await?;
    b.find(".product-card:not(.skeleton)").await?;
    // Nothing wider than the phone: no sideways scrolling.
    let overflow = b.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "page scrolls sideways by {overflow}px at 360 px");
    b.screenshot("home-vi-360").await?;

    b.open("/khong-co-trang-nay").await?;
    b.wait_for_text("h1", "Không tìm thấy trang").await?;
    b.open("/san-pham/khong-co-san-pham-nay").await?;
    // An unknown product is the not-found page (with status 404, see the API tests).
    b.wait_for_text("h1", "Không tìm thấy").await?;
    b.close().await
}
