//! Reusable pieces of the interface.

pub mod account_menu;
pub mod address;
pub mod async_view;
pub mod chart;
pub mod copy_button;
pub mod field_error;
pub mod form;
pub mod icons;
pub mod layout;
pub mod product_card;
pub mod search_box;
pub mod stepper;
pub mod trust;
