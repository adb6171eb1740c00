//! One module per page (the consoles' pages only with the `consoles` feature).

pub mod account;
pub mod auth;
pub mod campaign;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod cooperative;
#[cfg(feature = "consoles")]
pub mod cooperative_review;
pub mod home;
pub mod invitation;
pub mod labels;
pub mod lot;
#[cfg(feature = "consoles")]
pub mod members;
pub mod not_found;
pub mod order;
pub mod product;
#[cfg(feature = "consoles")]
pub mod register_cooperative;
#[cfg(feature = "consoles")]
pub mod seller;
#[cfg(feature = "consoles")]
pub mod staff;
