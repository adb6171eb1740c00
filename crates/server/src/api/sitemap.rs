//! For search engines, outside `/api`: `/sitemap.xml` (every published product, approved
//! cooperative, started campaign and public lot) and `/robots.txt` (the consoles,
//! account, cart and checkout pages are not for crawling).

use crate::{AppState, db::products::VISIBLE, http::error::ApiResult};
use axum::{
    Router,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use domain::{coop_status_sql, gs1::DigitalLink, gtin::Gtin};
use std::fmt::Write;

pub fn router(state: AppState) -> Router {
    Router::new().route("/sitemap.xml", get(sitemap)).route("/robots.txt", get(robots)).with_state(state)
}

/// `&`, `<`, `>`, quotes escaped for XML text.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

async fn sitemap(State(st): State<AppState>) -> ApiResult<Response> {
    let mut paths: Vec<(String, Option<String>)> = vec![("/".into(), None), ("/san-pham".into(), None)];
    let products: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT p.slug, p.updated_at FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE {VISIBLE} ORDER BY p.id"
    ))
    .fetch_all(&st.db)
    .await?;
    paths.extend(products.into_iter().map(|(slug, at)| (format!("/san-pham/{slug}"), Some(at))));
    let coops: Vec<String> = sqlx::query_scalar(concat!(
        "SELECT slug FROM cooperatives WHERE status = ",
        coop_status_sql!(Approved),
        " ORDER BY id"
    ))
    .fetch_all(&st.db)
    .await?;
    paths.extend(coops.into_iter().map(|slug| (format!("/htx/{slug}"), None)));
    let today = st.clock.today_vn();
    let campaigns: Vec<String> = sqlx::query_scalar("SELECT slug FROM campaigns WHERE starts_on <= $1 ORDER BY id")
        .bind(today.as_str())
        .fetch_all(&st.db)
        .await?;
    paths.extend(campaigns.into_iter().map(|slug| (format!("/phien-cho/{slug}"), None)));
    let lots: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT l.gtin, l.lot_code FROM lots l JOIN products p ON p.id = l.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id WHERE {VISIBLE} ORDER BY l.id"
    ))
    .fetch_all(&st.db)
    .await?;
    paths.extend(
        lots.into_iter()
            .filter_map(|(gtin, lot)| Gtin::parse(&gtin).ok().map(|g| (DigitalLink::lot(g, lot).path(), None))),
    );

    let origin = st.config.link_origin();
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, modified) in paths {
        let _ = write!(xml, "<url><loc>{}</loc>", xml_escape(&format!("{origin}{path}")));
        if let Some(day) = modified.as_deref().and_then(|m| m.get(..10)) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", xml_escape(day));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(text(xml, "application/xml; charset=utf-8"))
}

async fn robots(State(st): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\n\
         Disallow: /api/\n\
         Disallow: /ban-hang/\n\
         Disallow: /xuc-tien\n\
         Disallow: /tai-khoan\n\
         Disallow: /htx-cua-toi/\n\
         Disallow: /gio-hang\n\
         Disallow: /thanh-toan\n\
         Disallow: /dat-hang-thanh-cong\n\
         Disallow: /don-hang/\n\
         Disallow: /tra-cuu-don-hang\n\
         Disallow: /dang-nhap\n\
         Disallow: /dang-ky\n\
         Disallow: /quen-mat-khau\n\
         Disallow: /dat-lai-mat-khau\n\
         Disallow: /loi-moi/\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        st.config.link_origin()
    );
    text(body, "text/plain; charset=utf-8")
}

fn text(body: String, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}
