//! A button that copies a text (an account number, an amount, a transfer note) to the
//! clipboard, and says so for two seconds.

use crate::i18n::{t_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn CopyButton(
    /// What goes to the clipboard.
    #[prop(into)]
    text: String,
    /// What is copied, for screen readers ("Copy the account number").
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let text = StoredValue::new(text);
    let copy = move |_| {
        #[cfg(target_arch = "wasm32")]
        {
            let promise = window().navigator().clipboard().write_text(&text.get_value());
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                    copied.set(true);
                    set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
                }
            });
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (text, copied);
    };
    view! {
        <button type="button" class="button button-small copy-button" on:click=copy aria-label=label
            data-copied=move || copied.get().to_string()>
            <span aria-live="polite">{move || if copied.get() { t_string!(i18n, copied) } else { t_string!(i18n, copy) }}</span>
        </button>
    }
}
