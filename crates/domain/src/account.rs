//! Accounts: sign-up and sign-in rules, the session the app sees, saved addresses,
//! cooperative registration and membership, and the audit log's shape.
//!
//! A login is an email address or a Vietnamese phone number; [`Login::key`] is its one
//! normalised form (lower-case email, E.164 phone), used for lookups and rate limits.

use crate::{
    catalog::{CoopKind, CoopStatus, CooperativeRef, code_enum},
    money::Vnd,
    order::{Address, AddressInput, OrderStatus},
    phone::Phone,
    text::fold,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: u32 = 8;
pub const PASSWORD_MAX: u32 = 128;
pub const NAME_MAX: u32 = 100;
pub const EMAIL_MAX: u32 = 254;

/// Passwords refused outright (folded, compared whole): the most common ones in
/// published leak lists, plus Vietnamese favourites.
const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "11111111",
    "00000000",
    "password",
    "password1",
    "passw0rd",
    "qwertyui",
    "qwerty123",
    "abc12345",
    "abcd1234",
    "iloveyou",
    "11223344",
    "12341234",
    "matkhau123",
    "matkhau1",
    "anhyeuem",
    "emyeuanh",
    "vietnam123",
    "123456aa",
    "a1234567",
    "aa123456",
    "chohtx123",
    "12345678a",
    "admin123",
    "letmein1",
    "welcome1",
    "66668888",
    "88888888",
    "99999999",
];

/// An email address or a Vietnamese phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    Email(String),
    Phone(Phone),
}

impl Login {
    /// Reads what a person typed into "email or phone".
    pub fn parse(input: &str) -> Result<Login, FieldError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(FieldError::Required);
        }
        if t.contains('@') {
            return parse_email(t).map(Login::Email);
        }
        Phone::parse(t).map(Login::Phone).map_err(|_| FieldError::InvalidLogin)
    }

    /// The normalised form: lower-case email or E.164 phone.
    pub fn key(&self) -> String {
        match self {
            Login::Email(e) => e.clone(),
            Login::Phone(p) => p.e164().to_owned(),
        }
    }

    pub fn email(&self) -> Option<&str> {
        match self {
            Login::Email(e) => Some(e),
            Login::Phone(_) => None,
        }
    }

    pub fn phone(&self) -> Option<&Phone> {
        match self {
            Login::Phone(p) => Some(p),
            Login::Email(_) => None,
        }
    }
}

/// A deliberately plain check: one `@`, something before it, a dotted domain after it,
/// no spaces. Lower-cased.
pub fn parse_email(t: &str) -> Result<String, FieldError> {
    if t.chars().count() > EMAIL_MAX as usize {
        return Err(FieldError::TooLong { max: EMAIL_MAX });
    }
    let lower = t.to_lowercase();
    let ok = match lower.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !lower.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if ok { Ok(lower) } else { Err(FieldError::InvalidEmail) }
}

/// The password rules: length, not a common password, not the login or name itself.
pub fn check_password(password: &str, login: Option<&Login>, name: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n == 0 {
        return Err(FieldError::Required);
    }
    if n < PASSWORD_MIN as usize {
        return Err(FieldError::PasswordTooShort { min: PASSWORD_MIN });
    }
    if n > PASSWORD_MAX as usize {
        return Err(FieldError::PasswordTooLong { max: PASSWORD_MAX });
    }
    let folded: String = fold(password).chars().filter(|c| !c.is_whitespace()).collect();
    let first = folded.chars().next();
    if COMMON_PASSWORDS.contains(&folded.as_str()) || folded.chars().all(|c| Some(c) == first) {
        return Err(FieldError::PasswordTooCommon);
    }
    let same = |other: &str| {
        let o: String = fold(other).chars().filter(|c| !c.is_whitespace()).collect();
        !o.is_empty() && o == folded
    };
    let like_login = match login {
        Some(Login::Email(e)) => same(e) || e.split('@').next().is_some_and(same),
        Some(Login::Phone(p)) => same(p.e164()) || same(&p.national().replace(' ', "")),
        None => false,
    };
    if like_login || same(name) {
        return Err(FieldError::PasswordLikeLogin);
    }
    Ok(())
}

/// `POST /api/v1/auth/sign-up`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpRequest {
    pub name: String,
    /// Email address or Vietnamese phone number.
    pub login: String,
    pub password: String,
}

/// A sign-up whose fields passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSignUp {
    pub name: String,
    pub login: Login,
    pub password: String,
}

impl SignUpRequest {
    pub fn validate(&self) -> Result<ValidSignUp, Errors> {
        let mut e = Errors::new();
        let name = e.text("name", &self.name, NAME_MAX);
        let login = match Login::parse(&self.login) {
            Ok(l) => Some(l),
            Err(err) => {
                e.add("login", err);
                None
            }
        };
        if let Err(err) = check_password(&self.password, login.as_ref(), &name) {
            e.add("password", err);
        }
        match login {
            Some(login) => e.into_result(ValidSignUp { name, login, password: self.password.clone() }),
            None => Err(e),
        }
    }
}

