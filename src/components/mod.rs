//! Reusable pieces of the interface.

pub mod async_view;
pub mod icons;
pub mod layout;
pub mod product_card;
pub mod trust;
