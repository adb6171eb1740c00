//! The app's URLs, in one place, so links and the router agree.

use domain::{catalog::Category, query::ProductQuery};

pub const HOME: &str = "/";
pub const CATALOG: &str = "/san-pham";
pub const CART: &str = "/gio-hang";
pub const CHECKOUT: &str = "/thanh-toan";
pub const ORDER_PLACED: &str = "/dat-hang-thanh-cong";
/// Finding an order by its number and phone, without the tracking link.
pub const ORDER_LOOKUP: &str = "/tra-cuu-don-hang";
pub const SIGN_IN: &str = "/dang-nhap";
pub const SIGN_UP: &str = "/dang-ky";
pub const FORGOT_PASSWORD: &str = "/quen-mat-khau";
pub const RESET_PASSWORD: &str = "/dat-lai-mat-khau";
pub const ACCOUNT: &str = "/tai-khoan";
pub const REGISTER_COOPERATIVE: &str = "/dang-ky-htx";
/// The page the service worker shows for a page that is neither loaded nor kept offline.
pub const OFFLINE: &str = "/ngoai-tuyen";

pub fn product(slug: &str) -> String {
    format!("/san-pham/{slug}")
}

pub fn cooperative(slug: &str) -> String {
    format!("/htx/{slug}")
}

/// The catalog for `query`: a category page when it names one category.
pub fn catalog(query: &ProductQuery) -> String {
    let (base, rest) = match query.category {
        Some(c) => (category(c), ProductQuery { category: None, ..query.clone() }),
        None => (CATALOG.to_owned(), query.clone()),
    };
    let qs = rest.to_query_string();
    if qs.is_empty() { base } else { format!("{base}?{qs}") }
}

/// A category page; its other filters go in the query.
pub fn category(category: Category) -> String {
    format!("/danh-muc/{}", category.code())
}

/// An order's tracking page, opened by its secret token.
pub fn order(number: &str, token: &str) -> String {
    format!("/don-hang/{number}?token={token}")
}

/// An order of the signed-in buyer (no token: the session proves ownership).
pub fn my_order(number: &str) -> String {
    format!("/don-hang/{number}")
}

/// An invitation to join a cooperative (the link an admin sends).
pub fn invitation(token: &str) -> String {
    format!("/loi-moi/{}", crate::url::encode(token))
}

/// The members of one of the signed-in person's cooperatives.
pub fn members(slug: &str) -> String {
    format!("/htx-cua-toi/{slug}/thanh-vien")
}

// ---- Seller console (members of a cooperative) ----

/// The seller console of cooperative `coop`: its dashboard.
pub fn seller(coop: &str) -> String {
    format!("/ban-hang/{coop}")
}

pub fn seller_products(coop: &str) -> String {
    format!("/ban-hang/{coop}/san-pham")
}

pub fn seller_new_product(coop: &str) -> String {
    format!("/ban-hang/{coop}/them-san-pham")
}

pub fn seller_product(coop: &str, slug: &str) -> String {
    format!("/ban-hang/{coop}/san-pham/{slug}")
}

/// The cooperative's website editor (its admins).
pub fn seller_profile(coop: &str) -> String {
    format!("/ban-hang/{coop}/ho-so")
}

pub fn seller_orders(coop: &str) -> String {
    format!("/ban-hang/{coop}/don-hang")
}

pub fn seller_order(coop: &str, number: &str) -> String {
    format!("/ban-hang/{coop}/don-hang/{number}")
}

/// The printable pack list of an order.
pub fn seller_pack_list(coop: &str, number: &str) -> String {
    format!("/ban-hang/{coop}/don-hang/{number}/phieu-dong-goi")
}

// ---- Trade promotion ----

/// The staff console: the moderation queue.
pub const STAFF: &str = "/xuc-tien";
pub const STAFF_FEATURED: &str = "/xuc-tien/noi-bat";
pub const STAFF_CAMPAIGNS: &str = "/xuc-tien/chien-dich";
pub const STAFF_STATS: &str = "/xuc-tien/thong-ke";
/// Cooperatives' websites: hiding a page, their own domains.
pub const STAFF_SITES: &str = "/xuc-tien/trang-htx";
/// The campaign editor's "new campaign" page (`moi` is never a campaign's slug).
pub const STAFF_NEW_CAMPAIGN: &str = "/xuc-tien/chien-dich/moi";

/// A campaign in the staff console's editor.
pub fn staff_campaign(slug: &str) -> String {
    format!("/xuc-tien/chien-dich/{slug}")
}

/// A campaign's (online fair's) public page.
pub fn campaign(slug: &str) -> String {
    format!("/phien-cho/{slug}")
}

/// A cooperative's review: why staff returned it or its products, and resubmitting.
pub fn cooperative_review(slug: &str) -> String {
    format!("/htx-cua-toi/{slug}/xet-duyet")
}

// ---- Traceability lots ----

/// A cooperative's products and their traceability lots.
pub fn seller_lots(coop: &str) -> String {
    format!("/ban-hang/{coop}/lo")
}

/// One product's lots: create lots, add events, print labels.
pub fn seller_product_lots(coop: &str, slug: &str) -> String {
    format!("/ban-hang/{coop}/san-pham/{slug}/lo")
}
