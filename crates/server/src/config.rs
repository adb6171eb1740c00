//! Configuration from the environment, with defaults that work out of the box.

use clap::Parser;
use std::{net::SocketAddr, path::PathBuf};

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
    /// Seed the demo catalog into an empty database.
    #[arg(long, env = "CHOHTX_SEED_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub seed_demo: bool,
}

impl Config {
    /// A configuration for tests: a given database, no fixed port, no app.
    pub fn for_tests(database_url: String) -> Self {
        Config {
            addr: "127.0.0.1:0".parse().expect("valid address"),
            database_url,
            dist_dir: PathBuf::from("dist"),
            seed_demo: true,
        }
    }
}
