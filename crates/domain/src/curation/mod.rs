//! Trade promotion (xúc tiến thương mại): what the alliance's staff decide and compose —
//! moderation of cooperatives and products, featured products on a schedule, campaigns
//! (online fairs), the home page built from them, and the statistics they report on.
//!
//! The rules live here once, for the staff console and the server alike:
//! - which moderation action may move a cooperative or product from which status
//!   ([`cooperative_after`], [`product_after`]), and which need a reason;
//! - when a scheduled feature or campaign runs ([`ScheduleState::of`], dates inclusive,
//!   in Vietnam's calendar);
//! - what a valid featured list, campaign or statistics range is.

mod campaign;
mod featured;
mod home;
mod moderation;
mod schedule;
mod stats;

pub use campaign::*;
pub use featured::*;
pub use home::*;
pub use moderation::*;
pub use schedule::*;
pub use stats::*;
