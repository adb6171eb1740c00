//! Vietnamese text folding, the one rule search uses on both sides.

/// `text` in Unicode normalisation form D (letters and marks apart).
fn nfd(text: &str) -> String {
    normalize(text, "NFD")
}

/// `text` in Unicode normalisation form C (precomposed letters).
fn nfc(text: &str) -> String {
    normalize(text, "NFC")
}

#[cfg(target_arch = "wasm32")]
fn normalize(text: &str, form: &str) -> String {
    js_sys::JsString::from(text).normalize(form).into()
}

#[cfg(not(target_arch = "wasm32"))]
fn normalize(text: &str, form: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if form == "NFD" { text.nfd().collect() } else { text.nfc().collect() }
}

/// Folds text for matching: removes tone and vowel marks, maps đ/Đ to d, lowercases.
/// "Gạo ST25", "GẠO ST25" and "gao st25" all fold to "gao st25"; "hoà" and "hòa" agree.
pub fn fold(text: &str) -> String {
    lowercase(&strip_marks(text))
}

/// Unicode's default lower case (the browser's own `toLowerCase` in wasm: no case tables
/// in the bundles).
#[cfg(target_arch = "wasm32")]
fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

/// Removes tone and vowel marks and maps đ→d, Đ→D, keeping case: "Đơn hàng" → "Don hang".
/// NFD splits every Vietnamese mark off its letter except đ, which has no decomposition.
pub fn strip_marks(text: &str) -> String {
    without_marks(&nfd(text))
        .chars()
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// `text` without its combining marks (General Category M): in the browser its own
/// `\p{M}`, so the wasm bundles carry no table of marks (15 KB that hardly compress).
#[cfg(target_arch = "wasm32")]
fn without_marks(text: &str) -> String {
    thread_local! {
        static MARKS: js_sys::RegExp = js_sys::RegExp::new(r"\p{M}", "gu");
    }
    MARKS.with(|marks| js_sys::JsString::from(text).replace_by_pattern(marks, "")).into()
}

#[cfg(not(target_arch = "wasm32"))]
fn without_marks(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    text.chars().filter(|c| !is_combining_mark(*c)).collect()
}

/// The folded words of `text`: runs of letters and digits.
pub fn fold_words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The words search indexes and looks for: the folded words, each split where letters
/// meet digits. The one rule both sides use (the server's index and its queries, the
/// browser's highlighting), so "gao st 25", "ST-25", "ST25" and "st25" all give
/// `["st", "25"]` after "gao": however a buyer types a grade or a weight, it is found.
pub fn search_words(text: &str) -> Vec<String> {
    fold_words(text).iter().flat_map(|w| split_letters_and_digits(w)).map(str::to_owned).collect()
}

/// `word` cut where a run of digits starts or ends: "st25" → "st", "25"; "500g" → "500", "g".
fn split_letters_and_digits(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let end = rest.find(|c: char| c.is_numeric() != first.is_numeric()).unwrap_or(rest.len());
        let (part, tail) = rest.split_at(end);
        rest = tail;
        Some(part)
    })
}

/// A URL slug: folded words joined by '-'. "Gạo ST25 Mỹ Xuyên" → "gao-st25-my-xuyen".
pub fn slugify(text: &str) -> String {
    fold_words(text).join("-")
}

