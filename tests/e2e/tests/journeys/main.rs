//! Every end-to-end journey in one test binary (one link of the whole graph instead of six).
//! Each module is one journey of the former separate binaries; run one with a filter, e.g.
//! `cargo test -p chohtx-e2e --test journeys -- --test-threads=1 seller::`.

mod accounts;
mod buyer;
mod curator;
mod lots;
mod offline;
mod seller;
mod site;
mod storefront;
