//! Traceability lots (truy xuất nguồn gốc): a lot of one trade item (GTIN), where and how
//! it was grown or made, its inspections, and the timeline of events from planting to
//! shipping; what a consumer sees when scanning the lot's GS1 Digital Link.
//!
//! The public lot page carries the ten items of Circular 02/2024/TT-BKHCN
//! ([`TraceLot`] documents where each one is). Lots and their events are append-only
//! records: a seller adds events, and corrects one by adding another with a note.

use crate::{
    I18nText, Lang,
    catalog::{Certification, CoopKind, CooperativeRef, Date, Image, ProductStatus, code_enum},
    gs1::{self, DigitalLink},
    gtin::Gtin,
    phone::Phone,
    validate::{Errors, FieldError},
};
use serde::{Deserialize, Serialize};

pub const MAX_QUANTITY: i64 = 100_000_000;
pub const UNIT_MAX: u32 = 20;
pub const PLOT_CODE_MAX: u32 = 40;
pub const AREA_MAX: u32 = 200;
pub const PRACTICES_MAX: u32 = 2000;
pub const MAX_INPUTS: u32 = 20;
pub const INPUT_MAX: u32 = 200;
pub const MAX_INSPECTIONS: u32 = 10;
pub const LAB_MAX: u32 = 200;
pub const RESULT_MAX: u32 = 500;
pub const URL_MAX: u32 = 500;
pub const PLACE_MAX: u32 = 200;
pub const ACTOR_MAX: u32 = 120;
pub const NOTE_MAX: u32 = 1000;
pub const MAX_PHOTOS: u32 = 6;
/// A best-before date at most this many days after production (10 years: dried goods,
/// fish sauce and handicrafts keep long).
pub const MAX_SHELF_LIFE_DAYS: i64 = 3653;

code_enum!(
    /// The steps of a lot's life, in their usual order.
    EventKind {
        Planting = "planting",
        Care = "care",
        Harvest = "harvest",
        Processing = "processing",
        Packing = "packing",
        Inspection = "inspection",
        Shipping = "shipping",
    }
);

