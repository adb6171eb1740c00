//! The two browser bundles, and which page loads which.
//!
//! - **Storefront** (feature `hydrate`, `dist/pkg`): the pages people read — home,
//!   catalog, product, cooperative, campaign, lot and label pages, the 404 page. The
//!   server renders them whole and only their `#[island]` components hydrate (Leptos
//!   islands): the header's search, language, account and cart corner, the product's
//!   gallery and pack sizes, the catalog's filters, the label's print button. Links
//!   between them are ordinary page loads.
//! - **App** (feature `csr`, `dist/pkg-app`): the pages that live in the browser — cart,
//!   checkout, orders, signing in and up, the account, the seller and trade-promotion
//!   consoles. The server sends the page's frame with a placeholder; the bundle renders
//!   the whole app over it and routes on the client from there, as before.
//!
//! The buyer's first visit (a shared product link) loads the small storefront bundle; the
//! large one comes only with the cart or a console.

/// The bundle a page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    Storefront,
    App,
}

/// The app's sections (whole path segments): rendered in the browser by the app bundle.
pub const APP_SECTIONS: [&str; 15] = [
    crate::routes::CART,
    crate::routes::CHECKOUT,
    crate::routes::ORDER_PLACED,
    "/don-hang",
    crate::routes::ORDER_LOOKUP,
    crate::routes::SIGN_IN,
    crate::routes::SIGN_UP,
    crate::routes::FORGOT_PASSWORD,
    crate::routes::RESET_PASSWORD,
    crate::routes::ACCOUNT,
    "/loi-moi",
    crate::routes::REGISTER_COOPERATIVE,
    "/htx-cua-toi",
    "/ban-hang",
    crate::routes::STAFF,
];

impl Bundle {
    pub fn for_path(path: &str) -> Bundle {
        let app = APP_SECTIONS
            .iter()
            .any(|s| path.strip_prefix(s).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')));
        if app { Bundle::App } else { Bundle::Storefront }
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn app_pages_are_whole_sections() {
        for path in [
            "/ban-hang/htx-a",
            "/ban-hang/htx-a/san-pham/x",
            "/xuc-tien",
            "/xuc-tien/thong-ke",
            "/dang-ky-htx",
            "/htx-cua-toi/htx-a/thanh-vien",
            "/gio-hang",
            "/thanh-toan",
            "/don-hang/DH-1",
            "/tra-cuu-don-hang",
            "/dang-nhap",
            "/dang-ky",
            "/tai-khoan",
            "/loi-moi/abc",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::App, "{path}");
        }
        for path in [
            "/",
            "/san-pham",
            "/san-pham/gao",
            "/htx/htx-a",
            "/xuc-tienx",
            "/ban-hangx/a",
            "/01/1/10/a",
            "/phien-cho/tet",
        ] {
            assert_eq!(Bundle::for_path(path), Bundle::Storefront, "{path}");
        }
    }
}
