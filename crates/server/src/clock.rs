//! The one source of "now", settable in tests (features and campaigns run on dates).

use std::sync::{Arc, Mutex};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

#[derive(Clone, Debug)]
pub struct Clock(Option<Arc<Mutex<OffsetDateTime>>>);

impl Clock {
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock frozen at `at` until [`Clock::set`] moves it.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Clock(Some(Arc::new(Mutex::new(at))))
    }

    pub fn set(&self, at: OffsetDateTime) {
        if let Some(m) = &self.0 {
            *m.lock().expect("clock lock") = at;
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            Some(m) => *m.lock().expect("clock lock"),
            None => OffsetDateTime::now_utc(),
        }
    }

    /// Now as RFC 3339 UTC text, the form timestamps are stored in.
    pub fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }

    /// Today's date in Vietnam (UTC+7), `YYYY-MM-DD`: certifications expire on local dates.
    pub fn today_vn(&self) -> domain::catalog::Date {
        let local = self.now().to_offset(time::macros::offset!(+7));
        let d = local.date();
        domain::catalog::Date::from_ymd(d.year(), u8::from(d.month()), d.day())
            .expect("a calendar date formats as a valid Date")
    }

    /// Now in Vietnam's time (UTC+7), to the minute, as an event time.
    pub fn now_vn(&self) -> domain::trace::EventTime {
        let local = self.now().to_offset(time::macros::offset!(+7));
        domain::trace::EventTime::parse(&format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            local.year(),
            u8::from(local.month()),
            local.day(),
            local.hour(),
            local.minute()
        ))
        .expect("a clock time formats as a valid EventTime")
    }
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .expect("RFC 3339 formatting of a valid time")
}
