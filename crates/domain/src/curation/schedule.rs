//! Schedules: where a dated feature or campaign stands today, and the date fields of requests.

use crate::{
    catalog::{Date, code_enum},
    validate::{Errors, FieldError},
};

code_enum!(
    /// Where a dated feature or campaign stands today.
    ScheduleState {
        Scheduled = "scheduled",
        Running = "running",
        Ended = "ended",
    }
);

impl ScheduleState {
    /// Dates are inclusive, in Vietnam's calendar; a missing start has started, a
    /// missing end never ends.
    pub fn of(starts_on: Option<&Date>, ends_on: Option<&Date>, today: &Date) -> ScheduleState {
        if starts_on.is_some_and(|s| s > today) {
            ScheduleState::Scheduled
        } else if ends_on.is_some_and(|e| e < today) {
            ScheduleState::Ended
        } else {
            ScheduleState::Running
        }
    }
}

/// A date field of a request: `None` when empty, `invalid_date` when not a date.
pub(super) fn optional_date(errors: &mut Errors, field: &str, value: Option<&str>) -> Option<Date> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    let d = Date::parse(v);
    if d.is_none() {
        errors.add(field, FieldError::InvalidDate);
    }
    d
}

/// A required date field: `required` when empty, `invalid_date` when not a date.
pub(super) fn required_date(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.add(field, FieldError::Required);
        return None;
    }
    optional_date(errors, field, Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn schedules_are_inclusive_and_open_ended() {
        let today = d("2026-06-15");
        assert_eq!(ScheduleState::of(None, None, &today), ScheduleState::Running);
        assert_eq!(ScheduleState::of(Some(&d("2026-06-15")), Some(&d("2026-06-15")), &today), ScheduleState::Running);
        assert_eq!(ScheduleState::of(Some(&d("2026-06-16")), None, &today), ScheduleState::Scheduled);
        assert_eq!(ScheduleState::of(None, Some(&d("2026-06-14")), &today), ScheduleState::Ended);
    }
}
