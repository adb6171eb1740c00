//! Money: whole Vietnamese đồng (ISO 4217 code 704, no minor units).

use crate::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of Vietnamese đồng. Arithmetic is checked: overflow is an error, never a wrap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Vnd(i64);

impl Vnd {
    pub const ZERO: Vnd = Vnd(0);
    /// The largest amount a VietQR payload can carry (13 characters) and more than any order.
    pub const MAX: Vnd = Vnd(9_999_999_999_999);

    pub const fn new(dong: i64) -> Self {
        Vnd(dong)
    }

    pub const fn dong(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_add(other.0).map(Vnd)
    }

    pub fn checked_sub(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_sub(other.0).map(Vnd)
    }

    /// Price × quantity.
    pub fn checked_mul(self, quantity: u32) -> Option<Vnd> {
        self.0.checked_mul(i64::from(quantity)).map(Vnd)
    }

    /// Sums amounts, `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Vnd>>(amounts: I) -> Option<Vnd> {
        amounts.into_iter().try_fold(Vnd::ZERO, Vnd::checked_add)
    }

    /// Formats per locale: vi `1.943.000 ₫` (no-break space before ₫), en `₫1,943,000`.
    pub fn format(self, lang: Lang) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        match lang {
            Lang::Vi => format!("{sign}{}\u{a0}₫", group_digits(self.0.unsigned_abs(), '.')),
            Lang::En => format!("{sign}₫{}", group_digits(self.0.unsigned_abs(), ',')),
        }
    }
}

impl fmt::Display for Vnd {
    /// The Vietnamese form, the product's default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Lang::Vi))
    }
}

fn group_digits(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_vietnamese_with_dots_and_no_break_space() {
        assert_eq!(Vnd::new(1_943_000).format(Lang::Vi), "1.943.000\u{a0}₫");
        assert_eq!(Vnd::new(0).format(Lang::Vi), "0\u{a0}₫");
        assert_eq!(Vnd::new(999).format(Lang::Vi), "999\u{a0}₫");
        assert_eq!(Vnd::new(1_000).format(Lang::Vi), "1.000\u{a0}₫");
        assert_eq!(Vnd::new(-25_000).format(Lang::Vi), "-25.000\u{a0}₫");
    }

    #[test]
    fn formats_english_with_symbol_first_and_commas() {
        assert_eq!(Vnd::new(1_943_000).format(Lang::En), "₫1,943,000");
        assert_eq!(Vnd::new(100).format(Lang::En), "₫100");
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Vnd::new(185_000).checked_mul(3), Some(Vnd::new(555_000)));
        assert_eq!(Vnd::new(i64::MAX).checked_add(Vnd::new(1)), None);
        assert_eq!(Vnd::new(i64::MAX).checked_mul(2), None);
        assert_eq!(Vnd::checked_sum([Vnd::new(1), Vnd::new(2), Vnd::new(3)]), Some(Vnd::new(6)));
        assert_eq!(Vnd::checked_sum([Vnd::new(i64::MAX), Vnd::new(1)]), None);
        assert_eq!(Vnd::new(30_000).checked_sub(Vnd::new(50_000)), Some(Vnd::new(-20_000)));
    }

    #[test]
    fn serializes_as_a_plain_integer() {
        assert_eq!(serde_json::to_string(&Vnd::new(120_000)).unwrap(), "120000");
        assert_eq!(serde_json::from_str::<Vnd>("5000").unwrap(), Vnd::new(5_000));
    }
}