impl EventKind {
    pub fn name(self, lang: Lang) -> &'static str {
        use EventKind::*;
        match (self, lang) {
            (Planting, Lang::Vi) => "Gieo trồng",
            (Planting, Lang::En) => "Planting",
            (Care, Lang::Vi) => "Chăm sóc",
            (Care, Lang::En) => "Care",
            (Harvest, Lang::Vi) => "Thu hoạch",
            (Harvest, Lang::En) => "Harvest",
            (Processing, Lang::Vi) => "Sơ chế, chế biến",
            (Processing, Lang::En) => "Processing",
            (Packing, Lang::Vi) => "Đóng gói",
            (Packing, Lang::En) => "Packing",
            (Inspection, Lang::Vi) => "Kiểm nghiệm",
            (Inspection, Lang::En) => "Inspection",
            (Shipping, Lang::Vi) => "Vận chuyển",
            (Shipping, Lang::En) => "Shipping",
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn day_number(d: &Date) -> i64 {
    let s = d.as_str();
    let p = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap_or(0);
    days_from_civil(p(0..4), p(5..7), p(8..10))
}

/// `date` moved by `days` (negative: earlier). `None` before the year 1900 or after 9999.
pub fn add_days(date: &Date, days: i64) -> Option<Date> {
    let (y, m, d) = civil_from_days(day_number(date) + days);
    Date::parse(&format!("{y:04}-{m:02}-{d:02}"))
}

/// The number of days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: &Date, to: &Date) -> i64 {
    day_number(to) - day_number(from)
}

/// A moment in Vietnam's time (UTC+7) to the minute, kept as RFC 3339 with its offset:
/// `2025-11-20T07:30:00+07:00` (EPCIS's `eventTime` with `eventTimeZoneOffset` "+07:00").
/// Fixed width and one offset, so the text sorts in time order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct EventTime(String);

impl EventTime {
    /// Reads `YYYY-MM-DDTHH:MM` (what a `datetime-local` input gives), optionally with
    /// `:SS` and the `+07:00` offset. Other offsets are refused: events are entered in
    /// Vietnam's time.
    pub fn parse(input: &str) -> Option<EventTime> {
        let s = input.trim();
        let s = s.strip_suffix("+07:00").unwrap_or(s);
        let (date, time) = s.split_once(['T', ' '])?;
        let date = Date::parse(date)?;
        let t = time.as_bytes();
        let (h, m) = match t.len() {
            5 | 8 if t[2] == b':' => (time[0..2].parse::<u8>().ok()?, time[3..5].parse::<u8>().ok()?),
            _ => return None,
        };
        if t.len() == 8 && (t[5] != b':' || time[6..8].parse::<u8>().ok()? > 59) {
            return None;
        }
        if !time[0..2].bytes().all(|b| b.is_ascii_digit()) || !time[3..5].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (h < 24 && m < 60).then(|| EventTime(format!("{}T{h:02}:{m:02}:00+07:00", date.as_str())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn date(&self) -> Date {
        Date::parse(&self.0[0..10]).expect("an EventTime starts with a valid date")
    }

    /// `HH:MM`.
    pub fn time(&self) -> &str {
        &self.0[11..16]
    }

    /// The value of a `datetime-local` input: `YYYY-MM-DDTHH:MM`.
    pub fn input_value(&self) -> &str {
        &self.0[0..16]
    }

    /// `07:30, 20/11/2025` in Vietnamese, `2025-11-20 07:30` in English.
    pub fn format(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!("{}, {}", self.time(), self.date().format(lang)),
            Lang::En => format!("{} {}", &self.0[0..10], self.time()),
        }
    }
}

impl TryFrom<String> for EventTime {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EventTime::parse(&s).ok_or("expected a time as YYYY-MM-DDTHH:MM[:SS][+07:00]")
    }
}

impl From<EventTime> for String {
    fn from(t: EventTime) -> String {
        t.0
    }
}

/// A laboratory's result for the lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    /// The laboratory, e.g. "Quatest 3".
    pub lab: String,
    pub tested_on: Date,
    /// What was tested and found, e.g. "Không phát hiện dư lượng 40 hoạt chất BVTV".
    pub result: String,
    /// Whether the lot met the standard it was tested against.
    pub passed: bool,
    /// The report (PDF or photo), a link.
    pub document_url: Option<String>,
}

/// One step in a lot's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotEvent {
    pub id: i64,
    pub kind: EventKind,
    pub at: EventTime,
    /// Where it happened, in words ("Ruộng ấp Hòa Lời, xã Hòa Tú").
    pub place: String,
    /// The place's code: a growing-area code for field work, a facility code for
    /// packing, empty when there is none.
    pub location_code: String,
    /// Who did it: a person, a team, a carrier.
    pub actor: String,
    pub note: String,
    pub photos: Vec<String>,
    /// The earlier event of the lot that this one corrects (both stay in the history).
    #[serde(default)]
    pub corrects: Option<i64>,
    /// The later event that corrects this one: the public page shows that one instead.
    #[serde(default)]
    pub corrected_by: Option<i64>,
}

/// A lot: one batch of one trade item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lot {
    pub id: i64,
    pub gtin: Gtin,
    pub lot_code: String,
    /// The pack size the GTIN stood for when the lot was made ("Túi 5 kg").
    pub pack_label: String,
    pub quantity: u32,
    /// The unit of `quantity` ("túi", "kg", "hộp").
    pub unit: String,
    /// Growing or farming area code (mã vùng trồng / mã vùng nuôi), e.g. "VN-92-ST25-017".
    pub plot_code: String,
    /// The area in words ("Cánh đồng lớn ấp Hòa Lời").
    pub area: String,
    pub province_code: u8,
    pub commune_code: u32,
    pub commune_name: String,
    /// Harvest date for fresh produce, production date for processed goods.
    pub produced_on: Date,
    pub best_before: Date,
    /// Farming or production practices (standard followed, methods).
    pub practices: String,
    /// Inputs used: seed, fertiliser, feed, crop protection… one per entry.
    pub inputs: Vec<String>,
    pub inspections: Vec<Inspection>,
    /// Oldest first.
    pub events: Vec<LotEvent>,
    /// The lot's GS1 Digital Link URI.
    pub url: String,
    /// The lot's printable label page (absolute URL).
    pub label_url: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl Lot {
    pub fn link(&self) -> DigitalLink {
        DigitalLink::lot(self.gtin.clone(), self.lot_code.clone())
    }

    /// Days from production to best-before.
    pub fn shelf_life_days(&self) -> i64 {
        days_between(&self.produced_on, &self.best_before)
    }
}

