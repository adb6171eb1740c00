//! End-to-end harness: the real server (built app, fresh SQLite database with the demo
//! catalog) on a free loopback port, and a real headless Chromium driven over WebDriver.
//!
//! Steps read as find / act / check, in the style of the Leptos examples' e2e suites.

use anyhow::{Context, Result, bail};
use chohtx_server::testing::TestServer;
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};
use tokio::process::{Child, Command};

pub const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    pub server: TestServer,
    pub client: Client,
    _driver: Child,
    javascript: bool,
}

fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("CHOHTX_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    if !dist.join("index.html").exists() {
        bail!("{} has no built app: run `cargo xtask build` (or `cargo xtask test`) first", dist.display());
    }
    Ok(dist)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Browser {
    /// A server on the demo data and a browser window of `width`×`height` CSS pixels.
    pub async fn start(width: u32, height: u32) -> Result<Browser> {
        Browser::launch(width, height, true).await
    }

    /// A browser with JavaScript turned off: what a crawler, a link preview or a phone
    /// with scripts blocked gets (the server's HTML and plain links and forms).
    pub async fn start_without_javascript(width: u32, height: u32) -> Result<Browser> {
        Browser::launch(width, height, false).await
    }

    /// [`Browser::start`] on a server whose configuration `configure` changes (e.g. domain
    /// routing on).
    pub async fn start_with(
        width: u32,
        height: u32,
        configure: impl FnOnce(&mut chohtx_server::Config),
    ) -> Result<Browser> {
        let server = TestServer::start_with(Some(dist_dir()?), configure).await?;
        Browser::launch_on(server, width, height, true).await
    }

    async fn launch(width: u32, height: u32, javascript: bool) -> Result<Browser> {
        let server = TestServer::start(Some(dist_dir()?)).await?;
        Browser::launch_on(server, width, height, javascript).await
    }

    async fn launch_on(server: TestServer, width: u32, height: u32, javascript: bool) -> Result<Browser> {
        let port = free_port()?;
        let driver_path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {driver_path}"))?;

        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--lang=en-US", format!("--window-size={width},{height}"),
                ],
                "prefs": { "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 } },
            }),
        );
        // Keep the browser's console, so a journey can fail on a hydration error or panic.
        caps.insert("goog:loggingPrefs".into(), serde_json::json!({ "browser": "ALL" }));
        let started = Instant::now();
        let client = loop {
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            match builder.connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => break c,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => bail!("chromedriver did not start: {e}"),
            }
        };
        Ok(Browser { server, client, _driver: driver, javascript })
    }

    pub async fn open(&self, path: &str) -> Result<()> {
        self.client.goto(&self.server.url(path)).await?;
        Ok(())
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches {css}"))
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.find(css).await?;
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Waits until the text of the first `css` element contains `expected`; returns that text.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return Ok(text);
            }
            if started.elapsed() > WAIT {
                bail!("{css} never contained {expected:?}; last text: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let e = self.find(css).await?;
        self.wait_ready().await?;
        // In the middle of the screen, as a person scrolls to it: WebDriver's own scrolling
        // may leave it under the sticky header.
        self.client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e)?]).await?;
        e.click().await?;
        Ok(())
    }

    /// Waits until the page's bundle runs (`<html data-ready>`, set by the page's loader
    /// once its islands or the app are interactive), as a person waits for a page to
    /// respond; without JavaScript there is nothing to wait for.
    pub async fn wait_ready(&self) -> Result<()> {
        if !self.javascript {
            return Ok(());
        }
        let started = Instant::now();
        loop {
            let ready =
                self.client.execute("return document.documentElement.hasAttribute('data-ready')", vec![]).await?;
            if ready.as_bool() == Some(true) {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                bail!("the page never became interactive (no data-ready)");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The document's `lang` attribute.
    pub async fn html_lang(&self) -> Result<String> {
        let v = self.client.execute("return document.documentElement.lang", vec![]).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Saves a screenshot under target/e2e-screenshots/ for people to look at.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// Types into the first `css` element.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.find(css).await?;
        self.wait_ready().await?;
        e.clear().await?;
        e.send_keys(text).await?;
        Ok(())
    }

    /// Sets an input's value as the browser's own pickers would (date and time inputs take
    /// typed text differently in every locale), and tells the app.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let e = self.find(css).await?;
        self.wait_ready().await?;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::to_value(&e)?, serde_json::Value::String(value.to_owned())],
            )
            .await?;
        Ok(())
    }

    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        let e = self.find(css).await?;
        self.wait_ready().await?;
        e.select_by_value(value).await?;
        Ok(())
    }

    /// Runs axe-core in the page and returns its serious and critical violations as
    /// "rule: target" lines (empty when the page passes).
    pub async fn accessibility_violations(&self) -> Result<Vec<String>> {
        let path = std::env::var("CHOHTX_AXE").map(PathBuf::from).unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/node_modules/axe-core/axe.min.js")
        });
        let axe = std::fs::read_to_string(&path)
            .with_context(|| format!("{} missing: run `cargo xtask test`, which installs axe-core", path.display()))?;
        self.client.execute(&axe, vec![]).await?;
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done(r.violations
                          .filter(v => v.impact === 'serious' || v.impact === 'critical')
                          .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' — ' + n.failureSummary))))
                      .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await?;
        Ok(result
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// The current URL's path and query.
    pub async fn current_path(&self) -> Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// Waits until `check` holds for the page's URL.
    pub async fn wait_for_url(&self, check: impl Fn(&str) -> bool) -> Result<String> {
        let started = Instant::now();
        loop {
            let url = self.current_path().await?;
            if check(&url) {
                return Ok(url);
            }
            if started.elapsed() > WAIT {
                bail!("the URL never matched; last {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Signs in through the sign-in page, as a person would, and waits to be sent on.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<()> {
        self.open("/dang-nhap").await?;
        self.type_into("#login", login).await?;
        self.type_into("#password", password).await?;
        self.click(".auth-card button[type=submit]").await?;
        self.wait_for_url(|u| !u.starts_with("/dang-nhap")).await?;
        Ok(())
    }

    /// Whether any script injected through user text ran (it would set `window.__xss`).
    pub async fn injected_script_ran(&self) -> Result<bool> {
        let v = self.client.execute("return window.__xss !== undefined", vec![]).await?;
        Ok(v == serde_json::json!(true))
    }

    /// The browser console's messages since the last call (chromedriver's log endpoint).
    pub async fn console(&self) -> Result<Vec<ConsoleMessage>> {
        let answer = self.client.issue_cmd(BrowserLog).await?;
        Ok(serde_json::from_value(answer).unwrap_or_default())
    }

    /// Fails on any console error of the page: a panic (the panic hook writes one), a
    /// hydration error, a failed script. Resources answering 404 on purpose (an unknown
    /// product's page) are not errors of the app.
    pub async fn assert_clean_console(&self) -> Result<()> {
        let problems: Vec<String> = self
            .console()
            .await?
            .into_iter()
            .filter(|m| m.level == "SEVERE" || m.message.contains("panicked") || m.message.contains("hydrat"))
            .filter(|m| !m.message.contains("the server responded with a status of 4"))
            .map(|m| m.message)
            .collect();
        if !problems.is_empty() {
            bail!("the browser console has errors:\n  {}", problems.join("\n  "));
        }
        Ok(())
    }

    /// Checks the console (see [`Browser::assert_clean_console`]), then closes the browser:
    /// every journey ends here.
    pub async fn close(self) -> Result<()> {
        let console = self.assert_clean_console().await;
        self.client.close().await?;
        console
    }
}

/// One message of the browser's console.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ConsoleMessage {
    pub level: String,
    pub message: String,
}

/// chromedriver's `POST /session/{id}/se/log` for the browser log.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// A signed-in client of the test server's API, for the steps of a journey that are not
/// the point of it (staff approving, a cooperative cancelling): its session cookie and
/// CSRF token go with every request.
pub struct Api {
    base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Api {
    pub async fn sign_in(b: &Browser, login: &str, password: &str) -> Result<Api> {
        Api::session(b, "/api/v1/auth/sign-in", serde_json::json!({"login": login, "password": password})).await
    }

    pub async fn sign_up(b: &Browser, name: &str, login: &str, password: &str) -> Result<Api> {
        Api::session(b, "/api/v1/auth/sign-up", serde_json::json!({"name": name, "login": login, "password": password}))
            .await
    }

    async fn session(b: &Browser, path: &str, body: serde_json::Value) -> Result<Api> {
        let res = reqwest::Client::new().post(b.server.url(path)).json(&body).send().await?;
        anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
        let cookie = res.headers()["set-cookie"].to_str()?.split(';').next().unwrap_or_default().to_owned();
        let info: serde_json::Value = res.json().await?;
        Ok(Api { base: b.server.url(""), cookie, csrf: info["csrf_token"].as_str().unwrap_or_default().to_owned() })
    }

    /// POSTs `body` as JSON (with an idempotency key, which order placement needs) and
    /// returns the JSON answer; a failure status is an error.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> Result<serde_json::Value> {
        let res = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("idempotency-key", format!("e2e-{path}-{}", body.to_string().len()))
            .json(&body)
            .send()
            .await?;
        let status = res.status();
        let text = res.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {text}");
        Ok(if text.is_empty() { serde_json::Value::Null } else { serde_json::from_str(&text)? })
    }
}

/// A PNG of `w`×`h` pixels, stored without compression (so it is a few megabytes and the
/// upload takes a moment): a green field with golden stripes.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::with_capacity((h * (w * 3 + 1)) as usize);
    let mut seed = 0x2545_F491u32;
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 24) as u8;
            let stripe = ((x + y) / 60) % 4 == 0;
            let px = if stripe { [230, 180 + noise, 60] } else { [40 + noise, 110 + noise, 70] };
            raw.extend_from_slice(&px);
        }
    }
    // zlib with "stored" deflate blocks of at most 65,535 bytes, then Adler-32.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}
