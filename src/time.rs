//! The time in Vietnam (UTC+7, no daylight saving), from the phone's clock.

use domain::{catalog::Date, trace::EventTime};

/// The phone's clock moved to UTC+7: its UTC fields read as Vietnamese local time.
fn vn_clock() -> js_sys::Date {
    js_sys::Date::new(&(js_sys::Date::now() + 7.0 * 3_600_000.0).into())
}

/// Today in Vietnam (for flagging expired certifications and lots, checking dates).
pub fn today_vn() -> Option<Date> {
    let vn = vn_clock();
    Date::parse(&format!("{:04}-{:02}-{:02}", vn.get_utc_full_year(), vn.get_utc_month() + 1, vn.get_utc_date()))
}

/// Now in Vietnam, as a `datetime-local` value.
pub fn now_vn() -> EventTime {
    let vn = vn_clock();
    EventTime::parse(&format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        vn.get_utc_full_year(),
        vn.get_utc_month() + 1,
        vn.get_utc_date(),
        vn.get_utc_hours(),
        vn.get_utc_minutes()
    ))
    .expect("the clock gives a valid time")
}
