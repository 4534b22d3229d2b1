//! The outbox worker, a process of its own, killed at every step and started
//! again on the same SQLite file against paygen-mock, with faults on the way:
//! at the end each order exists once at the gateway, as the outbox recorded
//! it, and each webhook's effect happened once, whatever was delivered again.

use std::path::PathBuf;

use outbox::Outbox;
use paygen::cashfree;
use paygen_mock::{Fault, MockGateway};
use serde_json::json;

/// A fresh gateway and a fresh outbox file.
struct World {
    mock: MockGateway,
    dir: PathBuf,
}

impl World {
    async fn new(name: &str) -> World {
        let dir = std::env::temp_dir().join(format!("paygen-outbox-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        World {
            mock: MockGateway::start("cashfree").await.unwrap(),
            dir,
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.join("outbox.db")
    }

    /// Runs the worker with `args` to its end (or its crash); its exit status.
    async fn worker(&self, args: &[&str]) -> i32 {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_outbox-worker"));
        command
            .arg(self.db())
            .arg(self.mock.url())
            .arg(self.mock.credential(0))
            .arg(self.mock.credential(1))
            .args(args);
        tokio::task::spawn_blocking(move || command.status().unwrap().code().unwrap())
            .await
            .unwrap()
    }

    fn outbox(&self) -> Outbox {
        Outbox::open(&self.db()).unwrap()
    }

    fn client(&self) -> cashfree::Client {
        cashfree::Client::new(
            self.mock.environment(),
            self.mock.credential(0),
            self.mock.credential(1),
        )
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const CRASHED: i32 = 86;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_order_is_created_once_whichever_step_the_worker_dies_at() {
    let faults = [
        ("none", None),
        ("503", Some(Fault::Status(503))),
        ("reset", Some(Fault::Reset)),
    ];
    for crash in ["sent", "recorded"] {
        for (fault_name, fault) in &faults {
            let case = format!("crash at {crash}, fault {fault_name}");
            let world = World::new(&format!("{crash}-{fault_name}")).await;
            // Killed right after storing the order: it is stored, nothing sent.
            let stored = world
                .worker(&["enqueue", "order_1", "10.34", "--crash-at", "enqueued"])
                .await;
            assert_eq!(stored, CRASHED, "{case}");
            // Enqueued again (the caller retried): the first request stays.
            assert_eq!(
                world.worker(&["enqueue", "order_1", "99.00"]).await,
                0,
                "{case}"
            );
            if let Some(fault) = fault {
                // The gateway fails the first send: the order stays pending.
                world.mock.fail_next(fault.clone());
                assert_eq!(world.worker(&["send"]).await, 0, "{case}");
                assert!(
                    world.outbox().response("order_1").unwrap().is_none(),
                    "{case}"
                );
            }
            // Killed after the gateway answered (`sent`: the order exists there,
            // the outbox does not know) or after recording it.
            assert_eq!(
                world.worker(&["send", "--crash-at", crash]).await,
                CRASHED,
                "{case}"
            );
            // Started again, twice: what is pending is sent, then nothing is.
            assert_eq!(world.worker(&["send"]).await, 0, "{case}");
            assert_eq!(world.worker(&["send"]).await, 0, "{case}");

            let recorded = world.outbox().response("order_1").unwrap().expect(&case);
            let at_gateway = world
                .client()
                .get_order(&cashfree::GetOrderParams::new("order_1"))
                .await
                .unwrap();
            // One order at the gateway, the one the outbox recorded, made from
            // the first enqueued request.
            assert_eq!(recorded.cf_order_id, at_gateway.cf_order_id, "{case}");
            assert_eq!(at_gateway.order_amount, "10.34".parse().unwrap(), "{case}");
            let creations: Vec<_> = world
                .mock
                .requests()
                .into_iter()
                .filter(|r| r.method == "POST" && r.path == "/orders")
                .collect();
            let expected = if crash == "sent" { 2 } else { 1 };
            assert!(creations.len() >= expected, "{case}: {creations:?}");
            for creation in &creations {
                assert_eq!(
                    creation.header("x-idempotency-key"),
                    Some("order_1"),
                    "{case}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_webhook_is_handled_once_through_crashes_redeliveries_and_replays() {
    let world = World::new("webhooks").await;
    let payment = |id: u64| {
        json!({
            "order": {"order_id": "order_1", "order_amount": 10.34, "order_currency": "INR"},
            "payment": {"cf_payment_id": id, "payment_status": "SUCCESS", "payment_amount": 10.34}
        })
    };
    let deliver = |name: &str, signed: &paygen_mock::SignedWebhook, delivery_id: &str| {
        let mut headers = signed.headers.clone();
        headers.push(("x-idempotency-key".into(), delivery_id.into()));
        let file = world.dir.join(name);
        let stored = json!({
            "headers": headers,
            "body": String::from_utf8(signed.body.clone()).unwrap(),
        });
        std::fs::write(&file, stored.to_string()).unwrap();
        file.display().to_string()
    };
    let signed = world
        .mock
        .webhook("PAYMENT_SUCCESS_WEBHOOK", payment(5114910367414));
    let first = deliver("first.json", &signed, "delivery_1");

    // Killed before the effect commits: nothing happened.
    assert_eq!(
        world
            .worker(&["webhook", &first, "--crash-at", "verified"])
            .await,
        CRASHED
    );
    assert_eq!(world.outbox().payments("order_1").unwrap(), 0);
    assert_eq!(world.outbox().webhooks_handled().unwrap(), 0);
    // Killed after the commit, before acknowledging: Cashfree delivers again.
    assert_eq!(
        world
            .worker(&["webhook", &first, "--crash-at", "handled"])
            .await,
        CRASHED
    );
    assert_eq!(world.worker(&["webhook", &first]).await, 0);
    // Captured and posted again under a fresh delivery id, which the
    // signature does not cover: the same signed content, the same key.
    let replay = deliver("replay.json", &signed, "delivery_forged");
    assert_eq!(world.worker(&["webhook", &replay]).await, 0);
    assert_eq!(world.outbox().payments("order_1").unwrap(), 1);
    assert_eq!(world.outbox().webhooks_handled().unwrap(), 1);

    // Another payment of the order is another event.
    let second = world
        .mock
        .webhook("PAYMENT_SUCCESS_WEBHOOK", payment(5114910367415));
    let second = deliver("second.json", &second, "delivery_2");
    assert_eq!(world.worker(&["webhook", &second]).await, 0);
    assert_eq!(world.outbox().payments("order_1").unwrap(), 2);

    // A forged body is refused, and changes nothing.
    let mut forged = world.mock.webhook("PAYMENT_SUCCESS_WEBHOOK", payment(1));
    forged.body = forged
        .body
        .iter()
        .map(|b| if *b == b'1' { b'2' } else { *b })
        .collect();
    let forged = deliver("forged.json", &forged, "delivery_3");
    assert_eq!(world.worker(&["webhook", &forged]).await, 1);
    assert_eq!(world.outbox().payments("order_1").unwrap(), 2);
}