/// A lot as the product page lists it: `GET /api/v1/products/{slug}` → `lots`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotLink {
    pub gtin: Gtin,
    pub lot_code: String,
    /// Its GS1 Digital Link: `{origin}/01/{GTIN-14}/10/{lot}`.
    pub url: String,
    /// Its printable label page.
    pub label_url: String,
    pub pack_label: String,
    pub produced_on: Date,
    pub best_before: Date,
}

impl LotLink {
    pub fn link(&self) -> DigitalLink {
        DigitalLink::lot(self.gtin.clone(), self.lot_code.clone())
    }
}

/// The product of a public lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraceProduct {
    pub slug: String,
    pub name: I18nText,
    pub brand: String,
    pub image: Option<Image>,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    /// Whether its product page is open to buyers (only then is it linked).
    pub on_sale: bool,
}

/// The producer of a public lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraceProducer {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    /// Street, thôn or ấp.
    pub street: String,
    pub commune_name: String,
    pub province_code: u8,
    pub phone: Phone,
}

/// `GET /api/v1/lots/{gtin}/{lot}`: what the public lot page shows. The ten items of
/// Circular 02/2024/TT-BKHCN:
/// 1. product name — `product.name`;
/// 2. image — `product.image`;
/// 3. producer name — `producer.name`;
/// 4. producer address — `producer.street`, `commune_name`, `province_code`;
/// 5. production stages with product and location codes and times — `lot.events`
///    (kind, `location_code`, `at`) with the product code `gtin`, and `lot.plot_code`;
/// 6. event times — each event's `at`;
/// 7. trace code — `trace_code` (the GS1 element string) and `url`;
/// 8. brand or serial — `product.brand` and `lot_code`;
/// 9. shelf life — `lot.produced_on` and `lot.best_before`;
/// 10. standards applied — `standards` (certifications) and `lot.practices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraceLot {
    pub gtin: Gtin,
    pub lot_code: String,
    /// Human-readable GS1 element string: `(01)09521234000013(10)ST25-2025-HX01`.
    pub trace_code: String,
    pub url: String,
    pub label_url: String,
    /// The QR code of `url`, as SVG.
    pub qr_url: String,
    pub product: TraceProduct,
    pub producer: TraceProducer,
    pub lot: Lot,
    /// Certifications of the product, with their expiry.
    pub standards: Vec<Certification>,
}

/// An inspection as typed in the lot editor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionInput {
    pub lab: String,
    /// `YYYY-MM-DD`.
    pub tested_on: String,
    pub result: String,
    #[serde(default = "yes")]
    pub passed: bool,
    #[serde(default)]
    pub document_url: String,
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/seller/{coop}/products/{slug}/lots`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotRequest {
    /// The GTIN of one of the product's pack sizes.
    pub gtin: String,
    pub lot_code: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000000))]
    pub quantity: i64,
    pub unit: String,
    #[serde(default)]
    pub plot_code: String,
    #[serde(default)]
    pub area: String,
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub province_code: u8,
    pub commune_code: u32,
    /// `YYYY-MM-DD`: harvest or production date.
    pub produced_on: String,
    /// `YYYY-MM-DD`.
    pub best_before: String,
    #[serde(default)]
    pub practices: String,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub inspections: Vec<InspectionInput>,
}

/// A lot request that passed the rules needing no database (the GTIN's product and the
/// commune are the server's to check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLot {
    pub gtin: Gtin,
    pub lot_code: String,
    pub quantity: u32,
    pub unit: String,
    pub plot_code: String,
    pub area: String,
    pub province_code: u8,
    pub commune_code: u32,
    pub produced_on: Date,
    pub best_before: Date,
    pub practices: String,
    pub inputs: Vec<String>,
    pub inspections: Vec<Inspection>,
}

/// A link to a document or photo: `https://…`, `http://…`, or a path on this site.
pub fn check_url(input: &str) -> Result<Option<String>, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > URL_MAX as usize {
        return Err(FieldError::TooLong { max: URL_MAX });
    }
    let rest = t.strip_prefix("https://").or_else(|| t.strip_prefix("http://"));
    let ok =
        match rest {
            Some(host_and_path) => host_and_path.split(['/', '?', '#']).next().is_some_and(|h| !h.is_empty()),
            None => t.starts_with('/') && !t.starts_with("//"),
        } && !t.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '"' || c == '<' || c == '>');
    if ok { Ok(Some(t.to_owned())) } else { Err(FieldError::InvalidUrl) }
}

