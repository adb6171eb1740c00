//! "Did you mean": the words of the catalog, to correct a mistyped search word when a
//! search finds nothing ("nuoc mamm" → "nuoc mam", "xoai cta" → "xoai cat").
//!
//! The vocabulary is every search word (`domain::text::search_words`) of what buyers can
//! see: product names (Vietnamese and English), brands, categories, cooperatives and their
//! provinces, each with the number of products it occurs in. It is built from the tables
//! only when a search has no match (never on the ordinary search path), kept in
//! [`crate::AppState::vocabulary`] and rebuilt when older than [`Vocabulary::MAX_AGE`], so a
//! product published a moment ago is known within minutes.

use crate::db::products::VISIBLE;
use domain::{catalog::Category, geo, text::search_words};
use sqlx::Row;
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// The catalog's search words, each with how many products it occurs in.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: BTreeMap<String, u32>,
}

impl Vocabulary {
    /// How long a built vocabulary is used before it is read again.
    pub const MAX_AGE: Duration = Duration::from_secs(300);

    /// The vocabulary of texts, one per product (a word counts once per product).
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words = BTreeMap::new();
        for text in texts {
            let mut seen = search_words(text);
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *words.entry(w).or_insert(0) += 1;
            }
        }
        Vocabulary { words }
    }

    /// Whether `word` is a word of the catalog, or (as the last word, which search takes
    /// as a prefix) the start of one.
    fn knows(&self, word: &str, as_prefix: bool) -> bool {
        if as_prefix {
            self.words.range(word.to_owned()..).next().is_some_and(|(w, _)| w.starts_with(word))
        } else {
            self.words.contains_key(word)
        }
    }

    /// The closest catalog word to an unknown `word`: one edit away (a letter added,
    /// removed, changed or two swapped), two for words of 7 letters or more; the fewest
    /// edits first, then the same length, then the most products. None when there is
    /// none that close.
    fn closest(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        let max = if len >= 7 { 2 } else { 1 };
        self.words
            .iter()
            .filter(|(w, _)| w.chars().count().abs_diff(len) <= max)
            .map(|(w, n)| (strsim::osa_distance(word, w), w.chars().count().abs_diff(len), std::cmp::Reverse(*n), w))
            .filter(|(d, ..)| (1..=max).contains(d))
            .min()
            .map(|(.., w)| w.as_str())
    }

    /// `query` with every unknown word replaced by its closest catalog word, as search
    /// words joined by spaces; None when no word needs (or has) a correction. Numbers and
    /// one-letter words are left as they are.
    pub fn correct(&self, query: &str) -> Option<String> {
        let words = search_words(query);
        let last = words.len().checked_sub(1)?;
        let mut changed = false;
        let corrected: Vec<&str> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if w.chars().count() < 2 || w.chars().all(char::is_numeric) || self.knows(w, i == last) {
                    return w.as_str();
                }
                match self.closest(w) {
                    Some(c) => {
                        changed = true;
                        c
                    }
                    None => w.as_str(),
                }
            })
            .collect();
        changed.then(|| corrected.join(" "))
    }
}

/// The vocabulary, built on first use and again once it is older than
/// [`Vocabulary::MAX_AGE`].
#[derive(Default)]
pub struct VocabularyCache {
    built: Mutex<Option<(Instant, Arc<Vocabulary>)>>,
}

impl VocabularyCache {
    /// The current vocabulary (read from the tables if there is none or it is old).
    pub async fn get(&self, pool: &crate::db::Pool) -> sqlx::Result<Arc<Vocabulary>> {
        if let Some((at, v)) = self.built.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
            && at.elapsed() < Vocabulary::MAX_AGE
        {
            return Ok(v.clone());
        }
        let v = Arc::new(load(pool).await?);
        *self.built.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), v.clone()));
        Ok(v)
    }
}

/// Reads the vocabulary of the products buyers can see.
async fn load(pool: &crate::db::Pool) -> sqlx::Result<Vocabulary> {
    let rows = sqlx::query(&format!(
        "SELECT p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, c.name AS coop_name, c.province_code
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE {VISIBLE}"
    ))
    .fetch_all(pool)
    .await?;
    let province = |code: i64| u8::try_from(code).ok().and_then(geo::province).map(|p| p.short_name).unwrap_or("");
    let mut texts = Vec::with_capacity(rows.len());
    for row in &rows {
        let category = Category::from_code(row.try_get("category")?)
            .map(|c| format!("{} {}", c.name(domain::Lang::Vi), c.name(domain::Lang::En)))
            .unwrap_or_default();
        texts.push(format!(
            "{} {} {} {} {} {} {}",
            row.try_get::<&str, _>("name_vi")?,
            row.try_get::<&str, _>("name_en")?,
            row.try_get::<&str, _>("brand")?,
            category,
            row.try_get::<&str, _>("coop_name")?,
            province(row.try_get("origin_province_code")?),
            province(row.try_get("province_code")?),
        ));
    }
    Ok(Vocabulary::from_texts(texts.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::from_texts([
            "Nước mắm cá cơm Phú Quốc",
            "Nước mắm nhĩ 40N",
            "Xoài cát Hòa Lộc",
            "Xoài cát chu",
            "Cà phê Robusta",
            "Gạo ST25 Mỹ Xuyên",
            "Mật ong hoa cà phê",
        ])
    }

    #[test]
    fn corrects_one_mistyped_word_to_the_closest_catalog_word() {
        let v = vocabulary();
        assert_eq!(v.correct("nuoc mamm").as_deref(), Some("nuoc mam"));
        // Two letters swapped is one edit; the word of the same length wins over "ca".
        assert_eq!(v.correct("xoai cta").as_deref(), Some("xoai cat"));
        assert_eq!(v.correct("Nươc mắn").as_deref(), Some("nuoc mam"));
        assert_eq!(v.correct("robutsa").as_deref(), Some("robusta"));
    }

    #[test]
    fn leaves_known_words_prefixes_and_numbers_alone() {
        let v = vocabulary();
        assert_eq!(v.correct("nuoc mam"), None);
        // The last word is a prefix, as search takes it.
        assert_eq!(v.correct("xoai ca"), None);
        assert_eq!(v.correct("gao st 26"), None);
        // Nothing close: no suggestion rather than a wild one.
        assert_eq!(v.correct("zzzzqq"), None);
        assert_eq!(v.correct("  "), None);
    }
}
