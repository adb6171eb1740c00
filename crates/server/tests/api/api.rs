//! API integration tests: the real router on a real socket over a fresh SQLite database
//! seeded with the demo catalog.

use chohtx_server::testing::TestServer;
use domain::{
    api::{CategoryCount, ErrorBody, Health, Page},
    catalog::{Category, Cooperative, CooperativeSummary, Product, ProductSummary},
};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

async fn server() -> TestServer {
    TestServer::start(None).await.expect("server starts")
}

async fn get<T: DeserializeOwned>(s: &TestServer, path: &str) -> T {
    let res = reqwest::get(s.url(path)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

/// Asserts a 4xx answer in the one error shape and returns it.
async fn get_error(s: &TestServer, path: &str, status: StatusCode) -> ErrorBody {
    let res = reqwest::get(s.url(path)).await.unwrap();
    assert_eq!(res.status(), status, "GET {path}");
    assert_eq!(res.headers()["content-type"], "application/json", "GET {path}");
    res.json().await.unwrap_or_else(|e| panic!("GET {path}: not the error shape: {e}"))
}

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let s = server().await;
    let h: Health = get(&s, "/api/health").await;
    assert_eq!(h.status, "ok");
}

#[tokio::test]
async fn lists_published_products_with_paging() {
    let s = server().await;
    let page: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=10").await;
    assert_eq!((page.page, page.per_page), (1, 10));
    assert_eq!(page.items.len(), 10);
    assert!(page.total >= 60, "the demo has at least 60 published products, got {}", page.total);

    let page2: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=10&page=2").await;
    assert_eq!(page2.total, page.total);
    let first: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    assert!(page2.items.iter().all(|p| !first.contains(&p.id)), "pages do not overlap");

    let beyond: Page<ProductSummary> = get(&s, "/api/v1/products?page=1000").await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, page.total);
}

#[tokio::test]
async fn filters_by_category_province_certification_price_and_stock() {
    let s = server().await;
    let rice: Page<ProductSummary> = get(&s, "/api/v1/products?category=rice_grains&per_page=100").await;
    assert!(!rice.items.is_empty());
    assert!(rice.items.iter().all(|p| p.category == Category::RiceGrains));

    let can_tho: Page<ProductSummary> = get(&s, "/api/v1/products?province=92&per_page=100").await;
    assert!(!can_tho.items.is_empty());
    assert!(can_tho.items.iter().all(|p| p.origin_province_code == 92));

    let vietgap: Page<ProductSummary> = get(&s, "/api/v1/products?cert=vietgap&per_page=100").await;
    assert!(!vietgap.items.is_empty());
    assert!(vietgap.items.iter().all(|p| p.cert_kinds.contains(&domain::catalog::CertKind::VietGap)));

    let ocop4: Page<ProductSummary> = get(&s, "/api/v1/products?cert=ocop4&per_page=100").await;
    assert!(ocop4.items.iter().all(|p| p.ocop_stars == 4));

    let cheap: Page<ProductSummary> = get(&s, "/api/v1/products?min_price=50000&max_price=100000&per_page=100").await;
    assert!(!cheap.items.is_empty());
    assert!(cheap.items.iter().all(|p| (50_000..=100_000).contains(&p.price_from.dong())));

    let all: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=100").await;
    let stocked: Page<ProductSummary> = get(&s, "/api/v1/products?in_stock=true&per_page=100").await;
    assert!(stocked.items.iter().all(|p| p.in_stock));
    assert!(stocked.total < all.total, "the demo has sold-out products");
}

#[tokio::test]
async fn sorts_by_price_both_ways() {
    let s = server().await;
    let asc: Page<ProductSummary> = get(&s, "/api/v1/products?sort=price_asc&per_page=100").await;
    assert!(asc.items.windows(2).all(|w| w[0].price_from <= w[1].price_from));
    let desc: Page<ProductSummary> = get(&s, "/api/v1/products?sort=price_desc&per_page=100").await;
    assert!(desc.items.windows(2).all(|w| w[0].price_from >= w[1].price_from));
}

#[tokio::test]
async fn search_ignores_accents_and_case() {
    let s = server().await;
    for q in ["gao%20st25", "G%E1%BA%A1o%20ST25", "G%E1%BA%A0O%20ST25"] {
        let page: Page<ProductSummary> = get(&s, &format!("/api/v1/products?q={q}")).await;
        assert!(
            page.items.iter().any(|p| p.name.vi.contains("Gạo ST25")),
            "q={q} finds Gạo ST25: {:?}",
            page.items.iter().map(|p| &p.name.vi).collect::<Vec<_>>()
        );
    }
    let coffee: Page<ProductSummary> = get(&s, "/api/v1/products?q=ca+phe").await;
    assert!(coffee.items.iter().any(|p| p.name.vi.to_lowercase().contains("cà phê")));
    let nothing: Page<ProductSummary> = get(&s, "/api/v1/products?q=%22%3B%2A").await;
    assert_eq!(nothing.total, 0);
}