fn date_field(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
    let t = value.trim();
    if t.is_empty() {
        errors.add(field, FieldError::Required);
        return None;
    }
    let d = Date::parse(t);
    if d.is_none() {
        errors.add(field, FieldError::InvalidDate);
    }
    d
}

impl LotRequest {
    /// Checks every field against `today` (Vietnam's date): the errors name the fields
    /// (`lot_code`, `inspections.0.lab`…).
    pub fn validate(&self, today: &Date) -> Result<ValidLot, Errors> {
        let mut e = Errors::new();
        let gtin = match Gtin::parse(&self.gtin) {
            Ok(g) => Some(g),
            Err(_) if self.gtin.trim().is_empty() => {
                e.add("gtin", FieldError::Required);
                None
            }
            Err(err) => {
                e.add("gtin", err.into());
                None
            }
        };
        let lot_code = gs1::check_lot(&self.lot_code).unwrap_or_else(|err| {
            e.add("lot_code", err);
            String::new()
        });
        e.range("quantity", self.quantity, 1, MAX_QUANTITY);
        let unit = e.text("unit", &self.unit, UNIT_MAX);
        let plot_code = e.optional_text("plot_code", &self.plot_code, PLOT_CODE_MAX);
        if typed_twice(&plot_code) {
            e.add("plot_code", FieldError::TypedTwice);
        }
        if plot_code.chars().any(|c| c.is_control()) {
            e.add("plot_code", FieldError::UnknownChoice);
        }
        let area = e.optional_text("area", &self.area, AREA_MAX);
        if crate::geo::province(self.province_code).is_none() {
            e.add(
                "province_code",
                if self.province_code == 0 { FieldError::Required } else { FieldError::UnknownChoice },
            );
        }
        if self.commune_code == 0 {
            e.add("commune_code", FieldError::Required);
        }
        let produced_on = date_field(&mut e, "produced_on", &self.produced_on);
        if let Some(p) = &produced_on
            && p > today
        {
            e.add("produced_on", FieldError::InFuture);
        }
        let best_before = date_field(&mut e, "best_before", &self.best_before);
        if let (Some(p), Some(b)) = (&produced_on, &best_before) {
            let days = days_between(p, b);
            if days < 0 {
                e.add("best_before", FieldError::BeforeProduction);
            } else if days > MAX_SHELF_LIFE_DAYS {
                e.add("best_before", FieldError::OutOfRange { min: 0, max: MAX_SHELF_LIFE_DAYS });
            }
        }
        let practices = e.optional_text("practices", &self.practices, PRACTICES_MAX);
        let inputs: Vec<String> =
            self.inputs.iter().map(|i| crate::text::clean_text(i)).filter(|i| !i.is_empty()).collect();
        if inputs.len() > MAX_INPUTS as usize {
            e.add("inputs", FieldError::TooMany { max: MAX_INPUTS });
        }
        for (i, input) in inputs.iter().enumerate() {
            e.optional_text(&format!("inputs.{i}"), input, INPUT_MAX);
        }
        if self.inspections.len() > MAX_INSPECTIONS as usize {
            e.add("inspections", FieldError::TooMany { max: MAX_INSPECTIONS });
        }
        let mut inspections = Vec::new();
        for (i, ins) in self.inspections.iter().enumerate() {
            let lab = e.text(&format!("inspections.{i}.lab"), &ins.lab, LAB_MAX);
            let tested_on = date_field(&mut e, &format!("inspections.{i}.tested_on"), &ins.tested_on);
            if let Some(d) = &tested_on
                && d > today
            {
                e.add(format!("inspections.{i}.tested_on"), FieldError::InFuture);
            }
            let result = e.text(&format!("inspections.{i}.result"), &ins.result, RESULT_MAX);
            let document_url = check_url(&ins.document_url).unwrap_or_else(|err| {
                e.add(format!("inspections.{i}.document_url"), err);
                None
            });
            if let Some(tested_on) = tested_on {
                inspections.push(Inspection { lab, tested_on, result, passed: ins.passed, document_url });
            }
        }
        match (gtin, produced_on, best_before) {
            (Some(gtin), Some(produced_on), Some(best_before)) if e.is_empty() => Ok(ValidLot {
                gtin,
                lot_code,
                quantity: self.quantity as u32,
                unit,
                plot_code,
                area,
                province_code: self.province_code,
                commune_code: self.commune_code,
                produced_on,
                best_before,
                practices,
                inputs,
                inspections,
            }),
            _ => Err(e),
        }
    }
}

