//! Product search: the FTS5 index over text folded by `domain::text::fold`, and the search
//! half of a catalog query (which products match, in which order, how many). SQLite-specific
//! by nature (FTS5); the PostgreSQL path will replace this module (tsvector or pg_trgm).
//!
//! **Words.** Both the index and the queries cut text with `domain::text::search_words`
//! (folded, letters apart from digits), so "ST25", "st-25" and "st 25" are the same two
//! words. [`WORDS_VERSION`] names that rule; [`reindex_if_stale`] rebuilds older indexes.
//!
//! **Matching.** Every folded word must occur in the product's name, English name, brand,
//! cooperative, provinces, category or description. The last word may be the start of a
//! word (the buyer is still typing: "gao st2" finds "Gạo ST25"); the words before it are
//! whole words, so "ca phe" does not also match every "cá cam", "cao phê"…
//!
//! **Ranking** is by tiers, best first: the Vietnamese name starts with the text as typed;
//! it contains the text as a phrase; it contains every word; name, English name and brand
//! together contain every word; anything else (cooperative, province, description). Within
//! a tier the most recently added product comes first. So for "gao st25", "Gạo ST25 Mỹ
//! Xuyên" comes before "Gạo lứt ST25", and a name match always before a description match.
//! (Not bm25: it scores every match, and its IDF pass alone reads each term's whole
//! doclist, which is 50–300 ms for a broad search on 100,000 products.)
//!
//! **Bounded cost.** Each tier is one FTS5 query read in rowid order, which FTS5 gives for
//! free, and the tiers are read lazily in order (UNION ALL under a LIMIT), so a page reads
//! about as many index entries as it shows. The count reads at most [`COUNT_LIMIT`]` + 1`
//! matches: a broad search reports "1000+" and pages through its 1000 best matches; sorted
//! by price, date or sales it shows those 1000 in that order (all matches, exactly, when
//! there are at most 1000).
//!
//! **Filters inside the index.** Category, origin province, OCOP stars and cooperative are
//! facet tokens (`_k…`, `_p…`, `_o…`, `_c…`), so FTS5 applies them before anything is
//! joined. [`index_product`] writes them, and must run whenever a product's text,
//! category, province, stars or cooperative changes (as it already must for its name).
//! Price, stock and certificates change without an edit, so they are checked on
//! `products`, through a narrow covering index. Visibility is read from the tables on
//! every query: the few products buyers may not see (unpublished, or by a cooperative that
//! is not approved) are excluded by id, so publishing, hiding or suspending needs no
//! reindexing; the page itself is read with `catalog::VISIBLE`, as every buyer-facing query.

use crate::{
    AppState,
    db::listing::{self as catalog, RANKED, order_by},
};
use domain::{
    catalog::{Category, ProductStatus},
    coop_status_sql, geo,
    query::{ProductQuery, Sort},
    text::search_words,
};
use sqlx::{QueryBuilder, Row, sqlite::SqliteRow};

/// A buyer's search text as FTS5 expressions over folded words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText {
    words: Vec<String>,
}

impl SearchText {
    /// `None` when nothing searchable is left (only punctuation or spaces).
    pub fn parse(text: &str) -> Option<Self> {
        let words = search_words(text);
        (!words.is_empty()).then_some(SearchText { words })
    }

