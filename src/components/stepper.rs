//! A quantity stepper: − [n] +, kept within 1..=max, usable by keyboard and touch.

use crate::i18n::{t_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn Stepper(
    #[prop(into)] value: Signal<u32>,
    #[prop(into)] max: Signal<u32>,
    #[prop(into)] on_change: Callback<u32>,
    /// Id of the element that labels the stepper.
    #[prop(optional)]
    labelled_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let set = move |n: u32| on_change.run(n.clamp(1, max.get_untracked().max(1)));
    view! {
        <div class="stepper" role="group" aria-labelledby=labelled_by aria-label=move || labelled_by.is_none().then(|| t_string!(i18n, quantity))>
            <button type="button" aria-label=move || t_string!(i18n, decrease)
                disabled=move || { value.get() <= 1 }
                on:click=move |_| set(value.get_untracked().saturating_sub(1))>"−"</button>
            <input type="number" inputmode="numeric" min="1" max=move || max.get().to_string()
                aria-label=move || t_string!(i18n, quantity)
                prop:value=move || value.get().to_string()
                on:change=move |ev| set(event_target_value(&ev).trim().parse::<u32>().unwrap_or(1))/>
            <button type="button" aria-label=move || t_string!(i18n, increase)
                disabled=move || { value.get() >= max.get() }
                on:click=move |_| set(value.get_untracked() + 1)>"+"</button>
        </div>
    }
}
