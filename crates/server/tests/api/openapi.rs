//! The OpenAPI document (`/api/openapi.json`) against the wire: references resolve, path
//! parameters are the path's, code enums list their codes, and the error answers that
//! every JSON route can give are documented.

use crate::helpers::server;
use chohtx_server::testing::TestServer;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

async fn document(s: &TestServer) -> Value {
    let res = reqwest::get(s.url("/api/openapi.json")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if METHODS.contains(&method.as_str()) {
                ops.push((method.clone(), path.clone(), op));
            }
        }
    }
    ops
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_names_a_component_schema() {
    let s = server().await;
    let doc = document(&s).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    let dangling: BTreeSet<&str> = all
        .into_iter()
        .filter(|r| r.strip_prefix("#/components/schemas/").is_none_or(|name| !schemas.contains_key(name)))
        .collect();
    assert!(dangling.is_empty(), "references to missing schemas: {dangling:?}");
}

#[tokio::test]
async fn path_parameters_are_exactly_the_paths_placeholders() {
    let s = server().await;
    let doc = document(&s).await;
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        let in_path: BTreeSet<String> =
            path.split('/').filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}')).map(str::to_owned).collect();
        let mut declared = BTreeSet::new();
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] == "path" {
                declared.insert(p["name"].as_str().unwrap().to_owned());
                if p["required"] != true {
                    wrong.push(format!("{method} {path}: path parameter {} is not required", p["name"]));
                }
            }
        }
        if in_path != declared {
            wrong.push(format!("{method} {path}: placeholders {in_path:?}, path parameters {declared:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The values a component schema lists (`enum`), in order.
fn enum_values(doc: &Value, name: &str) -> Option<Vec<String>> {
    let schema = doc["components"]["schemas"].get(name)?;
    assert_eq!(schema["type"], "string", "{name}: {schema}");
    Some(schema["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect())
}

macro_rules! codes {
    ($($ty:ty),+ $(,)?) => {
        vec![$((
            stringify!($ty).rsplit("::").next().unwrap().trim().to_owned(),
            <$ty>::ALL.iter().map(|c| c.code().to_owned()).collect::<Vec<_>>(),
        )),+]
    };
}

#[tokio::test]
async fn code_enums_are_documented_by_their_wire_codes() {
    use domain::{account, catalog, curation, order, query, trace};
    let s = server().await;
    let doc = document(&s).await;
    let enums = codes!(
        catalog::Category,
        catalog::CoopKind,
        catalog::CoopStatus,
        catalog::ProductStatus,
        catalog::CertKind,
        query::Sort,
        query::CertFilter,
        order::OrderStatus,
        order::PaymentMethod,
        account::MemberRole,
        trace::EventKind,
        curation::StatsTable,
        curation::ModerationAction,
        curation::CampaignSelection,
        curation::ScheduleState,
    );
    for (name, codes) in &enums {
        if let Some(values) = enum_values(&doc, name) {
            assert_eq!(&values, codes, "{name}");
        }
    }
    for name in ["Category", "PaymentMethod", "OrderStatus", "Sort", "CertFilter", "StatsTable"] {
        assert!(enum_values(&doc, name).is_some(), "{name} is not in components.schemas");
    }
    // Error codes are a string on the wire, one of ErrorCode::ALL.
    let code = &doc["components"]["schemas"]["ErrorDetail"]["properties"]["code"];
    let values: Vec<&str> =
        code["enum"].as_array().expect("error codes listed").iter().map(|v| v.as_str().unwrap()).collect();
    let all: Vec<&str> = domain::api::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(values, all);
}

fn documents(op: &Value, status: &str) -> bool {
    op["responses"][status]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorBody"
}

#[tokio::test]
async fn json_routes_document_the_rejections_of_their_body() {
    let s = server().await;
    let doc = document(&s).await;
    let mut missing = Vec::new();
    let mut json_routes = 0;
    for (method, path, op) in operations(&doc) {
        if op["requestBody"]["content"].get("application/json").is_none() {
            continue;
        }
        json_routes += 1;
        for status in ["400", "413", "415", "422"] {
            if !documents(op, status) {
                missing.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(json_routes > 10, "{json_routes}");
    assert!(missing.is_empty(), "undocumented rejections:\n{}", missing.join("\n"));
}

#[tokio::test]
async fn limits_and_the_idempotency_key_are_documented() {
    let s = server().await;
    let doc = document(&s).await;
    let param = |path: &str, method: &str, name: &str| -> Value {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{method} {path}: no parameter {name}"))
            .clone()
    };
    for path in ["/api/v1/products", "/api/v1/cooperatives"] {
        let page = param(path, "get", "page");
        assert_eq!((&page["schema"]["minimum"], &page["schema"]["maximum"]), (&1.into(), &10_000.into()), "{path}");
        let per_page = param(path, "get", "per_page");
        assert_eq!((&per_page["schema"]["minimum"], &per_page["schema"]["maximum"]), (&1.into(), &100.into()));
    }
    let key = param("/api/v1/orders", "post", "Idempotency-Key");
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], true);
    assert_eq!((&key["schema"]["minLength"], &key["schema"]["maxLength"]), (&8.into(), &100.into()));
    assert!(key["schema"]["pattern"].is_string());
    let line = &doc["components"]["schemas"]["LineRequest"]["properties"]["quantity"];
    assert_eq!((&line["minimum"], &line["maximum"]), (&1.into(), &999.into()));
    let stars = &doc["components"]["schemas"]["ProductDraft"]["properties"]["ocop_stars"];
    assert_eq!(stars["maximum"], 5);
    let province = &doc["components"]["schemas"]["AddressInput"]["properties"]["province_code"];
    assert_eq!(province["maximum"], 255);
}

#[tokio::test]
async fn a_path_that_is_not_utf8_answers_in_the_error_shape() {
    let s = server().await;
    for path in [
        "/api/v1/products/%FF",
        "/api/v1/cooperatives/%FF",
        "/api/v1/provinces/%FF/communes",
        "/api/v1/orders/%FF?token=x",
        "/api/v1/orders/%FF/vietqr.svg?token=x",
        "/api/v1/campaigns/%FF",
        "/api/v1/lots/%FF/x",
    ] {
        let res = reqwest::get(s.url(path)).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(res.headers()["content-type"], "application/json", "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_path", "{path}: {body}");
    }
}

#[tokio::test]
async fn rate_limited_routes_document_429_with_retry_after() {
    let s = server().await;
    let doc = document(&s).await;
    for path in ["/api/v1/orders", "/api/v1/auth/sign-in", "/api/v1/auth/sign-up", "/api/v1/auth/password-reset"] {
        let op = &doc["paths"][path]["post"];
        assert!(documents(op, "429"), "POST {path}: no 429 in the error shape");
        assert!(op["responses"]["429"]["headers"]["Retry-After"].is_object(), "POST {path}: no Retry-After");
    }
    let orders = doc["paths"]["/api/v1/orders"]["post"]["responses"]["429"]["description"].as_str().unwrap();
    assert!(orders.contains("too_many_orders"), "{orders}");
}
