//! Catalog query parameters, parsed and written by one set of rules: the server parses
//! them from the API's query string, the app from its own URL, and both write them back.

use crate::{
    catalog::{Category, CertKind, code_enum},
    geo,
    money::Vnd,
    validate::{Errors, FieldError},
};

code_enum!(
    /// Sort orders of the catalog. Relevance falls back to newest without a search text.
    Sort {
        Relevance = "relevance",
        Newest = "newest",
        PriceAsc = "price_asc",
        PriceDesc = "price_desc",
        BestSelling = "best_selling",
    }
);

code_enum!(
    /// The certification facet: a certification kind, or an exact OCOP star rating.
    CertFilter {
        VietGap = "vietgap",
        GlobalGap = "globalgap",
        Organic = "organic",
        Ocop3 = "ocop3",
        Ocop4 = "ocop4",
        Ocop5 = "ocop5",
    }
);

impl CertFilter {
    /// The certification kind to require, or the OCOP stars to require.
    pub fn requirement(self) -> Result<CertKind, u8> {
        match self {
            CertFilter::VietGap => Ok(CertKind::VietGap),
            CertFilter::GlobalGap => Ok(CertKind::GlobalGap),
            CertFilter::Organic => Ok(CertKind::Organic),
            CertFilter::Ocop3 => Err(3),
            CertFilter::Ocop4 => Err(4),
            CertFilter::Ocop5 => Err(5),
        }
    }
}

/// Percent-decoded pairs of a query string, with or without the leading '?'.
/// The pairs of a raw (percent-encoded) query string, with or without the leading `?`.
pub fn decode_pairs(qs: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(qs.trim_start_matches('?').as_bytes()).into_owned().collect()
}

pub const DEFAULT_PER_PAGE: u32 = 24;
pub const MAX_PER_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 10_000;
pub const MAX_QUERY_CHARS: u32 = 100;

/// `GET /api/v1/products` parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductQuery {
    pub q: Option<String>,
    pub category: Option<Category>,
    pub province: Option<u8>,
    pub cert: Option<CertFilter>,
    pub min_price: Option<Vnd>,
    pub max_price: Option<Vnd>,
    pub in_stock: bool,
    /// Only this cooperative's products (its slug).
    pub cooperative: Option<String>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

impl Default for ProductQuery {
    fn default() -> Self {
        ProductQuery {
            q: None,
            category: None,
            province: None,
            cert: None,
            min_price: None,
            max_price: None,
            in_stock: false,
            cooperative: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

fn parse_int(errors: &mut Errors, field: &str, value: &str, min: i64, max: i64) -> Option<i64> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            errors.add(field, FieldError::OutOfRange { min, max });
            None
        }
        Err(_) => {
            errors.add(field, FieldError::NotANumber);
            None
        }
    }
}

