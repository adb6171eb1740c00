//! A cooperative's website: its admins edit the profile (texts, contact, place, logo,
//! banner, gallery), the public page and API show it at once, staff hide it with a reason
//! (audited; the page is then 404), and the cooperative's own domain shows its page at `/`
//! while unknown hosts are refused.

use crate::helpers::{Answer, Session, png, server, two_cooperatives};
use chohtx_server::{
    seed::{DEMO_STAFF_EMAIL, demo_member_email},
    testing::TestServer,
};
use domain::{account::MemberRole, catalog::Cooperative, profile::SellerProfile};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn profile_body() -> Value {
    json!({
        "summary": {"vi": "Gạo ST25 trên đất lúa – tôm", "en": "ST25 rice from rice–shrimp fields"},
        "story": {"vi": "Câu chuyện mới của hợp tác xã.", "en": "The cooperative's new story."},
        "specialties": ["Gạo ST25", "Tôm sú"],
        "founded_year": 2012,
        "member_count": 90,
        "phone": "0299 385 1246",
        "email": "lienhe@htx-my-xuyen.vn",
        "zalo": "0912 345 678",
        "facebook": "https://www.facebook.com/htxmyxuyen",
        "hours": {"vi": "Thứ Hai – Thứ Bảy, 7:00–17:00", "en": "Mon–Sat, 7:00–17:00"},
        "street": "Ấp Hòa Lời",
        "latitude": 9.6012,
        "longitude": 105.9801,
    })
}

async fn put_profile(s: &TestServer, who: &Session, coop: &str, body: Value) -> Answer {
    who.send(s, Method::PUT, &format!("/api/v1/seller/{coop}/profile"), Some(body)).await
}

async fn public(s: &TestServer, coop: &str) -> Answer {
    Session::anonymous().send(s, Method::GET, &format!("/api/v1/cooperatives/{coop}"), None).await
}

