//! The HTML document around the app, written by the server for every page: the head
//! (stylesheet, icons, the per-page tags of `leptos_meta`), the rendered app, and the
//! scripts that load the wasm and hydrate it.

use crate::app::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;

pub use crate::meta::PublicOrigin;

/// Where this build's files are served (the server versions their URLs).
#[derive(Clone, Debug)]
pub struct Assets {
    /// The storefront's bundle: `site_pkg_dir` names its folder (`chohtx-web.js`,
    /// `chohtx-web_bg.wasm`).
    pub storefront: LeptosOptions,
    /// The bundle with the consoles too (see [`crate::consoles`]).
    pub consoles: LeptosOptions,
    /// The stylesheet's URL.
    pub stylesheet: String,
}

pub fn shell(assets: Assets) -> impl IntoView {
    let Assets { storefront, consoles, stylesheet } = assets;
    let path = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    let options = if crate::consoles::is_console(&path) { consoles } else { storefront };
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1f6b45"/>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                // `defer`: the wasm downloads at low priority and hydrates when the page is
                // idle, so it never competes with the largest image.
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}
