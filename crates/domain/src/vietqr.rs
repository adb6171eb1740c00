//! VietQR (NAPAS 247 interbank transfer) payloads in EMVCo merchant-presented format.
//! Field map and vectors: ../shared/standards.md §1.

use crate::{money::Vnd, text::strip_marks};
use crc::{CRC_16_IBM_3740, Crc};

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): "123456789" → 0x29B1.
const CRC16: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);

/// The NAPAS application id inside field 38.
const NAPAS_GUID: &str = "A000000727";

/// What a transfer goes to and carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// The bank's 6-digit BIN, e.g. 970405 for Agribank.
    pub bank_bin: &'a str,
    /// The account number, at most 19 characters.
    pub account: &'a str,
    /// With an amount the code is dynamic (one payment); without, static.
    pub amount: Option<Vnd>,
    /// Bill number (field 62/01).
    pub bill_number: Option<&'a str>,
    /// Purpose of the transfer (field 62/08), folded to ASCII, at most 25 characters.
    pub purpose: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VietQrError {
    #[error("the bank BIN has 6 digits")]
    BankBin,
    #[error("the account number has 1 to 19 letters or digits")]
    Account,
    #[error("the amount must be between 1 and 9,999,999,999,999 đồng")]
    Amount,
    #[error("a field is longer than 99 characters")]
    FieldTooLong,
}

fn tlv(out: &mut String, id: &str, value: &str) -> Result<(), VietQrError> {
    if value.len() > 99 {
        return Err(VietQrError::FieldTooLong);
    }
    out.push_str(id);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
    Ok(())
}

/// ASCII-only text for field 62 (marks stripped, case kept), cut to `max` characters.
fn ascii_field(text: &str, max: usize) -> String {
    let ascii: String = strip_marks(text).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    ascii.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

impl Transfer<'_> {
    /// The payload string to encode in the QR code, CRC included.
    pub fn payload(&self) -> Result<String, VietQrError> {
        if self.bank_bin.len() != 6 || !self.bank_bin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VietQrError::BankBin);
        }
        if self.account.is_empty()
            || self.account.len() > 19
            || !self.account.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(VietQrError::Account);
        }
        if let Some(a) = self.amount
            && (a.dong() <= 0 || a > Vnd::MAX)
        {
            return Err(VietQrError::Amount);
        }

        let mut beneficiary = String::new();
        tlv(&mut beneficiary, "00", self.bank_bin)?;
        tlv(&mut beneficiary, "01", self.account)?;
        let mut merchant = String::new();
        tlv(&mut merchant, "00", NAPAS_GUID)?;
        tlv(&mut merchant, "01", &beneficiary)?;
        tlv(&mut merchant, "02", "QRIBFTTA")?;

        let mut out = String::with_capacity(160);
        tlv(&mut out, "00", "01")?;
        tlv(&mut out, "01", if self.amount.is_some() { "12" } else { "11" })?;
        tlv(&mut out, "38", &merchant)?;
        tlv(&mut out, "53", "704")?;
        if let Some(a) = self.amount {
            tlv(&mut out, "54", &a.dong().to_string())?;
        }
        tlv(&mut out, "58", "VN")?;
        let mut additional = String::new();
        if let Some(bill) = self.bill_number.map(|b| ascii_field(b, 25)).filter(|b| !b.is_empty()) {
            tlv(&mut additional, "01", &bill)?;
        }
        if let Some(p) = self.purpose.map(|p| ascii_field(p, 25)).filter(|p| !p.is_empty()) {
            tlv(&mut additional, "08", &p)?;
        }
        if !additional.is_empty() {
            tlv(&mut out, "62", &additional)?;
        }
        out.push_str("6304");
        let crc = CRC16.checksum(out.as_bytes());
        out.push_str(&format!("{crc:04X}"));
        Ok(out)
    }
}

/// Banks by BIN (`subiz/vietqr` bank.csv), for writing the bank out next to the QR code
/// and for the bank choice when a cooperative registers.
pub const BANKS: &[(&str, &str)] = &[
    ("970405", "Agribank"),
    ("970436", "Vietcombank"),
    ("970415", "VietinBank"),
    ("970418", "BIDV"),
    ("970446", "Co-opBank"),
    ("970422", "MB"),
    ("970423", "TPBank"),
    ("970403", "Sacombank"),
    ("970407", "Techcombank"),
    ("970416", "ACB"),
];

