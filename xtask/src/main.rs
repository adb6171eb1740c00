//! Project automation. The two commands users need:
//!
//! - `cargo xtask run`:  install what is missing, build the app, serve it with the demo data;
//! - `cargo xtask test`: install what is missing, then run every test (unit, API, browser).
//!
//! Also `cargo xtask build` (the app into `dist/`, precompressed) and `cargo xtask sizes`.

mod fuzz;
mod lighthouse;
mod tools;

use anyhow::{Context, Result, bail};
use std::{
    env, fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

fn main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = project_root();
    env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("build") => build_app(),
        Some("sizes") => sizes(),
        Some("lighthouse") => lighthouse::run(&args[1..]),
        Some("fuzz") => fuzz::run(),
        Some("install") => {
            tools::ensure_build_tools().and_then(|_| tools::ensure_test_tools()).and_then(|_| tools::ensure_divisions())
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 run     install missing tools, build the app and serve it at http://127.0.0.1:8080\n\
                 test    install missing tools and run every test\n\
                 build   build the app into dist/ (release, precompressed)\n\
                 sizes   print each built asset's size, raw and compressed, and each bundle's first load\n\
                 lighthouse  build, serve the demo shop and print Lighthouse's mobile figures per page
                     (--no-build: measure the app already in dist/)\n\
                 fuzz    Schemathesis against the API's OpenAPI document, anonymous and signed in\n\
                 install install missing build and test tools only"
            );
            bail!("unknown command")
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// Runs a command, echoing it, failing on a non-zero exit.
pub fn sh(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.status().with_context(|| format!("cannot start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `cargo xtask run`: the shop on the demo database at http://127.0.0.1:8080.
fn run(extra: &[String]) -> Result<()> {
    tools::ensure_divisions()?;
    build_app()?;
    sh(cargo().args(["build", "--release", "-p", "chohtx-server"]))?;
    let mut server = Command::new(Path::new("target/release/chohtx-server"));
    // The server seeds no demo data unless asked; a local run wants the demo shop
    // (`CHOHTX_SEED_DEMO=false` or `--seed-demo false` starts empty).
    if std::env::var_os("CHOHTX_SEED_DEMO").is_none() {
        server.env("CHOHTX_SEED_DEMO", "true");
    }
    server.args(extra);
    sh(&mut server)
}

/// `cargo xtask build`: the app in release mode into `dist/`, then `.br`/`.gz` siblings.
pub fn build_app() -> Result<()> {
    tools::ensure_build_tools()?;
    sh(cargo().arg("fetch"))?;
    // Two bundles (see src/bundles.rs): the storefront's islands into dist/ with the
    // stylesheet and static files (index.html), then the app's into a folder of its own
    // (Trunk empties its dist folder first), whose pkg-app/ joins dist/.
    let trunk_build = || {
        let mut trunk = tools::with_tool_path(Command::new("trunk"));
        trunk.args(["build", "--release", "--offline=true"]);
        trunk
    };
    sh(&mut trunk_build())?;
    let app_dist = Path::new("target/dist-app");
    sh(trunk_build().args(["app.html", "--dist"]).arg(app_dist))?;
    copy_dir(&app_dist.join(APP_PKG), &Path::new("dist").join(APP_PKG))?;
    precompress(Path::new("dist"))?;
    sizes()
}

const APP_PKG: &str = "pkg-app";

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

const COMPRESSIBLE: [&str; 8] = ["html", "js", "wasm", "css", "svg", "json", "webmanifest", "txt"];

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn is_compressible(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data)?;
    Ok(enc.finish()?)
}

/// Writes `file.br` and `file.gz` beside each compressible file, for the server to send as is.
fn precompress(dist: &Path) -> Result<()> {
    for path in files_under(dist)?.into_iter().filter(|p| is_compressible(p)) {
        let data = fs::read(&path)?;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        fs::write(path.with_file_name(format!("{name}.br")), brotli(&data)?)?;
        fs::write(path.with_file_name(format!("{name}.gz")), gzip(&data)?)?;
    }
    Ok(())
}

/// `cargo xtask sizes`: each built asset, raw and brotli, so a change sees what it costs.
fn sizes() -> Result<()> {
    let dist = Path::new("dist");
    let mut total = (0usize, 0usize);
    println!("{:<56} {:>10} {:>10}", "asset (dist/)", "raw", "brotli");
    for path in files_under(dist)?.into_iter().filter(|p| p.extension().is_none_or(|e| e != "br" && e != "gz")) {
        let data = fs::read(&path)?;
        let br = if is_compressible(&path) { brotli(&data)?.len() } else { data.len() };
        total = (total.0 + data.len(), total.1 + br);
        let name = path.strip_prefix(dist)?.display().to_string();
        println!("{name:<56} {:>10} {:>10}", kb(data.len()), kb(br));
    }
    println!("{:<56} {:>10} {:>10}", "total", kb(total.0), kb(total.1));
    // What a first visit downloads besides the page's HTML and images, per bundle, and the
    // budget of a first visit to the home page (HTML + CSS + JS + wasm, brotli; issue #11).
    let bundles = [
        ("storefront islands (pkg/)", &["pkg/chohtx-web.js", "pkg/chohtx-web_bg.wasm", "main.css"][..], Some(250)),
        (
            "app: cart, checkout, accounts, consoles (pkg-app/)",
            &["pkg-app/chohtx-web.js", "pkg-app/chohtx-web_bg.wasm", "main.css", "app.css"][..],
            None,
        ),
    ];
    println!("\n{:<56} {:>10} {:>10}", "bundle: JS + wasm + CSS", "raw", "brotli");
    for (name, files, budget_kb) in bundles {
        let (mut raw, mut br) = (0, 0);
        for f in files {
            let data = fs::read(dist.join(f)).with_context(|| format!("read dist/{f}"))?;
            raw += data.len();
            br += brotli(&data)?.len();
        }
        println!("{name:<56} {:>10} {:>10}", kb(raw), kb(br));
        if let Some(budget) = budget_kb {
            let left = budget as f64 - br as f64 / 1024.0;
            println!(
                "  budget {budget} KB with the page's HTML (goal 200 KB): {}",
                if left >= 0.0 {
                    format!("{left:.1} KB left for the HTML (the home page's is about 5 KB)")
                } else {
                    format!("OVER by {:.1} KB before the HTML", -left)
                }
            );
        }
    }
    Ok(())
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// `cargo xtask test`: every test, as CI runs them, then one closing count.
fn test() -> Result<()> {
    let started = std::time::Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    tools::ensure_divisions()?;
    let mut count = Count::default();
    // 0. Formatting and lints: the committed rustfmt.toml, clippy with warnings as errors on
    //    the native crates and on the app for the browser target.
    count.check(cargo().args(["fmt", "--all", "--check"]));
    let deny_warnings = ["--all-targets", "--", "-D", "warnings"];
    count.check(cargo().args(["clippy", "--workspace", "--exclude", "chohtx-web"]).args(deny_warnings));
    // The app three times: as the browser's two bundles (`hydrate` islands and `csr`, wasm32,
    // the latter with the component tests) and as the server's renderer (`ssr`).
    count.check(
        cargo()
            .args(["clippy", "-p", "chohtx-web", "--features", "csr", "--target", "wasm32-unknown-unknown"])
            .args(deny_warnings),
    );
    count.check(
        cargo()
            .args(["clippy", "-p", "chohtx-web", "--features", "hydrate", "--target", "wasm32-unknown-unknown"])
            .args(["--lib", "--", "-D", "warnings"]),
    );
    count.check(cargo().args(["clippy", "-p", "chohtx-web", "--features", "ssr", "--lib", "--", "-D", "warnings"]));
    // 1. Unit tests of every native crate, and the API integration tests (real server + SQLite).
    count.run(cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "chohtx-web",
        "--exclude",
        "chohtx-e2e",
        "--no-fail-fast",
    ]));
    // The app's own unit tests (time, URLs, page metadata), natively with the server's features.
    count.run(cargo().args(["test", "-p", "chohtx-web", "--features", "ssr", "--lib"]));
    // The API against its own OpenAPI document: Schemathesis, anonymous and signed in.
    let fuzz_started = std::time::Instant::now();
    if let Err(error) = fuzz::run() {
        eprintln!("error: {error:#}");
        count.failed_commands.push("cargo xtask fuzz".into());
    }
    eprintln!("({:.0} s)", fuzz_started.elapsed().as_secs_f64());
    // 2. Component tests in headless Chromium (wasm-bindgen-test; see webdriver.json).
    count.run(
        tools::with_tool_path(cargo())
            .args(["test", "-p", "chohtx-web", "--features", "csr", "--target", "wasm32-unknown-unknown"])
            .args(["--test", "components"])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    );
    // 3. End-to-end journeys: the release app, the real server on a free port with a fresh
    //    database, driven in real Chromium.
    build_app()?;
    count.run(
        cargo()
            .args(["test", "-p", "chohtx-e2e", "--no-fail-fast", "--", "--test-threads=1"])
            .env("CHOHTX_DIST", project_root().join("dist"))
            .env("CHOHTX_AXE", project_root().join(tools::AXE_SCRIPT))
            .env("CHROMEDRIVER", tools::CHROMEDRIVER),
    );
    println!("\nall suites: {} passed, {} failed", count.passed, count.failed);
    eprintln!("test command took {:.1} min", started.elapsed().as_secs_f64() / 60.0);
    if !count.failed_commands.is_empty() {
        bail!("failed:\n  {}", count.failed_commands.join("\n  "));
    }
    Ok(())
}

/// Adds up the `test result:` lines of the test runners while passing their output through.
#[derive(Default)]
struct Count {
    passed: u64,
    failed: u64,
    /// Every suite runs even when an earlier one fails, so one red test hides no other.
    failed_commands: Vec<String>,
}

impl Count {
    /// A check that is not a test runner (formatting, lints): it passes or fails as a whole.
    fn check(&mut self, cmd: &mut Command) {
        let started = std::time::Instant::now();
        if let Err(error) = sh(cmd) {
            eprintln!("error: {error:#}");
            self.failed_commands.push(describe(cmd));
        }
        eprintln!("({:.0} s)", started.elapsed().as_secs_f64());
    }

    fn run(&mut self, cmd: &mut Command) {
        let started = std::time::Instant::now();
        if let Err(error) = self.try_run(cmd) {
            eprintln!("error: {error:#}");
            self.failed_commands.push(describe(cmd));
        }
        eprintln!("({:.0} s)", started.elapsed().as_secs_f64());
    }

    fn try_run(&mut self, cmd: &mut Command) -> Result<()> {
        use std::io::{BufRead, BufReader};
        eprintln!("$ {}", describe(cmd));
        let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().with_context(|| describe(cmd))?;
        for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines() {
            let line = line?;
            println!("{line}");
            if let Some(rest) = line.trim_start().strip_prefix("test result: ") {
                let number = |word: &str| -> u64 {
                    rest.split(';')
                        .find_map(|part| {
                            part.trim()
                                .strip_suffix(word)
                                .map(str::trim)
                                .and_then(|n| n.rsplit(' ').next()?.parse().ok())
                        })
                        .unwrap_or(0)
                };
                self.passed += number("passed");
                self.failed += number("failed");
            }
        }
        let status = child.wait()?;
        if !status.success() {
            bail!("{} failed ({status})", describe(cmd));
        }
        Ok(())
    }
}
