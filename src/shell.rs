//! The HTML document around the app, written by the server for every page: the head
//! (stylesheet, icons, the per-page tags of `leptos_meta`, the loader of the page's
//! bundle), and the rendered app.

use crate::{app::App, bundles::Bundle};
use leptos::prelude::*;
use leptos_meta::MetaTags;

pub use crate::meta::PublicOrigin;

/// Where this build's files are served (the server versions their URLs).
#[derive(Clone, Debug)]
pub struct Assets {
    /// The storefront's islands: the folder of `chohtx-web.js` and `chohtx-web_bg.wasm`.
    pub storefront: String,
    /// The app's bundle (see [`crate::bundles`]).
    pub app: String,
    /// The stylesheet of every page.
    pub stylesheet: String,
    /// The app bundle's pages' own rules, after [`Assets::stylesheet`]: the storefront's
    /// pages do not wait for them.
    pub app_stylesheet: String,
}

/// The storefront's loader: once the page is idle, loads the wasm and hydrates each
/// `<leptos-island>` (Leptos's own islands script, `leptos/src/hydration/island_script.js`,
/// MIT, without its `__hydrateIsland` hook for the islands router).
const ISLANDS_LOADER: &str = include_str!("islands_loader.js");

pub fn shell(assets: Assets) -> impl IntoView {
    let Assets { storefront, app, stylesheet, app_stylesheet } = assets;
    let path = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    let bundle = Bundle::for_path(&path);
    // Nothing outside the islands hydrates: no hydration markers, no serialised resources.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let nonce = leptos::nonce::use_nonce();
    let (pkg, script) = match bundle {
        Bundle::Storefront => (storefront, ISLANDS_LOADER),
        Bundle::App => (app, APP_LOADER),
    };
    let js = format!("/{pkg}/chohtx-web.js");
    let wasm = format!("/{pkg}/chohtx-web_bg.wasm");
    let loader = format!("({script})({js:?}, {wasm:?});{CONNECTIVITY}");
    // The storefront's bundle comes at low priority: the page is already there, and its
    // largest image must not wait for it, so its wasm is fetched by the loader once the
    // page is idle (no preload sharing the network with the images). The app's page is a
    // placeholder until it runs: both are preloaded.
    let priority = (bundle == Bundle::Storefront).then_some("low");
    let preload_wasm = (bundle == Bundle::App).then(|| {
        view! { <link rel="preload" href=wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/> }
    });
    let app_stylesheet = (bundle == Bundle::App).then(|| view! { <link rel="stylesheet" href=app_stylesheet/> });
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1f6b45"/>
                <link rel="stylesheet" href=stylesheet/>
                {app_stylesheet}
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="modulepreload" href=js fetchpriority=priority/>
                {preload_wasm}
                <script type="module" nonce=nonce>{loader}</script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// On every page, beside its loader (no wasm needed): `<html data-offline>` while the
/// browser is offline (it shows the layout's `.offline-banner`), and the service worker
/// (`/sw.js`, the server's `http::service_worker`) registered once the page has loaded,
/// in secure contexts only (https, or localhost), where browsers allow one; once there is a
/// cart (`cart::STORAGE_KEY`), it is asked to keep the app bundle for offline use.
const CONNECTIVITY: &str = r#"
{
    const root = document.documentElement;
    const show = () => root.toggleAttribute("data-offline", !navigator.onLine);
    addEventListener("online", show);
    addEventListener("offline", show);
    show();
    if (window.isSecureContext && "serviceWorker" in navigator) {
        addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
        // Once there is a cart, the worker keeps the app bundle, so cart and checkout open offline.
        const keepApp = () => navigator.serviceWorker.ready.then((r) => {
            let cart = "[]";
            try { cart = localStorage.getItem("chohtx.cart.v1") || "[]"; } catch (e) {}
            if (cart.length > 2 && r.active) r.active.postMessage("keep-app");
        });
        addEventListener("load", keepApp);
        addEventListener("click", (e) => {
            if (e.target instanceof Element && e.target.closest(".add-to-cart")) setTimeout(keepApp, 300);
        });
    }
}"#;

/// The app's loader: renders the app over the placeholder as soon as it is loaded. Both
/// loaders mark `<html data-ready>` when the page is interactive (the browser tests wait
/// for it before they click).
const APP_LOADER: &str = r#"async (js, wasm) => {
    const app = await import(js);
    await app.default({ module_or_path: wasm });
    app.mount();
    document.documentElement.setAttribute("data-ready", "");
}"#;
