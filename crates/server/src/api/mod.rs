//! The API's features, one module each. A feature may use `db`, `http`, `auth`, the
//! domain crate and the top-level utilities, never another feature (see `layers.rs`).

pub mod audit;
pub mod catalog;
pub mod curation;
pub mod divisions;
pub mod lots;
pub mod me;
pub mod members;
pub mod orders;
pub mod promotion;
pub mod seller;
pub mod sitemap;
pub mod sites;
pub mod staff;
pub mod stats;
