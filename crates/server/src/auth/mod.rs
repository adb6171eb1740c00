//! Accounts and sessions: sign-up, sign-in (rate-limited), sign-out, password reset,
//! and the request guard every API request passes through.
//!
//! - Sessions live in the database (`sessions`), so replicas stay stateless. The cookie
//!   holds a random token; the table holds its SHA-256. Sessions end at sign-out, at a
//!   password reset, or [`SESSION_TTL`] after sign-in.
//! - [`guard`] runs before every `/api` handler: it refuses unsafe requests from another
//!   origin, loads the session, and for a signed-in session requires the session's CSRF
//!   token in `X-CSRF-Token` on every unsafe request. Handlers then ask for a [`Viewer`],
//!   [`MaybeViewer`] or [`Staff`]; a handler that asks for none is public.
//! - Passwords are hashed with argon2id (RustCrypto defaults: 19 MiB, 2 passes).
//!
//! One file per part, re-exported here: `extractors` (who is asking), `guard`,
//! `sessions` (sign-in, sign-out, cookies), `accounts` (sign-up), `passwords`, `reset`.

mod accounts;
mod extractors;
mod guard;
mod passwords;
mod reset;
mod sessions;

pub use accounts::{Account, MAX_SIGN_UPS_PER_IP, create_user, find_user, sign_up};
pub use extractors::{MaybeViewer, Member, SlugMember, Staff, Viewer, admin_of, forbidden, membership};
pub use guard::guard;
pub use passwords::hash_password;
pub use reset::{
    RESETS_PER_ACCOUNT_PER_HOUR, RESETS_PER_ADDRESS_PER_HOUR, issue_reset_token, password_reset, password_reset_confirm,
};
pub use sessions::{
    ACCOUNT_DELAY_CAP, FAILURE_WINDOW, HOST_SESSION_COOKIE, IP_DELAY_CAP, MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_IP, SESSION_COOKIE, SESSION_TTL, backoff, load_user, session, sign_in, sign_out, start_session,
};

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(sessions::session))
        .routes(routes!(accounts::sign_up))
        .routes(routes!(sessions::sign_in))
        .routes(routes!(sessions::sign_out))
        .routes(routes!(reset::password_reset))
        .routes(routes!(reset::password_reset_confirm))
}
