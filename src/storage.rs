//! The browser's localStorage, in one place: the cart, the checkout draft (and an order
//! placed offline, waiting to be sent), the seller editor's and the website form's unsaved
//! drafts, the last orders placed and the chosen language live there.
//! Every call is best effort: private browsing or a full quota loses the value, never the page.
//! When the server renders a page there is no storage: reads find nothing, writes do nothing
//! (pages that show stored state are the app bundle's, rendered in the browser only, or
//! fill it in after `island::page_hydrated`).

use serde::{Deserialize, Serialize, de::DeserializeOwned};

fn local() -> Option<web_sys::Storage> {
    if cfg!(target_arch = "wasm32") { leptos::prelude::window().local_storage().ok().flatten() } else { None }
}

/// The text kept under `key`.
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// The JSON value kept under `key` (none when it is missing or no longer reads).
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    get(key).and_then(|json| serde_json::from_str(&json).ok())
}

/// Keeps `value` as JSON under `key`.
pub fn save<T: Serialize + ?Sized>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        set(key, &json);
    }
}

/// Unsaved changes of a form, kept with when they were written, to tell the person how old
/// they are when they come back (the product editor's and the cooperative website's).
#[derive(Serialize, Deserialize)]
pub struct Draft<T> {
    pub draft: T,
    /// When it was written (ms since 1970).
    pub at: f64,
}

/// The draft kept under `key`, if any.
pub fn load_draft<T: DeserializeOwned>(key: &str) -> Option<Draft<T>> {
    load(key)
}

/// Keeps `draft` under `key`, written now.
pub fn save_draft<T: Serialize>(key: &str, draft: &T) {
    save(key, &Draft { draft, at: js_sys::Date::now() });
}
