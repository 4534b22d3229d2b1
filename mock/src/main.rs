//! `paygen-mock --gateway NAME --addr 127.0.0.1:PORT`: serves one gateway's
//! mock at the root of that address until stopped.

use std::net::SocketAddr;

use clap::Parser;
use paygen_mock::MockGateway;

/// Serves a mock of a payment gateway, built from paygen's specs.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The gateway to serve: one of the folders of `specs/` (razorpay, cashfree, juspay).
    #[arg(long)]
    gateway: String,
    /// Where to listen; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mock = match MockGateway::start_on(&args.gateway, args.addr).await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("paygen-mock: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    println!("{}", mock.url());
    eprintln!(
        "paygen-mock: serving {} at {}; credentials: {}",
        args.gateway,
        mock.url(),
        mock.credentials().join(", ")
    );
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
