//! One module per page.

pub mod account;
pub mod auth;
pub mod campaign;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod cooperative;
pub mod cooperative_review;
pub mod home;
pub mod invitation;
pub mod labels;
pub mod lot;
pub mod members;
pub mod not_found;
pub mod order;
pub mod product;
pub mod register_cooperative;
pub mod seller;
pub mod staff;
