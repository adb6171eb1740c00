//! Installs the build and test tools when missing, each at the version the project pins.
//! A second run finds them and skips the install. Nothing here downloads a prebuilt binary
//! from outside the package registries: Rust tools build from crates.io, wasm-opt comes
//! from npm's binaryen package, Chromium from Debian.

use crate::sh;
use anyhow::{Context, Result, bail};
use std::{path::Path, process::Command};

pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate pinned in Cargo.toml, or Trunk tries a download.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const BINARYEN_VERSION: &str = "132";
/// Where npm puts binaryen (ignored by git).
pub const TOOLS_DIR: &str = ".tools";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo_bin(name: &str) -> String {
    // Prefer the cargo bin dir, which may not be on PATH in a fresh shell.
    let home =
        std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let p = format!("{home}/bin/{name}");
    if Path::new(&p).exists() { p } else { name.to_owned() }
}

/// PATH with binaryen's `wasm-opt` and cargo's bin dir first, for Trunk and the test runner.
pub fn with_tool_path(mut cmd: Command) -> Command {
    let bin = std::fs::canonicalize(Path::new(TOOLS_DIR).join("node_modules/.bin")).unwrap_or_default();
    let cargo_bin_dir = Path::new(&cargo_bin("trunk")).parent().map(Path::to_path_buf).unwrap_or_default();
    let path = std::env::var("PATH").unwrap_or_default();
    cmd.env("PATH", format!("{}:{}:{path}", bin.display(), cargo_bin_dir.display()));
    cmd
}

pub fn ensure_build_tools() -> Result<()> {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let trunk = output_of(&cargo_bin("trunk"), &["--version"]).unwrap_or_default();
    if !trunk.contains(TRUNK_VERSION) {
        eprintln!("Installing trunk {TRUNK_VERSION} (about 10 minutes on 2 cores, once)…");
        sh(Command::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    }
    let bindgen = output_of(&cargo_bin("wasm-bindgen"), &["--version"]).unwrap_or_default();
    if !bindgen.contains(WASM_BINDGEN_VERSION) {
        eprintln!("Installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (about 3 minutes, once)…");
        // Not --locked: its lock file wants a webpki-roots release the registry lacks.
        sh(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--force"]))?;
    }
    let wasm_opt = Path::new(TOOLS_DIR).join("node_modules/.bin/wasm-opt");
    let have = output_of(&wasm_opt.to_string_lossy(), &["--version"]).unwrap_or_default();
    if !have.contains(&format!("version_{BINARYEN_VERSION}")) && !have.contains(&format!("version {BINARYEN_VERSION}"))
    {
        npm_install(&format!("binaryen@{BINARYEN_VERSION}"))?;
    }
    Ok(())
}

pub const AXE_VERSION: &str = "4.14.1";
/// The accessibility engine the end-to-end tests inject into pages.
pub const AXE_SCRIPT: &str = ".tools/node_modules/axe-core/axe.min.js";

/// Debian's Chromium and ChromeDriver for component and end-to-end tests, and axe-core
/// (npm) for the accessibility checks.
pub fn ensure_test_tools() -> Result<()> {
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    let installed =
        std::fs::read_to_string(Path::new(TOOLS_DIR).join("node_modules/axe-core/package.json")).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        npm_install(&format!("axe-core@{AXE_VERSION}"))?;
    }
    ensure_schemathesis()?;
    Ok(())
}

pub const AIOSMTPD_VERSION: &str = "1.4.6";
/// The Python of the tools' virtual environment, with aiosmtpd: the local SMTP server the
/// server's mail tests start (crates/server/tests/api/helpers/smtp_sink.py).
pub const TOOLS_PYTHON: &str = ".tools/venv/bin/python";

/// aiosmtpd (PyPI) in a virtual environment under the ignored tools folder.
pub fn ensure_aiosmtpd() -> Result<()> {
    let have = output_of(TOOLS_PYTHON, &["-c", "import importlib.metadata as m; print(m.version('aiosmtpd'))"])
        .unwrap_or_default();
    if have.trim() == AIOSMTPD_VERSION {
        return Ok(());
    }
    if !Path::new(TOOLS_PYTHON).exists() {
        if output_of("python3", &["--version"]).is_none() {
            apt_install(&["python3", "python3-venv"])?;
        }
        std::fs::create_dir_all(TOOLS_DIR)?;
        sh(Command::new("python3").args(["-m", "venv", &format!("{TOOLS_DIR}/venv")]))
            .context("python3 -m venv (on Debian: apt install python3-venv)")?;
    }
    pip_install(&format!("aiosmtpd=={AIOSMTPD_VERSION}"))
}

/// Installs a PyPI package into the tools' virtual environment.
fn pip_install(package: &str) -> Result<()> {
    sh(Command::new(TOOLS_PYTHON).args(["-m", "pip", "install", "--disable-pip-version-check", "--quiet", package]))
}

pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Schemathesis's command in the tools' virtual environment.
pub const SCHEMATHESIS: &str = ".tools/venv/bin/schemathesis";

/// Schemathesis (PyPI), the OpenAPI fuzzer of `cargo xtask fuzz`, in the same virtual
/// environment as aiosmtpd.
pub fn ensure_schemathesis() -> Result<()> {
    ensure_aiosmtpd()?;
    let have = output_of(TOOLS_PYTHON, &["-c", "import importlib.metadata as m; print(m.version('schemathesis'))"])
        .unwrap_or_default();
    if have.trim() == SCHEMATHESIS_VERSION {
        return Ok(());
    }
    pip_install(&format!("schemathesis=={SCHEMATHESIS_VERSION}"))
}

/// Lighthouse for `cargo xtask lighthouse`: 12.2.3 is the last release that runs on
/// Node 20 (13 needs Node 22).
pub const LIGHTHOUSE_VERSION: &str = "12.2.3";
pub const LIGHTHOUSE: &str = ".tools/node_modules/lighthouse/cli/index.js";

pub fn ensure_lighthouse() -> Result<()> {
    if !Path::new(CHROMIUM).exists() {
        apt_install(&["chromium"])?;
    }
    let installed =
        std::fs::read_to_string(Path::new(TOOLS_DIR).join("node_modules/lighthouse/package.json")).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")) {
        npm_install(&format!("lighthouse@{LIGHTHOUSE_VERSION}"))?;
    }
    Ok(())
}

