//! A cooperative's public profile (its own website): the editor's draft and its rules,
//! shared by the seller console and the server; places on the map and the links the
//! public page builds (directions, Zalo).

use crate::{
    I18nText,
    catalog::Image,
    phone::Phone,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

/// The short description (cards, search results, the page's description tag).
pub const SUMMARY_MAX: u32 = 300;
/// The story.
pub const STORY_MAX: u32 = 5000;
/// Opening hours, free text ("Thứ Hai – Thứ Bảy, 7:00–17:00").
pub const HOURS_MAX: u32 = 200;
pub const STREET_MAX: u32 = 200;
pub const SPECIALTY_MAX: u32 = 60;
pub const MAX_SPECIALTIES: u32 = 12;
/// Photos of fields and workshops.
pub const MAX_GALLERY: u32 = 12;
pub const URL_MAX: u32 = 300;
/// The earliest founding year accepted (Vietnam's first cooperatives are from the 1950s).
pub const FOUNDED_MIN: i64 = 1900;
pub const MEMBERS_MAX: i64 = 1_000_000;
/// The reason staff give for hiding a profile.
pub const HIDE_REASON_MAX: u32 = 500;

/// A place: latitude and longitude in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: f64,
}

// Only finite coordinates are ever made (checked by `check_point`), so equality is total.
impl Eq for GeoPoint {}

impl GeoPoint {
    /// A link asking a map service for directions to the place (a plain link, no map
    /// embedded in the page).
    pub fn directions_url(&self) -> String {
        format!("https://www.google.com/maps/dir/?api=1&destination={:.6},{:.6}", self.lat, self.lng)
    }
}

/// Reads a coordinate typed into a form: empty is none; `10,03` is read as `10.03`.
pub fn parse_coordinate(text: &str) -> Result<Option<f64>, FieldError> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or(FieldError::NotACoordinate)
}

/// Both coordinates or neither; each in its range.
pub fn check_point(e: &mut Errors, lat: Option<f64>, lng: Option<f64>) -> Option<GeoPoint> {
    match (lat, lng) {
        (None, None) => None,
        (Some(_), None) => {
            e.add("longitude", FieldError::Required);
            None
        }
        (None, Some(_)) => {
            e.add("latitude", FieldError::Required);
            None
        }
        (Some(lat), Some(lng)) => {
            let mut ok = true;
            if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
                e.add("latitude", FieldError::OutOfRange { min: -90, max: 90 });
                ok = false;
            }
            if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
                e.add("longitude", FieldError::OutOfRange { min: -180, max: 180 });
                ok = false;
            }
            ok.then_some(GeoPoint { lat, lng })
        }
    }
}

/// The Zalo chat link of a phone number (`https://zalo.me/0912345678`).
pub fn zalo_url(phone: &Phone) -> String {
    format!("https://zalo.me/0{}", &phone.e164()[3..])
}

/// A Facebook page's address: `https://` on facebook.com (www., m., web.) or fb.com, with
/// a path. Returns it as given (trimmed).
pub fn check_facebook(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.chars().count() > URL_MAX as usize {
        return Err(FieldError::TooLong { max: URL_MAX });
    }
    let rest = t.strip_prefix("https://").ok_or(FieldError::InvalidUrl)?;
    let (host, path) = rest.split_once('/').ok_or(FieldError::InvalidUrl)?;
    let host = host.to_ascii_lowercase();
    let known =
        matches!(host.as_str(), "facebook.com" | "www.facebook.com" | "m.facebook.com" | "web.facebook.com" | "fb.com");
    if !known || path.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<') {
        return Err(FieldError::InvalidUrl);
    }
    Ok(t.to_owned())
}

