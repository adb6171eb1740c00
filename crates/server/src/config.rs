//! Configuration from the environment, with defaults that work out of the box.

use clap::Parser;
use domain::{money::Vnd, order::ShippingPolicy};
use ipnet::IpNet;
use std::{
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    str::FromStr,
};

#[derive(Clone, Debug, Parser)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CHOHTX_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database (created on first start). PostgreSQL support is planned.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/chohtx.db")]
    pub database_url: String,
    /// The built app (Trunk's output).
    #[arg(long, env = "CHOHTX_DIST", default_value = "dist")]
    pub dist_dir: PathBuf,
    /// Seed the demo catalog (and its demo accounts, whose password is public) into an
    /// empty database. Off unless asked for; refused with an https public origin.
    #[arg(long, env = "CHOHTX_SEED_DEMO", default_value_t = false, action = clap::ArgAction::Set)]
    pub seed_demo: bool,
    /// Provinces and their communes after the 2025 reform (JSON: provinces with `code` and
    /// `wards[]` of `code`, `name`). Without it addresses cannot be checked, so orders are refused.
    #[arg(long, env = "CHOHTX_DIVISIONS", default_value = "data/vn-divisions.json")]
    pub divisions_path: PathBuf,
    /// Where uploaded photos and their resized copies are written (served at `/media`).
    #[arg(long, env = "CHOHTX_MEDIA_DIR", default_value = "data/media")]
    pub media_dir: PathBuf,
    /// Shipping fee per cooperative order, in đồng.
    #[arg(long, env = "CHOHTX_SHIPPING_FEE", default_value_t = 30_000, value_parser = clap::value_parser!(i64).range(0..))]
    pub shipping_fee: i64,
    /// Subtotal (đồng) from which a cooperative order ships free.
    #[arg(long, env = "CHOHTX_FREE_SHIPPING_FROM", default_value_t = 500_000, value_parser = clap::value_parser!(i64).range(0..))]
    pub free_shipping_from: i64,
    /// Hours an order may wait for its cooperative's confirmation; then the market
    /// cancels it and its stock comes back.
    #[arg(long, env = "CHOHTX_ORDER_HOLD_HOURS", default_value_t = 72, value_parser = clap::value_parser!(i64).range(1..))]
    pub order_hold_hours: i64,
    /// Checkouts one client address may place within an hour (a placed `POST /orders`, one
    /// however many cooperatives its cart has; refused and replayed ones do not count);
    /// then `POST /orders` answers 429 `too_many_orders` with `Retry-After`.
    #[arg(long, env = "CHOHTX_ORDERS_PER_ADDRESS_PER_HOUR", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
    pub orders_per_address_per_hour: i64,
    /// Checkouts placed for one buyer phone number within a day; then 429 `too_many_orders`.
    #[arg(long, env = "CHOHTX_ORDERS_PER_PHONE_PER_DAY", default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..))]
    pub orders_per_phone_per_day: i64,
    /// The site's public origin (e.g. `https://cho.example.vn`) when it runs behind a
    /// proxy: unsafe requests must carry it as `Origin`, cookies get `Secure` for https,
    /// and absolute links (pages, lots, QR codes, password resets) use it. Unset: the
    /// listen address (never a request's `Host`).
    #[arg(long, env = "CHOHTX_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Serve only the market's own host (that of `CHOHTX_PUBLIC_ORIGIN`), `localhost` and the
    /// cooperatives' domains set by staff, refusing other `Host`s (421). On by itself when a
    /// public origin is set.
    #[arg(long, env = "CHOHTX_DOMAIN_ROUTING", default_value_t = false, action = clap::ArgAction::Set)]
    pub domain_routing: bool,
    /// The reverse proxies in front of the server (comma-separated addresses or CIDR ranges,
    /// e.g. `127.0.0.1,10.0.0.0/8`). A request from one of them is from the right-most
    /// address of `X-Forwarded-For` that is not itself a trusted proxy; from any other peer
    /// `X-Forwarded-For` is ignored. Empty (the default): the peer is the client.
    #[arg(long, env = "CHOHTX_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// Where to serve Prometheus metrics (`GET /metrics`), e.g. `127.0.0.1:9464`: a listener
    /// of its own, so the public address never shows them. Unset: no metrics endpoint.
    #[arg(long, env = "CHOHTX_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Where email goes: an SMTP relay, `smtp://127.0.0.1:2525` (plain, a local relay),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465`. Unset:
    /// messages are written to the log. Text messages to phone numbers always go to the log.
    #[arg(long, env = "CHOHTX_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of email, e.g. `Chợ HTX <no-reply@chohtx.vn>`.
    #[arg(long, env = "CHOHTX_MAIL_FROM", default_value = "Chợ HTX <no-reply@localhost>")]
    pub mail_from: String,
    /// `text` (the default) or `json` (one JSON object per line, for log collectors).
    #[arg(long, env = "CHOHTX_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The first trade-promotion staff account, created at start when missing: its email
    /// or phone number (with `CHOHTX_STAFF_PASSWORD`, and optionally `CHOHTX_STAFF_NAME`).
    #[arg(long, env = "CHOHTX_STAFF_LOGIN")]
    pub staff_login: Option<String>,
    #[arg(long, env = "CHOHTX_STAFF_PASSWORD", hide_env_values = true)]
    pub staff_password: Option<String>,
    #[arg(long, env = "CHOHTX_STAFF_NAME", default_value = "Cán bộ xúc tiến thương mại")]
    pub staff_name: String,
    /// On SIGTERM or Ctrl-C: seconds the requests in flight may take to finish (new
    /// connections are refused at once).
    #[arg(long, env = "CHOHTX_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    pub shutdown_grace_secs: u64,
    /// Seconds a client may take to send a request's headers, counted from when the server
    /// waits for them: a stalled or idle keep-alive connection is closed after this.
    #[arg(long, env = "CHOHTX_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Seconds a handler may take before the request is answered 503 `unavailable`.
    #[arg(long, env = "CHOHTX_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_secs: u64,
}