/// Whether a code is the same text twice in a row ("VN-92-LAI-003VN-92-LAI-003"), the
/// mark of typing into a field that was already filled in. Short codes ("AA", "1212")
/// can be real, so only codes of 3 or more characters doubled count.
pub fn typed_twice(code: &str) -> bool {
    let code = code.trim();
    let n = code.len();
    n >= 6 && n.is_multiple_of(2) && code.is_char_boundary(n / 2) && code[..n / 2] == code[n / 2..]
}

/// The answer to `POST /api/v1/seller/{coop}/lots/{id}/photos`: the uploaded photo's
/// largest WebP copy, whose URL goes into an event's `photos`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPhoto {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// `POST /api/v1/seller/{coop}/lots/{id}/events`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventRequest {
    pub kind: Option<EventKind>,
    /// `YYYY-MM-DDTHH:MM` in Vietnam's time (`+07:00` may follow).
    pub at: String,
    pub place: String,
    #[serde(default)]
    pub location_code: String,
    pub actor: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub photos: Vec<String>,
    /// To correct an earlier event of the same lot (a typo made permanent by the
    /// append-only log): its id. The earlier one stays in the history, marked corrected.
    #[serde(default)]
    pub corrects: Option<i64>,
}

/// An event that passed the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEvent {
    pub kind: EventKind,
    pub at: EventTime,
    pub place: String,
    pub location_code: String,
    pub actor: String,
    pub note: String,
    pub photos: Vec<String>,
    pub corrects: Option<i64>,
}

impl EventRequest {
    /// Checks every field; `now` is the current time in Vietnam: an event cannot be in
    /// the future (a traceability record tells what happened).
    pub fn validate(&self, now: &EventTime) -> Result<ValidEvent, Errors> {
        let mut e = Errors::new();
        if self.kind.is_none() {
            e.add("kind", FieldError::Required);
        }
        let at = if self.at.trim().is_empty() {
            e.add("at", FieldError::Required);
            None
        } else {
            match EventTime::parse(&self.at) {
                Some(t) if t > *now => {
                    e.add("at", FieldError::InFuture);
                    None
                }
                Some(t) if t.as_str() < "2000-01-01" => {
                    e.add("at", FieldError::InvalidDate);
                    None
                }
                Some(t) => Some(t),
                None => {
                    e.add("at", FieldError::InvalidDate);
                    None
                }
            }
        };
        let place = e.text("place", &self.place, PLACE_MAX);
        let location_code = e.optional_text("location_code", &self.location_code, PLOT_CODE_MAX);
        if typed_twice(&location_code) {
            e.add("location_code", FieldError::TypedTwice);
        }
        let actor = e.text("actor", &self.actor, ACTOR_MAX);
        let note = e.optional_text("note", &self.note, NOTE_MAX);
        let photos: Vec<String> =
            self.photos.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        if photos.len() > MAX_PHOTOS as usize {
            e.add("photos", FieldError::TooMany { max: MAX_PHOTOS });
        }
        for (i, p) in photos.iter().enumerate() {
            if let Err(err) = check_url(p) {
                e.add(format!("photos.{i}"), err);
            }
        }
        match (self.kind, at) {
            (Some(kind), Some(at)) if e.is_empty() => {
                Ok(ValidEvent { kind, at, place, location_code, actor, note, photos, corrects: self.corrects })
            }
            _ => Err(e),
        }
    }
}

/// A pack size of the product that a lot can be made of (it has a GTIN).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotPack {
    pub gtin: Gtin,
    pub label: String,
    pub unit: String,
}

