//! `paygen-mock --gateway NAME --addr 127.0.0.1:PORT`: serves one gateway's
//! mock at the root of that address until stopped.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use paygen_mock::{MockGateway, MockOptions};

/// Serves a mock of a payment gateway, built from paygen's specs.
///
/// Besides the gateway's routes it serves `GET /__paygen/public-key` (the PEM
/// to encrypt `x-encrypted` fields with) and `POST /__paygen/drive` with
/// `{"id": "...", "event": "pay"}` (pay, fail, authorize, expire, terminate,
/// settle, dispute, win, lose), authenticated like the gateway's routes.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The gateway to serve: one of the folders of `specs/` (razorpay, cashfree, juspay).
    #[arg(long)]
    gateway: String,
    /// Where to listen; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// An RSA private key (PEM) to decrypt `x-encrypted` fields with, instead
    /// of the mock's built-in one.
    #[arg(long, value_name = "FILE")]
    key_pem: Option<PathBuf>,
    /// Where to post the webhooks of driven events.
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut options = MockOptions::default().with_addr(args.addr);
    if let Some(path) = &args.key_pem {
        match std::fs::read_to_string(path) {
            Ok(pem) => options = options.with_key_pem(pem),
            Err(e) => {
                eprintln!("paygen-mock: cannot read {}: {e}", path.display());
                return std::process::ExitCode::from(2);
            }
        }
    }
    if let Some(url) = args.webhook_url {
        options = options.with_webhook_url(url);
    }
    let mock = match MockGateway::start_with(&args.gateway, options).await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("paygen-mock: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    println!("{}", mock.url());
    eprintln!(
        "paygen-mock: serving {} at {}; credentials: {}; public key: {}/__paygen/public-key",
        args.gateway,
        mock.url(),
        mock.credentials().join(", "),
        mock.url(),
    );
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
