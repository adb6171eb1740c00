//! Catalog search as buyers type it (issue #13): spellings of a grade, one typo, empty
//! results that suggest, facet counts that match the totals, provinces in Vietnamese order.

use crate::helpers::server;
use chohtx_server::testing::TestServer;
use domain::{
    api::{ProductResults, ProvinceItem},
    text::vietnamese_sort_key,
};
use reqwest::StatusCode;

async fn get(s: &TestServer, path: &str) -> ProductResults {
    let res = reqwest::get(s.url(path)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn ids(r: &ProductResults) -> Vec<i64> {
    let mut ids: Vec<i64> = r.items.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn search_finds_a_grade_however_letters_and_digits_are_typed() {
    let s = server().await;
    let reference = get(&s, "/api/v1/products?q=gao+st25&per_page=100").await;
    assert!(reference.items.iter().any(|p| p.name.vi == "Gạo ST25 Mỹ Xuyên"), "{:?}", reference.items);
    for q in ["gao+st+25", "gao+st-25", "gao+ST25", "G%E1%BA%A1o+ST-25", "gao+st%2025"] {
        let r = get(&s, &format!("/api/v1/products?q={q}&per_page=100")).await;
        assert_eq!(ids(&r), ids(&reference), "q={q}");
        assert_eq!(r.total, reference.total, "q={q}");
        assert_eq!(r.corrected_query, None, "q={q}");
    }
    // Without "gao" too.
    let alone = get(&s, "/api/v1/products?q=st25&per_page=100").await;
    for q in ["st+25", "st-25", "ST25", "ST+25"] {
        let r = get(&s, &format!("/api/v1/products?q={q}&per_page=100")).await;
        assert_eq!(ids(&r), ids(&alone), "q={q}");
    }
    assert!(alone.items.iter().any(|p| p.name.vi == "Gạo lứt ST25"));
}

#[tokio::test]
async fn search_with_one_typo_shows_results_for_the_corrected_text() {
    let s = server().await;
    for (typo, fixed, expected) in
        [("nuoc+mamm", "nuoc mam", "Nước mắm Phú Quốc 40 độ đạm"), ("xoai+cta", "xoai cat", "Xoài cát Hòa Lộc")]
    {
        let r = get(&s, &format!("/api/v1/products?q={typo}&per_page=100")).await;
        assert_eq!(r.corrected_query.as_deref(), Some(fixed), "q={typo}");
        assert!(r.total > 0 && r.items.iter().any(|p| p.name.vi == expected), "q={typo}: {:?}", r.items);
        // The same products as the corrected text finds, and no empty-result help.
        let direct = get(&s, &format!("/api/v1/products?q={}&per_page=100", fixed.replace(' ', "+"))).await;
        assert_eq!(ids(&r), ids(&direct), "q={typo}");
        assert!(r.suggested_categories.is_empty() && r.popular_searches.is_empty());
    }
    // A text that matches is never "corrected".
    let exact = get(&s, "/api/v1/products?q=nuoc+mam").await;
    assert_eq!(exact.corrected_query, None);
}

#[tokio::test]
async fn search_that_finds_nothing_suggests_categories_and_popular_searches() {
    let s = server().await;
    let r = get(&s, "/api/v1/products?q=qqqzzzxx").await;
    assert_eq!((r.total, r.items.len(), r.corrected_query.as_deref()), (0, 0, None));
    assert!(!r.suggested_categories.is_empty(), "categories to try");
    assert!(r.suggested_categories.iter().all(|c| c.count > 0));
    assert!(r.suggested_categories.windows(2).all(|w| w[0].count >= w[1].count), "the fullest first");
    assert!(!r.popular_searches.is_empty(), "searches to try");
    // Each popular search finds something.
    for text in &r.popular_searches {
        let found = get(&s, &format!("/api/v1/products?{}", q_pair(text))).await;
        assert!(found.total > 0 && found.corrected_query.is_none(), "{text}");
    }
    // A result with matches carries no suggestions.
    let some = get(&s, "/api/v1/products?q=gao").await;
    assert!(some.suggested_categories.is_empty() && some.popular_searches.is_empty());
}

/// `q=…`, percent-encoded.
fn q_pair(text: &str) -> String {
    let mut url = reqwest::Url::parse("http://localhost/").unwrap();
    url.query_pairs_mut().append_pair("q", text);
    url.query().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn search_facet_counts_equal_the_totals_of_their_filters() {
    let s = server().await;
    for base in ["", "q=gao", "in_stock=true", "q=ca+phe&in_stock=true", "cert=vietgap", "category=rice_grains"] {
        let r = get(&s, &format!("/api/v1/products?{base}&facets=true")).await;
        let facets = r.facets.expect("facets when asked for");
        assert!(facets.complete, "{base}");
        let total_with = |extra: String| {
            let s = &s;
            let base = base.to_owned();
            async move { get(s, &format!("/api/v1/products?{base}&{extra}")).await.total }
        };
        for c in &facets.categories {
            assert!(c.count > 0, "{base}: values with none are left out");
            // The category filter replaces the base's own (a later key wins).
            let base_without: String =
                base.split('&').filter(|p| !p.starts_with("category=")).collect::<Vec<_>>().join("&");
            let total = get(&s, &format!("/api/v1/products?{base_without}&category={}", c.category.code())).await.total;
            assert_eq!(c.count, total, "{base}: category {}", c.category.code());
        }
        for p in &facets.provinces {
            assert!(p.count > 0);
            assert_eq!(p.count, total_with(format!("province={}", p.code)).await, "{base}: province {}", p.code);
        }
        for c in &facets.certifications {
            assert!(c.count > 0);
            assert_eq!(c.count, total_with(format!("cert={}", c.cert.code())).await, "{base}: cert {}", c.cert.code());
        }
        // Every product has a category and a province: the counts add up to the total
        // without that filter (here, the base has none of province).
        assert_eq!(facets.provinces.iter().map(|p| p.count).sum::<u64>(), r.total, "{base}");
        assert!(!facets.provinces.is_empty() || r.total == 0);
        // Provinces in Vietnamese order.
        assert!(
            facets
                .provinces
                .windows(2)
                .all(|w| vietnamese_sort_key(&w[0].short_name) < vietnamese_sort_key(&w[1].short_name)),
            "{base}: {:?}",
            facets.provinces
        );
    }
    // Without facets=true there are none (the typeahead and shelves do not pay for them).
    assert!(get(&s, "/api/v1/products?q=gao").await.facets.is_none());
    let bad = reqwest::get(s.url("/api/v1/products?facets=maybe")).await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_lists_provinces_in_vietnamese_alphabetical_order() {
    let s = server().await;
    let res = reqwest::get(s.url("/api/v1/provinces")).await.unwrap();
    let provinces: Vec<ProvinceItem> = res.json().await.unwrap();
    let names: Vec<&str> = provinces.iter().map(|p| p.short_name.as_str()).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap_or_else(|| panic!("{n} in {names:?}"));
    assert!(at("Cà Mau") < at("Cao Bằng"), "{names:?}");
    assert!(at("Hà Nội") < at("Hải Phòng"), "{names:?}");
    assert!(at("Đắk Lắk") < at("Điện Biên") && at("Điện Biên") < at("Gia Lai"), "{names:?}");
    assert_eq!(names[0], "An Giang");
}

#[tokio::test]
async fn search_reindexes_an_index_cut_by_an_older_rule_at_start() {
    let s = server().await;
    let db = &s.state.db;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM products WHERE name_vi = 'Gạo ST25 Mỹ Xuyên'").fetch_one(db).await.unwrap();
    // The product as the old rule indexed it: "st25" one word.
    sqlx::query("DELETE FROM product_search WHERE rowid = $1").bind(id).execute(db).await.unwrap();
    sqlx::query(
        "INSERT INTO product_search (rowid, name, alias, extra, facets) SELECT $1, 'gao st25 my xuyen', '', '', ''",
    )
    .bind(id)
    .execute(db)
    .await
    .unwrap();
    sqlx::query("UPDATE search_index_state SET words_version = 0").execute(db).await.unwrap();
    let before = get(&s, "/api/v1/products?q=gao+st+25+my+xuyen").await;
    assert!(!before.items.iter().any(|p| p.id == id));

    assert!(chohtx_server::db::search::reindex_if_stale(db).await.unwrap(), "stale: reindexed");
    assert!(!chohtx_server::db::search::reindex_if_stale(db).await.unwrap(), "once");
    let after = get(&s, "/api/v1/products?q=gao+st+25+my+xuyen").await;
    assert!(after.items.iter().any(|p| p.id == id), "{:?}", after.items);
}

#[tokio::test]
async fn search_results_are_documented_with_their_optional_fields() {
    let s = server().await;
    let doc: serde_json::Value = reqwest::get(s.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let schema = &doc["components"]["schemas"]["ProductResults"];
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(required, ["items", "total", "page", "per_page"], "{schema}");
    for field in ["facets", "corrected_query", "suggested_categories", "popular_searches"] {
        assert!(schema["properties"].get(field).is_some(), "{field} documented");
    }
    let facets = &doc["components"]["schemas"]["Facets"];
    assert!(facets["properties"]["provinces"].is_object(), "{facets}");
    let params = doc["paths"]["/api/v1/products"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "facets"));
}