pub fn bank_name(bin: &str) -> Option<&'static str> {
    BANKS.iter().find(|(b, _)| *b == bin).map(|(_, name)| *name)
}

/// Whether a payload's trailing CRC matches its content.
pub fn crc_is_valid(payload: &str) -> bool {
    let Some(body_len) = payload.len().checked_sub(4) else { return false };
    let (body, crc) = payload.split_at(body_len);
    body.ends_with("6304") && format!("{:04X}", CRC16.checksum(body.as_bytes())) == crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(CRC16.checksum(b"123456789"), 0x29B1);
    }

    #[test]
    fn vector_a_dynamic_with_purpose() {
        let t = Transfer {
            bank_bin: "970415",
            account: "0011001932418",
            amount: Some(Vnd::new(120_000)),
            bill_number: None,
            purpose: Some("ung ho lu lut"),
        };
        assert_eq!(
            t.payload().unwrap(),
            "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C"
        );
    }

    #[test]
    fn vector_b_static() {
        let t = Transfer { bank_bin: "970423", account: "0099999999", amount: None, bill_number: None, purpose: None };
        assert_eq!(
            t.payload().unwrap(),
            "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4"
        );
    }

    #[test]
    fn vector_c_purpose_is_folded_to_ascii() {
        let t = Transfer {
            bank_bin: "970422",
            account: "0023457923442",
            amount: Some(Vnd::new(40_123)),
            bill_number: None,
            purpose: Some("chuyển khoản"),
        };
        assert_eq!(
            t.payload().unwrap(),
            "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802VN62160812chuyen khoan6304722F"
        );
    }

    #[test]
    fn vector_d_bill_number_and_purpose() {
        let t = Transfer {
            bank_bin: "970403",
            account: "0011012345678",
            amount: Some(Vnd::new(180_000)),
            bill_number: Some("NPS6869"),
            purpose: Some("thanh toan don hang"),
        };
        assert_eq!(
            t.payload().unwrap(),
            "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
        );
    }

    #[test]
    fn vector_e_demo_order() {
        let t = Transfer {
            bank_bin: "970405",
            account: "1500205123456",
            amount: Some(Vnd::new(1_943_000)),
            bill_number: None,
            purpose: Some("DH000123 HTX ST25"),
        };
        let payload = t.payload().unwrap();
        assert_eq!(
            payload,
            "00020101021238570010A00000072701270006970405011315002051234560208QRIBFTTA5303704540719430005802VN62210817DH000123 HTX ST2563044693"
        );
        assert!(crc_is_valid(&payload));
        assert!(!crc_is_valid(&payload.replace("1943000", "1943001")));
    }

    #[test]
    fn long_purpose_is_cut_to_25_ascii_characters() {
        let t = Transfer {
            bank_bin: "970405",
            account: "1500205123456",
            amount: Some(Vnd::new(10_000)),
            bill_number: None,
            purpose: Some("Đơn hàng của Hợp tác xã Nông nghiệp Mỹ Xuyên"),
        };
        let p = t.payload().unwrap();
        assert!(p.contains("0825Don hang cua Hop tac xa N"), "{p}");
        assert!(crc_is_valid(&p));
    }

    #[test]
    fn rejects_bad_inputs() {
        let ok = Transfer { bank_bin: "970405", account: "123", amount: None, bill_number: None, purpose: None };
        assert_eq!(Transfer { bank_bin: "9704", ..ok.clone() }.payload(), Err(VietQrError::BankBin));
        assert_eq!(Transfer { account: "", ..ok.clone() }.payload(), Err(VietQrError::Account));
        assert_eq!(Transfer { account: "12345678901234567890", ..ok.clone() }.payload(), Err(VietQrError::Account));
        assert_eq!(Transfer { amount: Some(Vnd::ZERO), ..ok.clone() }.payload(), Err(VietQrError::Amount));
        assert_eq!(Transfer { amount: Some(Vnd::new(-5)), ..ok }.payload(), Err(VietQrError::Amount));
    }
}
