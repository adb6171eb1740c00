//! GTIN (GS1 Global Trade Item Number), always kept as GTIN-14.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A GTIN-14 with a verified check digit. GTIN-8, -12 and -13 are left-padded with zeros.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum GtinError {
    #[error("a GTIN has only digits")]
    NotDigits,
    #[error("a GTIN has 8, 12, 13 or 14 digits")]
    Length,
    #[error("the check digit should be {expected}")]
    CheckDigit { expected: u8 },
}

/// The GS1 mod-10 check digit of `data` (all digits but the check digit).
/// Weights 3,1,3,1… from the right; check = (10 − sum mod 10) mod 10.
pub fn check_digit(data: &[u8]) -> u8 {
    let sum: u32 = data.iter().rev().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

impl Gtin {
    pub fn parse(input: &str) -> Result<Gtin, GtinError> {
        let s = input.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GtinError::NotDigits);
        }
        if ![8, 12, 13, 14].contains(&s.len()) {
            return Err(GtinError::Length);
        }
        let padded = format!("{s:0>14}");
        let digits: Vec<u8> = padded.bytes().map(|b| b - b'0').collect();
        let expected = check_digit(&digits[..13]);
        if digits[13] != expected {
            return Err(GtinError::CheckDigit { expected });
        }
        Ok(Gtin(padded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Gtin {
    type Err = GtinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gtin::parse(s)
    }
}

impl TryFrom<String> for Gtin {
    type Error = GtinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Gtin::parse(&s)
    }
}

impl From<Gtin> for String {
    fn from(g: Gtin) -> String {
        g.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_vectors() {
        // ../shared/standards.md §2, both verified there.
        assert_eq!(Gtin::parse("05412345000013").unwrap().as_str(), "05412345000013");
        assert_eq!(Gtin::parse("09521234543213").unwrap().as_str(), "09521234543213");
        assert!(Gtin::parse("09521234000013").is_ok());
        assert!(Gtin::parse("09521234000020").is_ok());
    }

    #[test]
    fn pads_shorter_gtins_to_14_digits() {
        assert_eq!(Gtin::parse("5412345000013").unwrap().as_str(), "05412345000013");
        // GTIN-8 example: 9638-5074 (check digit 4).
        assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074");
    }

    #[test]
    fn rejects_wrong_check_digit_and_says_which_is_right() {
        assert_eq!(Gtin::parse("09521234000014"), Err(GtinError::CheckDigit { expected: 3 }));
    }

    #[test]
    fn rejects_letters_and_bad_lengths() {
        assert_eq!(Gtin::parse("0952123400001A"), Err(GtinError::NotDigits));
        assert_eq!(Gtin::parse(""), Err(GtinError::NotDigits));
        assert_eq!(Gtin::parse("123456789"), Err(GtinError::Length));
    }

    #[test]
    fn check_digit_matches_gs1_rule() {
        let data: Vec<u8> = "0952123400001".bytes().map(|b| b - b'0').collect();
        assert_eq!(check_digit(&data), 3);
    }

    #[test]
    fn deserializing_validates() {
        assert!(serde_json::from_str::<Gtin>("\"09521234000013\"").is_ok());
        assert!(serde_json::from_str::<Gtin>("\"09521234000012\"").is_err());
    }
}
