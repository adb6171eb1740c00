//! The HTTP edge: the API's error shape and extractors, the client's address (`client`),
//! the site's origin, security headers, request metrics and the metrics listener's router
//! (`metrics`), the server-rendered pages, static files (the bundle and uploaded media), QR
//! rendering, the service worker (`service_worker`, `/sw.js`), the OpenAPI router that
//! merges each feature's `routes()`, and `serve` (the accept loop: timeouts, graceful
//! shutdown).

pub mod assets;
pub mod client;
pub mod error;
pub mod host;
pub mod metrics;
pub mod openapi;
pub mod origin;
pub mod pages;
pub mod photos;
pub mod qr;
pub mod security;
pub mod serve;
pub mod service_worker;
