//! The outbox worker as a process of its own, so a test can kill it at any
//! step and start it again on the same SQLite file:
//!
//! ```text
//! outbox-worker DB URL CLIENT_ID CLIENT_SECRET enqueue ORDER_ID AMOUNT
//! outbox-worker DB URL CLIENT_ID CLIENT_SECRET send [--crash-at STEP]
//! outbox-worker DB URL CLIENT_ID CLIENT_SECRET webhook FILE [--crash-at STEP]
//! ```
//!
//! `FILE` holds a delivery as JSON: `{"headers": [[name, value], ...], "body": "..."}`.
//! At `--crash-at STEP` the process exits at once with status 86, as if killed.

use std::path::Path;
use std::process::ExitCode;

use outbox::{send_pending, Delivery, Failure, Outbox, Step};
use paygen::{cashfree, Environment};

/// The status a deliberate crash exits with.
const CRASHED: i32 = 86;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("outbox-worker: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[String]) -> Result<(), Failure> {
    let [db, url, client_id, client_secret, command, rest @ ..] = args else {
        return Err("usage: outbox-worker DB URL CLIENT_ID CLIENT_SECRET (enqueue ORDER_ID AMOUNT | send | webhook FILE) [--crash-at STEP]".into());
    };
    let crash_at = match rest.iter().position(|a| a == "--crash-at") {
        Some(at) => Some(
            rest.get(at + 1)
                .and_then(|name| Step::parse(name))
                .ok_or("--crash-at takes enqueued, sent, recorded, verified or handled")?,
        ),
        None => None,
    };
    let crash = move |step: Step| {
        if crash_at == Some(step) {
            std::process::exit(CRASHED);
        }
    };
    let mut outbox = Outbox::open(Path::new(db))?;
    let client = cashfree::Client::new(
        Environment::Custom(url.clone()),
        client_id.as_str(),
        client_secret.as_str(),
    );
    match (command.as_str(), rest) {
        ("enqueue", [order_id, amount, ..]) => {
            let customer = cashfree::CustomerDetails::new("customer_1", "9898989898");
            let mut order = cashfree::CreateOrderRequest::new(amount.parse()?, "INR", customer);
            order.order_id = Some(order_id.clone());
            // The order id is the idempotency key: a resend is answered with
            // the order the first one created.
            let params = cashfree::CreateOrderParams {
                x_idempotency_key: Some(order_id.clone()),
                ..Default::default()
            };
            let prepared = client.prepare_create_order(&order, &params)?;
            outbox.enqueue(order_id, &prepared)?;
            crash(Step::Enqueued);
            Ok(())
        }
        ("send", _) => {
            send_pending(&outbox, &client, &crash).await?;
            Ok(())
        }
        ("webhook", [file, ..]) => {
            let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(file)?)?;
            let delivery = Delivery {
                headers: serde_json::from_value(stored["headers"].clone())?,
                body: stored["body"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec(),
            };
            let event = delivery.verify(client_secret)?;
            outbox.handle(&event, &crash)?;
            crash(Step::Handled);
            Ok(())
        }
        _ => Err(format!("unknown command `{command}`").into()),
    }
}
