//! The server's integration tests, one binary (it links once): each module is one area.

mod accounts;
mod api;
mod authz;
mod curation;
mod helpers;
mod invitations;
mod lots;
mod metrics;
mod notify;
mod openapi;
mod ops;
mod orders;
mod pages;
mod profile;
mod search;
mod seller;
