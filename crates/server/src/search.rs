//! The product search index (SQLite FTS5 over text folded by `domain::text::fold`).

use domain::{catalog::Category, geo, text::fold, text::fold_words};
use sqlx::Row;

/// The FTS5 query for a buyer's text: every folded word must match as a word prefix,
/// so "gao st2" finds "Gạo ST25" while typing. `None` when nothing searchable is left.
pub fn match_expression(query: &str) -> Option<String> {
    let words = fold_words(query);
    if words.is_empty() {
        return None;
    }
    // fold_words leaves letters and digits only, so quoting cannot be escaped.
    Some(words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "))
}

/// (Re)indexes one product from its stored rows.
pub async fn index_product(conn: &mut sqlx::SqliteConnection, product_id: i64) -> sqlx::Result<()> {
    let row = sqlx::query(
        "SELECT p.name_vi, p.name_en, p.brand, p.category, p.origin_province_code, p.description_vi, c.name AS coop_name, c.province_code AS coop_province
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_one(&mut *conn)
    .await?;
    let name: String = row.get("name_vi");
    let name_en: String = row.get("name_en");
    let brand: String = row.get("brand");
    let category = Category::from_code(row.get::<String, _>("category").as_str());
    let province = |col: &str| {
        geo::province(row.get::<i64, _>(col) as u8).map(|p| p.short_name).unwrap_or_default()
    };
    let names = fold(&format!("{name} {name_en} {brand}"));
    let extra = fold(&format!(
        "{} {} {} {} {}",
        row.get::<String, _>("coop_name"),
        province("origin_province_code"),
        province("coop_province"),
        category.map(|c| c.name(domain::Lang::Vi)).unwrap_or_default(),
        row.get::<String, _>("description_vi"),
    ));
    sqlx::query("DELETE FROM product_search WHERE rowid = $1").bind(product_id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO product_search (rowid, name, extra) VALUES ($1, $2, $3)")
        .bind(product_id)
        .bind(names)
        .bind(extra)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_prefix_queries_from_folded_words() {
        assert_eq!(match_expression("Gạo ST25").as_deref(), Some("\"gao\"* \"st25\"*"));
        assert_eq!(match_expression("  \"; DROP TABLE --").as_deref(), Some("\"drop\"* \"table\"*"));
        assert_eq!(match_expression(" *** "), None);
    }
}
