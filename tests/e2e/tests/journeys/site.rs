//! The cooperative's website: its admin edits the story, uploads a logo and a banner
//! (with progress), adds Zalo and opening hours (kept across a reload before they are
//! saved), saves; the public page shows them at
//! once (checked by axe at phone and desktop widths). Staff give the cooperative its own
//! domain: the page at `/` of that host shows the same, while an unknown host is refused.

use chohtx_e2e::{Api, Browser};
use chohtx_server::seed::{DEMO_STAFF_EMAIL, demo_member_email};
use domain::account::MemberRole;
use serde_json::json;

const COOP: &str = "htx-lua-gao-my-xuyen";
const PASSWORD: &str = chohtx_server::seed::DEMO_PASSWORD;
const DOMAIN: &str = "htx-my-xuyen.example.vn";

async fn upload(b: &Browser, kind: &str, file: &std::path::Path) -> anyhow::Result<()> {
    b.find(&format!("#profile-{kind}-file")).await?.send_keys(&file.display().to_string()).await?;
    b.click(&format!(".profile-picture[data-kind={kind}] .upload-button")).await?;
    b.wait_for_text(&format!(".profile-picture[data-kind={kind}] .ok-note"), "Đã tải ảnh lên").await?;
    b.find(&format!(".profile-picture[data-kind={kind}] .profile-thumbs img")).await?;
    Ok(())
}