/// A yes/no query parameter: `true`/`1` or `false`/`0` (`None` for anything else).
pub fn parse_flag(value: &str) -> Option<bool> {
    match value.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn parse_code<T>(errors: &mut Errors, field: &str, value: &str, from: fn(&str) -> Option<T>) -> Option<T> {
    let v = from(value.trim());
    if v.is_none() {
        errors.add(field, FieldError::UnknownChoice);
    }
    v
}

impl ProductQuery {
    /// Parses decoded key/value pairs. Empty values mean "not set"; unknown keys are
    /// ignored (tracking parameters); out-of-range values are errors, never clamped.
    pub fn from_pairs<'a, I>(pairs: I) -> Result<ProductQuery, Errors>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut q = ProductQuery::default();
        let mut e = Errors::new();
        for (key, value) in pairs {
            if value.trim().is_empty() {
                continue;
            }
            match key {
                "q" => {
                    let t = e.optional_text("q", value, MAX_QUERY_CHARS);
                    q.q = Some(t).filter(|t| !t.is_empty());
                }
                "category" => q.category = parse_code(&mut e, key, value, Category::from_code),
                "province" => {
                    q.province =
                        parse_int(&mut e, key, value, 1, 99).and_then(|c| geo::province(c as u8).map(|p| p.code));
                    if q.province.is_none() {
                        e.add(key, FieldError::UnknownChoice);
                    }
                }
                "cert" => q.cert = parse_code(&mut e, key, value, CertFilter::from_code),
                "min_price" => q.min_price = parse_int(&mut e, key, value, 0, Vnd::MAX.dong()).map(Vnd::new),
                "max_price" => q.max_price = parse_int(&mut e, key, value, 0, Vnd::MAX.dong()).map(Vnd::new),
                "in_stock" => q.in_stock = parse_code(&mut e, key, value, parse_flag).unwrap_or(false),
                "cooperative" => {
                    if crate::text::is_slug(value.trim()) {
                        q.cooperative = Some(value.trim().to_owned());
                    } else {
                        e.add(key, FieldError::InvalidSlug);
                    }
                }
                "sort" => q.sort = parse_code(&mut e, key, value, Sort::from_code).unwrap_or(Sort::Relevance),
                "page" => q.page = parse_int(&mut e, key, value, 1, MAX_PAGE.into()).unwrap_or(1) as u32,
                "per_page" => {
                    q.per_page =
                        parse_int(&mut e, key, value, 1, MAX_PER_PAGE.into()).unwrap_or(DEFAULT_PER_PAGE.into()) as u32
                }
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (q.min_price, q.max_price)
            && max < min
        {
            e.add("max_price", FieldError::BelowMinimum);
        }
        e.into_result(q)
    }

    /// Parses a raw (percent-encoded) query string, with or without the leading '?'.
    pub fn from_query_string(qs: &str) -> Result<ProductQuery, Errors> {
        let pairs = decode_pairs(qs);
        ProductQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The query string for this query, without '?', leaving out defaults so URLs stay
    /// short and equal queries give equal URLs.
    pub fn to_query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let d = ProductQuery::default();
        if let Some(q) = &self.q {
            s.append_pair("q", q);
        }
        if let Some(c) = self.category {
            s.append_pair("category", c.code());
        }
        if let Some(p) = self.province {
            s.append_pair("province", &p.to_string());
        }
        if let Some(c) = self.cert {
            s.append_pair("cert", c.code());
        }
        if let Some(p) = self.min_price {
            s.append_pair("min_price", &p.dong().to_string());
        }
        if let Some(p) = self.max_price {
            s.append_pair("max_price", &p.dong().to_string());
        }
        if self.in_stock {
            s.append_pair("in_stock", "true");
        }
        if let Some(c) = &self.cooperative {
            s.append_pair("cooperative", c);
        }
        if self.sort != d.sort {
            s.append_pair("sort", self.sort.code());
        }
        if self.page != d.page {
            s.append_pair("page", &self.page.to_string());
        }
        if self.per_page != d.per_page {
            s.append_pair("per_page", &self.per_page.to_string());
        }
        s.finish()
    }

    /// The effective sort: relevance needs a search text, otherwise newest.
    pub fn effective_sort(&self) -> Sort {
        match (self.sort, &self.q) {
            (Sort::Relevance, None) => Sort::Newest,
            (s, _) => s,
        }
    }
}

/// `GET /api/v1/cooperatives` parameters: paging only, plus an optional province.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageQuery {
    pub province: Option<u8>,
    pub page: u32,
    pub per_page: u32,
}

impl PageQuery {
    pub fn from_pairs<'a, I>(pairs: I) -> Result<PageQuery, Errors>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        // Same rules as products for the keys both have.
        let pq = ProductQuery::from_pairs(
            pairs.into_iter().filter(|(k, _)| matches!(*k, "province" | "page" | "per_page")),
        )?;
        Ok(PageQuery { province: pq.province, page: pq.page, per_page: pq.per_page })
    }

    pub fn from_query_string(qs: &str) -> Result<PageQuery, Errors> {
        let pairs = decode_pairs(qs);
        PageQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_parameter() {
        let q = ProductQuery::from_query_string(
            "?q=G%E1%BA%A1o+ST25&category=rice_grains&province=92&cert=ocop4&min_price=10000&max_price=500000&in_stock=true&sort=price_asc&page=2&per_page=12&cooperative=htx-a&utm_source=zalo",
        )
        .unwrap();
        assert_eq!(q.q.as_deref(), Some("Gạo ST25"));
        assert_eq!(q.category, Some(Category::RiceGrains));
        assert_eq!(q.province, Some(92));
        assert_eq!(q.cert, Some(CertFilter::Ocop4));
        assert_eq!(q.min_price, Some(Vnd::new(10_000)));
        assert_eq!(q.max_price, Some(Vnd::new(500_000)));
        assert!(q.in_stock);
        assert_eq!(q.sort, Sort::PriceAsc);
        assert_eq!((q.page, q.per_page), (2, 12));
        assert_eq!(q.cooperative.as_deref(), Some("htx-a"));
    }

    #[test]
    fn round_trips_through_the_query_string() {
        let q = ProductQuery {
            q: Some("cà phê & trà".into()),
            province: Some(66),
            in_stock: true,
            sort: Sort::BestSelling,
            page: 3,
            ..Default::default()
        };
        let s = q.to_query_string();
        assert_eq!(ProductQuery::from_query_string(&s).unwrap(), q);
        assert_eq!(ProductQuery::default().to_query_string(), "");
    }

    #[test]
    fn rejects_out_of_range_values_instead_of_clamping() {
        let e = ProductQuery::from_query_string("page=-1&per_page=abc").unwrap_err();
        assert_eq!(e.get("page"), Some(&FieldError::OutOfRange { min: 1, max: MAX_PAGE.into() }));
        assert_eq!(e.get("per_page"), Some(&FieldError::NotANumber));
        let e = ProductQuery::from_query_string("per_page=1000000").unwrap_err();
        assert_eq!(e.get("per_page"), Some(&FieldError::OutOfRange { min: 1, max: 100 }));
        let e = ProductQuery::from_query_string("page=0").unwrap_err();
        assert!(e.get("page").is_some());
    }

    #[test]
    fn rejects_unknown_choices() {
        let e = ProductQuery::from_query_string("category=gold&province=94&cert=iso&sort=random&in_stock=maybe")
            .unwrap_err();
        for f in ["category", "province", "cert", "sort", "in_stock"] {
            assert_eq!(e.get(f), Some(&FieldError::UnknownChoice), "{f}");
        }
    }

    #[test]
    fn rejects_inverted_price_range() {
        let e = ProductQuery::from_query_string("min_price=500000&max_price=1000").unwrap_err();
        assert_eq!(e.get("max_price"), Some(&FieldError::BelowMinimum));
    }

    #[test]
    fn empty_values_mean_unset() {
        assert_eq!(ProductQuery::from_query_string("q=&category=&page=").unwrap(), ProductQuery::default());
    }

    #[test]
    fn relevance_without_search_text_is_newest() {
        assert_eq!(ProductQuery::default().effective_sort(), Sort::Newest);
    }

    #[test]
    fn page_query_ignores_product_filters() {
        let p = PageQuery::from_pairs([("category", "gold"), ("page", "2")]).unwrap();
        assert_eq!(p.page, 2);
    }
}
