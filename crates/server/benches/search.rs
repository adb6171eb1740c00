//! Catalog search on a 100,000-product catalog: prints p50/p95/max server time per query
//! (the time `catalog::find_products` takes, as the API handler calls it: the capped count,
//! the ranked page, its images and certifications) and whether every query keeps its p95
//! within the budget.
//!
//! `cargo bench -p chohtx-server --bench search`. `PRODUCTS=…` changes the catalog size;
//! `BENCH_DB=path.db` keeps the generated database there and reuses it on the next run
//! (delete it after a schema change). `ONLY=text` runs only the queries whose name contains
//! it; `RUST_LOG=sqlx=debug` prints each statement as run.

use chohtx_server::{Config, api::catalog::find_products, prepare, seed::generate::generate_catalog};
use domain::{
    api::COUNT_LIMIT,
    catalog::Category,
    query::{ProductQuery, Sort},
};
use std::time::{Duration, Instant};

const RUNS: usize = 200;
const WARM_UP: usize = 5;
const BUDGET: Duration = Duration::from_millis(10);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let only = std::env::var("ONLY").unwrap_or_default();
    let products: usize = std::env::var("PRODUCTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let path = std::env::var_os("BENCH_DB").map(Into::into).unwrap_or_else(|| dir.path().join("bench.db"));
    let reuse = path.exists();
    let mut config = Config::for_tests(format!("sqlite://{}", path.display()));
    config.seed_demo = true;
    let state = prepare(config).await?;
    if reuse {
        println!("catalog: reusing {}", path.display());
    } else {
        let started = Instant::now();
        generate_catalog(&state.db, products, &state.clock).await?;
        sqlx::query("ANALYZE").execute(&state.db).await?;
        println!("catalog: {products} generated products + demo, built in {:.1?}", started.elapsed());
    }

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
        ("q=ca phe, sort=newest", ProductQuery { sort: Sort::Newest, ..q("ca phe") }),
        (
            "q=gao, category=rice, price≤200k",
            ProductQuery {
                category: Some(Category::RiceGrains),
                max_price: Some(domain::money::Vnd::new(200_000)),
                ..q("gao")
            },
        ),
        ("no q, category=fruit, newest", ProductQuery { category: Some(Category::Fruit), ..Default::default() }),
        ("no q, best_selling", ProductQuery { sort: Sort::BestSelling, ..Default::default() }),
        (
            "no q, price_desc, in_stock, page=3",
            ProductQuery { sort: Sort::PriceDesc, in_stock: true, page: 3, ..Default::default() },
        ),
    ];
    let mut all = Vec::new();
    let mut over = Vec::new();
    let rule = "-".repeat(86);
    println!("{rule}");
    println!("{:<36} {:>10} {:>10} {:>10} {:>9}  p95 ≤ 10 ms", "query", "p50", "p95", "max", "total");
    println!("{rule}");
    for (name, query) in cases.iter().filter(|(name, _)| name.contains(&only)) {
        for _ in 0..WARM_UP {
            find_products(&state, query).await?;
        }
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = find_products(&state, query).await?;
            times.push(t.elapsed());
            total = page.total;
        }
        times.sort();
        let p95 = percentile(&times, 0.95);
        let total = if total > COUNT_LIMIT { format!("{COUNT_LIMIT}+") } else { total.to_string() };
        let verdict = if p95 <= BUDGET { "yes" } else { "NO" };
        println!(
            "{name:<36} {:>10} {:>10} {:>10} {total:>9}  {verdict}",
            ms(percentile(&times, 0.5)),
            ms(p95),
            ms(*times.last().unwrap())
        );
        if p95 > BUDGET {
            over.push(*name);
        }
        all.extend(times);
    }
    all.sort();
    println!("{rule}");
    println!(
        "{:<36} {:>10} {:>10} {:>10}",
        "all queries",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95)),
        ms(*all.last().unwrap())
    );
    if over.is_empty() {
        println!("budget met: p95 ≤ {} for all {} queries ({products} products)", ms(BUDGET), cases.len());
    } else {
        println!(
            "budget NOT met: p95 > {} for {} of {} queries: {}",
            ms(BUDGET),
            over.len(),
            cases.len(),
            over.join("; ")
        );
    }
    Ok(())
}
