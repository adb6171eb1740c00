//! `/sw.js`: the service worker (`sw.js` beside this file), written once at start with
//! this build's version, the files it precaches (those of the build in `dist/` that exist)
//! and the app's sections it never caches (`chohtx_web::bundles::APP_SECTIONS`). Served
//! from the root (its scope is the whole site) with `Cache-Control: no-cache`, so a deploy
//! (a new version, hence a new script) reaches browsers on their next visit.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};
use std::{path::Path, sync::Arc};

const TEMPLATE: &str = include_str!("sw.js");

/// Where the offline page is (`chohtx_web::routes::OFFLINE`) and the app's page frame the
/// worker serves for the cart and checkout offline (it is a placeholder the app renders over).
const PAGES: [&str; 2] = [chohtx_web::routes::OFFLINE, chohtx_web::routes::CART];

/// The storefront's built files, under their versioned folder: precached at install (from
/// the browser's HTTP cache when the page just loaded them, so nothing is fetched twice).
const VERSIONED: [&str; 3] = ["pkg/chohtx-web.js", "pkg/chohtx-web_bg.wasm", "main.css"];

/// The app bundle's files (cart, checkout…): about 0.9 MB, so not fetched for every
/// visitor on a weak network. The pages ask the worker to keep them once the buyer has
/// a cart (`shell::CONNECTIVITY`); any page of the app that loads them keeps them too.
const APP_FILES: [&str; 3] = ["pkg-app/chohtx-web.js", "pkg-app/chohtx-web_bg.wasm", "app.css"];

/// Unversioned built files: the icons the pages and the manifest name, and the manifest.
const FILES: [&str; 5] = [
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/apple-touch-icon.png",
    "manifest.webmanifest",
];

/// The worker's script for the build in `dist` of hash `version`.
pub fn script(dist: &Path, version: &str) -> String {
    let versioned = VERSIONED.iter().filter(|f| dist.join(f).is_file()).map(|f| format!("/v/{version}/{f}"));
    let files = FILES.iter().filter(|f| dist.join(f).is_file()).map(|f| format!("/{f}"));
    let precache: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).chain(versioned).chain(files).collect();
    let app: Vec<String> =
        APP_FILES.iter().filter(|f| dist.join(f).is_file()).map(|f| format!("/v/{version}/{f}")).collect();
    let sections = chohtx_web::bundles::APP_SECTIONS;
    format!(
        "const VERSION = {version:?};\nconst PRECACHE = {};\nconst APP_FILES = {};\nconst APP_SECTIONS = {};\n{TEMPLATE}",
        serde_json::json!(precache),
        serde_json::json!(app),
        serde_json::json!(sections),
    )
}

/// The `/sw.js` route.
pub fn router(dist: &Path, version: &str) -> Router {
    let body: Arc<str> = script(dist, version).into();
    Router::new().route(
        "/sw.js",
        get(move || {
            let body = body.clone();
            async move {
                (
                    [
                        (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
                        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                    ],
                    body.to_string(),
                )
                    .into_response()
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_build_and_what_it_never_caches() {
        let dir = std::env::temp_dir().join(format!("chohtx-sw-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/chohtx-web.js"), "").unwrap();
        let js = super::script(&dir, "abc");
        assert!(js.starts_with("const VERSION = \"abc\";"));
        assert!(js.contains("\"/v/abc/pkg/chohtx-web.js\""));
        assert!(!js.contains("pkg-app/chohtx-web.js"), "only files that exist");
        assert!(js.contains("\"/ngoai-tuyen\""));
        assert!(js.contains("\"/thanh-toan\"") && js.contains("\"/tai-khoan\"") && js.contains("\"/ban-hang\""));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
