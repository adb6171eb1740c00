//! The site's origin for absolute links.

use crate::AppState;

/// The site's origin for links (lots' Digital Links and labels, QR codes, reset links):
/// `CHOHTX_PUBLIC_ORIGIN`, else the address the server listens on. Never a request's
/// `Host`: a forged one would otherwise end up in publicly cached QR codes and in the
/// reset links sent to people.
pub fn origin(st: &AppState) -> String {
    st.config.link_origin()
}
