//! Operations, against the real `chohtx-server` binary on a temporary database with the
//! demo catalog: SIGTERM under load, connection timeouts, backup and restore.

use chohtx_server::{Config, db};
use serde_json::{Value, json};
use std::{
    collections::BTreeSet,
    io::{BufRead, BufReader},
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_chohtx-server");

/// A `chohtx-server` process on its own database in a temporary directory.
struct Process {
    child: Child,
    addr: SocketAddr,
    url: String,
    dir: tempfile::TempDir,
}

fn command(url: &str, dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", url)
        .env("CHOHTX_ADDR", "127.0.0.1:0")
        .env("CHOHTX_SEED_DEMO", "true")
        .env("CHOHTX_MEDIA_DIR", dir.join("media"))
        .env("CHOHTX_DIST", dir.join("dist"))
        .env("CHOHTX_DIVISIONS", Config::for_tests(String::new()).divisions_path)
        .env_remove("CHOHTX_PUBLIC_ORIGIN")
        // The load tests place hundreds of orders from one address for one phone number.
        .env("CHOHTX_ORDERS_PER_ADDRESS_PER_HOUR", "1000000")
        .env("CHOHTX_ORDERS_PER_PHONE_PER_DAY", "1000000")
        .env("RUST_LOG", "chohtx_server=warn");
    c
}

impl Process {
    /// Starts the server with extra environment `env` and waits until it listens.
    fn start(env: &[(&str, &str)]) -> Process {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("ops.db").display());
        let mut c = command(&url, dir.path());
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c.stdout(Stdio::piped()).spawn().expect("the server binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the server prints its address").unwrap();
            if let Some(rest) = line.strip_prefix("Chợ HTX is running at http://") {
                break rest.trim_end_matches('/').parse().unwrap();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Process { child, addr, url, dir }
    }

    fn http(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn terminate(&self) {
        let ok = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        assert!(ok.success(), "kill -TERM");
    }

    /// Waits at most `limit` for the process to exit.
    fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A valid cash-on-delivery order body (one unit of a variant given plenty of stock).
async fn order_body(p: &Process) -> Value {
    let pool = db::connect(&p.url).await.unwrap();
    let variant: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.status = 'published' AND c.status = 'approved' AND v.stock > 0 ORDER BY v.price, v.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE variants SET stock = 1000000 WHERE id = $1").bind(variant).execute(&pool).await.unwrap();
    pool.close().await;
    let communes: Value = reqwest::get(p.http("/api/v1/provinces/92/communes")).await.unwrap().json().await.unwrap();
    json!({
        "buyer_name": "Nguyễn Thị Lan",
        "buyer_phone": "0912 345 678",
        "address": {"province_code": 92, "commune_code": communes[0]["code"], "street": "12 Đường 3/2"},
        "payment_method": "cod",
        "lines": [{"variant_id": variant, "quantity": 1}],
    })
}

/// Places an order: `Ok(numbers)` on 201, `Err` on a transport error (not accepted);
/// any other status fails the test.
async fn place(client: &reqwest::Client, url: &str, key: &str, body: &Value) -> Result<Vec<String>, reqwest::Error> {
    let res = client.post(url).header("Idempotency-Key", key).json(body).send().await?;
    let status = res.status();
    let body: Value = res.json().await?;
    assert_eq!(status, reqwest::StatusCode::CREATED, "an accepted order is answered 201: {body}");
    Ok(body["orders"].as_array().unwrap().iter().map(|o| o["number"].as_str().unwrap().to_owned()).collect())
}

async fn order_numbers(url: &str) -> BTreeSet<String> {
    let pool = db::connect(url).await.unwrap();
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM orders").fetch_all(&pool).await.unwrap();
    pool.close().await;
    numbers.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_in_flight_orders_complete_exit_status_0() {
    let mut p = Process::start(&[("CHOHTX_SHUTDOWN_GRACE_SECS", "20")]);
    let body = order_body(&p).await;
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (client, body, url) = (client.clone(), body.clone(), p.http("/api/v1/orders"));
        tasks.spawn(async move { place(&client, &url, &format!("sigterm-{n:04}"), &body).await });
    }
    // SIGTERM once the first order is acknowledged: the others are in flight or queued.
    let mut acknowledged = BTreeSet::new();
    let mut refused = 0;
    let first = tasks.join_next().await.unwrap().unwrap();
    acknowledged.extend(first.expect("the first order is accepted"));
    p.terminate();
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok(numbers) => acknowledged.extend(numbers),
            Err(_) => refused += 1,
        }
    }
    let status = p.wait(Duration::from_secs(25)).expect("the server exits within its grace period");
    assert!(status.success(), "exit status {status:?}");
    assert!(acknowledged.len() > 1, "orders in flight at SIGTERM were answered ({refused} refused)");
    let stored = order_numbers(&p.url).await;
    let missing: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged but not stored: {missing:?}");
}

/// Reads until the server closes the connection; `None` when it is still open after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_client_is_cut_off_after_the_header_timeout_and_does_not_hold_a_shutdown() {
    let mut p = Process::start(&[("CHOHTX_HEADER_TIMEOUT_SECS", "1"), ("CHOHTX_SHUTDOWN_GRACE_SECS", "30")]);

    // Half a request line, then nothing.
    let mut stalled = tokio::net::TcpStream::connect(p.addr).await.unwrap();
    stalled.write_all(b"GET /api/hea").await.unwrap();
    let start = Instant::now();
    assert!(closed_within(&mut stalled, Duration::from_secs(6)).await.is_some(), "still open after 6 s");
    assert!(start.elapsed() >= Duration::from_millis(800), "closed before the timeout: {:?}", start.elapsed());

    // A keep-alive connection left idle after its answer is closed too.
    let mut idle = tokio::net::TcpStream::connect(p.addr).await.unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let answer = closed_within(&mut idle, Duration::from_secs(6)).await.expect("an idle connection is closed");
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));

    // A shutdown does not wait for a stalled client (the grace period is 30 s).
    let mut stalled = tokio::net::TcpStream::connect(p.addr).await.unwrap();
    stalled.write_all(b"POST /api/v1/orders HT").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    p.terminate();
    let status = p.wait(Duration::from_secs(5)).expect("the server exits without waiting for the stalled client");
    assert!(status.success(), "exit status {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_orders_are_placed_restores_with_every_order_acknowledged_before_it() {
    let mut p = Process::start(&[]);
    let body = order_body(&p).await;
    let client = reqwest::Client::new();
    let (acks_tx, mut acks) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stop = tokio_util::sync::CancellationToken::new();
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..4 {
        let (client, body, url, acks_tx, stop) =
            (client.clone(), body.clone(), p.http("/api/v1/orders"), acks_tx.clone(), stop.clone());
        writers.spawn(async move {
            let mut n = 0;
            while !stop.is_cancelled() {
                for number in place(&client, &url, &format!("backup-{w}-{n}"), &body).await.unwrap() {
                    acks_tx.send(number).unwrap();
                }
                n += 1;
            }
        });
    }
    // Some orders acknowledged, then the backup starts while the writers go on.
    let mut before = BTreeSet::new();
    while before.len() < 8 {
        before.insert(acks.recv().await.unwrap());
    }
    while let Ok(number) = acks.try_recv() {
        before.insert(number);
    }
    let backup = p.dir.path().join("backup.db");
    let (url, to, dir) = (p.url.clone(), backup.clone(), p.dir.path().to_owned());
    let out = tokio::task::spawn_blocking(move || command(&url, &dir).arg("backup").arg("--to").arg(&to).output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    let during: usize = std::iter::from_fn(|| acks.try_recv().ok()).count();
    stop.cancel();
    while writers.join_next().await.is_some() {}
    assert!(during > 0 || !before.is_empty());

    // A backup never overwrites a file.
    let again = command(&p.url, p.dir.path()).arg("backup").arg("--to").arg(&backup).output().unwrap();
    assert!(!again.status.success(), "a second backup onto the same file is refused");

    p.terminate();
    assert!(p.wait(Duration::from_secs(25)).is_some_and(|s| s.success()));

    // Restore into a new place and read it back.
    let restored = format!("sqlite://{}", p.dir.path().join("restored").join("chohtx.db").display());
    let out = command(&restored, p.dir.path()).arg("restore").arg("--from").arg(&backup).output().unwrap();
    assert!(out.status.success(), "restore: {}", String::from_utf8_lossy(&out.stderr));
    let pool = db::connect(&restored).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(check, "ok");
    pool.close().await;
    let stored = order_numbers(&restored).await;
    let missing: Vec<_> = before.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged before the backup but not in it: {missing:?}");
}

/// `restore` refuses a file that is not a sound database.
#[test]
fn restore_refuses_a_corrupt_backup() {
    let dir = tempfile::tempdir().unwrap();
    let bad: PathBuf = dir.path().join("bad.db");
    std::fs::write(&bad, b"SQLite format 3\0 but not really a database").unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    let out = command(&url, dir.path()).arg("restore").arg("--from").arg(&bad).output().unwrap();
    assert!(!out.status.success());
    assert!(!dir.path().join("live.db").exists(), "nothing put in place");
}

#[tokio::test]
async fn with_json_logs_every_log_line_is_json_and_the_metrics_listener_is_announced() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ops.db").display());
    let mut c = command(&url, dir.path());
    c.env("CHOHTX_LOG_FORMAT", "json").env("RUST_LOG", "chohtx_server=info").env("CHOHTX_METRICS_ADDR", "127.0.0.1:0");
    let child = c.stdout(Stdio::piped()).spawn().expect("the server binary starts");
    let mut p = Process { child, addr: "127.0.0.1:0".parse().unwrap(), url, dir };
    let mut lines = BufReader::new(p.child.stdout.take().unwrap()).lines();
    let mut logs: Vec<Value> = Vec::new();
    let metrics = loop {
        let line = lines.next().expect("the server announces its metrics").unwrap();
        if let Some(rest) = line.strip_prefix("Chợ HTX is running at http://") {
            p.addr = rest.trim_end_matches('/').parse().unwrap();
            continue;
        }
        let log: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let message = log["fields"]["message"].as_str().unwrap_or_default().to_owned();
        logs.push(log);
        if let Some(url) = message.strip_prefix("metrics at ") {
            break url.to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    assert!(logs.iter().all(|l| l["level"].is_string() && l["timestamp"].is_string()), "{logs:?}");
    assert!(
        logs.iter().any(|l| l["fields"]["message"].as_str().unwrap_or_default().starts_with("seeded the demo catalog"))
    );
    assert_eq!(reqwest::get(p.http("/api/health")).await.unwrap().status(), reqwest::StatusCode::OK);
    let text = reqwest::get(&metrics).await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"chohtx_http_requests_total{method="GET",route="/api/health",status="200"} 1"#), "{text}");
    assert_eq!(reqwest::get(p.http("/metrics")).await.unwrap().status(), reqwest::StatusCode::NOT_FOUND);
    p.terminate();
    assert!(p.wait(Duration::from_secs(25)).expect("the server stops").success());
}

#[tokio::test]
async fn the_server_mails_a_password_reset_link_through_its_outbox_worker() {
    let sink = crate::helpers::smtp::SmtpSink::start();
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let p = Process::start(&[("CHOHTX_SMTP_URL", &smtp), ("CHOHTX_MAIL_FROM", "Chợ HTX <no-reply@chohtx.test>")]);
    let res = reqwest::Client::new()
        .post(p.http("/api/v1/auth/password-reset"))
        .json(&json!({"login": chohtx_server::seed::DEMO_BUYER_EMAIL}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
    // The worker looks every few seconds.
    let messages = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains(&format!("http://{}/dat-lai-mat-khau?token=", p.addr)), "{}", messages[0]);
}
