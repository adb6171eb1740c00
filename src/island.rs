//! What the components that are also islands (see [`crate::bundles`]) need.
//!
//! On the server and in the app bundle an island is an ordinary component inside the
//! app: the language, the cart, the session and the router come from the app's contexts.
//! In the storefront's bundle each island hydrates on its own, with none of them: [`enter`]
//! gives it the page's shared language, cart and session, and [`navigator`] and
//! [`current_url`] fall back to the browser's location.

use crate::i18n::Locale;
#[cfg(target_arch = "wasm32")]
use crate::{cart::Cart, session::Session};
use leptos::prelude::*;
#[cfg(target_arch = "wasm32")]
use leptos_i18n::context::I18nContext;

/// The first line of every island.
pub fn enter() {
    #[cfg(target_arch = "wasm32")]
    if use_context::<I18nContext<Locale>>().is_none() {
        let Shared { i18n, cart, session } = shared::get();
        provide_context(i18n);
        provide_context(cart);
        provide_context(session);
    }
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy)]
struct Shared {
    i18n: I18nContext<Locale>,
    cart: Cart,
    session: Session,
}

#[cfg(target_arch = "wasm32")]
mod shared {
    use super::*;
    use leptos_i18n::context::{I18nContextOptions, init_i18n_context_with_options};
    use std::cell::OnceCell;

    thread_local! {
        static SHARED: OnceCell<Shared> = const { OnceCell::new() };
    }

    /// One language, cart and session for all the page's islands (adding to the cart
    /// updates the header's count), made by the first island and never dropped.
    pub(super) fn get() -> Shared {
        SHARED.with(|cell| {
            *cell.get_or_init(|| {
                // A root of its own: not paused while an island hydrates (the cart's effects
                // must run once it has), never cleaned up with one.
                let island = Owner::current();
                let owner = Owner::new_root(None);
                if let Some(island) = island {
                    island.set();
                }
                let shared = owner.with(|| {
                    // The language the server rendered the page in (`<html lang>`); the
                    // language switch keeps a new choice in the cookie itself.
                    let i18n =
                        init_i18n_context_with_options::<Locale>(I18nContextOptions::default().enable_cookie(false));
                    Shared { i18n, cart: Cart::provide(), session: Session::provide() }
                });
                std::mem::forget(owner);
                shared
            })
        })
    }
}

/// Whether every island of the page has hydrated (always, outside the storefront's
/// bundle). What the browser alone knows (the saved cart, who is signed in) waits for it:
/// an island hydrates against the server's HTML, so it must first render what the
/// server did, and a value that arrived while an island ahead of it was hydrating would
/// be rendered into a page that never shows it.
pub fn page_hydrated() -> bool {
    hydrated_signal().get()
}

fn hydrated_signal() -> ArcRwSignal<bool> {
    thread_local! {
        static HYDRATED: ArcRwSignal<bool> = ArcRwSignal::new(!cfg!(feature = "hydrate"));
    }
    HYDRATED.with(Clone::clone)
}

/// Called by the storefront's loader once it has hydrated every island.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrated() {
    hydrated_signal().set(true);
}

/// The app's router, provided inside it by [`AppRouterContext`].
#[derive(Clone, Copy)]
struct AppRouter {
    url: Memo<String>,
    navigate: Callback<String>,
}

/// Gives the components inside the app's `<Router>` its location and navigation, in a
/// form islands can do without.
#[component]
pub fn AppRouterContext(children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    let url = Memo::new(move |_| with_query(&location.pathname.get(), &location.search.get()));
    provide_context(AppRouter {
        url,
        navigate: Callback::new(move |path: String| navigate(&path, Default::default())),
    });
    children()
}

fn with_query(path: &str, search: &str) -> String {
    let search = search.trim_start_matches('?');
    if search.is_empty() { path.to_owned() } else { format!("{path}?{search}") }
}

/// Goes to a path of the app: with the router when there is one, else a page load.
pub fn navigator() -> impl Fn(&str) + Clone + Send + Sync + 'static {
    let router = use_context::<AppRouter>();
    move |path: &str| match router {
        Some(router) => router.navigate.run(path.to_owned()),
        None => {
            let _ = window().location().assign(path);
        }
    }
}

/// The page's path and query: the router's location when there is one, else the
/// browser's (an island's) or the request's (the server's).
pub fn current_url() -> Signal<String> {
    if let Some(router) = use_context::<AppRouter>() {
        return router.url.into();
    }
    #[cfg(target_arch = "wasm32")]
    let url = {
        let location = window().location();
        with_query(&location.pathname().unwrap_or_default(), &location.search().unwrap_or_default())
    };
    #[cfg(not(target_arch = "wasm32"))]
    let url = use_context::<http::request::Parts>()
        .and_then(|parts| parts.uri.path_and_query().map(|pq| pq.as_str().to_owned()))
        .unwrap_or_default();
    Signal::stored(url)
}

/// Whether the app's router is running (the app's bundle, or the server rendering the
/// app); false in the storefront's islands.
pub fn in_app() -> bool {
    use_context::<AppRouter>().is_some()
}

/// `url` with its query parameter `name` set to `value` (added, or replacing the old one).
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<&str> =
        query.split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some(name)).collect();
    let pair = format!("{name}={}", crate::url::encode(value));
    pairs.push(&pair);
    format!("{path}?{}", pairs.join("&"))
}

/// Keeps `locale` in the language cookie at once (before a page load that follows).
pub fn save_lang_cookie(locale: Locale) {
    #[cfg(target_arch = "wasm32")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos_i18n::Locale as _;
        if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
            let max_age = crate::app::LANG_COOKIE_DAYS * 24 * 3600;
            let _ = html.set_cookie(&format!(
                "{}={}; path=/; max-age={max_age}; samesite=lax",
                crate::app::LANG_COOKIE,
                locale.as_str()
            ));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = locale;
}

/// One query parameter of the page's URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    domain::query::decode_pairs(query).into_iter().find_map(|(k, v)| (k == name).then_some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parameters_of_a_url() {
        assert_eq!(query_param("/san-pham?q=g%E1%BA%A1o+st25&page=2", "q").as_deref(), Some("gạo st25"));
        assert_eq!(query_param("/san-pham", "q"), None);
        assert_eq!(with_param("/san-pham?q=gao&lang=vi", "lang", "en"), "/san-pham?q=gao&lang=en");
        assert_eq!(with_param("/", "lang", "en"), "/?lang=en");
    }
}