/// What the profile editor sends (`PUT /seller/{coop}/profile`). Text may be empty
/// except the Vietnamese story and the phone; the English texts fall back to Vietnamese.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileDraft {
    /// The short description.
    #[serde(default)]
    pub summary: I18nText,
    pub story: I18nText,
    /// What the cooperative is known for ("Gạo ST25", "Nuôi tôm luân canh").
    #[serde(default)]
    pub specialties: Vec<String>,
    #[serde(default)]
    pub founded_year: Option<i64>,
    #[serde(default)]
    pub member_count: i64,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// The phone number the cooperative uses on Zalo.
    #[serde(default)]
    pub zalo: String,
    /// Its Facebook page (`https://www.facebook.com/…`).
    #[serde(default)]
    pub facebook: String,
    #[serde(default)]
    pub hours: I18nText,
    pub street: String,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// The gallery's photos in order, by URL: only photos already uploaded to the gallery
    /// (leaving one out removes it).
    #[serde(default)]
    pub gallery: Vec<String>,
}

/// A checked [`ProfileDraft`], cleaned (trimmed, NFC).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidProfile {
    pub summary: I18nText,
    pub story: I18nText,
    pub specialties: Vec<String>,
    pub founded_year: Option<u16>,
    pub member_count: u32,
    pub phone: Phone,
    pub email: Option<String>,
    pub zalo: Option<Phone>,
    pub facebook: Option<String>,
    pub hours: I18nText,
    pub street: String,
    pub location: Option<GeoPoint>,
    pub gallery: Vec<String>,
}

impl ProfileDraft {
    /// Checks every field; `this_year` bounds the founding year. Errors are per field
    /// (`story.vi`, `phone`, `latitude`, `specialties.2`…).
    pub fn validate(&self, this_year: i64) -> Result<ValidProfile, Errors> {
        let mut e = Errors::new();
        let summary = I18nText {
            vi: e.optional_text("summary.vi", &self.summary.vi, SUMMARY_MAX),
            en: e.optional_text("summary.en", &self.summary.en, SUMMARY_MAX),
        };
        let story = I18nText {
            vi: e.text("story.vi", &self.story.vi, STORY_MAX),
            en: e.optional_text("story.en", &self.story.en, STORY_MAX),
        };
        let hours = I18nText {
            vi: e.optional_text("hours.vi", &self.hours.vi, HOURS_MAX),
            en: e.optional_text("hours.en", &self.hours.en, HOURS_MAX),
        };
        let street = e.text("street", &self.street, STREET_MAX);
        if self.specialties.len() > MAX_SPECIALTIES as usize {
            e.add("specialties", FieldError::TooMany { max: MAX_SPECIALTIES });
        }
        let mut specialties: Vec<String> = Vec::new();
        for (i, s) in self.specialties.iter().enumerate() {
            let field = format!("specialties.{i}");
            let s = e.optional_text(&field, s, SPECIALTY_MAX);
            if s.is_empty() {
                continue;
            }
            if specialties.iter().any(|x| crate::text::fold(x) == crate::text::fold(&s)) {
                e.add(field, FieldError::Duplicate);
            } else {
                specialties.push(s);
            }
        }
        let founded_year = self.founded_year.and_then(|y| {
            e.range("founded_year", y, FOUNDED_MIN, this_year);
            u16::try_from(y).ok()
        });
        e.range("member_count", self.member_count, 0, MEMBERS_MAX);
        let member_count = u32::try_from(self.member_count).unwrap_or(0);
        let phone = match Phone::parse(&self.phone) {
            Ok(p) => Some(p),
            Err(_) if self.phone.trim().is_empty() => {
                e.add("phone", FieldError::Required);
                None
            }
            Err(err) => {
                e.add("phone", err.into());
                None
            }
        };
        let zalo = match self.zalo.trim() {
            "" => None,
            z => Phone::parse(z).map_err(|err| e.add("zalo", err.into())).ok(),
        };
        let email = match self.email.trim() {
            "" => None,
            m => crate::account::parse_email(m).map_err(|err| e.add("email", err)).ok(),
        };
        let facebook = match self.facebook.trim() {
            "" => None,
            f => check_facebook(f).map_err(|err| e.add("facebook", err)).ok(),
        };
        let location = check_point(&mut e, self.latitude, self.longitude);
        if self.gallery.len() > MAX_GALLERY as usize {
            e.add("gallery", FieldError::TooMany { max: MAX_GALLERY });
        }
        let mut gallery: Vec<String> = Vec::new();
        for url in &self.gallery {
            if !gallery.contains(url) {
                gallery.push(url.clone());
            }
        }
        match phone {
            Some(phone) if e.is_empty() => Ok(ValidProfile {
                summary,
                story,
                specialties,
                founded_year,
                member_count,
                phone,
                email,
                zalo,
                facebook,
                hours,
                street,
                location,
                gallery,
            }),
            _ => Err(e),
        }
    }
}