    /// The words searched for, folded and cut as the index is.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Every word, the last as a prefix: `"gao" "st" "25"*`. search_words leaves letters and
    /// digits only, so the quoting cannot be escaped.
    fn all_words(&self) -> String {
        let last = self.words.len() - 1;
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The words in order, next to each other, the last as a prefix: `"gao st 25"*`.
    fn phrase(&self) -> String {
        format!("\"{}\"*", self.words.join(" "))
    }

    /// Every word anywhere: what matches at all. (Facet tokens start with '_', which
    /// folded words never contain, so no column filter is needed.)
    pub fn anywhere(&self) -> String {
        self.all_words()
    }

    /// The ranking tiers, best first, as disjoint FTS5 expressions whose union is
    /// [`SearchText::anywhere`].
    pub fn tiers(&self) -> Vec<String> {
        let (all, phrase) = (self.all_words(), self.phrase());
        let starts = format!("{{name}} : ^{phrase}");
        let name_phrase = format!("{{name}} : {phrase}");
        let name_all = format!("{{name}} : ({all})");
        let names_all = format!("{{name alias}} : ({all})");
        let mut tiers = vec![starts.clone(), format!("({name_phrase}) NOT ({starts})")];
        if self.words.len() > 1 {
            tiers.push(format!("({name_all}) NOT ({name_phrase})"));
        }
        tiers.push(format!("({names_all}) NOT ({name_all})"));
        tiers.push(format!("({}) NOT ({names_all})", self.anywhere()));
        tiers
    }
}

/// The FTS5 query for a buyer's text (every word, the last as a prefix), for a plain
/// `product_search MATCH`. `None` when nothing searchable is left.
pub fn match_expression(query: &str) -> Option<String> {
    SearchText::parse(query).map(|t| t.anywhere())
}

/// The facet tokens a product is indexed with, one per filterable attribute.
fn facet_tokens(category: &str, province: i64, ocop_stars: i64, cooperative_id: i64) -> String {
    let category: String = category.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("_k{category} _p{province} _o{ocop_stars} _c{cooperative_id}")
}

/// The facet tokens a search requires: the static filters of `q`.
pub(crate) struct Restriction {
    required: Option<String>,
}

impl Restriction {
    /// `cooperative_id` resolves `q.cooperative`.
    pub(crate) fn new(q: &ProductQuery, cooperative_id: Option<i64>) -> Self {
        let mut required = Vec::new();
        if let Some(c) = q.category {
            required.push(format!("\"_k{}\"", c.code().replace('_', "")));
        }
        if let Some(p) = q.province {
            required.push(format!("\"_p{p}\""));
        }
        if let Some(Err(stars)) = q.cert.map(|c| c.requirement()) {
            required.push(format!("\"_o{stars}\""));
        }
        if let Some(id) = cooperative_id {
            required.push(format!("\"_c{id}\""));
        }
        Restriction { required: (!required.is_empty()).then(|| required.join(" ")) }
    }

    /// `text` restricted to the products that pass the static filters.
    pub(crate) fn apply(&self, text: &str) -> String {
        match &self.required {
            Some(r) => format!("({text}) AND ({r})"),
            None => text.to_owned(),
        }
    }
}

/// Whether `q` has filters the index cannot answer (price, stock, certificates).
fn has_dynamic_filters(q: &ProductQuery) -> bool {
    q.min_price.is_some()
        || q.max_price.is_some()
        || q.in_stock
        || matches!(q.cert.map(|c| c.requirement()), Some(Ok(_)))
}

/// The products buyers may not see: not published, or by a cooperative that is not
/// approved. Few, and read from the tables once per statement (through indexes that lead
/// with `status` and `cooperative_id`), so visibility is never stale: changing a product's
/// status or deciding on a cooperative needs no reindexing.
pub(crate) fn hidden_cte() -> String {
    let unpublished: Vec<&str> =
        ProductStatus::ALL.iter().filter(|s| **s != ProductStatus::Published).map(|s| s.sql_literal()).collect();
    format!(
        concat!(
            "WITH hidden AS MATERIALIZED (SELECT id FROM products WHERE status IN ({})
         UNION ALL SELECT id FROM products WHERE cooperative_id IN (SELECT id FROM cooperatives WHERE status <> ",
            coop_status_sql!(Approved),
            ")) "
        ),
        unpublished.join(", ")
    )
}

/// `SELECT id, {tier} AS tier` of the visible products matching the FTS query `m` and the
/// dynamic filters of `q`, the most recently added first (FTS5 reads rowids in either
/// order for free). Needs [`hidden_cte`].
pub(crate) fn push_matches<'a>(
    b: &mut QueryBuilder<'a, crate::db::Db>,
    q: &'a ProductQuery,
    m: String,
    tier: usize,
    today: &str,
) {
    if has_dynamic_filters(q) {
        b.push(format!(
            "SELECT f.rowid AS id, {tier} AS tier FROM product_search f CROSS JOIN products p WHERE p.id = f.rowid AND product_search MATCH "
        ));
        b.push_bind(m);
        catalog::push_dynamic_filters(b, q, today.to_owned());
    } else {
        b.push(format!("SELECT f.rowid AS id, {tier} AS tier FROM product_search f WHERE product_search MATCH "));
        b.push_bind(m);
    }
    b.push(" AND f.rowid NOT IN (SELECT id FROM hidden) ORDER BY f.rowid DESC");
}

/// `SELECT id, tier` of the matches in relevance order: the tiers, best first, each most
/// recently added first. SQLite reads the tiers lazily, so a LIMIT stops the reading.
fn push_ranked<'a>(
    b: &mut QueryBuilder<'a, crate::db::Db>,
    q: &'a ProductQuery,
    text: &SearchText,
    restriction: &Restriction,
    today: &str,
) {
    b.push("SELECT id, tier FROM (");
    for (tier, arm) in text.tiers().iter().enumerate() {
        if tier > 0 {
            b.push(" UNION ALL ");
        }
        b.push("SELECT * FROM (");
        push_matches(b, q, restriction.apply(arm), tier, today);
        b.push(")");
    }
    b.push(")");
}

