//! A field's validation error, translated from its typed code.

use crate::{
    i18n::{t, use_i18n},
    use_lang,
};
use domain::{money::Vnd, validate::FieldError};
use leptos::prelude::*;

#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<FieldError>>,
    /// Inline text, without the error paragraph around it.
    #[prop(optional)]
    inline: bool,
    /// What to say when nothing was chosen in a list ("Choose a province"), instead of
    /// the generic "this field is required".
    #[prop(optional, into)]
    choose: Option<Signal<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let text = move || {
        error.get().map(|e| match e {
            FieldError::Required if choose.is_some() => choose.map(|c| c.get()).into_any(),
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
            FieldError::InvalidLogin => t!(i18n, field_invalid_login).into_any(),
            FieldError::InvalidEmail => t!(i18n, field_invalid_email).into_any(),
            FieldError::LoginTaken => t!(i18n, field_login_taken).into_any(),
            FieldError::PasswordTooShort { min } => t!(i18n, field_password_too_short, min = min).into_any(),
            FieldError::PasswordTooLong { max } => t!(i18n, field_password_too_long, max = max).into_any(),
            FieldError::PasswordTooCommon => t!(i18n, field_password_too_common).into_any(),
            FieldError::PasswordLikeLogin => t!(i18n, field_password_like_login).into_any(),
            FieldError::Duplicate => t!(i18n, field_duplicate).into_any(),
            FieldError::TypedTwice => t!(i18n, field_typed_twice).into_any(),
            FieldError::NotACoordinate => t!(i18n, field_not_a_coordinate).into_any(),
            FieldError::AlreadyMember => t!(i18n, field_already_member).into_any(),
            FieldError::UnknownBank => t!(i18n, field_unknown_bank).into_any(),
            FieldError::InvalidBankAccount => t!(i18n, field_invalid_bank_account).into_any(),
            FieldError::InvalidLotCode => t!(i18n, field_invalid_lot_code).into_any(),
            FieldError::LotExists => t!(i18n, field_lot_exists).into_any(),
            FieldError::InvalidUrl => t!(i18n, field_invalid_url).into_any(),
            FieldError::InFuture => t!(i18n, field_in_future).into_any(),
            FieldError::BeforeProduction => t!(i18n, field_before_production).into_any(),
            FieldError::EndsBeforeStart => t!(i18n, field_ends_before_start).into_any(),
            FieldError::NeedsOcopCertificate => t!(i18n, field_needs_ocop_certificate).into_any(),
            FieldError::CertificateExpired => t!(i18n, field_certificate_expired).into_any(),
            FieldError::NeedsPhoto => t!(i18n, field_needs_photo).into_any(),
        })
    };
    if inline {
        return view! { <span>{text}</span> }.into_any();
    }
    view! { <p id=id class="field-error" hidden=move || error.with(Option::is_none)>{text}</p> }.into_any()
}
