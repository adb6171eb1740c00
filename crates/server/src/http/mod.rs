//! The HTTP edge: the API's error shape and extractors, the site's origin, security
//! headers, static files (the app and uploaded media), QR rendering, and the OpenAPI
//! router that merges each feature's `routes()`.

pub mod assets;
pub mod error;
pub mod openapi;
pub mod origin;
pub mod qr;
pub mod security;
