//! A field's validation error, translated from its typed code.

use crate::{
    i18n::{t, use_i18n},
    use_lang,
};
use domain::{money::Vnd, validate::FieldError};
use leptos::prelude::*;

#[component]
pub fn FieldMessage(
    id: &'static str,
    #[prop(into)] error: Signal<Option<FieldError>>,
    /// Inline text, without the error paragraph around it.
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let text = move || {
        error.get().map(|e| match e {
            FieldError::Required => t!(i18n, field_required).into_any(),
            FieldError::TooLong { max } => t!(i18n, field_too_long, max = max).into_any(),
            FieldError::OutOfRange { min, max } => t!(i18n, field_out_of_range, min = min, max = max).into_any(),
            FieldError::NotANumber => t!(i18n, field_not_a_number).into_any(),
            FieldError::UnknownChoice => t!(i18n, field_unknown_choice).into_any(),
            FieldError::InvalidPhone => t!(i18n, field_invalid_phone).into_any(),
            FieldError::NotMobile => t!(i18n, field_not_mobile).into_any(),
            FieldError::GtinFormat => t!(i18n, field_gtin_format).into_any(),
            FieldError::GtinCheckDigit { expected } => t!(i18n, field_gtin_check_digit, expected = expected).into_any(),
            FieldError::InvalidSlug => t!(i18n, field_invalid_slug).into_any(),
            FieldError::InvalidDate => t!(i18n, field_invalid_date).into_any(),
            FieldError::BelowMinimum => t!(i18n, field_below_minimum).into_any(),
            FieldError::OutOfStock { available } => t!(i18n, low_stock_notice, count = available).into_any(),
            FieldError::PriceChanged { current } => {
                let price = Vnd::new(current).format(lang());
                t!(i18n, field_price_changed, price = price).into_any()
            }
            FieldError::Unavailable => t!(i18n, unavailable_notice).into_any(),
            FieldError::CommuneNotInProvince => t!(i18n, field_commune_not_in_province).into_any(),
            FieldError::TooMany { max } => t!(i18n, field_too_many, max = max).into_any(),
        })
    };
    if inline {
        return view! { <span>{text}</span> }.into_any();
    }
    view! { <p id=id class="field-error" hidden=move || error.with(Option::is_none)>{text}</p> }.into_any()
}
