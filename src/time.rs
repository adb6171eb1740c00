//! The time in Vietnam (UTC+7, no daylight saving): from the phone's clock in the
//! browser, from the system clock when the server renders a page.

use domain::{catalog::Date, trace::EventTime};

/// Vietnam is UTC+7 all year.
const VN_OFFSET_SECS: i64 = 7 * 3600;

/// Seconds since 1970-01-01 UTC.
fn unix_now() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    }
}

/// A civil date and time of day, from seconds since the epoch (Howard Hinnant's
/// `civil_from_days`).
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
}

fn civil(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil { year, month, day, hour: (rem / 3600) as u32, minute: (rem % 3600 / 60) as u32 }
}

/// Days since the epoch of a civil date (`days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn vn_now() -> Civil {
    civil(unix_now() + VN_OFFSET_SECS)
}

/// Today in Vietnam (for flagging expired certifications and lots, checking dates).
pub fn today_vn() -> Option<Date> {
    let vn = vn_now();
    Date::from_ymd(i32::try_from(vn.year).ok()?, vn.month as u8, vn.day as u8)
}

/// Now in Vietnam, as a `datetime-local` value.
pub fn now_vn() -> EventTime {
    let vn = vn_now();
    EventTime::parse(&format!("{:04}-{:02}-{:02}T{:02}:{:02}", vn.year, vn.month, vn.day, vn.hour, vn.minute))
        .expect("the clock gives a valid time")
}

/// Seconds since the epoch of an RFC 3339 time (`2026-11-21T23:50:00Z`,
/// `2026-11-22T06:50:00.5+07:00`).
fn parse_rfc3339(s: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' '))
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let h = rest.get(1..3)?.parse::<i64>().ok()?;
            let m = rest.get(4..6)?.parse::<i64>().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month as u32, day as u32);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// "2026-11-21T23:50:00Z" → "22/11/2026 06:50" (Vietnam time, UTC+7); anything else as is.
pub fn local_time(rfc3339: &str) -> String {
    match parse_rfc3339(rfc3339) {
        Some(secs) => {
            let vn = civil(secs + VN_OFFSET_SECS);
            format!("{:02}/{:02}/{} {:02}:{:02}", vn.day, vn.month, vn.year, vn.hour, vn.minute)
        }
        None => rfc3339.to_owned(),
    }
}

/// A time in milliseconds since the epoch (the browser's `Date.now()`) as RFC 3339 UTC.
pub fn rfc3339_from_millis(millis: f64) -> String {
    let c = civil((millis / 1000.0) as i64);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:00Z", c.year, c.month, c.day, c.hour, c.minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_time_of_an_rfc3339_instant() {
        assert_eq!(local_time("2026-11-21T23:50:00Z"), "22/11/2026 06:50");
        assert_eq!(local_time("2026-11-22T06:50:00.123+07:00"), "22/11/2026 06:50");
        assert_eq!(local_time("2024-02-29T17:00:00Z"), "01/03/2024 00:00");
        assert_eq!(local_time("not a time"), "not a time");
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-1, 0, 59, 365, 11_016, 20_000, 47_481] {
            let c = civil(days * 86_400);
            assert_eq!(days_from_civil(c.year, c.month, c.day), days);
        }
        assert_eq!(rfc3339_from_millis(1_764_000_000_000.0), "2025-11-24T16:00:00Z");
    }
}
