//! Vietnamese phone numbers (E.164 country code +84).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid Vietnamese phone number, stored as E.164 (`+84912345678`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("not a Vietnamese phone number")]
    Invalid,
    #[error("not a Vietnamese mobile number")]
    NotMobile,
}

/// Mobile numbers: 0 + {3,5,7,8,9} + 8 digits. Landlines: 0 + 2 + 9 digits.
fn national_significant(input: &str) -> Option<String> {
    let mut digits = String::with_capacity(12);
    let trimmed = input.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, trimmed),
    };
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return None,
        }
    }
    let nsn = if plus {
        digits.strip_prefix("84")?.to_owned()
    } else if let Some(national) = digits.strip_prefix('0') {
        national.to_owned()
    } else if digits.len() >= 11 && digits.starts_with("84") {
        digits[2..].to_owned()
    } else {
        return None;
    };
    let ok = match nsn.as_bytes().first() {
        Some(b'3' | b'5' | b'7' | b'8' | b'9') => nsn.len() == 9,
        Some(b'2') => nsn.len() == 10,
        _ => false,
    };
    ok.then_some(nsn)
}

impl Phone {
    /// Any Vietnamese number: mobile or landline, in national (`0912 345 678`) or
    /// international (`+84 912 345 678`) form, with spaces, dots or dashes.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        national_significant(input).map(|nsn| Phone(format!("+84{nsn}"))).ok_or(PhoneError::Invalid)
    }

    /// A mobile number only (03/05/07/08/09), as checkout needs one that can get calls and SMS.
    pub fn parse_mobile(input: &str) -> Result<Phone, PhoneError> {
        let phone = Phone::parse(input)?;
        if phone.is_mobile() { Ok(phone) } else { Err(PhoneError::NotMobile) }
    }

    pub fn is_mobile(&self) -> bool {
        !self.0[3..].starts_with('2')
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// National display form: `0912 345 678`, landline `028 3822 1234`.
    pub fn national(&self) -> String {
        let nsn = &self.0[3..];
        if self.is_mobile() {
            format!("0{} {} {}", &nsn[..3], &nsn[3..6], &nsn[6..])
        } else {
            // Two-digit area codes (2x) then 4 + 4 digits.
            format!("0{} {} {}", &nsn[..2], &nsn[2..6], &nsn[6..])
        }
    }

    /// International display form: `+84 912 345 678`.
    pub fn international(&self) -> String {
        format!("+84 {}", &self.national()[1..])
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.national())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_national_and_international_forms_agree() {
        // standards.md §5: 0912 345 678 ⇔ +84912345678.
        for input in ["0912 345 678", "0912345678", "+84912345678", "+84 912 345 678", "84912345678", "0912.345.678"] {
            assert_eq!(Phone::parse_mobile(input).unwrap().e164(), "+84912345678", "{input}");
        }
        let p = Phone::parse("+84912345678").unwrap();
        assert_eq!(p.national(), "0912 345 678");
        assert_eq!(p.international(), "+84 912 345 678");
    }

    #[test]
    fn landlines_parse_but_are_not_mobiles() {
        let p = Phone::parse("028 3822 1234").unwrap();
        assert_eq!(p.e164(), "+842838221234");
        assert_eq!(p.international(), "+84 28 3822 1234");
        assert_eq!(Phone::parse_mobile("028 3822 1234"), Err(PhoneError::NotMobile));
    }

    #[test]
    fn every_mobile_prefix_is_accepted() {
        for prefix in ['3', '5', '7', '8', '9'] {
            assert!(Phone::parse_mobile(&format!("0{prefix}12345678")).is_ok());
        }
    }

    #[test]
    fn rejects_garbage_and_retired_numbers() {
        for bad in
            ["abc", "", "0112345678", "01689123456", "091234567", "09123456789", "+1 912 345 678", "0912-345-67x"]
        {
            assert_eq!(Phone::parse(bad), Err(PhoneError::Invalid), "{bad}");
        }
    }
}