#[tokio::test]
async fn product_page_has_variants_cooperative_and_related() {
    let s = server().await;
    let list: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=1").await;
    let slug = &list.items[0].slug;
    let p: Product = get(&s, &format!("/api/v1/products/{slug}")).await;
    assert_eq!(&p.summary.slug, slug);
    assert!(!p.variants.is_empty());
    assert!(!p.images.is_empty());
    assert_eq!(p.producer.slug, p.summary.cooperative.slug);
    assert!(p.related.iter().all(|r| r.category == p.summary.category && r.id != p.summary.id));
}

#[tokio::test]
async fn cooperatives_list_and_page() {
    let s = server().await;
    let page: Page<CooperativeSummary> = get(&s, "/api/v1/cooperatives?per_page=100").await;
    assert!(page.total >= 12);
    assert!(page.items.iter().all(|c| domain::geo::province(c.province_code).is_some()));
    let raw: serde_json::Value = get(&s, "/api/v1/cooperatives?per_page=1").await;
    assert!(raw["items"][0]["province_code"].is_u64(), "each item carries its province_code");
    let c: Cooperative = get(&s, &format!("/api/v1/cooperatives/{}", page.items[0].slug)).await;
    assert!(!c.story.vi.is_empty());
    let in_province: Page<CooperativeSummary> = get(&s, "/api/v1/cooperatives?province=92").await;
    assert!(in_province.items.iter().all(|c| c.province_code == 92));
}

#[tokio::test]
async fn a_cooperative_without_its_own_banner_gets_one_for_what_it_sells() {
    let s = server().await;
    // A coffee cooperative that has not uploaded a banner (yet).
    let slug: String = sqlx::query_scalar(
        "SELECT c.slug FROM cooperatives c JOIN products p ON p.cooperative_id = c.id
         WHERE c.status = 'approved' AND p.status = 'published' AND p.category = 'coffee_tea_spices' LIMIT 1",
    )
    .fetch_one(&s.state.db)
    .await
    .unwrap();
    sqlx::query("UPDATE cooperatives SET banner_url = NULL WHERE slug = $1")
        .bind(&slug)
        .execute(&s.state.db)
        .await
        .unwrap();
    let c: serde_json::Value = get(&s, &format!("/api/v1/cooperatives/{slug}")).await;
    let banner = &c["banner"];
    assert!(banner["url"].as_str().unwrap().starts_with("/images/campaigns/"), "{banner}");
    assert_eq!((banner["width"].as_u64(), banner["height"].as_u64()), (Some(1200), Some(400)));
}

#[tokio::test]
async fn categories_count_published_products() {
    let s = server().await;
    let cats: Vec<CategoryCount> = get(&s, "/api/v1/categories").await;
    assert_eq!(cats.len(), Category::ALL.len());
    assert!(cats.iter().all(|c| c.count > 0), "every category has demo products");
    let all: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=1").await;
    assert_eq!(cats.iter().map(|c| c.count).sum::<u64>(), all.total);
}

