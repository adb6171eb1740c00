//! `cargo xtask fuzz`: Schemathesis against the server's own OpenAPI document, on a fresh
//! demo database, twice: anonymous, and signed in as a cooperative member (the session
//! cookie and its CSRF token on every request). Its standard response checks: no 5xx, the
//! status documented, the content type and headers documented, the body valid against the
//! schema. A bounded number of examples per operation and a fixed seed, so a failure
//! replays. Part of `cargo xtask test`.

use crate::{cargo, sh, tools};
use anyhow::{Context, Result, bail};
use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const ADDR: &str = "127.0.0.1:8099";
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";
/// The demo member the signed-in run acts as (README: demo accounts).
const MEMBER: &str = "thanhvien.htx-lua-gao-my-xuyen@demo.chohtx.vn";
const DEMO_PASSWORD: &str = "chohtx-demo-2026";

pub fn run() -> Result<()> {
    tools::ensure_schemathesis()?;
    tools::ensure_divisions()?;
    sh(cargo().args(["build", "-p", "chohtx-server"]))?;
    let dir = std::env::temp_dir().join("chohtx-fuzz");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut server = Command::new(Path::new("target/debug/chohtx-server"))
        .env("CHOHTX_ADDR", ADDR)
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("db.sqlite").display()))
        .env("CHOHTX_MEDIA_DIR", dir.join("media"))
        .env("CHOHTX_DIVISIONS", tools::DIVISIONS_FILE)
        .env("CHOHTX_SEED_DEMO", "true")
        // The fuzzer places many orders from one address: limits stay documented (429) but
        // must not stop the run early.
        .env("CHOHTX_ORDERS_PER_ADDRESS_PER_HOUR", "100000")
        .env("CHOHTX_ORDERS_PER_PHONE_PER_DAY", "100000")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .context("start the server")?;
    let result = fuzz(&dir);
    let _ = server.kill();
    let _ = server.wait();
    result
}

fn fuzz(dir: &Path) -> Result<()> {
    let schema = format!("http://{ADDR}/api/openapi.json");
    let started = Instant::now();
    while !Command::new("curl").args(["-sf", "-o", "/dev/null", &schema]).status()?.success() {
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not start on {ADDR}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let program = std::fs::canonicalize(tools::SCHEMATHESIS)?;
    let schemathesis = |name: &str| {
        let mut st = Command::new(&program);
        st.current_dir(dir)
            .args(["run", &schema, "--checks", CHECKS, "--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", "10", "--seed", "1", "--workers", "2", "--no-shrink", "--warnings", "off"])
            .arg(format!("--report-dir={}", dir.join(name).display()))
            .env("NO_COLOR", "1");
        st
    };
    let mut failed = Vec::new();
    eprintln!("\nschemathesis, anonymous:");
    if let Err(error) = sh(&mut schemathesis("anonymous")) {
        eprintln!("error: {error:#}");
        failed.push("anonymous");
    }
    let (cookie, csrf) = sign_in()?;
    eprintln!("\nschemathesis, signed in as {MEMBER}:");
    let mut member = schemathesis("member");
    member
        .args(["-H", &format!("Cookie: {cookie}"), "-H", &format!("X-CSRF-Token: {csrf}")])
        // Signing out or changing the password would end the session the run relies on.
        .args(["--exclude-path", "/api/v1/auth/sign-out", "--exclude-path", "/api/v1/me/password"]);
    if let Err(error) = sh(&mut member) {
        eprintln!("error: {error:#}");
        failed.push("signed in");
    }
    if !failed.is_empty() {
        bail!("schemathesis found failures ({}); server log: {}", failed.join(", "), dir.join("server.log").display());
    }
    Ok(())
}

/// Signs the demo member in; returns the session cookie (`name=value`) and the CSRF token.
fn sign_in() -> Result<(String, String)> {
    let body = serde_json::json!({"login": MEMBER, "password": DEMO_PASSWORD}).to_string();
    let out = Command::new("curl")
        .args(["-s", "-D", "-", "-H", "Content-Type: application/json", "--data", &body])
        .arg(format!("http://{ADDR}/api/v1/auth/sign-in"))
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let (head, json) = text.split_once("\r\n\r\n").context("sign-in answered nothing")?;
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .context("sign-in set no cookie")?
        .to_owned();
    let info: serde_json::Value = serde_json::from_str(json).context("sign-in body")?;
    let csrf = info["csrf_token"].as_str().context("sign-in returned no CSRF token")?.to_owned();
    Ok((cookie, csrf))
}