/// Whether `s` is a well-formed slug: lowercase ASCII letters, digits and single inner dashes.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Byte ranges of `text` whose folded form matches one of `query`'s folded words as a
/// prefix of a word: what a suggestion list highlights. Ranges are on char boundaries.
/// Words are cut as [`search_words`] cuts them: "st25" highlights "ST" and "25" of "ST25".
pub fn highlight_ranges(text: &str, query: &str) -> Vec<(usize, usize)> {
    let words = search_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    let mut word_start: Option<usize> = None;
    let flush = |start: usize, end: usize, ranges: &mut Vec<(usize, usize)>| {
        let original = &text[start..end];
        let folded: Vec<(usize, String)> =
            original.char_indices().map(|(i, c)| (i, fold(c.encode_utf8(&mut [0; 4])))).collect();
        for w in &words {
            // Walk chars until the folded prefix covers the query word.
            let mut acc = String::new();
            for (k, (_, f)) in folded.iter().enumerate() {
                acc.push_str(f);
                if acc.len() >= w.len() {
                    if acc.starts_with(w.as_str()) {
                        let end_byte = folded.get(k + 1).map_or(original.len(), |(i, _)| *i);
                        ranges.push((start, start + end_byte));
                    }
                    break;
                }
            }
        }
    };
    let mut digits = false;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            // Letters meeting digits start a new word, as in `search_words`.
            if word_start.is_some() && c.is_numeric() != digits {
                let s = word_start.take().unwrap_or(i);
                flush(s, i, &mut ranges);
            }
            digits = c.is_numeric();
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take() {
            flush(s, i, &mut ranges);
        }
    }
    if let Some(s) = word_start {
        flush(s, text.len(), &mut ranges);
    }
    ranges.sort_unstable();
    ranges.dedup();
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Gạo ST25"), "gao st25");
        assert_eq!(fold("GẠO ST25"), "gao st25");
        assert_eq!(fold("gao st25"), "gao st25");
        assert_eq!(fold("Cà phê Buôn Ma Thuột"), "ca phe buon ma thuot");
        assert_eq!(fold("Nước mắm"), "nuoc mam");
    }

    #[test]
    fn maps_d_with_stroke_which_does_not_decompose() {
        // standards.md §4: stripping marks alone gives "ĐAK LAK".
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(fold("Đồng Tháp"), "dong thap");
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
    }

    #[test]
    fn old_and_new_tone_placement_agree() {
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Thanh Hoá"), "thanh hoa");
    }

    #[test]
    fn precomposed_and_decomposed_input_agree() {
        let decomposed = nfd("Cần Thơ");
        assert_eq!(fold(&decomposed), fold("Cần Thơ"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Gạo ST25 Mỹ Xuyên"), "gao-st25-my-xuyen");
        assert_eq!(slugify("  Bưởi — Năm Roi!! "), "buoi-nam-roi");
        assert!(is_slug("gao-st25"));
        assert!(!is_slug("Gao"));
        assert!(!is_slug("-gao"));
        assert!(!is_slug("gao--st25"));
        assert!(!is_slug(""));
    }

    #[test]
    fn highlights_folded_prefix_matches_in_the_original_text() {
        let text = "Gạo ST25 Mỹ Xuyên";
        let r = highlight_ranges(text, "gao xuy");
        let parts: Vec<&str> = r.iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(parts, vec!["Gạo", "Xuy"]);
        assert!(highlight_ranges(text, "   ").is_empty());
        assert!(highlight_ranges(text, "lua").is_empty());
        let parts: Vec<&str> = highlight_ranges(text, "st25").iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(parts, vec!["ST", "25"]);
    }

    #[test]
    fn search_words_split_letters_from_digits_the_same_however_typed() {
        let expected = vec!["gao", "st", "25"];
        for typed in ["gao st 25", "gao st-25", "Gạo ST25", "gao st25", "GẠO  ST 25 "] {
            assert_eq!(search_words(typed), expected, "{typed:?}");
        }
        assert_eq!(search_words("Nước mắm 500ml 40N"), vec!["nuoc", "mam", "500", "ml", "40", "n"]);
        assert_eq!(search_words("A1B2"), vec!["a", "1", "b", "2"]);
        assert!(search_words(" -- ").is_empty());
        // Slugs keep whole words.
        assert_eq!(slugify("Gạo ST25"), "gao-st25");
    }
}

/// Free text as it is stored: NFC (a decomposed "Nguyễn", e + two combining marks, becomes
/// the precomposed letters), without surrounding white space. Every text field goes
/// through it (`validate::Errors::text`, `optional_text`).
pub fn clean_text(value: &str) -> String {
    let nfc = nfc(value);
    match nfc.trim() {
        t if t.len() == nfc.len() => nfc,
        t => t.to_owned(),
    }
}

/// A sort key that orders Vietnamese names as people expect: base letters first
/// (with Ă Â after A, Đ after D, Ê after E, Ô Ơ after O, Ư after U), tones as a tie-break.
/// Codepoint order would put Á, Đ and Ư after Z.
pub fn vietnamese_sort_key(text: &str) -> (Vec<u32>, String) {
    let toneless: String = nfd(text)
        .chars()
        .filter(|c| !matches!(*c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
        .collect();
    let base: Vec<u32> = lowercase(&nfc(&toneless))
        .chars()
        .map(|c| {
            const ORDER: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
            match ORDER.chars().position(|o| o == c) {
                Some(i) => 0x100 + i as u32,
                // Spaces, punctuation and digits before every letter, so a shorter word
                // comes first: "Cà Mau" before "Cao Bằng", "Hà Nội" before "Hải Phòng".
                None if c.is_ascii() => c as u32,
                None => c as u32 + 0x1000,
            }
        })
        .collect();
    (base, text.to_owned())
}

#[cfg(test)]
mod sort_tests {
    use super::vietnamese_sort_key;

    #[test]
    fn orders_like_the_vietnamese_alphabet() {
        // standards.md §4 (icu_collator, locale vi).
        let mut names =
            vec!["Ưng", "Đào", "Anh", "Ăn", "Tư", "Duy", "Âu", "Ơn", "Ánh", "Ôn", "Dương", "Từ", "Tú", "Uyên", "Đặng"];
        names.sort_by_cached_key(|n| vietnamese_sort_key(n));
        assert_eq!(
            names,
            vec!["Anh", "Ánh", "Ăn", "Âu", "Duy", "Dương", "Đào", "Đặng", "Ôn", "Ơn", "Tú", "Tư", "Từ", "Uyên", "Ưng"]
        );
    }

    #[test]
    fn a_word_that_ends_comes_before_a_longer_one() {
        // A collation, not code points: the space ends the first word.
        for (first, second) in [("Cà Mau", "Cao Bằng"), ("Hà Nội", "Hải Phòng"), ("An Giang", "Anh")] {
            assert!(vietnamese_sort_key(first) < vietnamese_sort_key(second), "{first} before {second}");
        }
        let mut names = vec!["Hải Phòng", "Cao Bằng", "Hà Nội", "Cà Mau", "Hà Tĩnh"];
        names.sort_by_cached_key(|n| vietnamese_sort_key(n));
        assert_eq!(names, vec!["Cà Mau", "Cao Bằng", "Hà Nội", "Hà Tĩnh", "Hải Phòng"]);
    }
}
