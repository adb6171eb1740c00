//! The demo catalog (`seed/demo.json`): real regional specialties of cooperatives in
//! the post-2025 provinces. Loaded into an empty database on first start.
//!
//! The JSON is read into domain types, so the seed obeys the same rules as user input:
//! a bad phone, GTIN, date or category fails the load (and the unit test below).

use crate::{
    clock::Clock,
    db::{
        Pool,
        products::{insert_certification, refresh_product_aggregates},
        search,
    },
};

pub mod generate;
pub mod lots;
pub mod promotion;
use domain::{
    catalog::{Category, CertKind, CoopKind, CoopStatus, Date, ProductStatus},
    gtin::Gtin,
    money::Vnd,
    phone::Phone,
};
use serde::Deserialize;
use sqlx::SqliteConnection;
use time::Duration;

pub const DEMO_JSON: &str = include_str!("../../seed/demo.json");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demo {
    pub cooperatives: Vec<DemoCooperative>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCooperative {
    pub slug: String,
    pub name: String,
    pub kind: CoopKind,
    pub province_code: u8,
    pub commune_code: u32,
    pub commune_name: String,
    pub street: String,
    pub founded_year: u16,
    pub member_count: u32,
    pub sectors_vi: Vec<String>,
    pub story_vi: String,
    pub story_en: String,
    pub phone: Phone,
    pub bank: DemoBank,
    pub status: CoopStatus,
    pub days_ago: i64,
    pub banner: String,
    pub products: Vec<DemoProduct>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoBank {
    pub bin: String,
    pub account_number: String,
    pub account_name: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoProduct {
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub brand: String,
    pub category: Category,
    pub origin_province_code: u8,
    pub ocop_stars: u8,
    pub image: String,
    pub certifications: Vec<DemoCertification>,
    pub variants: Vec<DemoVariant>,
    pub status: ProductStatus,
    pub days_ago: i64,
    pub sold: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCertification {
    pub kind: CertKind,
    pub number: String,
    pub issuer: String,
    pub expires_on: Date,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoVariant {
    pub label: String,
    pub unit: String,
    pub net_weight_g: u32,
    pub price: Vnd,
    pub stock: u32,
    #[serde(default)]
    pub gtin: Option<Gtin>,
}

pub fn demo() -> anyhow::Result<Demo> {
    Ok(serde_json::from_str(DEMO_JSON)?)
}

/// The illustration shipped in `public/images/products/` for a key.
pub fn illustration_url(key: &str) -> String {
    format!("/images/products/{key}.svg")
}

pub async fn is_empty(pool: &Pool) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cooperatives").fetch_one(pool).await?;
    Ok(n == 0)
}

/// The password of every demo account (demo database only; listed in the README).
pub const DEMO_PASSWORD: &str = "chohtx-demo-2026";
/// The demo buyer, staff officer, and the e-mail domain of the cooperatives' demo accounts.
pub const DEMO_BUYER_EMAIL: &str = "nguoimua@demo.chohtx.vn";
pub const DEMO_BUYER_PHONE: &str = "+84901234567";
pub const DEMO_STAFF_EMAIL: &str = "canbo@demo.chohtx.vn";

/// The demo admin and member of a cooperative: `admin.{slug}@…` and `thanhvien.{slug}@…`.
pub fn demo_member_email(role: domain::account::MemberRole, coop_slug: &str) -> String {
    let who = match role {
        domain::account::MemberRole::Admin => "admin",
        domain::account::MemberRole::Member => "thanhvien",
    };
    format!("{who}.{coop_slug}@demo.chohtx.vn")
}

const DEMO_NAMES: &[&str] = &[
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Lê Văn Phúc",
    "Phạm Thị Mai",
    "Huỳnh Văn Tài",
    "Võ Thị Hồng",
    "Đặng Văn Sơn",
    "Bùi Thị Thu",
    "Đỗ Văn Nam",
    "Hồ Thị Hạnh",
    "Ngô Văn Lợi",
    "Dương Thị Ngọc",
];

/// Loads the demo catalog and its demo accounts in one transaction. Returns the number
/// of products.
pub async fn load_demo(pool: &Pool, clock: &Clock) -> anyhow::Result<usize> {
    let demo = demo()?;
    // One hash for every demo account: the demo password is public anyway, and
    // hashing it 50 times would slow every start of a fresh database.
    let hash = crate::auth::hash_password(DEMO_PASSWORD.into()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = clock.now_rfc3339();
    let mut tx = pool.begin().await?;
    let mut products = 0;
    let mut names = DEMO_NAMES.iter().cycle();
    for coop in &demo.cooperatives {
        let coop_id = insert_cooperative(&mut tx, coop, clock).await?;
        for p in &coop.products {
            insert_product(&mut tx, coop_id, p, clock).await?;
            products += 1;
        }
        for role in domain::account::MemberRole::ALL {
            let login = domain::account::Login::Email(demo_member_email(*role, &coop.slug));
            let name = names.next().expect("cycle never ends");
            let user_id = crate::auth::create_user(&mut tx, name, &login, &hash, false, &now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            sqlx::query("INSERT INTO memberships (user_id, cooperative_id, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(user_id)
                .bind(coop_id)
                .bind(role)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
        }
    }
    let buyer = "Nguyễn Thị Minh Anh";
    sqlx::query(
        "INSERT INTO users (name, email, phone, password_hash, is_staff, created_at) VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(buyer)
    .bind(DEMO_BUYER_EMAIL)
    .bind(DEMO_BUYER_PHONE)
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO users (name, email, password_hash, is_staff, created_at) VALUES ($1, $2, $3, 1, $4)")
        .bind("Lý Thị Xuân")
        .bind(DEMO_STAFF_EMAIL)
        .bind(&hash)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    promotion::load_demo(&mut tx, clock).await?;
    lots::seed_demo_lots(&mut tx, clock).await?;
    tx.commit().await?;
    Ok(products)
}

fn ago(clock: &Clock, days: i64) -> String {
    crate::clock::rfc3339(clock.now() - Duration::days(days))
}

pub async fn insert_cooperative(
    conn: &mut SqliteConnection,
    c: &DemoCooperative,
    clock: &Clock,
) -> anyhow::Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO cooperatives (slug, name, kind, province_code, commune_code, commune_name, street, founded_year,
            member_count, sectors, story_vi, story_en, phone, banner_url, bank_bin, bank_account, bank_account_name, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
    )
    .bind(&c.slug)
    .bind(&c.name)
    .bind(c.kind)
    .bind(i64::from(c.province_code))
    .bind(i64::from(c.commune_code))
    .bind(&c.commune_name)
    .bind(&c.street)
    .bind(i64::from(c.founded_year))
    .bind(i64::from(c.member_count))
    .bind(serde_json::to_string(&c.sectors_vi)?)
    .bind(&c.story_vi)
    .bind(&c.story_en)
    .bind(c.phone.e164())
    .bind(illustration_url(&c.banner))
    .bind(&c.bank.bin)
    .bind(&c.bank.account_number)
    .bind(&c.bank.account_name)
    .bind(c.status)
    .bind(ago(clock, c.days_ago))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn insert_product(
    conn: &mut SqliteConnection,
    coop_id: i64,
    p: &DemoProduct,
    clock: &Clock,
) -> anyhow::Result<i64> {
    let created = ago(clock, p.days_ago);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (cooperative_id, slug, name_vi, name_en, description_vi, description_en, brand, category,
            origin_province_code, ocop_stars, status, sold_count, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(coop_id)
    .bind(&p.slug)
    .bind(&p.name_vi)
    .bind(&p.name_en)
    .bind(&p.description_vi)
    .bind(&p.description_en)
    .bind(&p.brand)
    .bind(p.category)
    .bind(i64::from(p.origin_province_code))
    .bind(i64::from(p.ocop_stars))
    .bind(p.status)
    .bind(p.sold)
    .bind(&created)
    .fetch_one(&mut *conn)
    .await?;
    for (pos, v) in p.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO variants (product_id, position, label, unit, net_weight_g, price, stock, gtin)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(pos as i64)
        .bind(&v.label)
        .bind(&v.unit)
        .bind(i64::from(v.net_weight_g))
        .bind(v.price.dong())
        .bind(i64::from(v.stock))
        .bind(v.gtin.as_ref().map(Gtin::as_str))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO product_images (product_id, position, url, alt_vi, alt_en, width, height) VALUES ($1, 0, $2, $3, $4, 400, 300)",
    )
    .bind(id)
    .bind(illustration_url(&p.image))
    .bind(&p.name_vi)
    .bind(&p.name_en)
    .execute(&mut *conn)
    .await?;
    for c in &p.certifications {
        insert_certification(&mut *conn, id, c.kind, &c.number, &c.issuer, &c.expires_on).await?;
    }
    refresh_product_aggregates(conn, id).await?;
    search::index_product(conn, id).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_catalog_meets_the_brief() {
        let demo = demo().expect("demo.json matches the seed schema and domain rules");
        assert!(demo.cooperatives.len() >= 12);
        let provinces: HashSet<u8> = demo.cooperatives.iter().map(|c| c.province_code).collect();
        assert!(provinces.len() >= 8, "{provinces:?}");
        for p in &provinces {
            assert!(domain::geo::province(*p).is_some(), "province {p} does not exist after 2025");
        }
        let products: Vec<&DemoProduct> = demo.cooperatives.iter().flat_map(|c| &c.products).collect();
        assert!(products.len() >= 60);
        for cat in Category::ALL {
            assert!(products.iter().any(|p| p.category == *cat), "no product in {cat}");
        }
        let slugs: HashSet<&str> = products.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), products.len(), "product slugs are unique");
        for p in &products {
            assert!(domain::text::is_slug(&p.slug), "{}", p.slug);
            assert!(!p.variants.is_empty(), "{} has no variant", p.slug);
            assert!(p.ocop_stars <= 5);
            assert!(p.variants.iter().all(|v| v.price > Vnd::ZERO));
            // Demo GTINs use GS1's example prefix 952 so they cannot collide with real goods.
            for g in p.variants.iter().filter_map(|v| v.gtin.as_ref()) {
                assert!(g.as_str().starts_with("0952"), "{g}");
            }
        }
    }

    #[test]
    fn every_illustration_exists() {
        let demo = demo().unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/images/products");
        for key in
            demo.cooperatives.iter().flat_map(|c| std::iter::once(&c.banner).chain(c.products.iter().map(|p| &p.image)))
        {
            assert!(dir.join(format!("{key}.svg")).exists(), "missing illustration {key}");
        }
    }
}