#[tokio::test]
async fn unknown_slugs_are_404_json() {
    let s = server().await;
    let e = get_error(&s, "/api/v1/products/khong-co-san-pham-nay", StatusCode::NOT_FOUND).await;
    assert_eq!(e.error.code, "not_found");
    get_error(&s, "/api/v1/cooperatives/khong-co", StatusCode::NOT_FOUND).await;
    get_error(&s, "/api/v1/no-such-route", StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn bad_query_parameters_are_400_json_never_500() {
    let s = server().await;
    for (query, field) in [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("per_page=abc", "per_page"),
        ("per_page=100000", "per_page"),
        ("per_page=0", "per_page"),
        ("min_price=-5", "min_price"),
        ("min_price=9000&max_price=10", "max_price"),
        ("category=vang", "category"),
        ("province=94", "province"),
        ("sort=ngau-nhien", "sort"),
        ("in_stock=co", "in_stock"),
    ] {
        let e = get_error(&s, &format!("/api/v1/products?{query}"), StatusCode::BAD_REQUEST).await;
        assert_eq!(e.error.code, "validation", "{query}");
        assert!(e.error.fields.get(field).is_some(), "{query}: {:?}", e.error.fields);
    }
    let long_q = "a".repeat(500);
    get_error(&s, &format!("/api/v1/products?q={long_q}"), StatusCode::BAD_REQUEST).await;
    get_error(&s, "/api/v1/cooperatives?page=abc", StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn openapi_document_covers_every_route() {
    let s = server().await;
    let doc: serde_json::Value = get(&s, "/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/health",
        "/api/v1/products",
        "/api/v1/products/{slug}",
        "/api/v1/cooperatives",
        "/api/v1/cooperatives/{slug}",
        "/api/v1/categories",
        "/api/v1/provinces",
        "/api/v1/provinces/{code}/communes",
        "/api/v1/cart/quote",
        "/api/v1/orders",
        "/api/v1/orders/{number}",
        "/api/v1/orders/{number}/vietqr.svg",
    ] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys().collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn json_is_compressed_for_clients_that_accept_it() {
    let s = server().await;
    let res = reqwest::Client::new()
        .get(s.url("/api/v1/products?per_page=50"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
}

// ---------------------------------------------------------------------------------------
// Search: ranking, filters inside the index, visibility, capped counts

async fn names(s: &TestServer, path: &str) -> (Vec<String>, Page<ProductSummary>) {
    let page: Page<ProductSummary> = get(s, path).await;
    (page.items.iter().map(|p| p.name.vi.clone()).collect(), page)
}

#[tokio::test]
async fn search_ranks_the_name_as_typed_first_and_descriptions_last() {
    let s = server().await;
    let (names, page) = names(&s, "/api/v1/products?q=gao+st25&per_page=100").await;
    let at = |n: &str| names.iter().position(|x| x == n).unwrap_or_else(|| panic!("{n} not in {names:?}"));
    // "Gạo ST25 Mỹ Xuyên" starts with the text as typed; "Gạo lứt ST25" only has both words.
    assert!(at("Gạo ST25 Mỹ Xuyên") < at("Gạo lứt ST25"), "{names:?}");
    // ST24's description mentions ST25: it comes after every product named ST25.
    let named = names.iter().filter(|n| domain::text::fold(n).contains("st25")).count();
    assert!(named >= 3 && names[..named].iter().all(|n| domain::text::fold(n).contains("st25")), "{names:?}");
    assert!(at("Gạo ST24 Mỹ Xuyên") >= named, "{names:?}");
    assert_eq!(page.total, names.len() as u64, "a small result is counted exactly");
}

#[tokio::test]
async fn search_takes_the_last_word_as_a_prefix_and_the_others_whole() {
    let s = server().await;
    let (typing, _) = names(&s, "/api/v1/products?q=G%E1%BA%A1o+st2").await;
    assert!(typing.iter().any(|n| n == "Gạo ST25 Mỹ Xuyên"), "{typing:?}");
    let (cut, _) = names(&s, "/api/v1/products?q=ga+st25").await;
    assert!(!cut.iter().any(|n| n == "Gạo ST25 Mỹ Xuyên"), "'ga' is not a word of it: {cut:?}");
    // Cooperative, brand and province are searched too.
    let (by_coop, _) = names(&s, "/api/v1/products?q=lua+gao+my+xuyen&per_page=100").await;
    assert!(by_coop.iter().any(|n| n == "Gạo lứt ST25"), "{by_coop:?}");
}

#[tokio::test]
async fn search_applies_filters_and_sorts() {
    let s = server().await;
    let all: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&per_page=100").await;
    assert!(all.total >= 4);
    let first = &all.items[0];

    let rice: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&category=rice_grains&per_page=100").await;
    assert!(!rice.items.is_empty() && rice.items.iter().all(|p| p.category == Category::RiceGrains));

    let province = first.origin_province_code;
    let local: Page<ProductSummary> =
        get(&s, &format!("/api/v1/products?q=gao&province={province}&per_page=100")).await;
    assert!(local.items.iter().any(|p| p.id == first.id));
    assert!(local.items.iter().all(|p| p.origin_province_code == province));

    let coop = &first.cooperative.slug;
    let own: Page<ProductSummary> = get(&s, &format!("/api/v1/products?q=gao&cooperative={coop}&per_page=100")).await;
    assert!(own.items.iter().any(|p| p.id == first.id));
    assert!(own.items.iter().all(|p| &p.cooperative.slug == coop));
    let nobody: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&cooperative=khong-co").await;
    assert_eq!((nobody.total, nobody.items.len()), (0, 0));

    let stocked: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&in_stock=true&per_page=100").await;
    assert!(stocked.items.iter().all(|p| p.in_stock));
    let ocop: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&cert=ocop4&per_page=100").await;
    assert!(ocop.items.iter().all(|p| p.ocop_stars == 4));
    let cheap: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&max_price=100000&per_page=100").await;
    assert!(cheap.items.iter().all(|p| p.price_from.dong() <= 100_000));

    let asc: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&sort=price_asc&per_page=100").await;
    assert_eq!(asc.total, all.total);
    assert!(asc.items.windows(2).all(|w| w[0].price_from <= w[1].price_from));
    let desc: Page<ProductSummary> = get(&s, "/api/v1/products?q=gao&sort=price_desc&per_page=100").await;
    assert!(desc.items.windows(2).all(|w| w[0].price_from >= w[1].price_from));

    // Pages of a search do not overlap and cover it.
    let mut seen = Vec::new();
    for page in 1..=all.total.div_ceil(3) {
        let p: Page<ProductSummary> = get(&s, &format!("/api/v1/products?q=gao&per_page=3&page={page}")).await;
        assert_eq!(p.total, all.total);
        seen.extend(p.items.iter().map(|p| p.id));
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (all.total as usize, all.total as usize));
}

#[tokio::test]
async fn search_shows_only_what_buyers_may_see() {
    let s = server().await;
    // Drafts and hidden products never match.
    let (draft, _) = names(&s, "/api/v1/products?q=ca+phe+phin+giay+ea+tul").await;
    assert!(!draft.iter().any(|n| n == "Cà phê phin giấy Ea Tul"), "{draft:?}");
    // A cooperative that stops being approved takes its products out of search and
    // listings at once (no reindexing).
    let paths = ["/api/v1/products?q=gao+st25&per_page=100", "/api/v1/products?per_page=100"];
    let mut before = Vec::new();
    for path in paths {
        before.push(get::<Page<ProductSummary>>(&s, path).await);
    }
    let coop = before[0].items[0].cooperative.slug.clone();
    sqlx::query("UPDATE cooperatives SET status = 'suspended' WHERE slug = $1")
        .bind(&coop)
        .execute(&s.state.db)
        .await
        .unwrap();
    for (path, before) in paths.iter().zip(&before) {
        let after: Page<ProductSummary> = get(&s, path).await;
        let gone = before.items.iter().filter(|p| p.cooperative.slug == coop).count() as u64;
        assert!(gone > 0, "{path}");
        assert!(after.items.iter().all(|p| p.cooperative.slug != coop), "{path}");
        assert_eq!(after.total, before.total - gone, "{path}");
    }
}

#[tokio::test]
async fn counts_stop_at_the_limit_on_a_large_catalog() {
    use domain::api::COUNT_LIMIT;
    let s = server().await;
    chohtx_server::seed::generate::generate_catalog(&s.state.db, 1_100, &s.state.clock).await.unwrap();

    let all: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=100").await;
    assert_eq!(all.total, COUNT_LIMIT + 1, "more than the limit");
    // A listing pages on past the count.
    let far: Page<ProductSummary> = get(&s, "/api/v1/products?per_page=100&page=11").await;
    assert_eq!(far.items.len(), 100);

    // Every generated cooperative is "HTX …": a search with more matches than the limit.
    let broad: Page<ProductSummary> = get(&s, "/api/v1/products?q=htx&per_page=100").await;
    assert_eq!((broad.total, broad.items.len()), (COUNT_LIMIT + 1, 100));
    // It pages through its COUNT_LIMIT best matches, and stops there.
    let last: Page<ProductSummary> = get(&s, "/api/v1/products?q=htx&per_page=100&page=10").await;
    assert_eq!(last.items.len(), 100);
    let beyond: Page<ProductSummary> = get(&s, "/api/v1/products?q=htx&per_page=100&page=11").await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, COUNT_LIMIT + 1);
    // Sorted, it shows them in that order.
    let cheap: Page<ProductSummary> = get(&s, "/api/v1/products?q=htx&sort=price_asc&per_page=100").await;
    assert_eq!(cheap.items.len(), 100);
    assert!(cheap.items.windows(2).all(|w| w[0].price_from <= w[1].price_from));
    // The ranking still puts the names that start with the text first.
    let (names, _) = names(&s, "/api/v1/products?q=gao+st25&per_page=100").await;
    let starts: Vec<bool> = names.iter().map(|n| domain::text::fold(n).starts_with("gao st25")).collect();
    assert!(starts[0] && starts.windows(2).all(|w| w[0] >= w[1]), "{names:?}");
}
