//! Trust signals: OCOP stars and certification badges.

use crate::{
    components::icons::CheckBadgeIcon,
    i18n::{t, use_i18n},
    use_lang,
};
use domain::catalog::CertKind;
use leptos::prelude::*;

#[component]
pub fn OcopStars(stars: u8) -> impl IntoView {
    let i18n = use_i18n();
    (stars > 0).then(|| {
        view! {
            <span class="ocop">
                <span class="ocop-label">"OCOP"</span>
                <span class="ocop-stars" aria-hidden="true">{"★".repeat(stars.into())}</span>
                <span class="visually-hidden">{t!(i18n, ocop_stars_only, count = stars)}</span>
            </span>
        }
    })
}

#[component]
pub fn CertBadge(kind: CertKind) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("cert-badge cert-{}", kind.code())>
            <CheckBadgeIcon/>
            {move || kind.name(lang())}
        </span>
    }
}
