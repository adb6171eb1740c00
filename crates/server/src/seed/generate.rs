//! A large synthetic catalog for benchmarks: the demo products varied by region, brand
//! and pack, spread over many cooperatives. Deterministic for a given size.

use crate::{
    clock::Clock,
    db::{Pool, search},
    seed,
};
use domain::{geo::PROVINCES, gtin, money::Vnd};

const BATCH: usize = 2_000;
const PRODUCTS_PER_COOP: usize = 40;

const QUALIFIERS: [&str; 12] = [
    "Thượng hạng",
    "Đặc biệt",
    "Hữu cơ",
    "Truyền thống",
    "Loại 1",
    "Xuất khẩu",
    "Gia đình",
    "Quà Tết",
    "Sạch",
    "Tươi",
    "Sấy lạnh",
    "Cao cấp",
];

/// Appends `products` generated products (and their cooperatives) to the database.
pub async fn generate_catalog(pool: &Pool, products: usize, clock: &Clock) -> anyhow::Result<()> {
    let demo = seed::demo()?;
    let templates: Vec<(&seed::DemoCooperative, &seed::DemoProduct)> =
        demo.cooperatives.iter().flat_map(|c| c.products.iter().map(move |p| (c, p))).collect();
    let mut rng = fastrand::Rng::with_seed(2025);
    let mut made = 0;
    let mut coop_id = 0;
    let mut gtin_serial: u64 = 500_000; // above the demo range
    while made < products {
        let mut tx = pool.begin().await?;
        for _ in 0..BATCH.min(products - made) {
            if made % PRODUCTS_PER_COOP == 0 {
                let (base, _) = templates[rng.usize(..templates.len())];
                let n = made / PRODUCTS_PER_COOP;
                let province = PROVINCES[rng.usize(..PROVINCES.len())];
                let mut coop = base.clone();
                coop.products.clear();
                coop.slug = format!("htx-mau-{n}");
                coop.name = format!("HTX {} số {n}", province.short_name);
                coop.province_code = province.code;
                coop.status = domain::catalog::CoopStatus::Approved;
                coop.days_ago = rng.i64(30..1500);
                coop_id = seed::insert_cooperative(&mut tx, &coop, clock).await?;
            }
            let (_, t) = templates[rng.usize(..templates.len())];
            let q = QUALIFIERS[rng.usize(..QUALIFIERS.len())];
            let province = PROVINCES[rng.usize(..PROVINCES.len())];
            let factor = 80 + rng.i64(0..60);
            let variants = t
                .variants
                .iter()
                .map(|v| seed::DemoVariant {
                    label: v.label.clone(),
                    unit: v.unit.clone(),
                    net_weight_g: v.net_weight_g,
                    price: Vnd::new((v.price.dong() * factor / 100 / 1000).max(1) * 1000),
                    stock: rng.u32(0..300),
                    gtin: v.gtin.as_ref().map(|_| {
                        gtin_serial += 1;
                        let data = format!("0952123{gtin_serial:06}");
                        let digits: Vec<u8> = data.bytes().map(|b| b - b'0').collect();
                        gtin::Gtin::parse(&format!("{data}{}", gtin::check_digit(&digits)))
                            .expect("valid by construction")
                    }),
                })
                .collect();
            let p = seed::DemoProduct {
                slug: format!("{}-{made}", t.slug),
                name_vi: format!("{} {q} {}", t.name_vi, province.short_name),
                name_en: format!("{} ({})", t.name_en, province.short_name),
                description_vi: t.description_vi.clone(),
                description_en: t.description_en.clone(),
                brand: format!("{} {}", t.brand, made % 97),
                category: t.category,
                origin_province_code: province.code,
                ocop_stars: t.ocop_stars,
                image: t.image.clone(),
                certifications: Vec::new(),
                variants,
                status: domain::catalog::ProductStatus::Published,
                days_ago: rng.i64(0..1000),
                sold: rng.i64(0..5000),
            };
            seed::insert_product(&mut tx, coop_id, &p, clock).await?;
            made += 1;
        }
        tx.commit().await?;
    }
    // A bulk load: merge the search index's per-transaction segments into one.
    search::optimize(pool).await?;
    Ok(())
}