/// The profile as the editor reads it (`GET /seller/{coop}/profile`): the draft's fields,
/// and the pictures, which are uploaded one by one and live at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerProfile {
    pub name: String,
    pub slug: String,
    pub profile: ProfileDraft,
    pub logo: Option<Image>,
    pub banner: Option<Image>,
    pub gallery: Vec<Image>,
    /// Why staff hid the public page, while it is hidden.
    pub hidden_reason: Option<String>,
}

/// Which picture of the profile an upload is (`POST /seller/{coop}/profile/images?kind=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ProfileImageKind {
    Logo,
    Banner,
    Gallery,
}

impl ProfileImageKind {
    pub const fn code(self) -> &'static str {
        match self {
            ProfileImageKind::Logo => "logo",
            ProfileImageKind::Banner => "banner",
            ProfileImageKind::Gallery => "gallery",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Logo, Self::Banner, Self::Gallery].into_iter().find(|k| k.code() == code)
    }
}

/// Staff hiding (or showing again) a cooperative's public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileVisibility {
    pub hidden: bool,
    /// Required when hiding; the cooperative sees it.
    #[serde(default)]
    pub reason: String,
}

impl ProfileVisibility {
    /// The reason to store: `Some` when hiding (required, at most [`HIDE_REASON_MAX`]).
    pub fn validate(&self) -> Result<Option<String>, Errors> {
        let mut e = Errors::new();
        if !self.hidden {
            return Ok(None);
        }
        let reason = e.text("reason", &self.reason, HIDE_REASON_MAX);
        e.into_result(Some(reason))
    }
}

/// A cooperative's own address (`htx-my-xuyen.vn`), set by staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoopDomain {
    pub domain: String,
    pub cooperative: String,
}

/// A host name as the Host header carries it, lower-case, without port or final dot.
pub fn host_name(host: &str) -> String {
    let h = host.trim().trim_end_matches('.');
    let h = if let Some(rest) = h.strip_prefix('[') {
        // [::1]:8080
        rest.split(']').next().unwrap_or("")
    } else {
        h.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit())).map_or(h, |(name, _)| name)
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

pub const DOMAIN_MAX: u32 = 253;