#[tokio::test]
async fn an_admin_edits_the_website_and_its_own_domain_shows_it() -> anyhow::Result<()> {
    let b = Browser::start_with(1280, 1000, |c| c.domain_routing = true).await?;
    let editor = format!("/ban-hang/{COOP}/ho-so");
    b.open(&editor).await?;
    b.wait_for_url(|u| u.starts_with("/dang-nhap?next=")).await?;
    b.type_into("#login", &demo_member_email(MemberRole::Admin, COOP)).await?;
    b.type_into("#password", PASSWORD).await?;
    b.click(".auth-card button[type=submit]").await?;
    b.wait_for_url(|u| u == editor).await?;

    // The tab is in the console's navigation, beside the members page.
    b.find(".seller-nav a[href$='/ho-so']").await?;
    b.find(".seller-nav a[href$='/thanh-vien']").await?;

    b.type_into("#profile-story-vi", "Câu chuyện E2E: ruộng lúa – tôm ở Hòa Tú.").await?;
    b.type_into("#profile-zalo", "0912 345 678").await?;
    b.type_into("#profile-hours-vi", "Thứ Hai – Thứ Bảy, 7:00–17:00").await?;
    // A bad coordinate is named next to its field, and nothing typed is lost.
    b.type_into("#profile-latitude", "abc").await?;
    b.type_into("#profile-longitude", "105.98").await?;
    b.click(".profile-form button[type=submit]").await?;
    b.wait_for_text("#profile-latitude-error", "tọa độ dạng số thập phân").await?;
    let story = b.find("#profile-story-vi").await?.prop("value").await?.unwrap_or_default();
    assert!(story.starts_with("Câu chuyện E2E"), "the story is kept: {story}");
    // A reload loses nothing typed either: the text comes back, with a notice.
    b.open(&editor).await?;
    b.wait_for_text(".notice.restored", "Đã khôi phục những thay đổi chưa lưu").await?;
    for (field, typed) in
        [("#profile-story-vi", "Câu chuyện E2E"), ("#profile-zalo", "0912 345 678"), ("#profile-latitude", "abc")]
    {
        let value = b.find(field).await?.prop("value").await?.unwrap_or_default();
        assert!(value.starts_with(typed), "{field} comes back after a reload: {value}");
    }
    b.type_into("#profile-latitude", "9.6012").await?;

    let dir = std::env::temp_dir().join(format!("chohtx-e2e-site-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let logo = dir.join("logo.png");
    std::fs::write(&logo, chohtx_e2e::png(300, 300))?;
    let banner = dir.join("banner.png");
    std::fs::write(&banner, chohtx_e2e::png(1600, 500))?;
    upload(&b, "logo", &logo).await?;
    upload(&b, "banner", &banner).await?;

    b.click(".profile-form button[type=submit]").await?;
    b.wait_for_text(".profile-form .ok-note", "Đã lưu").await?;
    let notice = b.client.execute("return document.querySelector('.notice.restored') !== null", vec![]).await?;
    assert_eq!(notice, json!(false), "saved: the restored notice goes");
    let violations = b.accessibility_violations().await?;
    assert!(violations.is_empty(), "the editor: {violations:?}");
    b.screenshot("site-editor-1280").await?;
    let kept: serde_json::Value = b
        .client
        .execute("return localStorage.getItem('chohtx.seller.profile.v1.' + arguments[0])", vec![json!(COOP)])
        .await?;
    assert!(kept.is_null(), "saved: localStorage keeps nothing of the form: {kept}");

    // The public page, at once.
    for width in [1280, 360] {
        b.client.set_window_size(width, 1000).await?;
        b.open(&format!("/htx/{COOP}")).await?;
        b.wait_for_text(".coop-story", "Câu chuyện E2E").await?;
        b.wait_for_text(".coop-contact", "Thứ Hai – Thứ Bảy, 7:00–17:00").await?;
        let zalo = b.find(".coop-contact a[href='https://zalo.me/0912345678']").await?;
        assert!(zalo.text().await?.contains("0912"));
        let logo_src = b.find(".coop-logo").await?.attr("src").await?.unwrap_or_default();
        assert!(logo_src.starts_with("/media/cooperatives/"), "logo: {logo_src}");
        let banner_src = b.find(".coop-banner").await?.attr("src").await?.unwrap_or_default();
        assert!(banner_src.starts_with("/media/cooperatives/"), "banner: {banner_src}");
        let directions = b.find(".coop-directions").await?.attr("href").await?.unwrap_or_default();
        assert!(directions.contains("destination=9.601200,105.980000"), "{directions}");
        let overflow =
            b.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
        if overflow.as_f64().unwrap_or(0.0) > 0.0 {
            let _ = b.screenshot(&format!("site-public-{width}-overflow")).await;
            let wide = b
                .client
                .execute(
                    "const w = window.innerWidth; return [...document.querySelectorAll('body *')]
                       .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 8)
                       .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                    vec![],
                )
                .await?;
            panic!("the page scrolls sideways at {width}px by {overflow}: {wide}");
        }
        let violations = b.accessibility_violations().await?;
        assert!(violations.is_empty(), "the public page at {width}px: {violations:?}");
        b.screenshot(&format!("site-public-{width}")).await?;
    }

    // Staff give it its own domain; that host's `/` is the cooperative's page.
    let staff = Api::sign_in(&b, DEMO_STAFF_EMAIL, PASSWORD).await?;
    let res = reqwest::Client::new()
        .put(b.server.url(&format!("/api/v1/staff/cooperatives/{COOP}/domains")))
        .header("cookie", &staff.cookie)
        .header("x-csrf-token", &staff.csrf)
        .json(&json!({"domains": [DOMAIN]}))
        .send()
        .await?;
    assert!(res.status().is_success(), "set the domain: {}", res.status());
    let get = |host: &'static str, path: &'static str| {
        let url = b.server.url(path);
        async move { reqwest::Client::new().get(url).header("host", host).send().await }
    };
    let res = get(DOMAIN, "/").await?;
    assert_eq!(res.status(), 200);
    let html = res.text().await?;
    assert!(html.contains("Câu chuyện E2E"), "the story at / of the domain");
    assert!(html.contains("https://zalo.me/0912345678") && html.contains("Thứ Hai – Thứ Bảy, 7:00–17:00"));
    // Its products and the cart still work there.
    assert_eq!(get(DOMAIN, "/san-pham/gao-st25-my-xuyen").await?.status(), 200);
    assert_eq!(get(DOMAIN, "/gio-hang").await?.status(), 200);
    // An unknown host is refused.
    assert_eq!(get("evil.example", "/").await?.status(), 421);
    b.close().await
}