/// The id of the cooperative `q` is restricted to: `Some(None)` without that filter,
/// `None` when the cooperative is unknown or not approved (nothing can match).
pub(crate) async fn cooperative_filter(st: &AppState, q: &ProductQuery) -> sqlx::Result<Option<Option<i64>>> {
    let Some(slug) = &q.cooperative else {
        return Ok(Some(None));
    };
    let id = sqlx::query_scalar::<_, i64>(concat!(
        "SELECT id FROM cooperatives WHERE slug = $1 AND status = ",
        coop_status_sql!(Approved)
    ))
    .bind(slug.as_str())
    .fetch_optional(&st.db)
    .await?;
    Ok(id.map(Some))
}

/// One page of visible products matching `text` and the filters of `q`, and how many
/// match (counted up to [`COUNT_LIMIT`]` + 1`): rows of [`catalog::push_counted_page`].
/// One statement, plus one to resolve a cooperative filter.
pub(crate) async fn find_page(
    st: &AppState,
    q: &ProductQuery,
    text: &SearchText,
    today: &str,
) -> sqlx::Result<Vec<SqliteRow>> {
    let Some(cooperative_id) = cooperative_filter(st, q).await? else {
        return Ok(Vec::new());
    };
    let restriction = Restriction::new(q, cooperative_id);
    let sort = q.effective_sort();
    let limit = i64::from(q.per_page);
    let offset = i64::from(q.page - 1) * limit;
    // A search pages through its RANKED best matches.
    let limit = limit.min(RANKED - offset).max(0);

    // LIMIT and OFFSET are our own integers, written as literals: with them bound as
    // parameters, SQLite 3.46 plans the sorted search ~15× slower (60–120 ms instead of 4 ms
    // on 100,000 products; `cargo bench -p chohtx-server --bench search`).
    let mut b = QueryBuilder::new(hidden_cte());
    if sort == Sort::Relevance {
        // The count reads the matches in index order; the page, the tiers as far as it goes.
        catalog::push_counted_page(
            &mut b,
            sort,
            |b| {
                push_matches(b, q, restriction.apply(&text.anywhere()), 0, today);
                b.push(" LIMIT ").push(RANKED + 1);
            },
            |b| {
                push_ranked(b, q, text, &restriction, today);
                b.push(" LIMIT ").push(limit).push(" OFFSET ").push(offset);
            },
        );
    } else {
        // Another order: the best matches, counted as they are read, and the RANKED first
        // of them joined to their sort key through a narrow covering index.
        b.push(", best AS MATERIALIZED (");
        push_ranked(&mut b, q, text, &restriction, today);
        b.push(" LIMIT ").push(RANKED + 1).push(") ");
        catalog::push_counted_page(
            &mut b,
            sort,
            |b| {
                b.push("SELECT id FROM best");
            },
            |b| {
                b.push("SELECT p.id, 0 AS tier FROM (SELECT id FROM best LIMIT ").push(RANKED);
                b.push(format!(") AS top CROSS JOIN products p WHERE p.id = top.id ORDER BY {}", order_by(sort, "p.")));
                b.push(" LIMIT ").push(limit).push(" OFFSET ").push(offset);
            },
        );
    }
    b.build().fetch_all(&st.db).await
}

/// Merges the index into one b-tree per term: run it after a bulk load (a generated
/// catalog, an import), as FTS5 otherwise keeps one segment per loading transaction and a
/// search reads them all. `INSERT … ('merge', n)` does the same work in steps.
pub async fn optimize(pool: &crate::db::Pool) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO product_search (product_search) VALUES ('optimize')").execute(pool).await?;
    Ok(())
}

