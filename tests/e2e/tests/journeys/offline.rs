//! Weak networks: the service worker keeps the product pages a buyer opened, and an order
//! placed offline is kept and placed once when the network returns.
//!
//! The browser reaches the server through a line this test can cut (a TCP relay): a real
//! outage for the page and its service worker alike (Chromium's offline emulation only
//! covers the page, not the worker's own requests). The emulation is switched with it,
//! so the page hears `offline` and `online` as on a phone.

use chohtx_e2e::Browser;
use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};
use tokio::{
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// A relay to the test server that can be cut: while down, connections are closed as soon
/// as they come, and those open are dropped.
struct Line {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Line {
    async fn to(target: SocketAddr) -> anyhow::Result<Line> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let up = Arc::new(AtomicBool::new(true));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (up2, open2) = (up.clone(), open.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                open2.lock().unwrap().push(relay);
            }
        });
        Ok(Line { addr, up, open })
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for relay in self.open.lock().unwrap().drain(..) {
            relay.abort();
        }
    }

    fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// chromedriver's `POST /session/{id}/chromium/network_conditions`.
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/chromium/network_conditions", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"network_conditions": {
            "offline": self.offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn go_offline(b: &Browser, line: &Line) -> anyhow::Result<()> {
    line.cut();
    b.client.issue_cmd(NetworkConditions { offline: true }).await?;
    Ok(())
}

async fn go_online(b: &Browser, line: &Line) -> anyhow::Result<()> {
    line.mend();
    b.client.issue_cmd(NetworkConditions { offline: false }).await?;
    Ok(())
}

async fn goto(b: &Browser, line: &Line, path: &str) -> anyhow::Result<()> {
    b.client.goto(&line.url(path)).await?;
    Ok(())
}

/// Waits until the service worker controls the page (installed, its files precached).
async fn wait_for_worker(b: &Browser) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let controlled = b.client.execute("return !!navigator.serviceWorker.controller", vec![]).await?;
        if controlled == serde_json::json!(true) {
            return Ok(());
        }
        anyhow::ensure!(started.elapsed() < chohtx_e2e::WAIT * 2, "the service worker never took over");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Whether `<html data-offline>` (the offline banner) is set.
async fn banner_shown(b: &Browser) -> anyhow::Result<bool> {
    let shown = b.client.execute("return document.documentElement.hasAttribute('data-offline')", vec![]).await?;
    Ok(shown == serde_json::json!(true))
}

/// The console's errors, but for the requests the outage failed on purpose.
async fn console_problems(b: &Browser) -> anyhow::Result<Vec<String>> {
    Ok(b.console()
        .await?
        .into_iter()
        .filter(|m| m.level == "SEVERE" || m.message.contains("panicked") || m.message.contains("hydrat"))
        .filter(|m| !m.message.contains("net::ERR_") && !m.message.contains("Failed to fetch"))
        .map(|m| m.message)
        .collect())
}

#[tokio::test]
async fn a_product_page_opened_before_is_shown_offline() -> anyhow::Result<()> {
    let b = Browser::start(412, 915).await?;
    let line = Line::to(b.server.addr).await?;
    goto(&b, &line, "/").await?;
    b.wait_ready().await?;
    wait_for_worker(&b).await?;
    goto(&b, &line, "/san-pham/gao-st25-my-xuyen").await?;
    b.wait_for_text("h1.product-title", "Gạo ST25").await?;
    b.wait_ready().await?;

    go_offline(&b, &line).await?;
    // A page never opened: the offline page, in the visit's language.
    goto(&b, &line, "/htx/khong-co-trang-nay").await?;
    b.wait_for_text("h1", "Bạn đang ngoại tuyến").await?;
    // The product page opened before: its kept copy, with its islands working.
    goto(&b, &line, "/san-pham/gao-st25-my-xuyen").await?;
    b.wait_for_text("h1.product-title", "Gạo ST25").await?;
    b.wait_ready().await?;
    assert!(banner_shown(&b).await?, "the offline banner shows");
    b.wait_for_text(".offline-banner", "ngoại tuyến").await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "1").await?;
    b.screenshot("offline-product-412").await?;

    go_online(&b, &line).await?;
    let started = std::time::Instant::now();
    while banner_shown(&b).await? {
        anyhow::ensure!(started.elapsed() < chohtx_e2e::WAIT, "the banner stays after the network is back");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let problems = console_problems(&b).await?;
    anyhow::ensure!(problems.is_empty(), "console errors: {problems:?}");
    b.client.close().await?;
    Ok(())
}

#[tokio::test]
async fn an_order_placed_offline_is_placed_once_when_the_network_returns() -> anyhow::Result<()> {
    let b = Browser::start(412, 915).await?;
    let line = Line::to(b.server.addr).await?;
    goto(&b, &line, "/san-pham/gao-st25-my-xuyen").await?;
    b.wait_ready().await?;
    wait_for_worker(&b).await?;
    b.click(".add-to-cart").await?;
    b.wait_for_text(".cart-badge", "1").await?;

    goto(&b, &line, "/thanh-toan").await?;
    let name = "Phạm Văn Ngoại Tuyến";
    b.type_into("#buyer_name", name).await?;
    b.type_into("#buyer_phone", "0987 654 321").await?;
    b.select("#province", "92").await?;
    b.find("#commune option[value='31135']").await?;
    b.select("#commune", "31135").await?;
    b.type_into("#street", "5 đường 30/4").await?;

    // Offline, the buyer presses "place": the order is kept, and the page says so.
    go_offline(&b, &line).await?;
    b.click(".checkout-form button[type=submit]").await?;
    b.wait_for_text(".order-queued", "khi có mạng lại").await?;
    let count = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE buyer_name = $1")
            .bind(name)
            .fetch_one(&b.server.state.db)
            .await?;
        anyhow::Ok(n)
    };
    assert_eq!(count().await?, 0, "nothing reached the server");
    // Still offline, a reload: the page comes from the worker, the order is still waiting.
    b.client.refresh().await?;
    b.wait_for_text(".order-queued", "khi có mạng lại").await?;
    // The communes seen online are kept (public data): the address still reads whole.
    b.find("#commune option[value='31135']:checked").await?;
    assert_eq!(b.client.execute("return navigator.onLine", vec![]).await?, serde_json::json!(false));
    b.screenshot("offline-order-queued-412").await?;

    // Back online: the order goes by itself, and the usual confirmation follows.
    go_online(&b, &line).await?;
    b.wait_for_url(|u| u == "/dat-hang-thanh-cong").await?;
    let numbers = b.find_all(".placed-order .order-number").await?;
    assert_eq!(numbers.len(), 1);
    assert_eq!(count().await?, 1, "placed once");
    // The same attempt again (a second `online`, a reload) replays the same order.
    b.client.execute("window.dispatchEvent(new Event('online'))", vec![]).await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(count().await?, 1, "still once");
    let stored = b.client.execute("return localStorage.getItem('chohtx.pending-order.v1')", vec![]).await?;
    assert_eq!(stored, serde_json::Value::Null, "nothing left to send");
    let problems = console_problems(&b).await?;
    anyhow::ensure!(problems.is_empty(), "console errors: {problems:?}");
    b.client.close().await?;
    Ok(())
}
