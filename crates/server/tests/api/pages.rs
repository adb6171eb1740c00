//! Server-rendered pages, read as a crawler or a link preview reads them (no browser):
//! the data is in the HTML, the head has the page's own tags, unknown things are 404.

use crate::helpers::server;
use chohtx_server::testing::TestServer;
use domain::{
    Lang,
    api::Page,
    catalog::{Product, ProductSummary},
};
use reqwest::StatusCode;

async fn page(s: &TestServer, path: &str) -> (StatusCode, String) {
    let res = reqwest::get(s.url(path)).await.expect("the server answers");
    let status = res.status();
    (status, res.text().await.expect("a body"))
}

async fn json<T: serde::de::DeserializeOwned>(s: &TestServer, path: &str) -> T {
    reqwest::get(s.url(path)).await.expect("answers").json().await.expect("JSON")
}

/// The `content` of `<meta property|name="{key}" content="…">`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html.find(&format!("=\"{key}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let content = tag.split("content=\"").nth(1)?;
    Some(&content[..content.find('"')?])
}

/// Every `<script type="application/ld+json">` of the page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("type=\"application/ld+json\">")
        .skip(1)
        .filter_map(|rest| serde_json::from_str(&rest[..rest.find("</script>")?]).ok())
        .collect()
}

#[tokio::test]
async fn a_product_page_has_its_data_its_tags_and_json_ld() {
    let s = server().await;
    let list: Page<ProductSummary> = json(&s, "/api/v1/products?per_page=1").await;
    let slug = &list.items[0].slug;
    let product: Product = json(&s, &format!("/api/v1/products/{slug}")).await;

    let (status, html) = page(&s, &format!("/san-pham/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    let name = product.summary.name.get(Lang::Vi);
    assert!(html.contains(&format!("<h1 class=\"product-title\">{name}")), "the name is in the page");
    // The price as buyers read it, e.g. `125.000 ₫` (a no-break space before ₫).
    let price = product.variants[0].price.format(Lang::Vi);
    assert!(html.contains(&price), "{price} is in the page");
    assert!(html.contains(&format!("<title>{name} · Chợ HTX</title>")));

    // Link previews: absolute URLs from the configured origin.
    assert_eq!(meta(&html, "og:title"), Some(name));
    assert_eq!(meta(&html, "og:type"), Some("product"));
    let og_url = meta(&html, "og:url").expect("og:url");
    assert!(og_url.starts_with("http://") && og_url.ends_with(&format!("/san-pham/{slug}")), "{og_url}");
    let image = meta(&html, "og:image").expect("og:image");
    assert!(image.starts_with("http://") && image.contains("/images/"), "absolute image URL: {image}");
    assert!(meta(&html, "twitter:card").is_some());
    assert!(meta(&html, "description").is_some_and(|d| d.contains(&product.summary.cooperative.name)));
    assert!(html.contains("rel=\"canonical\""));
    assert!(html.contains("hreflang=\"vi\"") && html.contains("hreflang=\"en\""));

    // JSON-LD: a Product whose offers are the API's prices, in VND, with availability.
    let ld = json_ld(&html);
    let item = ld.iter().find(|v| v["@type"] == "Product").expect("a Product");
    assert_eq!(item["name"], name);
    let offers = item["offers"].as_array().expect("offers");
    assert_eq!(offers.len(), product.variants.len());
    for (offer, variant) in offers.iter().zip(&product.variants) {
        assert_eq!(offer["price"], variant.price.dong());
        assert_eq!(offer["priceCurrency"], "VND");
        let expected = if variant.stock > 0 { "InStock" } else { "OutOfStock" };
        assert!(offer["availability"].as_str().unwrap().ends_with(expected));
    }
    assert!(ld.iter().any(|v| v["@type"] == "BreadcrumbList"));

    // The data came with the page: the browser hydrates without asking again.
    assert!(html.contains("__RESOLVED_RESOURCES"));
    // The page's inline scripts run under this answer's nonce, and nothing else inline.
    let res = reqwest::get(s.url(&format!("/san-pham/{slug}"))).await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("a nonce");
    assert!(res.text().await.unwrap().contains(&format!("nonce=\"{nonce}\"")));
    assert!(!csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn a_page_in_english_by_its_hreflang_link() {
    let s = server().await;
    let list: Page<ProductSummary> = json(&s, "/api/v1/products?per_page=1").await;
    let p = &list.items[0];
    let (status, html) = page(&s, &format!("/san-pham/{}?lang=en", p.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains(p.name.get(Lang::En)));
}

#[tokio::test]
async fn a_cooperative_page_and_a_lot_page_by_its_digital_link() {
    let s = server().await;
    let list: Page<ProductSummary> = json(&s, "/api/v1/products?per_page=50").await;
    let coop = &list.items[0].cooperative;
    let (status, html) = page(&s, &format!("/htx/{}", coop.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<h1>{}", coop.name)));
    assert!(json_ld(&html).iter().any(|v| v["@type"] == "Organization" && v["name"] == coop.name.as_str()));

    let mut lot = None;
    for p in &list.items {
        let product: Product = json(&s, &format!("/api/v1/products/{}", p.slug)).await;
        if let Some(l) = product.lots.into_iter().next() {
            lot = Some(l);
            break;
        }
    }
    let lot = lot.expect("the demo data has lots");
    let path = domain::gs1::DigitalLink::lot(lot.gtin.clone(), lot.lot_code.clone()).path();
    let (status, html) = page(&s, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&lot.lot_code), "the lot code is in the page");
    // The ten items a traceability page must show, each marked with its number.
    for item in 1..=10 {
        assert!(html.contains(&format!("data-item=\"{item}\"")), "legal item {item} is in the page");
    }
}

#[tokio::test]
async fn unknown_things_are_404_pages() {
    let s = server().await;
    for path in [
        "/san-pham/khong-co-san-pham-nay",
        "/htx/khong-co-htx-nay",
        "/phien-cho/khong-co",
        "/01/08934567890128/10/KHONG-CO",
        "/khong-co-trang-nay",
    ] {
        let (status, html) = page(&s, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("<html"), "{path} is the app's page, not a bare error");
    }
}

#[tokio::test]
async fn the_sitemap_lists_every_published_product_and_robots_keeps_out_of_the_consoles() {
    let s = server().await;
    let list: Page<ProductSummary> = json(&s, "/api/v1/products?per_page=100").await;
    assert!(list.total <= 100, "one page holds the demo catalog");
    let res = reqwest::get(s.url("/sitemap.xml")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = res.text().await.unwrap();
    for p in &list.items {
        assert!(xml.contains(&format!("/san-pham/{}</loc>", p.slug)), "{} is in the sitemap", p.slug);
    }
    assert!(xml.contains("/htx/") && xml.contains("/01/"));
    assert_eq!(xml.matches("/san-pham/").count(), list.items.len(), "only published products");

    let (status, robots) = page(&s, "/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    for private in ["/ban-hang/", "/xuc-tien", "/tai-khoan", "/thanh-toan", "/loi-moi/"] {
        assert!(robots.contains(&format!("Disallow: {private}")), "{private}");
    }
    assert!(robots.contains("Sitemap: http://"));
}

#[tokio::test]
async fn reading_pages_load_the_islands_and_the_app_pages_the_app_bundle() {
    let s = server().await;
    let list: Page<ProductSummary> = json(&s, "/api/v1/products?per_page=1").await;
    let slug = &list.items[0].slug;
    for path in ["/".to_owned(), format!("/san-pham/{slug}"), "/san-pham?q=gao".to_owned()] {
        let (_, html) = page(&s, &path).await;
        assert!(html.contains("/pkg/chohtx-web.js") && !html.contains("pkg-app"), "{path}: the storefront's bundle");
        // Islands, not a hydrated page: the header's widgets are islands, and no resource
        // is serialised for hydration.
        assert!(html.contains("<leptos-island data-component=\"SearchBox"), "{path}: the search is an island");
        assert!(html.contains("__RESOLVED_RESOURCES=[];"), "{path}: nothing outside the islands hydrates");
        // The bundle loads at low priority, after the page's own images: its wasm is not
        // preloaded (the loader fetches it once the page is idle).
        assert!(html.contains(r#"rel="modulepreload" href="/v/"#) && html.contains(r#"fetchpriority="low""#), "{path}");
        assert!(!html.contains(r#"rel="preload""#), "{path}: no preload beside the images");
        // Only the stylesheet the storefront needs blocks its first paint.
        assert!(html.contains("/main.css") && !html.contains("/app.css"), "{path}: the storefront's stylesheet only");
    }
    let (_, product) = page(&s, &format!("/san-pham/{slug}")).await;
    assert!(product.contains("data-component=\"VariantPicker"), "add to cart is an island");
    for path in ["/gio-hang", "/thanh-toan", "/dang-nhap", "/tai-khoan", "/ban-hang/htx-a", "/xuc-tien", "/dang-ky-htx"]
    {
        let (_, html) = page(&s, path).await;
        assert!(html.contains("/pkg-app/chohtx-web.js"), "{path} loads the app's bundle");
        assert!(html.contains("/main.css") && html.contains("/app.css"), "{path}: both stylesheets");
        assert!(html.contains("<noscript>"), "{path}: a placeholder that says the page needs the app");
    }
}

/// Every phone can install the app: the manifest offers PNG icons (192 and 512 px, and a
/// maskable one) besides the SVG, and each is a real PNG of its stated size.
#[test]
fn the_manifest_offers_png_icons_of_their_stated_sizes() {
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("manifest.webmanifest")).unwrap()).unwrap();
    let icons = manifest["icons"].as_array().unwrap();
    let mut seen = Vec::new();
    for icon in icons.iter().filter(|i| i["type"] == "image/png") {
        let src = icon["src"].as_str().unwrap();
        let png = std::fs::read(public.join(src.trim_start_matches('/'))).unwrap();
        let image = image::load_from_memory(&png).unwrap();
        let size = format!("{}x{}", image.width(), image.height());
        assert_eq!(icon["sizes"].as_str(), Some(size.as_str()), "{src}");
        seen.push((size, icon["purpose"].as_str().unwrap_or("any").to_owned()));
    }
    for wanted in [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")] {
        assert!(seen.iter().any(|(s, p)| s == wanted.0 && p == wanted.1), "{wanted:?} in {seen:?}");
    }
}

#[tokio::test]
async fn a_catalog_search_page_corrects_a_typo_and_suggests_when_nothing_matches() {
    let s = server().await;
    // One typo: the results of the corrected text, and a link to it.
    let (status, html) = page(&s, "/san-pham?q=nuoc+mamm").await;
    // Without the hydration markers between text nodes.
    let html = html.replace("<!>", "");
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("class=\"search-corrected\""), "a 'showing results for' line");
    let at = html.find("search-corrected").unwrap();
    assert!(html[at..].contains("nuoc mam</strong>"), "the corrected text: {}", &html[at..at + 400]);
    assert!(html.contains("Nước mắm Phú Quốc"), "its products are shown");

    // Nothing at all: categories and popular searches as links, no bare sentence.
    let (status, html) = page(&s, "/san-pham?q=qqqzzzxx").await;
    let html = html.replace("<!>", "");
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("class=\"no-results\""), "the empty result block");
    assert!(html.contains("Xem theo danh mục") && html.contains("Tìm kiếm phổ biến"));
    let block = &html[html.find("class=\"no-results\"").unwrap()..];
    assert!(block.contains("href=\"/danh-muc/"), "category links");
    assert!(block.contains("href=\"/san-pham?q="), "search links");

    // Filters show counts and leave out values with none: a search for rice offers only
    // the provinces and categories it has products in.
    let (_, html) = page(&s, "/san-pham?q=gao").await;
    let html = html.replace("<!>", "");
    let results: domain::api::ProductResults = json(&s, "/api/v1/products?q=gao&facets=true").await;
    let facets = results.facets.expect("facets");
    for p in &facets.provinces {
        assert!(html.contains(&format!("{} ({})</option>", p.short_name, p.count)), "{} with its count", p.short_name);
    }
    let shown = html.matches("<option value=\"").count();
    let offered = facets.categories.len() + facets.provinces.len() + facets.certifications.len();
    // Plus the sort's options and the three "any …" choices.
    assert_eq!(shown, offered + domain::query::Sort::ALL.len() + 3, "only values with products");
}

/// The service worker: served from the root with a JavaScript type and `no-cache` (a
/// deploy reaches browsers on their next visit), allowed by the policy (`'self'`), and
/// precaching only files that answer, among them this build's bundles, the offline page
/// and the app's page frame; it names the personal and console sections it never caches.
#[tokio::test]
async fn the_service_worker_is_served_from_the_root_and_precaches_the_build() {
    let dist = tempfile::tempdir().unwrap();
    for file in ["pkg/chohtx-web.js", "pkg/chohtx-web_bg.wasm", "pkg-app/chohtx-web.js", "main.css", "icons/icon.svg"] {
        let path = dist.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("/* {file} */")).unwrap();
    }
    std::fs::write(dist.path().join("index.html"), "").unwrap();
    let s = TestServer::start(Some(dist.path().to_owned())).await.expect("server starts");
    let res = reqwest::get(s.url("/sw.js")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-type"), "text/javascript; charset=utf-8");
    assert_eq!(header("cache-control"), "no-cache");
    let csp = header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "workers are allowed from 'self': {csp}");
    let js = res.text().await.unwrap();

    let list = |name: &str| -> Vec<String> {
        let start = js.find(&format!("const {name} = ")).unwrap_or_else(|| panic!("{name} in the script"));
        let rest = &js[start + name.len() + 9..];
        serde_json::from_str(&rest[..rest.find(";\n").unwrap()]).unwrap()
    };
    let precache = list("PRECACHE");
    let version = precache.iter().find_map(|u| u.strip_prefix("/v/")).and_then(|u| u.split('/').next()).unwrap();
    for file in ["pkg/chohtx-web.js", "pkg/chohtx-web_bg.wasm", "main.css"] {
        assert!(precache.contains(&format!("/v/{version}/{file}")), "{file} in {precache:?}");
    }
    // The app bundle is kept only once there is a cart, not for every visitor.
    assert!(!precache.iter().any(|u| u.contains("/pkg-app/")), "{precache:?}");
    let app = list("APP_FILES");
    assert_eq!(app, [format!("/v/{version}/pkg-app/chohtx-web.js")], "only files of the build");
    for url in &app {
        assert_eq!(reqwest::get(s.url(url)).await.unwrap().status(), StatusCode::OK, "{url}");
    }
    for page in ["/ngoai-tuyen", "/gio-hang", "/icons/icon.svg"] {
        assert!(precache.iter().any(|u| u == page), "{page} in {precache:?}");
    }
    for url in &precache {
        let res = reqwest::get(s.url(url)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{url}: a precached file answers, or the install fails");
    }
    let never = list("APP_SECTIONS");
    for private in ["/tai-khoan", "/thanh-toan", "/ban-hang", "/xuc-tien", "/don-hang", "/gio-hang"] {
        assert!(never.iter().any(|p| p == private), "{private} is never cached");
    }
    assert!(js.contains(r#"path.startsWith("/api/")"#), "the API is never the worker's");
}

/// Every page registers the worker (in secure contexts) and carries the offline banner;
/// the offline page itself is a translated page robots skip.
#[tokio::test]
async fn pages_register_the_worker_and_the_offline_page_is_translated() {
    let s = server().await;
    for path in ["/", "/gio-hang"] {
        let (_, html) = page(&s, path).await;
        assert!(html.contains(r#"navigator.serviceWorker.register("/sw.js")"#), "{path}");
        assert!(html.contains("isSecureContext"), "{path}");
        assert!(html.contains(r#"class="offline-banner""#) || path != "/", "{path}: the banner");
    }
    let (status, html) = page(&s, "/ngoai-tuyen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bạn đang ngoại tuyến") && html.contains(r#"content="noindex""#));
    let (_, english) = page(&s, "/ngoai-tuyen?lang=en").await;
    assert!(english.contains("You are offline"));
}
