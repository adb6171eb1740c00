//! Facet counts of a catalog query: for each value of a filter (category, origin province,
//! certification), how many products the query would show with that filter set to it.
//!
//! For one filter the matches of the query without that filter are read, as its count
//! reads them (the same SQL: [`search::push_matches`] or [`listing::push_listing_filters`]),
//! at most [`RANKED`]` + 1` of them, and grouped by the filter's column. So a count is
//! exactly the `total` the API answers for that value (both are exact up to
//! [`domain::api::COUNT_LIMIT`]); above it the counts are of the first matches only and
//! `complete` is false. Three statements, each bounded like the page's count.

use crate::{
    AppState,
    db::{
        int,
        listing::{self, RANKED},
        search::{self, Restriction, SearchText},
    },
};
use domain::{
    api::{CategoryFacet, CertFacet, Facets, ProvinceFacet},
    catalog::Category,
    geo,
    query::{CertFilter, ProductQuery},
};
use sqlx::{QueryBuilder, Row, sqlite::SqliteRow};
use std::collections::HashMap;

/// One filter, whose values are counted.
#[derive(Clone, Copy)]
enum Facet {
    Category,
    Province,
    Cert,
}

impl Facet {
    /// `q` without this filter.
    fn clear(self, q: &ProductQuery) -> ProductQuery {
        let mut q = q.clone();
        match self {
            Facet::Category => q.category = None,
            Facet::Province => q.province = None,
            Facet::Cert => q.cert = None,
        }
        q
    }
}

/// The facets of `q` (with `text`, its parsed search text, if any).
pub(crate) async fn facets(
    st: &AppState,
    q: &ProductQuery,
    text: Option<&SearchText>,
    today: &str,
) -> sqlx::Result<Facets> {
    let Some(cooperative_id) = search::cooperative_filter(st, q).await? else {
        return Ok(Facets { complete: true, ..Default::default() });
    };
    let mut complete = true;

    let rows = grouped(st, &Facet::Category.clear(q), text, cooperative_id, today, Facet::Category).await?;
    let mut by_code: HashMap<String, u64> = HashMap::new();
    for r in &rows {
        by_code.insert(r.try_get("v")?, int(r, "n")?);
    }
    complete &= by_code.values().sum::<u64>() <= RANKED as u64;
    let categories = Category::ALL
        .iter()
        .filter_map(|c| by_code.get(c.code()).map(|n| CategoryFacet { category: *c, count: *n }))
        .collect();

    let rows = grouped(st, &Facet::Province.clear(q), text, cooperative_id, today, Facet::Province).await?;
    let mut by_province: HashMap<i64, u64> = HashMap::new();
    for r in &rows {
        by_province.insert(r.try_get("v")?, int(r, "n")?);
    }
    complete &= by_province.values().sum::<u64>() <= RANKED as u64;
    let provinces = geo::provinces_by_name()
        .into_iter()
        .filter_map(|p| {
            by_province.get(&i64::from(p.code)).map(|n| ProvinceFacet {
                code: p.code,
                short_name: p.short_name.to_owned(),
                count: *n,
            })
        })
        .collect();

    let rows = grouped(st, &Facet::Cert.clear(q), text, cooperative_id, today, Facet::Cert).await?;
    let mut certifications = Vec::new();
    if let Some(r) = rows.first() {
        complete &= int::<u64>(r, "n")? <= RANKED as u64;
        for c in CertFilter::ALL {
            let n: u64 = int(r, c.code())?;
            if n > 0 {
                certifications.push(CertFacet { cert: *c, count: n });
            }
        }
    }
    Ok(Facets { complete, categories, provinces, certifications })
}

/// The rows `v, n` (category or province) or the one row `n, <cert code>…` (certification)
/// of the matches of `q`, read at most `RANKED + 1`.
async fn grouped(
    st: &AppState,
    q: &ProductQuery,
    text: Option<&SearchText>,
    cooperative_id: Option<i64>,
    today: &str,
    facet: Facet,
) -> sqlx::Result<Vec<SqliteRow>> {
    let mut b = QueryBuilder::new(if text.is_some() { search::hidden_cte() } else { String::new() });
    match facet {
        Facet::Category => {
            b.push("SELECT p.category AS v, COUNT(*) AS n");
        }
        Facet::Province => {
            b.push("SELECT p.origin_province_code AS v, COUNT(*) AS n");
        }
        Facet::Cert => {
            b.push("SELECT COUNT(*) AS n");
            for c in CertFilter::ALL {
                match c.requirement() {
                    Err(stars) => {
                        b.push(format!(", COALESCE(SUM(CASE WHEN p.ocop_stars = {stars} THEN 1 ELSE 0 END), 0) AS "));
                    }
                    Ok(kind) => {
                        b.push(", COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM certifications ce WHERE ce.product_id = p.id AND ce.kind = ")
                            .push_bind(kind)
                            .push(" AND ce.expires_on >= ")
                            .push_bind(today.to_owned())
                            .push(") THEN 1 ELSE 0 END), 0) AS ");
                    }
                }
                b.push(c.code());
            }
        }
    }
    b.push(" FROM (");
    match text {
        Some(text) => {
            let restriction = Restriction::new(q, cooperative_id);
            search::push_matches(&mut b, q, restriction.apply(&text.anywhere()), 0, today);
        }
        None => {
            b.push("SELECT p.id");
            listing::push_listing_filters(&mut b, q, today.to_owned());
        }
    }
    b.push(" LIMIT ").push(RANKED + 1);
    b.push(") AS m JOIN products p ON p.id = m.id");
    match facet {
        Facet::Category => {
            b.push(" GROUP BY p.category");
        }
        Facet::Province => {
            b.push(" GROUP BY p.origin_province_code");
        }
        Facet::Cert => {}
    }
    b.build().fetch_all(&st.db).await
}
