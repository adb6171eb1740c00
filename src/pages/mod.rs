//! One module per page.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod cooperative;
pub mod home;
pub mod not_found;
pub mod order;
pub mod product;