/// (Re)indexes one product from its stored rows. Call it in the transaction that changes
/// the product's names, brand, description, category, origin, stars or cooperative (its
/// status and price need not: search reads those from the tables).
pub async fn index_product(conn: &mut sqlx::SqliteConnection, product_id: i64) -> sqlx::Result<()> {
    let row = sqlx::query(
        "SELECT p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, p.ocop_stars, p.cooperative_id,
                p.description_vi, c.name AS coop_name, c.province_code AS coop_province
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_one(&mut *conn)
    .await?;
    let category_code: String = row.get("category");
    let category = Category::from_code(&category_code);
    let province = |col: &str| {
        u8::try_from(row.get::<i64, _>(col)).ok().and_then(geo::province).map(|p| p.short_name).unwrap_or_default()
    };
    let words = |text: &str| search_words(text).join(" ");
    let name = words(row.get::<&str, _>("name_vi"));
    let alias = words(&format!("{} {}", row.get::<&str, _>("name_en"), row.get::<&str, _>("brand")));
    let extra = words(&format!(
        "{} {} {} {} {}",
        row.get::<&str, _>("coop_name"),
        province("origin_province_code"),
        province("coop_province"),
        category.map(|c| c.name(domain::Lang::Vi)).unwrap_or_default(),
        row.get::<&str, _>("description_vi"),
    ));
    let facets =
        facet_tokens(&category_code, row.get("origin_province_code"), row.get("ocop_stars"), row.get("cooperative_id"));
    sqlx::query("DELETE FROM product_search WHERE rowid = $1").bind(product_id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO product_search (rowid, name, alias, extra, facets) VALUES ($1, $2, $3, $4, $5)")
        .bind(product_id)
        .bind(name)
        .bind(alias)
        .bind(extra)
        .bind(facets)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The rule that cut the words of the index: 1 is `domain::text::search_words` (letters
/// apart from digits). Raise it whenever that rule changes.
pub const WORDS_VERSION: i64 = 1;

/// Reindexes every product when the index was cut by an older rule than [`WORDS_VERSION`]
/// (once, at start, after the migrations), in one transaction.
pub async fn reindex_if_stale(pool: &crate::db::Pool) -> sqlx::Result<bool> {
    let stored: i64 =
        sqlx::query_scalar("SELECT words_version FROM search_index_state WHERE id = 1").fetch_one(pool).await?;
    if stored >= WORDS_VERSION {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM products ORDER BY id").fetch_all(&mut *tx).await?;
    for id in ids {
        index_product(&mut tx, id).await?;
    }
    sqlx::query("UPDATE search_index_state SET words_version = $1 WHERE id = 1")
        .bind(WORDS_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    optimize(pool).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_queries_from_folded_words_with_the_last_as_a_prefix() {
        assert_eq!(match_expression("Gạo ST25").as_deref(), Some("\"gao\" \"st\" \"25\"*"));
        assert_eq!(match_expression("gao st-25"), match_expression("gao st 25"));
        assert_eq!(match_expression("  \"; DROP TABLE --").as_deref(), Some("\"drop\" \"table\"*"));
        assert_eq!(match_expression("_p82").as_deref(), Some("\"p\" \"82\"*"), "never a facet token");
        assert_eq!(match_expression(" *** "), None);
    }

    #[test]
    fn tiers_go_from_the_name_as_typed_to_anywhere() {
        let t = SearchText::parse("Gạo Tám").unwrap();
        assert_eq!(
            t.tiers(),
            [
                "{name} : ^\"gao tam\"*",
                "({name} : \"gao tam\"*) NOT ({name} : ^\"gao tam\"*)",
                "({name} : (\"gao\" \"tam\"*)) NOT ({name} : \"gao tam\"*)",
                "({name alias} : (\"gao\" \"tam\"*)) NOT ({name} : (\"gao\" \"tam\"*))",
                "(\"gao\" \"tam\"*) NOT ({name alias} : (\"gao\" \"tam\"*))",
            ]
        );
        // One word: its phrase is the word, so "all words in the name" is no separate tier.
        assert_eq!(SearchText::parse("b").unwrap().tiers().len(), 4);
    }

    #[test]
    fn filters_become_facet_tokens() {
        assert_eq!(facet_tokens("rice_grains", 92, 4, 17), "_kricegrains _p92 _o4 _c17");
        let q = ProductQuery {
            category: Some(Category::CoffeeTeaSpices),
            province: Some(82),
            cert: Some(domain::query::CertFilter::Ocop4),
            ..Default::default()
        };
        let r = Restriction::new(&q, Some(3));
        assert_eq!(r.apply("x"), "(x) AND (\"_kcoffeeteaspices\" \"_p82\" \"_o4\" \"_c3\")");
        assert_eq!(Restriction::new(&ProductQuery::default(), None).apply("x"), "x");
        assert!(hidden_cte().contains("status IN ('draft', 'pending', 'hidden')"));
    }
}
