//! `cargo xtask lighthouse`: the release build on the demo data, measured by Lighthouse
//! with its mobile defaults (simulated slow 4G, 4× CPU slowdown) in Debian's Chromium, on
//! the pages buyers land on from shared links: home, a product, a cooperative, a lot.
//! Prints performance, accessibility, LCP, TBT, CLS and bytes per page. These machines
//! are noisy: compare figures from the same run, not across runs.

use crate::{cargo, sh, tools};
use anyhow::{Context, Result, bail};
use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const ADDR: &str = "127.0.0.1:8097";

/// `--no-build` measures the app already in `dist/` (after `cargo xtask build`).
pub fn run(args: &[String]) -> Result<()> {
    tools::ensure_lighthouse()?;
    tools::ensure_divisions()?;
    if !args.iter().any(|a| a == "--no-build") {
        crate::build_app()?;
    }
    sh(cargo().args(["build", "--release", "-p", "chohtx-server"]))?;
    let dir = std::env::temp_dir().join("chohtx-lighthouse");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut server = Command::new(Path::new("target/release/chohtx-server"))
        .env("CHOHTX_ADDR", ADDR)
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("db.sqlite").display()))
        .env("CHOHTX_MEDIA_DIR", dir.join("media"))
        .env("CHOHTX_SEED_DEMO", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("start the server")?;
    let result = measure(&dir);
    let _ = server.kill();
    result
}

fn fetch(path: &str) -> Option<String> {
    let out = Command::new("curl").args(["-sf", &format!("http://{ADDR}{path}")]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn measure(dir: &Path) -> Result<()> {
    let started = Instant::now();
    let sitemap = loop {
        if let Some(s) = fetch("/sitemap.xml") {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not start on {ADDR}");
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let first = |prefix: &str| {
        sitemap
            .split("<loc>")
            .filter_map(|l| l.split("</loc>").next())
            .find(|l| l.contains(prefix))
            .map(|l| l.replace("&amp;", "&"))
    };
    let pages = [
        ("home", Some(format!("http://{ADDR}/"))),
        ("product", first("/san-pham/")),
        ("cooperative", first("/htx/")),
        ("lot", first("/01/")),
    ];
    println!("\n{:<12} {:>5} {:>5} {:>8} {:>8} {:>7} {:>9}  url", "page", "perf", "a11y", "LCP", "TBT", "CLS", "bytes");
    for (name, url) in pages {
        let Some(url) = url else { continue };
        let report = dir.join(format!("{name}.json"));
        let status = Command::new("node")
            .arg(tools::LIGHTHOUSE)
            .arg(&url)
            .args(["--quiet", "--output=json", "--only-categories=performance,accessibility"])
            .arg(format!("--output-path={}", report.display()))
            .arg(
                "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking \
                 --disable-component-update --no-first-run",
            )
            .env("CHROME_PATH", tools::CHROMIUM)
            .status()?;
        if !status.success() {
            println!("{name:<12} lighthouse failed ({status})");
            continue;
        }
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report)?)?;
        let score =
            |c: &str| json["categories"][c]["score"].as_f64().map_or("-".into(), |s| format!("{:.0}", s * 100.0));
        let audit = |a: &str| json["audits"][a]["numericValue"].as_f64().unwrap_or(f64::NAN);
        println!(
            "{name:<12} {:>5} {:>5} {:>7.2}s {:>6.0}ms {:>7.3} {:>7.0}KB  {url}",
            score("performance"),
            score("accessibility"),
            audit("largest-contentful-paint") / 1000.0,
            audit("total-blocking-time"),
            audit("cumulative-layout-shift"),
            audit("total-byte-weight") / 1024.0,
        );
    }
    Ok(())
}
