//! Shared by the account and authorization tests: a real server and a client that keeps
//! a session cookie and sends its CSRF token, as the browser app does.
#![allow(dead_code)]

pub mod curation_fixtures;
pub mod smtp;

use chohtx_server::testing::TestServer;
use domain::account::SessionInfo;
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = chohtx_server::seed::DEMO_PASSWORD;

pub async fn server() -> TestServer {
    TestServer::start(None).await.expect("server starts")
}

/// A signed-in (or anonymous) API client.
#[derive(Clone, Default)]
pub struct Session {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub user_id: Option<i64>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl Session {
    pub fn anonymous() -> Session {
        Session::default()
    }

    /// Signs in with a demo password; panics when that fails.
    pub async fn sign_in(s: &TestServer, login: &str) -> Session {
        Session::try_sign_in(s, login, PASSWORD)
            .await
            .unwrap_or_else(|a| panic!("sign in {login}: {} {}", a.status, a.body))
    }

    pub async fn sign_in_with(s: &TestServer, login: &str, password: &str) -> Session {
        Session::try_sign_in(s, login, password)
            .await
            .unwrap_or_else(|a| panic!("sign in {login}: {} {}", a.status, a.body))
    }

    pub async fn try_sign_in(s: &TestServer, login: &str, password: &str) -> Result<Session, Answer> {
        let a = Session::anonymous()
            .send(
                s,
                Method::POST,
                "/api/v1/auth/sign-in",
                Some(serde_json::json!({"login": login, "password": password})),
            )
            .await;
        if a.status != StatusCode::OK {
            return Err(a);
        }
        Ok(Session::from_answer(&a))
    }

    pub fn from_answer(a: &Answer) -> Session {
        let cookie = a.headers.get("set-cookie").expect("a session cookie").to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let info: SessionInfo = serde_json::from_value(a.body.clone()).unwrap();
        Session { cookie: Some(cookie), csrf: info.csrf_token, user_id: info.user.map(|u| u.id) }
    }

    /// Sends a request like the app: JSON body, the cookie, and the CSRF token on
    /// unsafe methods.
    pub async fn send(&self, s: &TestServer, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.send_with(s, method, path, body, &[]).await
    }

    /// Uploads raw bytes (a photo) with the cookie and CSRF token.
    pub async fn send_bytes(&self, s: &TestServer, path: &str, bytes: Vec<u8>) -> Answer {
        let mut req =
            reqwest::Client::new().post(s.url(path)).header("content-type", "application/octet-stream").body(bytes);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, body, headers }
    }

    pub async fn send_with(
        &self,
        s: &TestServer,
        method: Method,
        path: &str,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Answer {
        let client = reqwest::Client::new();
        let unsafe_method = method != Method::GET && method != Method::HEAD;
        let mut req = client.request(method, s.url(path));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if unsafe_method && let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        if unsafe_method {
            req = req.header("idempotency-key", format!("test-{}", fastrand::u64(..)));
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, body, headers }
    }
}

/// The first two approved demo cooperatives (slugs).
pub async fn two_cooperatives(s: &TestServer) -> (String, String) {
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM cooperatives WHERE status = 'approved' ORDER BY id LIMIT 2")
            .fetch_all(&s.state.db)
            .await
            .unwrap();
    (slugs[0].clone(), slugs[1].clone())
}

/// A commune of the first province that has communes, for address bodies.
pub fn some_address(s: &TestServer) -> (u8, u32) {
    for p in domain::geo::PROVINCES {
        if let Some(c) = s.state.divisions.communes(p.code).and_then(|c| c.first()) {
            return (p.code, c.code);
        }
    }
    panic!("no commune table: set CHOHTX_DIVISIONS or run `cargo xtask install`")
}

/// A small real PNG photo (`w` × `h`), for uploads.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A fresh account (no password anyone knows) made a `member` of the cooperative; its id.
pub async fn new_member(s: &TestServer, coop: &str) -> i64 {
    let now = chohtx_server::clock::rfc3339(s.state.clock.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash, created_at) VALUES ('Sắp rời', $1, 'x', $2) RETURNING id",
    )
    .bind(format!("tv{}@example.vn", fastrand::u64(..)))
    .bind(&now)
    .fetch_one(&s.state.db)
    .await
    .expect("user inserted");
    sqlx::query(
        "INSERT INTO memberships (user_id, cooperative_id, role, created_at)
         VALUES ($1, (SELECT id FROM cooperatives WHERE slug = $2), 'member', $3)",
    )
    .bind(id)
    .bind(coop)
    .bind(&now)
    .execute(&s.state.db)
    .await
    .expect("membership inserted");
    id
}

/// A pending invitation into the cooperative with `role`, written to the database; its token.
pub async fn invitation_to(s: &TestServer, coop: &str, role: &str) -> String {
    let token = format!("{:032x}", fastrand::u128(..));
    let now = s.state.clock.now();
    sqlx::query(
        "INSERT INTO invitations (cooperative_id, login, role, token_hash, created_at, expires_at)
         VALUES ((SELECT id FROM cooperatives WHERE slug = $1), 'moi@example.vn', $2, $3, $4, $5)",
    )
    .bind(coop)
    .bind(role)
    .bind(chohtx_server::secret::sha256_hex(token.as_bytes()))
    .bind(chohtx_server::clock::rfc3339(now))
    .bind(chohtx_server::clock::rfc3339(now + time::Duration::days(1)))
    .execute(&s.state.db)
    .await
    .expect("invitation inserted");
    token
}

/// `admin` invites `login` into `coop` with `role` (through the API).
pub async fn invite(s: &TestServer, admin: &Session, coop: &str, login: &str, role: &str) -> Answer {
    admin
        .send(
            s,
            Method::POST,
            &format!("/api/v1/cooperatives/{coop}/invitations"),
            Some(serde_json::json!({"login": login, "role": role})),
        )
        .await
}

/// A new account made through sign-up, signed in.
pub async fn sign_up(s: &TestServer, name: &str, login: &str, password: &str) -> Session {
    let a = Session::anonymous()
        .send(
            s,
            Method::POST,
            "/api/v1/auth/sign-up",
            Some(serde_json::json!({"name": name, "login": login, "password": password})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "sign up {login}: {}", a.body);
    Session::from_answer(&a)
}