/// `POST /api/v1/auth/sign-in`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub login: String,
    pub password: String,
}

code_enum!(
    /// A person's role in a cooperative.
    MemberRole {
        Admin = "admin",
        Member = "member",
    }
);

/// A cooperative the signed-in person belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub cooperative: CooperativeRef,
    pub status: CoopStatus,
    pub role: MemberRole,
}

/// The signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<Phone>,
    pub is_staff: bool,
    pub memberships: Vec<Membership>,
}

/// `GET /api/v1/session`: who is signed in (if anyone), and the token every unsafe
/// request of a signed-in session must send as `X-CSRF-Token`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub user: Option<User>,
    pub csrf_token: Option<String>,
}

/// The header that carries the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `POST /api/v1/auth/password-reset`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub login: String,
}

/// `POST /api/v1/auth/password-reset/confirm`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// A buyer's saved delivery address, offered at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedAddress {
    pub id: i64,
    pub recipient_name: String,
    pub phone: Phone,
    pub address: Address,
}

/// `POST /api/v1/me/addresses`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressRequest {
    pub recipient_name: String,
    pub phone: String,
    pub address: AddressInput,
}

impl AddressRequest {
    /// Name, mobile phone and street; the commune's province is checked by the server.
    pub fn validate(&self) -> Result<(String, Phone), Errors> {
        let mut e = Errors::new();
        let name = e.text("recipient_name", &self.recipient_name, NAME_MAX);
        let phone = match Phone::parse_mobile(&self.phone) {
            Ok(p) => Some(p),
            Err(err) => {
                e.add("phone", if self.phone.trim().is_empty() { FieldError::Required } else { err.into() });
                None
            }
        };
        e.text("address.street", &self.address.street, 200);
        if self.address.province_code == 0 {
            e.add("address.province_code", FieldError::Required);
        } else if crate::geo::province(self.address.province_code).is_none() {
            e.add("address.province_code", FieldError::UnknownChoice);
        }
        match phone {
            Some(p) => e.into_result((name, p)),
            None => Err(e),
        }
    }
}

/// One of a buyer's orders in "my orders".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub number: String,
    pub cooperative: CooperativeRef,
    pub status: OrderStatus,
    pub total: Vnd,
    pub item_count: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// `POST /api/v1/cooperatives`: a signed-in person registers a cooperative, which stays
/// pending until staff approve it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeRegistration {
    pub name: String,
    pub kind: CoopKind,
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub province_code: u8,
    pub commune_code: u32,
    pub street: String,
    /// Business registration or tax number (mã số HTX / mã số thuế).
    pub registration_number: String,
    pub phone: String,
    /// NAPAS BIN of the bank for VietQR, e.g. `970405` (Agribank).
    pub bank_bin: String,
    pub bank_account: String,
    pub bank_account_name: String,
}

/// A registration whose fields passed the rules that need no database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRegistration {
    pub name: String,
    pub registration_number: String,
    pub phone: Phone,
    pub street: String,
    pub bank_account: String,
    /// Upper case without diacritics, as banks print it.
    pub bank_account_name: String,
}

impl CooperativeRegistration {
    pub fn validate(&self) -> Result<ValidRegistration, Errors> {
        let mut e = Errors::new();
        let name = e.text("name", &self.name, 150);
        let street = e.text("street", &self.street, 200);
        let registration_number = e.text("registration_number", &self.registration_number, 20);
        if !registration_number.is_empty()
            && !registration_number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            e.add("registration_number", FieldError::UnknownChoice);
        }
        if crate::geo::province(self.province_code).is_none() {
            e.add("province_code", FieldError::UnknownChoice);
        }
        let phone = match Phone::parse(&self.phone) {
            Ok(p) => Some(p),
            Err(err) => {
                e.add("phone", if self.phone.trim().is_empty() { FieldError::Required } else { err.into() });
                None
            }
        };
        if crate::vietqr::bank_name(self.bank_bin.trim()).is_none() {
            e.add("bank_bin", FieldError::UnknownBank);
        }
        let bank_account: String = self.bank_account.chars().filter(|c| !c.is_whitespace()).collect();
        if bank_account.is_empty() {
            e.add("bank_account", FieldError::Required);
        } else if !(4..=19).contains(&bank_account.len()) || !bank_account.chars().all(|c| c.is_ascii_digit()) {
            e.add("bank_account", FieldError::InvalidBankAccount);
        }
        let account_name = e.text("bank_account_name", &self.bank_account_name, 50);
        let bank_account_name = crate::text::strip_marks(&account_name).to_uppercase();
        match phone {
            Some(phone) => e.into_result(ValidRegistration {
                name,
                registration_number,
                phone,
                street,
                bank_account,
                bank_account_name,
            }),
            None => Err(e),
        }
    }
}

/// A member of a cooperative, as its admin sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: i64,
    pub name: String,
    /// The email or phone number they sign in with.
    pub login: String,
    pub role: MemberRole,
}