/// Installs an npm package into the ignored tools folder.
fn npm_install(package: &str) -> Result<()> {
    if output_of("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    std::fs::create_dir_all(TOOLS_DIR)?;
    let manifest = Path::new(TOOLS_DIR).join("package.json");
    if !manifest.exists() {
        std::fs::write(&manifest, "{\"private\": true}\n")?;
    }
    sh(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix", TOOLS_DIR, package]))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let root = output_of("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let prefix: &[&str] = if root { &[] } else { &["sudo"] };
    if !root && output_of("sudo", &["-n", "true"]).is_none() {
        bail!("please install {} with apt (this needs root)", packages.join(" "));
    }
    let apt = |args: &[&str]| -> Result<()> {
        let mut all: Vec<&str> = prefix.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        sh(Command::new(all[0]).args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update"]).context("apt-get update")?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    apt(&install)
}

/// The 2025 province → commune list, from the pinned PyPI package `vietnam-provinces`
/// (its data is GPL-3.0 and is not committed here): downloaded once with pip, the JSON
/// taken out of the wheel and checked against its known SHA-256.
pub const DIVISIONS_PACKAGE: &str = "vietnam-provinces==2026.9.0";
pub const DIVISIONS_FILE: &str = "data/vn-divisions.json";
const DIVISIONS_IN_WHEEL: &str = "vietnam_provinces/data/nested-divisions.json";
const DIVISIONS_SHA256: &str = "e997eb9dcbbbafbbae00496965572f8ccd6e192cbb1024e8fe6b5513c162dc9b";

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn ensure_divisions() -> Result<()> {
    let target = Path::new(DIVISIONS_FILE);
    if std::fs::read(target).is_ok_and(|d| sha256_hex(&d) == DIVISIONS_SHA256) {
        return Ok(());
    }
    let pip: Vec<&str> = if output_of("pip3", &["--version"]).is_some() {
        vec!["pip3"]
    } else if output_of("python3", &["-m", "pip", "--version"]).is_some() {
        vec!["python3", "-m", "pip"]
    } else {
        apt_install(&["python3-pip"])?;
        vec!["pip3"]
    };
    let dir = Path::new(TOOLS_DIR).join("pypi");
    std::fs::create_dir_all(&dir)?;
    // The package needs Python ≥ 3.12 to install, but only its data is used: ask for
    // the universal wheel whatever the local Python is.
    sh(Command::new(pip[0])
        .args(&pip[1..])
        .args(["download", DIVISIONS_PACKAGE, "--no-deps", "--only-binary=:all:", "--python-version", "3.13", "-d"])
        .arg(&dir))?;
    let wheel = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("vietnam_provinces-2026.9.0")))
        .context("pip did not leave the vietnam-provinces wheel")?;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&wheel)?)?;
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(DIVISIONS_IN_WHEEL)?, &mut data)?;
    if sha256_hex(&data) != DIVISIONS_SHA256 {
        bail!("{DIVISIONS_IN_WHEEL} in {} is not the pinned data", wheel.display());
    }
    std::fs::create_dir_all(target.parent().unwrap())?;
    std::fs::write(target, data)?;
    Ok(())
}
