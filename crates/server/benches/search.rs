//! Catalog search on a 100,000-product catalog: prints p50/p95/max server time per query
//! (the time `catalog::find_products` takes: count, page, images, certifications).
//!
//! `cargo bench -p chohtx-server --bench search` (PRODUCTS=… to change the size).

use chohtx_server::{Config, catalog::find_products, generate::generate_catalog, prepare};
use domain::query::{ProductQuery, Sort};
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let products: usize = std::env::var("PRODUCTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let mut config = Config::for_tests(format!("sqlite://{}", dir.path().join("bench.db").display()));
    config.seed_demo = true;
    let state = prepare(config).await?;
    let started = Instant::now();
    generate_catalog(&state.db, products, &state.clock).await?;
    sqlx::query("ANALYZE").execute(&state.db).await?;
    println!("catalog: {products} generated products + demo, built in {:.1?}", started.elapsed());

    let q = |text: &str| ProductQuery { q: Some(text.to_owned()), ..Default::default() };
    let cases: Vec<(&str, ProductQuery)> = vec![
        ("q=gao st25", q("gao st25")),
        ("q=Gạo ST25 (diacritics)", q("Gạo ST25")),
        ("q=ca phe", q("ca phe")),
        ("q=nuoc mam phu quoc", q("nuoc mam phu quoc")),
        ("q=b (one letter, many hits)", q("b")),
        ("q=xoai, province=82, in_stock", ProductQuery { province: Some(82), in_stock: true, ..q("xoai") }),
        ("q=buoi, sort=price_asc", ProductQuery { sort: Sort::PriceAsc, ..q("buoi") }),
        ("q=mat ong, page=5", ProductQuery { page: 5, ..q("mat ong") }),
        ("no q, category=fruit, newest", ProductQuery { category: Some(domain::catalog::Category::Fruit), ..Default::default() }),
        ("no q, best_selling", ProductQuery { sort: Sort::BestSelling, ..Default::default() }),
    ];
    let mut all = Vec::new();
    println!("{:<36} {:>10} {:>10} {:>10} {:>9}", "query", "p50", "p95", "max", "hits");
    for (name, query) in &cases {
        let mut times = Vec::with_capacity(RUNS);
        let mut hits = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = find_products(&state, query).await?;
            times.push(t.elapsed());
            hits = page.total;
        }
        times.sort();
        println!("{name:<36} {:>10} {:>10} {:>10} {hits:>9}", ms(percentile(&times, 0.5)), ms(percentile(&times, 0.95)), ms(*times.last().unwrap()));
        all.extend(times);
    }
    all.sort();
    println!("{:<36} {:>10} {:>10} {:>10}", "all queries", ms(percentile(&all, 0.5)), ms(percentile(&all, 0.95)), ms(*all.last().unwrap()));
    println!("budget: p95 ≤ 10 ms per query");
    Ok(())
}