impl Config {
    /// A configuration for tests: a given database, no fixed port, no app, and the
    /// divisions file from `CHOHTX_DIVISIONS`, `<workspace>/data/` or `../shared/data/`.
    pub fn for_tests(database_url: String) -> Self {
        Config {
            addr: "127.0.0.1:0".parse().expect("valid address"),
            database_url,
            dist_dir: PathBuf::from("dist"),
            seed_demo: true,
            divisions_path: test_divisions_path(),
            media_dir: std::env::temp_dir().join("chohtx-test-media"),
            shipping_fee: 30_000,
            free_shipping_from: 500_000,
            order_hold_hours: 72,
            // High: the oversell and journey tests place many orders from one address and
            // phone; the tests of the limits set their own.
            orders_per_address_per_hour: 100_000,
            orders_per_phone_per_day: 100_000,
            public_origin: None,
            domain_routing: false,
            trusted_proxies: TrustedProxies::default(),
            metrics_addr: None,
            smtp_url: None,
            mail_from: "Chợ HTX <no-reply@localhost>".into(),
            log_format: LogFormat::Text,
            staff_login: None,
            staff_password: None,
            staff_name: "Cán bộ xúc tiến thương mại".into(),
            shutdown_grace_secs: 20,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
        }
    }

    /// The origin of absolute links in pages and the sitemap: `CHOHTX_PUBLIC_ORIGIN`, else
    /// the address the server listens on (never a request's `Host`).
    pub fn link_origin(&self) -> String {
        match &self.public_origin {
            Some(o) => o.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    /// Demo data (accounts with the published demo password) never goes on a public
    /// site: an error when `CHOHTX_PUBLIC_ORIGIN` is `https://…`.
    pub fn refuse_demo_on_https(&self) -> anyhow::Result<()> {
        match &self.public_origin {
            Some(origin) if self.is_https() => anyhow::bail!(
                "refusing to seed demo data: CHOHTX_PUBLIC_ORIGIN is {origin} (https), and the demo accounts' \
                 password is public. Unset CHOHTX_SEED_DEMO (or pass --seed-demo false) on a public site."
            ),
            _ => Ok(()),
        }
    }

    /// Whether the configured public origin is https: then responses carry HSTS and the
    /// session cookie is a `__Host-` cookie.
    pub fn is_https(&self) -> bool {
        self.public_origin.as_deref().is_some_and(|o| o.starts_with("https://"))
    }

    /// Whether a request for an unknown `Host` is refused (see `domain_routing`).
    pub fn refuses_unknown_hosts(&self) -> bool {
        self.domain_routing || self.public_origin.is_some()
    }

    /// The market's own host names: the public origin's host and the listen address's.
    pub fn market_hosts(&self) -> Vec<String> {
        let mut hosts = vec![domain::profile::host_name(&self.addr.ip().to_string())];
        if let Some(origin) = &self.public_origin {
            let rest = origin.split_once("://").map_or(origin.as_str(), |(_, r)| r);
            hosts.push(domain::profile::host_name(rest.split('/').next().unwrap_or("")));
        }
        hosts
    }

    pub fn shipping_policy(&self) -> ShippingPolicy {
        ShippingPolicy { flat_fee: Vnd::new(self.shipping_fee), free_from: Vnd::new(self.free_shipping_from) }
    }
}

/// How the server writes its log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The proxies whose `X-Forwarded-For` is believed (`CHOHTX_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated addresses (`127.0.0.1`, `::1`) and CIDR ranges (`10.0.0.0/8`);
    /// empty is none.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                    .map(|n| n.trunc())
                    .map_err(|_| format!("{p:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` (an IPv4-mapped IPv6 address as its IPv4 one) is a trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }
}

fn test_divisions_path() -> PathBuf {
    if let Some(p) = std::env::var_os("CHOHTX_DIVISIONS") {
        return PathBuf::from(p);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let local = workspace.join("data/vn-divisions.json");
    if local.exists() { local } else { workspace.join("../shared/data/vn-divisions-2025.json") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_seeded_only_when_asked() {
        let plain = Config::try_parse_from(["chohtx-server"]).unwrap();
        assert!(!plain.seed_demo || std::env::var_os("CHOHTX_SEED_DEMO").is_some());
        let asked = Config::try_parse_from(["chohtx-server", "--seed-demo", "true"]).unwrap();
        assert!(asked.seed_demo);
        assert!(Config::for_tests("sqlite::memory:".into()).seed_demo, "the test server keeps its demo catalog");
    }

    #[test]
    fn trusted_proxies_are_addresses_and_cidr_ranges_and_none_by_default() {
        let plain = Config::try_parse_from(["chohtx-server"]).unwrap();
        assert!(plain.trusted_proxies.is_empty() || std::env::var_os("CHOHTX_TRUSTED_PROXIES").is_some());
        let c = Config::try_parse_from(["chohtx-server", "--trusted-proxies", " 127.0.0.1, 10.1.2.3/8,::1 "]).unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(c.trusted_proxies.contains(ip("127.0.0.1")));
        assert!(c.trusted_proxies.contains(ip("10.200.0.1")), "the range, whatever its host bits");
        assert!(c.trusted_proxies.contains(ip("::ffff:10.0.0.7")), "an IPv4-mapped peer");
        assert!(c.trusted_proxies.contains(ip("::1")));
        assert!(!c.trusted_proxies.contains(ip("127.0.0.2")));
        assert!(!c.trusted_proxies.contains(ip("11.0.0.1")));
        assert!(Config::try_parse_from(["chohtx-server", "--trusted-proxies", "10.0.0.0/33"]).is_err());
        assert!(Config::try_parse_from(["chohtx-server", "--trusted-proxies", "proxy.local"]).is_err());
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }
}