/// A domain staff may give a cooperative: letters, digits and hyphens in dotted labels
/// (at least two), no port, no scheme; IDNs in their `xn--` form. Lower-cased.
pub fn check_domain(text: &str) -> Result<String, FieldError> {
    let d = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return Err(FieldError::Required);
    }
    if d.len() > DOMAIN_MAX as usize {
        return Err(FieldError::TooLong { max: DOMAIN_MAX });
    }
    let labels: Vec<&str> = d.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels.last().is_some_and(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(FieldError::InvalidUrl);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProfileDraft {
        ProfileDraft {
            story: I18nText { vi: "Câu chuyện".into(), en: String::new() },
            phone: "0299 385 1246".into(),
            street: "Ấp Hòa Lời".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_profile_passes_and_is_cleaned() {
        let mut d = draft();
        d.zalo = "0912 345 678".into();
        d.email = "HTX@Example.vn".into();
        d.specialties = vec!["Gạo ST25".into(), " ".into(), "Tôm".into()];
        d.latitude = Some(9.5);
        d.longitude = Some(105.9);
        let v = d.validate(2026).unwrap();
        assert_eq!(v.phone.e164(), "+842993851246");
        assert_eq!(v.email.as_deref(), Some("htx@example.vn"));
        assert_eq!(v.specialties, ["Gạo ST25", "Tôm"]);
        assert_eq!(zalo_url(v.zalo.as_ref().unwrap()), "https://zalo.me/0912345678");
        assert_eq!(
            v.location.unwrap().directions_url(),
            "https://www.google.com/maps/dir/?api=1&destination=9.500000,105.900000"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut d = draft();
        d.phone = "12345".into();
        d.zalo = "abc".into();
        d.email = "not-an-email".into();
        d.facebook = "https://evil.example/x".into();
        d.latitude = Some(91.0);
        d.longitude = Some(10.0);
        d.founded_year = Some(3000);
        d.story.vi = "x".repeat(STORY_MAX as usize + 1);
        d.specialties = vec!["Gạo".into(), "gao".into()];
        let e = d.validate(2026).unwrap_err();
        assert_eq!(e.get("phone"), Some(&FieldError::InvalidPhone));
        assert_eq!(e.get("zalo"), Some(&FieldError::InvalidPhone));
        assert_eq!(e.get("email"), Some(&FieldError::InvalidEmail));
        assert_eq!(e.get("facebook"), Some(&FieldError::InvalidUrl));
        assert_eq!(e.get("latitude"), Some(&FieldError::OutOfRange { min: -90, max: 90 }));
        assert_eq!(e.get("longitude"), None);
        assert_eq!(e.get("founded_year"), Some(&FieldError::OutOfRange { min: 1900, max: 2026 }));
        assert_eq!(e.get("story.vi"), Some(&FieldError::TooLong { max: STORY_MAX }));
        assert_eq!(e.get("specialties.1"), Some(&FieldError::Duplicate));
        let mut half = draft();
        half.latitude = Some(10.0);
        assert_eq!(half.validate(2026).unwrap_err().get("longitude"), Some(&FieldError::Required));
    }

    #[test]
    fn coordinates_and_facebook_and_domains() {
        assert_eq!(parse_coordinate(" 10,25 "), Ok(Some(10.25)));
        assert_eq!(parse_coordinate(""), Ok(None));
        assert_eq!(parse_coordinate("abc"), Err(FieldError::NotACoordinate));
        assert_eq!(parse_coordinate("NaN"), Err(FieldError::NotACoordinate));
        assert!(check_facebook("https://www.facebook.com/htxmyxuyen").is_ok());
        assert!(check_facebook("http://facebook.com/x").is_err());
        assert!(check_facebook("https://facebook.com/").is_err());
        assert_eq!(check_domain("HTX-MyXuyen.vn."), Ok("htx-myxuyen.vn".into()));
        assert!(check_domain("localhost").is_err());
        assert!(check_domain("a_b.vn").is_err());
        assert!(check_domain("https://x.vn").is_err());
        assert!(check_domain("1.2.3.4").is_err());
        assert_eq!(host_name("Example.VN:8080"), "example.vn");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
    }
}

/// A cooperative's website as staff manage it (`GET /staff/sites`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSite {
    pub slug: String,
    pub name: String,
    /// Why staff hid its public page, while it is hidden.
    pub hidden_reason: Option<String>,
    /// Its own domains, sorted.
    pub domains: Vec<String>,
}

/// The whole list of a cooperative's domains (`PUT /staff/cooperatives/{slug}/domains`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainList {
    pub domains: Vec<String>,
}

/// At most this many domains per cooperative.
pub const MAX_DOMAINS: u32 = 5;

impl DomainList {
    /// The cleaned domains (errors per entry: `domains.1`).
    pub fn validate(&self) -> Result<Vec<String>, Errors> {
        let mut e = Errors::new();
        if self.domains.len() > MAX_DOMAINS as usize {
            e.add("domains", FieldError::TooMany { max: MAX_DOMAINS });
        }
        let mut out: Vec<String> = Vec::new();
        for (i, d) in self.domains.iter().enumerate() {
            if d.trim().is_empty() {
                continue;
            }
            match check_domain(d) {
                Ok(d) if out.contains(&d) => e.add(format!("domains.{i}"), FieldError::Duplicate),
                Ok(d) => out.push(d),
                Err(err) => e.add(format!("domains.{i}"), err),
            }
        }
        out.sort();
        e.into_result(out)
    }
}