/// Where the cooperative is: the default place of a new lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotPlace {
    pub province_code: u8,
    pub commune_code: u32,
    pub commune_name: String,
    pub street: String,
}

/// `GET /api/v1/seller/{coop}/products/{slug}/lots`: the lot editor's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductLots {
    pub slug: String,
    pub name: I18nText,
    pub brand: String,
    pub status: ProductStatus,
    pub cooperative: CooperativeRef,
    pub packs: Vec<LotPack>,
    pub place: LotPlace,
    /// Newest first.
    pub lots: Vec<Lot>,
}

/// `GET /api/v1/seller/{coop}/lots` item: a product of the cooperative and its lots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductLotList {
    pub slug: String,
    pub name: I18nText,
    pub status: ProductStatus,
    /// Whether any pack size has a GTIN (a lot needs one).
    pub has_gtin: bool,
    /// Newest first.
    pub lots: Vec<LotLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-01-15").unwrap()
    }

    fn request() -> LotRequest {
        LotRequest {
            gtin: "09521234000013".into(),
            lot_code: "ST25-2025-HX01".into(),
            quantity: 1200,
            unit: "túi".into(),
            plot_code: "VN-92-ST25-017".into(),
            area: "Cánh đồng lớn ấp Hòa Lời".into(),
            province_code: 92,
            commune_code: 31717,
            produced_on: "2025-12-20".into(),
            best_before: "2026-12-20".into(),
            practices: "VietGAP (TCVN 11892-1:2017); luân canh lúa – tôm".into(),
            inputs: vec!["Giống ST25 xác nhận".into(), " ".into(), "Phân hữu cơ vi sinh".into()],
            inspections: vec![InspectionInput {
                lab: "Quatest 3".into(),
                tested_on: "2026-01-05".into(),
                result: "Đạt".into(),
                passed: true,
                document_url: "https://example.com/kq.pdf".into(),
            }],
        }
    }

    #[test]
    fn a_complete_lot_passes_and_drops_empty_inputs() {
        let v = request().validate(&today()).unwrap();
        assert_eq!(v.gtin.as_str(), "09521234000013");
        assert_eq!(v.inputs.len(), 2);
        assert_eq!(v.inspections[0].document_url.as_deref(), Some("https://example.com/kq.pdf"));
    }

    #[test]
    fn lot_errors_name_their_fields() {
        let r = LotRequest {
            gtin: "09521234000014".into(),
            lot_code: "Lô 1".into(),
            quantity: 0,
            unit: "".into(),
            province_code: 99,
            commune_code: 0,
            produced_on: "2026-02-01".into(),
            best_before: "2025-01-01".into(),
            inspections: vec![InspectionInput {
                lab: "".into(),
                tested_on: "x".into(),
                result: "Đạt".into(),
                passed: true,
                document_url: "javascript:alert(1)".into(),
            }],
            ..request()
        };
        let e = r.validate(&today()).unwrap_err();
        assert_eq!(e.get("gtin"), Some(&FieldError::GtinCheckDigit { expected: 3 }));
        assert_eq!(e.get("lot_code"), Some(&FieldError::InvalidLotCode));
        assert_eq!(e.get("quantity"), Some(&FieldError::OutOfRange { min: 1, max: MAX_QUANTITY }));
        assert_eq!(e.get("unit"), Some(&FieldError::Required));
        assert_eq!(e.get("province_code"), Some(&FieldError::UnknownChoice));
        assert_eq!(e.get("commune_code"), Some(&FieldError::Required));
        assert_eq!(e.get("produced_on"), Some(&FieldError::InFuture));
        assert_eq!(e.get("best_before"), Some(&FieldError::BeforeProduction));
        assert_eq!(e.get("inspections.0.lab"), Some(&FieldError::Required));
        assert_eq!(e.get("inspections.0.tested_on"), Some(&FieldError::InvalidDate));
        assert_eq!(e.get("inspections.0.document_url"), Some(&FieldError::InvalidUrl));
    }

    #[test]
    fn urls_are_web_links_or_site_paths() {
        assert_eq!(check_url(""), Ok(None));
        assert_eq!(check_url("/uploads/kq.jpg"), Ok(Some("/uploads/kq.jpg".into())));
        assert_eq!(check_url("https://quatest3.com.vn/kq/123"), Ok(Some("https://quatest3.com.vn/kq/123".into())));
        for bad in [
            "javascript:alert(1)",
            "//evil.example/x",
            "https://",
            "ftp://x/y",
            "https://a b",
            "data:image/png;base64,AA",
        ] {
            assert_eq!(check_url(bad), Err(FieldError::InvalidUrl), "{bad}");
        }
    }

    #[test]
    fn event_times_are_vietnam_local_and_not_in_the_future() {
        let t = EventTime::parse("2025-11-20T07:30").unwrap();
        assert_eq!(t.as_str(), "2025-11-20T07:30:00+07:00");
        assert_eq!(EventTime::parse("2025-11-20T07:30:00+07:00"), Some(t.clone()));
        assert_eq!(t.format(Lang::Vi), "07:30, 20/11/2025");
        assert_eq!(t.format(Lang::En), "2025-11-20 07:30");
        assert_eq!(t.input_value(), "2025-11-20T07:30");
        assert!(EventTime::parse("2025-11-20T24:00").is_none());
        assert!(EventTime::parse("2025-11-20T07:30Z").is_none());
        assert!(EventTime::parse("2025-02-30T07:30").is_none());
        assert!(EventTime::parse("2025-11-20").is_none());
        assert!(serde_json::from_str::<EventTime>("\"2025-11-20T07:30:00+07:00\"").is_ok());

        let now = EventTime::parse("2026-01-15T10:00").unwrap();
        let ok = EventRequest {
            kind: Some(EventKind::Harvest),
            at: "2025-12-20T06:00".into(),
            place: "Ruộng ấp Hòa Lời".into(),
            location_code: "VN-92-ST25-017".into(),
            actor: "Tổ thu hoạch số 2".into(),
            note: "".into(),
            photos: vec!["/images/products/paddy.svg".into()],
            corrects: None,
        };
        assert_eq!(ok.validate(&now).unwrap().kind, EventKind::Harvest);
        let future = EventRequest { at: "2026-01-15T10:01".into(), ..ok.clone() };
        assert_eq!(future.validate(&now).unwrap_err().get("at"), Some(&FieldError::InFuture));
        let empty = EventRequest::default().validate(&now).unwrap_err();
        for f in ["kind", "at", "place", "actor"] {
            assert_eq!(empty.get(f), Some(&FieldError::Required), "{f}");
        }
        let doubled = EventRequest { location_code: "VN-92-LAI-003VN-92-LAI-003".into(), ..ok.clone() };
        assert_eq!(doubled.validate(&now).unwrap_err().get("location_code"), Some(&FieldError::TypedTwice));
    }

    #[test]
    fn a_code_typed_into_a_filled_in_field_is_caught() {
        assert!(typed_twice("VN-92-LAI-003VN-92-LAI-003"));
        assert!(typed_twice(" ABCABC "));
        assert!(!typed_twice("VN-92-LAI-003"));
        assert!(!typed_twice("1212"), "short codes can be real");
        assert!(!typed_twice("ÁÁ"));
        assert!(!typed_twice(""));
    }

    #[test]
    fn shelf_life_counts_days_across_leap_years() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(days_between(&d("2025-12-20"), &d("2026-12-20")), 365);
        assert_eq!(days_between(&d("2027-12-20"), &d("2028-12-20")), 366);
        assert_eq!(days_between(&d("2026-01-15"), &d("2026-01-14")), -1);
        assert_eq!(days_between(&d("1970-01-01"), &d("2000-03-01")), 11_017);
        assert_eq!(add_days(&d("2028-02-28"), 1), Some(d("2028-02-29")));
        assert_eq!(add_days(&d("2026-01-15"), -379), Some(d("2025-01-01")));
        assert_eq!(add_days(&d("2025-12-31"), 1), Some(d("2026-01-01")));
        for n in [-1000, -1, 0, 59, 365, 3653] {
            assert_eq!(days_between(&d("2026-01-15"), &add_days(&d("2026-01-15"), n).unwrap()), n);
        }
    }

    #[test]
    fn event_kinds_have_stable_codes() {
        assert_eq!(EventKind::ALL.len(), 7);
        assert_eq!(EventKind::from_code("harvest"), Some(EventKind::Harvest));
        assert_eq!(EventKind::Packing.name(Lang::Vi), "Đóng gói");
    }
}
