use chohtx_server::{Clock, Config, config::LogFormat, db, seed, seed::generate};
use clap::{Parser, Subcommand};

/// Chợ HTX server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (the default).
    Serve,
    /// Delete the database and recreate it with the demo catalog.
    ResetDemo,
    /// Create a trade-promotion staff account (or make an existing account staff). The
    /// password is read from CHOHTX_STAFF_PASSWORD or, when unset, from standard input.
    CreateStaff {
        /// Email address or Vietnamese phone number to sign in with.
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "Cán bộ xúc tiến thương mại")]
        name: String,
    },
    /// Copy the live database into a new file (consistent even while the server writes).
    Backup {
        /// The backup to write; an existing file is never overwritten.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the database with a backup, with the server stopped: the backup must pass
    /// `PRAGMA integrity_check`; the old database is kept as `….before-restore`.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Append a large synthetic catalog, for benchmarks.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        products: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let log = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "chohtx_server=info,tower_http=warn".into()),
    );
    match cli.config.log_format {
        LogFormat::Text => log.init(),
        LogFormat::Json => log.json().init(),
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => chohtx_server::serve(cli.config).await,
        Command::ResetDemo => {
            cli.config.refuse_demo_on_https()?;
            let path = cli.config.database_url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{path}{suffix}");
                if std::path::Path::new(&file).exists() {
                    std::fs::remove_file(&file)?;
                }
            }
            let pool = db::connect(&cli.config.database_url).await?;
            db::migrate(&pool).await?;
            let n = seed::load_demo(&pool, &Clock::system()).await?;
            println!("Recreated {path} with the demo catalog ({n} products).");
            Ok(())
        }
        Command::CreateStaff { login, name } => {
            let password = match cli.config.staff_password.clone() {
                Some(p) => p,
                None => {
                    eprintln!("Password for {login} (one line):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let pool = db::connect(&cli.config.database_url).await?;
            db::migrate(&pool).await?;
            let changed = chohtx_server::api::staff::ensure_staff(
                &pool,
                &name,
                &login,
                &password,
                &Clock::system().now_rfc3339(),
            )
            .await?;
            println!(
                "{}",
                if changed {
                    format!("{login} is now a staff account.")
                } else {
                    format!("{login} was already staff.")
                }
            );
            Ok(())
        }
        Command::Backup { to } => {
            db::backup::backup(&cli.config.database_url, &to).await?;
            println!("Backed up {} to {}.", cli.config.database_url, to.display());
            Ok(())
        }
        Command::Restore { from } => {
            let kept = db::backup::restore(&cli.config.database_url, &from).await?;
            println!("Restored {} from {}.", cli.config.database_url, from.display());
            if let Some(old) = kept {
                println!("The previous database is kept as {}.", old.display());
            }
            Ok(())
        }
        Command::Generate { products } => {
            let pool = db::connect(&cli.config.database_url).await?;
            db::migrate(&pool).await?;
            let started = std::time::Instant::now();
            generate::generate_catalog(&pool, products, &Clock::system()).await?;
            println!("Generated {products} products in {:.1?}.", started.elapsed());
            Ok(())
        }
    }
}