/// How long an invitation link works, in days.
pub const INVITATION_DAYS: i64 = 7;

/// `POST /api/v1/cooperatives/{slug}/invitations`: invites whoever holds this email or
/// phone number to join with this role. Nobody becomes a member until they accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationRequest {
    pub login: String,
    pub role: MemberRole,
}

/// The answer to an invitation: the same whether or not an account has that login, with
/// no personal data. The link is shown once (only its hash is kept): the admin copies it
/// and sends it to the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationCreated {
    pub id: i64,
    pub role: MemberRole,
    /// The absolute link to open (`…/loi-moi/{token}`).
    pub link: String,
    pub token: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// A pending invitation, as its cooperative's admins list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingInvitation {
    pub id: i64,
    /// The email or phone number the admin typed (normalised).
    pub login: String,
    pub role: MemberRole,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub expires_at: String,
}

/// `GET /api/v1/invitations/{token}`: what the link invites to. No personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationInfo {
    pub cooperative: CooperativeRef,
    pub role: MemberRole,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// An entry of the audit log: who did what, when, and the record before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_emails_or_phones_in_one_normal_form() {
        assert_eq!(Login::parse(" An.Nguyen@Example.VN ").unwrap().key(), "an.nguyen@example.vn");
        assert_eq!(Login::parse("0912 345 678").unwrap().key(), "+84912345678");
        assert_eq!(Login::parse("+84 912 345 678").unwrap().key(), "+84912345678");
        assert_eq!(Login::parse(""), Err(FieldError::Required));
        assert_eq!(Login::parse("abc"), Err(FieldError::InvalidLogin));
        assert_eq!(Login::parse("a@b"), Err(FieldError::InvalidEmail));
        assert_eq!(Login::parse("a b@c.vn"), Err(FieldError::InvalidEmail));
        assert_eq!(Login::parse("@c.vn"), Err(FieldError::InvalidEmail));
    }

    #[test]
    fn password_rules() {
        let login = Login::parse("0912345678").unwrap();
        assert_eq!(check_password("", None, ""), Err(FieldError::Required));
        assert_eq!(check_password("short", None, ""), Err(FieldError::PasswordTooShort { min: 8 }));
        assert_eq!(check_password(&"x".repeat(129), None, ""), Err(FieldError::PasswordTooLong { max: 128 }));
        assert_eq!(check_password("12345678", None, ""), Err(FieldError::PasswordTooCommon));
        assert_eq!(check_password("Mật Khẩu 123", None, ""), Err(FieldError::PasswordTooCommon));
        assert_eq!(check_password("aaaaaaaaaa", None, ""), Err(FieldError::PasswordTooCommon));
        assert_eq!(check_password("0912345678", Some(&login), ""), Err(FieldError::PasswordLikeLogin));
        assert_eq!(check_password("Nguyễn Văn An", None, "nguyen van an"), Err(FieldError::PasswordLikeLogin));
        assert_eq!(check_password("lúa vàng Sóc Trăng", Some(&login), "An"), Ok(()));
    }

    #[test]
    fn sign_up_reports_every_field() {
        let e = SignUpRequest { name: " ".into(), login: "abc".into(), password: "123".into() }.validate().unwrap_err();
        assert_eq!(e.get("name"), Some(&FieldError::Required));
        assert_eq!(e.get("login"), Some(&FieldError::InvalidLogin));
        assert_eq!(e.get("password"), Some(&FieldError::PasswordTooShort { min: 8 }));
        let ok =
            SignUpRequest {
                name: "Chị Lan".into(), login: "lan@example.vn".into(), password: "gạo thơm ST25".into()
            }
            .validate()
            .unwrap();
        assert_eq!(ok.login, Login::Email("lan@example.vn".into()));
    }

    #[test]
    fn registration_checks_bank_and_account() {
        let mut r = CooperativeRegistration {
            name: "HTX Lúa Vàng".into(),
            kind: CoopKind::Htx,
            province_code: 0,
            commune_code: 1,
            street: "Ấp 3".into(),
            registration_number: "2201234567".into(),
            phone: "0299 3612 345".into(),
            bank_bin: "970405".into(),
            bank_account: "7100 2050 12345".into(),
            bank_account_name: "Hợp tác xã Lúa Vàng".into(),
        };
        let e = r.validate().unwrap_err();
        assert_eq!(e.get("province_code"), Some(&FieldError::UnknownChoice));
        r.province_code = crate::geo::PROVINCES[0].code;
        let v = r.validate().unwrap();
        assert_eq!(v.bank_account, "7100205012345");
        assert_eq!(v.bank_account_name, "HOP TAC XA LUA VANG");
        r.bank_bin = "123".into();
        r.bank_account = "12ab".into();
        let e = r.validate().unwrap_err();
        assert_eq!(e.get("bank_bin"), Some(&FieldError::UnknownBank));
        assert_eq!(e.get("bank_account"), Some(&FieldError::InvalidBankAccount));
    }
}
