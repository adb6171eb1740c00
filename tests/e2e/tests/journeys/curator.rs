//! The curator journey: a trade-promotion officer signs in (the console sends a visitor
//! to sign in and back), approves a pending demo cooperative and its product, features
//! three products in a chosen order, creates a campaign, and the home page shows them —
//! the campaign on stage, the featured products in that order.

use anyhow::Context;
use chohtx_e2e::Browser;
use chohtx_server::seed::{DEMO_PASSWORD, DEMO_STAFF_EMAIL};
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// Today in Vietnam (UTC+7) on the test server's clock, plus `days`, as `YYYY-MM-DD`.
fn day(b: &Browser, days: u64) -> String {
    let later = b.server.state.clock.now() + Duration::from_secs(7 * 3600 + days * 86_400);
    chohtx_server::clock::rfc3339(later)[..10].to_owned()
}

/// Sets a date input the way a date picker does (typing into one depends on the locale).
async fn set_date(b: &Browser, css: &str, value: &str) -> anyhow::Result<()> {
    let el = b.find(css).await?;
    b.client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::to_value(&el)?, serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

/// Waits until no element matches `css`.
async fn wait_gone(b: &Browser, css: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    while b.client.find(Locator::Css(css)).await.is_ok() {
        anyhow::ensure!(started.elapsed() < chohtx_e2e::WAIT, "{css} is still there");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Finds `slug` through the picker `search_id` and adds it.
async fn pick(b: &Browser, search_id: &str, query: &str, slug: &str) -> anyhow::Result<()> {
    b.type_into(&format!("#{search_id}"), query).await?;
    b.click(&format!("#{search_id} + button[type=submit]")).await?;
    b.click(&format!(".picker-item[data-slug='{slug}'] button"))
        .await
        .with_context(|| format!("{slug} in the results"))?;
    Ok(())
}

async fn hrefs(b: &Browser, css: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for e in b.find_all(css).await? {
        out.push(e.attr("href").await?.unwrap_or_default());
    }
    Ok(out)
}

#[tokio::test]
async fn curator_approves_features_and_composes_the_home_page() -> anyhow::Result<()> {
    let b = Browser::start(1280, 900).await?;

    // 1. The console sends a visitor to sign in, and back once signed in as staff.
    b.open("/xuc-tien").await?;
    b.wait_for_url(|u| u.starts_with("/dang-nhap?next=")).await?;
    b.type_into("#login", DEMO_STAFF_EMAIL).await?;
    b.type_into("#password", DEMO_PASSWORD).await?;
    b.click(".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| u == "/xuc-tien").await?;
    b.wait_for_text(".staff-nav a[aria-current=page]", "Kiểm duyệt").await?;

    // 2. Approve a pending demo cooperative — its registration number is there to check —
    //    then its product.
    let coop = ".queue-item[data-slug='htx-nhan-long-pho-hien']";
    b.wait_for_text(&format!("{coop} .queue-facts"), "Mã số HTX").await?;
    b.screenshot("staff-queue-1280").await?;
    let violations = b.accessibility_violations().await?;
    assert!(violations.is_empty(), "moderation page: {violations:#?}");
    b.click(&format!("{coop} button[data-action=approve]")).await?;
    b.wait_for_text(".notice[role=status]", "Đã duyệt: Hợp tác xã Nhãn lồng Phố Hiến").await?;
    wait_gone(&b, coop).await?;
    let product = ".queue-item[data-slug='nhan-long-hung-yen']";
    b.wait_for_text(&format!("{product} .muted"), "Đã duyệt").await?;
    b.click(&format!("{product} button[data-action=approve]")).await?;
    wait_gone(&b, product).await?;
    // A rejection needs a reason, which the cooperative will read.
    let other = ".queue-item[data-slug='long-nhan-say-kho-hung-yen']";
    b.click(&format!("{other} button[data-action=reject]")).await?;
    b.click(&format!("{other} .reason-form button[type=submit]")).await?;
    b.wait_for_text(&format!("{other} .reason-form .field-error"), "Vui lòng nhập").await?;
    b.type_into(&format!("{other} .reason-form textarea"), "Bổ sung ảnh bao bì và hạn sử dụng.").await?;
    b.click(&format!("{other} .reason-form button[type=submit]")).await?;
    wait_gone(&b, other).await?;

    // 3. Feature three products in a chosen order (the demo's six are cleared first).
    b.open("/xuc-tien/noi-bat").await?;
    b.find(".featured-row").await?;
    while b.client.find(Locator::Css(".featured-row .remove")).await.is_ok() {
        b.click(".featured-row .remove").await?;
    }
    pick(&b, "featured-search", "xoai cat hoa loc", "xoai-cat-hoa-loc").await?;
    pick(&b, "featured-search", "nhan long hung yen", "nhan-long-hung-yen").await?;
    pick(&b, "featured-search", "che tan cuong", "che-bup-tan-cuong-dac-biet").await?;
    // The tea first: up twice.
    let tea = ".featured-row[data-slug='che-bup-tan-cuong-dac-biet']";
    b.click(&format!("{tea} .move-up")).await?;
    b.click(&format!("{tea} .move-up")).await?;
    b.wait_for_text(&format!("{tea} .featured-position"), "1").await?;
    b.click(".save-bar button").await?;
    b.wait_for_text(".save-bar [role=status]", "Đã lưu").await?;
    let order: Vec<String> = {
        let mut v = Vec::new();
        for e in b.find_all(".featured-row").await? {
            v.push(e.attr("data-slug").await?.unwrap_or_default());
        }
        v
    };
    assert_eq!(order, ["che-bup-tan-cuong-dac-biet", "xoai-cat-hoa-loc", "nhan-long-hung-yen"]);
    b.screenshot("staff-featured-1280").await?;

    // 4. Create a campaign from today, with products chosen by a rule.
    b.open("/xuc-tien/chien-dich").await?;
    b.click(".new-campaign").await?;
    b.wait_for_url(|u| u == "/xuc-tien/chien-dich/moi").await?;
    b.type_into("#title_vi", "Phiên chợ trái cây OCOP").await?;
    b.type_into("#title_en", "OCOP fruit fair").await?;
    b.type_into("#description_vi", "Trái cây 4 sao OCOP từ các hợp tác xã miền Tây.").await?;
    b.click(".banner-option:nth-child(3)").await?;
    set_date(&b, "#starts_on", &day(&b, 0)).await?;
    set_date(&b, "#ends_on", &day(&b, 14)).await?;
    b.click("input[name=selection][value=rule]").await?;
    b.select("#rule_category", "fruit").await?;
    // OCOP ratings start at 3 stars: the rule offers nothing below.
    let stars = b
        .client
        .execute(
            "return [...document.querySelectorAll('#rule_min_ocop option')].map(o => o.value).filter(v => v)",
            vec![],
        )
        .await?;
    assert_eq!(stars, serde_json::json!(["3", "4", "5"]));
    b.select("#rule_min_ocop", "4").await?;
    b.click(".campaign-form button[type=submit]").await?;
    b.wait_for_url(|u| u.starts_with("/xuc-tien/chien-dich/phien-cho-trai-cay-ocop")).await?;
    b.wait_for_text("#campaign-products-title", "sản phẩm").await?;
    b.screenshot("staff-campaign-1280").await?;

    // 5. The home page: the new campaign on stage, the featured products in that order.
    b.open("/").await?;
    b.wait_for_text("#campaign-spot-title", "Phiên chợ trái cây OCOP").await?;
    let featured = hrefs(&b, ".featured .product-card-link").await?;
    assert_eq!(
        featured,
        ["/san-pham/che-bup-tan-cuong-dac-biet", "/san-pham/xoai-cat-hoa-loc", "/san-pham/nhan-long-hung-yen"]
    );
    let in_campaign = hrefs(&b, ".campaign-spot .product-card-link").await?;
    assert!(!in_campaign.is_empty() && in_campaign.len() <= 4, "{in_campaign:?}");
    assert!(
        b.client.find(Locator::Css(".coop-tile[href='/htx/htx-nhan-long-pho-hien']")).await.is_ok(),
        "newly approved"
    );
    b.screenshot("home-composed-1280").await?;
    let violations = b.accessibility_violations().await?;
    assert!(violations.is_empty(), "home page: {violations:#?}");
    b.click("#campaign-spot-title a").await?;
    b.wait_for_url(|u| u == "/phien-cho/phien-cho-trai-cay-ocop").await?;
    b.wait_for_text(".campaign-hero h1", "Phiên chợ trái cây OCOP").await?;
    b.close().await
}

#[tokio::test]
async fn the_console_is_for_staff_and_works_on_a_phone() -> anyhow::Result<()> {
    let b = Browser::start(360, 800).await?;
    // A buyer is refused (and the server refuses the API too).
    b.sign_in(chohtx_server::seed::DEMO_BUYER_EMAIL, DEMO_PASSWORD).await?;
    b.open("/xuc-tien/thong-ke").await?;
    b.wait_for_text(".staff-only h1", "Chỉ dành cho cán bộ").await?;
    b.click(".account-menu summary").await?;
    b.click(".account-menu .sign-out").await?;
    b.wait_for_url(|u| u == "/").await?;

    b.sign_in(DEMO_STAFF_EMAIL, DEMO_PASSWORD).await?;
    let _ = b.console().await?;
    b.open("/xuc-tien/thong-ke").await?;
    b.find(".kpis").await?;
    b.find(".bar-chart .bar-row").await?;
    // The monthly chart's labels sit in one row, laid out by the stylesheet alone: no
    // inline style for the page's policy to refuse (and no console error about it).
    let flow = b
        .client
        .execute("return getComputedStyle(document.querySelector('.column-labels')).gridAutoFlow", vec![])
        .await?;
    assert_eq!(flow, serde_json::json!("column"));
    b.assert_clean_console().await?;
    let href = b.find(".csv-link[data-table=orders]").await?.attr("href").await?.unwrap_or_default();
    assert!(href.starts_with("/api/v1/staff/stats/csv/orders?from="), "{href}");
    let overflow = b.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the dashboard scrolls sideways by {overflow}px at 360 px");
    b.screenshot("staff-stats-360").await?;
    let violations = b.accessibility_violations().await?;
    assert!(violations.is_empty(), "statistics page: {violations:#?}");

    b.open("/xuc-tien/noi-bat").await?;
    b.find(".featured-row").await?;
    let overflow = b.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the featured editor scrolls sideways by {overflow}px at 360 px");
    b.screenshot("staff-featured-360").await?;

    b.open("/").await?;
    b.find(".campaign-spot").await?;
    b.find(".featured .product-card").await?;
    let overflow = b.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "home scrolls sideways by {overflow}px at 360 px");
    b.screenshot("home-composed-360").await?;
    b.close().await
}
