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

/// With JavaScript off (a crawler, a link preview, a phone that blocks scripts) the
/// storefront still reads: search is a GET form, filters a GET form with a button,
/// products and lots plain links — all rendered by the server.
#[tokio::test]
async fn reading_the_shop_without_javascript() -> anyhow::Result<()> {
    let b = Browser::start_without_javascript(390, 844).await?;
    b.open("/").await?;
    b.find(".product-card").await?;

    // 1. Search without diacritics: the search box's form submits to the catalog.
    b.type_into("#site-search", "gao st25").await?;
    b.click(".search-button").await?;
    b.wait_for_url(|u| u.starts_with("/san-pham?q=gao")).await?;
    b.wait_for_text(".catalog-results", "Gạo ST25").await?;

    // 2. Filter by province (Cần Thơ, 92) with the filter form's button.
    b.click(".filter-panel summary").await?;
    b.select("#filter-province", "92").await?;
    b.click(".price-inputs button[type=submit]").await?;
    b.wait_for_url(|u| u.contains("province=92") && u.contains("q=gao")).await?;
    for o in b.find_all(".product-card-origin").await? {
        assert_eq!(o.text().await?, "Cần Thơ");
    }
    b.screenshot("no-js-catalog-390").await?;

    // 3. Open the product: its name, price and pack sizes are in the page.
    b.click("a[href='/san-pham/gao-st25-my-xuyen']").await?;
    b.wait_for_text("h1", "Gạo ST25 Mỹ Xuyên").await?;
    b.wait_for_text(".product-info", "₫").await?;

    // 4. Open one of its lots: where it came from.
    b.click(".trace-lot-link").await?;
    b.wait_for_url(|u| u.starts_with("/01/")).await?;
    b.wait_for_text(".trace", "ST25").await?;
    b.screenshot("no-js-lot-390").await?;

    // 5. The cart says plainly that it needs the app.
    b.open("/gio-hang").await?;
    b.wait_for_text("noscript, .notice, main", "JavaScript").await?;
    b.close().await
}