async fn page_with_host(s: &TestServer, path: &str, host: &str) -> (StatusCode, String) {
    let res = reqwest::Client::new().get(s.url(path)).header("host", host).send().await.expect("answers");
    let status = res.status();
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn an_admin_edits_the_profile_and_the_public_page_shows_it_at_once() {
    let s = server().await;
    let (coop, other) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;

    let a = admin.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/profile"), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let before: SellerProfile = serde_json::from_value(a.body).unwrap();
    assert!(!before.profile.story.vi.is_empty(), "the seeded story is there");

    // A member who is not an admin, an admin of another cooperative, and a visitor are refused.
    let member = Session::sign_in(&s, &demo_member_email(MemberRole::Member, &coop)).await;
    assert_eq!(put_profile(&s, &member, &coop, profile_body()).await.status, StatusCode::FORBIDDEN);
    let outsider = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &other)).await;
    assert_eq!(put_profile(&s, &outsider, &coop, profile_body()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(put_profile(&s, &Session::anonymous(), &coop, profile_body()).await.status, StatusCode::UNAUTHORIZED);
    let a = member.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/profile"), None).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    let a = put_profile(&s, &admin, &coop, profile_body()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for (kind, w) in [("logo", 200), ("banner", 1400)] {
        let a =
            admin.send_bytes(&s, &format!("/api/v1/seller/{coop}/profile/images?kind={kind}"), png(w, w / 3 + 1)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{kind}: {}", a.body);
    }
    let a = admin
        .send_bytes(&s, &format!("/api/v1/seller/{coop}/profile/images?kind=gallery&alt=Ru%E1%BB%99ng"), png(300, 200))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let p: SellerProfile = serde_json::from_value(a.body).unwrap();
    assert_eq!(p.gallery.len(), 1);
    assert!(p.logo.is_some() && p.banner.as_ref().unwrap().url.starts_with("/media/cooperatives/"));
    // A gallery photo needs its description; an unknown kind is named.
    let a = admin.send_bytes(&s, &format!("/api/v1/seller/{coop}/profile/images?kind=gallery"), png(30, 20)).await;
    assert_eq!(
        (a.status, a.body["error"]["fields"]["alt.vi"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("required"))
    );
    let a = admin.send_bytes(&s, &format!("/api/v1/seller/{coop}/profile/images?kind=poster"), png(30, 20)).await;
    assert_eq!(a.body["error"]["fields"]["kind"]["code"], "unknown_choice", "{}", a.body);

    let a = public(&s, &coop).await;
    assert_eq!(a.status, StatusCode::OK);
    let c: Cooperative = serde_json::from_value(a.body).unwrap();
    assert_eq!(c.story.vi, "Câu chuyện mới của hợp tác xã.");
    assert_eq!(c.tagline.en, "ST25 rice from rice–shrimp fields");
    assert_eq!(c.zalo.as_ref().map(|z| z.e164()), Some("+84912345678"));
    assert_eq!(c.hours.vi, "Thứ Hai – Thứ Bảy, 7:00–17:00");
    assert_eq!(c.sectors, ["Gạo ST25", "Tôm sú"]);
    assert_eq!(c.summary.member_count, 90);
    assert!(c.location.is_some() && c.logo.is_some() && c.gallery.len() == 1);
    assert_eq!(c.summary.banner.as_ref().unwrap().url, p.banner.as_ref().unwrap().url);

    // The page shows it, with the links and the JSON-LD.
    let (status, html) = page_with_host(&s, &format!("/htx/{coop}"), &s.addr.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "Câu chuyện mới của hợp tác xã.",
        "href=\"https://zalo.me/0912345678\"",
        "href=\"tel:+842993851246\"",
        "href=\"mailto:lienhe@htx-my-xuyen.vn\"",
        "href=\"https://www.facebook.com/htxmyxuyen\"",
        "https://www.google.com/maps/dir/?api=1&amp;destination=9.601200,105.980100",
        "Thứ Hai – Thứ Bảy, 7:00–17:00",
        "\"sameAs\"",
    ] {
        assert!(html.contains(needle), "{needle} is in the page");
    }
    // In English, the English story.
    let (_, html) = page_with_host(&s, &format!("/htx/{coop}?lang=en"), &s.addr.to_string()).await;
    assert!(html.contains("The cooperative&#x27;s new story.") || html.contains("The cooperative's new story."));

    // The gallery keeps what the draft lists: leaving the photo out removes it; a URL that
    // is not in the gallery is refused.
    let mut body = profile_body();
    body["gallery"] = json!(["/media/elsewhere.webp"]);
    let a = put_profile(&s, &admin, &coop, body.clone()).await;
    assert_eq!(a.body["error"]["fields"]["gallery"]["code"], "unknown_choice", "{}", a.body);
    body["gallery"] = json!([]);
    let p: SellerProfile = serde_json::from_value(put_profile(&s, &admin, &coop, body).await.body).unwrap();
    assert!(p.gallery.is_empty());
}

#[tokio::test]
async fn bad_profile_fields_are_named_with_their_codes() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let mut body = profile_body();
    body["phone"] = json!("12345");
    body["zalo"] = json!("zalo");
    body["latitude"] = json!(123.0);
    body["email"] = json!("khong-phai-email");
    body["facebook"] = json!("https://evil.example/page");
    body["story"]["vi"] = json!("x".repeat(5001));
    let a = put_profile(&s, &admin, &coop, body).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    let fields = &a.body["error"]["fields"];
    assert_eq!(fields["phone"]["code"], "invalid_phone");
    assert_eq!(fields["zalo"]["code"], "invalid_phone");
    assert_eq!(fields["latitude"]["code"], "out_of_range");
    assert_eq!(fields["email"]["code"], "invalid_email");
    assert_eq!(fields["facebook"]["code"], "invalid_url");
    assert_eq!(fields["story.vi"], json!({"code": "too_long", "max": 5000}));
    // Nothing was saved.
    let c: Cooperative = serde_json::from_value(public(&s, &coop).await.body).unwrap();
    assert_ne!(c.story.vi, "x".repeat(5001));
}

#[tokio::test]
async fn staff_hide_a_profile_with_a_reason_and_its_page_is_404() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let staff = Session::sign_in(&s, DEMO_STAFF_EMAIL).await;
    let path = format!("/api/v1/staff/cooperatives/{coop}/visibility");
    let a = staff.send(&s, Method::PUT, &path, Some(json!({"hidden": true, "reason": " "}))).await;
    assert_eq!(a.body["error"]["fields"]["reason"]["code"], "required", "{}", a.body);
    let a = staff.send(&s, Method::PUT, &path, Some(json!({"hidden": true, "reason": "Ảnh vi phạm bản quyền"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["hidden_reason"], "Ảnh vi phạm bản quyền");
    let log = staff.send(&s, Method::GET, "/api/v1/staff/audit?entity=cooperative&limit=1", None).await;
    assert_eq!(log.body[0]["action"], "cooperative.profile_hide", "{}", log.body);

    assert_eq!(public(&s, &coop).await.status, StatusCode::NOT_FOUND);
    let (status, _) = page_with_host(&s, &format!("/htx/{coop}"), &s.addr.to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The admin sees why.
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let p = admin.send(&s, Method::GET, &format!("/api/v1/seller/{coop}/profile"), None).await;
    assert_eq!(p.body["hidden_reason"], "Ảnh vi phạm bản quyền");

    let a = staff.send(&s, Method::PUT, &path, Some(json!({"hidden": false}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(public(&s, &coop).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cooperative_domain_shows_its_page_and_unknown_hosts_are_refused() {
    let s = TestServer::start_with(None, |c| c.public_origin = Some("http://cho.example.vn".into())).await.unwrap();
    let (coop, other) = two_cooperatives(&s).await;
    let staff = Session::sign_in(&s, DEMO_STAFF_EMAIL).await;
    let set = |slug: String, domains: Value| {
        let staff = staff.clone();
        let s = &s;
        async move {
            staff
                .send(
                    s,
                    Method::PUT,
                    &format!("/api/v1/staff/cooperatives/{slug}/domains"),
                    Some(json!({"domains": domains})),
                )
                .await
        }
    };
    let a = set(coop.clone(), json!(["HTX-My-Xuyen.example.vn", "bad_domain"])).await;
    assert_eq!(a.body["error"]["fields"]["domains.1"]["code"], "invalid_url", "{}", a.body);
    let a = set(coop.clone(), json!(["HTX-My-Xuyen.example.vn"])).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["domains"], json!(["htx-my-xuyen.example.vn"]));
    let log = staff.send(&s, Method::GET, "/api/v1/staff/audit?entity=cooperative&limit=1", None).await;
    assert_eq!(log.body[0]["action"], "cooperative.domains");
    // The staff's list of websites shows it beside its cooperative only.
    let sites = staff.send(&s, Method::GET, "/api/v1/staff/sites", None).await;
    let listed: Vec<&Value> = sites.body.as_array().unwrap().iter().filter(|x| x["domains"] != json!([])).collect();
    assert_eq!(listed.len(), 1, "{}", sites.body);
    assert_eq!(listed[0]["slug"], json!(coop));
    // Another cooperative cannot take it, nor the market's own host.
    let a = set(other.clone(), json!(["htx-my-xuyen.example.vn", "cho.example.vn"])).await;
    assert_eq!(a.body["error"]["fields"]["domains.0"]["code"], "duplicate", "{}", a.body);
    assert_eq!(a.body["error"]["fields"]["domains.1"]["code"], "duplicate", "{}", a.body);

    let name: String = sqlx::query_scalar("SELECT name FROM cooperatives WHERE slug = $1")
        .bind(&coop)
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    let (status, html) = page_with_host(&s, "/", "htx-my-xuyen.example.vn").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<h1>{name}<!></h1>")), "the cooperative's page at /");
    // Canonical links stay on the market's origin.
    let canonical = html.split("<link").find(|l| l.contains("canonical")).expect("a canonical link");
    assert!(canonical.contains(&format!("href=\"http://cho.example.vn/htx/{coop}\"")), "{canonical}");
    // Its products and the API work on that host too.
    let (status, _) = page_with_host(&s, "/san-pham/gao-st25-my-xuyen", "htx-my-xuyen.example.vn:443").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = page_with_host(&s, "/api/v1/categories", "htx-my-xuyen.example.vn").await;
    assert_eq!(status, StatusCode::OK);
    // The market's own host and loopback are served as before.
    let (status, html) = page_with_host(&s, "/", "cho.example.vn").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&format!("<h1>{name}<!></h1>")));
    assert_eq!(page_with_host(&s, "/", "localhost:8080").await.0, StatusCode::OK);
    // Anything else is refused.
    let (status, body) = page_with_host(&s, "/", "evil.example").await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    assert!(body.contains("Misdirected"));
    // Removing the domain takes effect at once (the cache is emptied).
    assert_eq!(set(coop.clone(), json!([])).await.status, StatusCode::OK);
    assert_eq!(page_with_host(&s, "/", "htx-my-xuyen.example.vn").await.0, StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn without_domain_routing_unknown_hosts_still_pass() {
    let s = server().await;
    assert_eq!(page_with_host(&s, "/api/v1/categories", "anything.example").await.0, StatusCode::OK);
}
