//! Per-page metadata for link previews and search engines: `<title>`, description,
//! canonical URL, `hreflang` alternates, Open Graph and Twitter tags, and JSON-LD.
//! Rendered by the server into the page's `<head>` (through `leptos_meta`); the browser
//! keeps them when it hydrates.

use crate::use_lang;
use domain::Lang;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Script};

/// The public origin (`CHOHTX_PUBLIC_ORIGIN`, e.g. `https://chohtx.vn`) for absolute
/// URLs; provided by the server per request (the browser does not need it: it keeps the
/// server's tags).
#[derive(Clone, Debug, Default)]
pub struct PublicOrigin(pub String);

/// `path` (`/san-pham/…`) as an absolute URL.
pub fn absolute(path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_owned();
    }
    let origin = use_context::<PublicOrigin>().map(|o| o.0).unwrap_or_default();
    format!("{}{path}", origin.trim_end_matches('/'))
}

/// What a page says about itself.
#[derive(Clone, Debug, Default)]
pub struct PageInfo {
    /// The page's own title (the site's name is added).
    pub title: String,
    pub description: String,
    /// The canonical path, without the language parameter.
    pub path: String,
    /// An image for link previews (a path or an absolute URL).
    pub image: Option<String>,
    /// `og:type`: "website", "product", "profile"…
    pub kind: &'static str,
    /// schema.org objects, one `<script type="application/ld+json">` each.
    pub json_ld: Vec<serde_json::Value>,
}

/// The query parameter that asks for a page in English (`?lang=en`); the `hreflang`
/// alternates point at it.
pub const LANG_PARAM: &str = "lang";

/// A JSON-LD object as script text: `<`, `>` and `&` escaped so no text can close the
/// script element or be read as markup.
pub fn json_ld_text(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[component]
pub fn PageMeta(info: PageInfo) -> impl IntoView {
    let lang = use_lang();
    let PageInfo { title, description, path, image, kind, json_ld } = info;
    let canonical = absolute(&path);
    let sep = if path.contains('?') { '&' } else { '?' };
    let english = absolute(&format!("{path}{sep}{LANG_PARAM}=en"));
    let url = match lang() {
        Lang::Vi => canonical.clone(),
        Lang::En => english.clone(),
    };
    let image = image.map(|i| absolute(&i));
    let locale = match lang() {
        Lang::Vi => "vi_VN",
        Lang::En => "en_US",
    };
    let card = if image.is_some() { "summary_large_image" } else { "summary" };
    view! {
        <leptos_meta::Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Link rel="alternate" hreflang="vi" href=canonical.clone()/>
        <Link rel="alternate" hreflang="en" href=english/>
        <Link rel="alternate" hreflang="x-default" href=canonical/>
        <Meta property="og:site_name" content="Chợ HTX"/>
        <Meta property="og:type" content=if kind.is_empty() { "website" } else { kind }/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta property="og:locale" content=locale/>
        {image.clone().map(|i| view! { <Meta property="og:image" content=i/> })}
        <Meta name="twitter:card" content=card/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        {image.map(|i| view! { <Meta name="twitter:image" content=i/> })}
        {json_ld
            .into_iter()
            .map(|v| view! { <Script type_="application/ld+json">{json_ld_text(&v)}</Script> })
            .collect_view()}
    }
}

/// A description cut to about `max` characters at a word boundary, on one line.
pub fn summary(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut out = String::new();
    for word in one_line.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// A schema.org `BreadcrumbList` of (name, path) pairs.
pub fn breadcrumbs(items: &[(String, String)]) -> serde_json::Value {
    let list: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, (name, path))| {
            serde_json::json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": absolute(path) })
        })
        .collect();
    serde_json::json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": list })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = serde_json::json!({ "name": "</script><b>A & B</b>" });
        let text = json_ld_text(&v);
        assert!(!text.contains('<') && !text.contains('&'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }

    #[test]
    fn summaries_cut_at_a_word() {
        assert_eq!(summary("Gạo ST25   thơm\nngon", 100), "Gạo ST25 thơm ngon");
        assert_eq!(summary("Gạo ST25 thơm ngon dẻo", 14), "Gạo ST25 thơm…");
    }
}
