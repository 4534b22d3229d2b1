//! Razorpay's webhooks beyond payments, orders and refunds (which
//! `signatures.rs` covers): the tokenisation events (`token.*`), whose token
//! decodes with its status and customer, a token activated, suspended and
//! activated again giving three dedup keys, not two, and a recurring token's
//! event the specs do not list (`token.confirmed`) decoding by its name;
//! `settlement.processed`; `transfer.processed` and `transfer.failed`.

use paygen::webhooks::razorpay;

const SECRET: &str = "token-webhook-secret";

fn delivery(event: &str, status: &str, created_at: i64) -> Vec<u8> {
    let path = paygen_codegen::workspace_root()
        .join("tests/fixtures/webhooks/razorpay_token_suspended.json");
    let mut body: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    body["event"] = event.into();
    body["payload"]["token"]["entity"]["status"] = status.into();
    body["created_at"] = created_at.into();
    serde_json::to_vec(&body).unwrap()
}

fn verified(body: &[u8]) -> razorpay::Event {
    let signature = razorpay::webhook_signature(body, SECRET);
    razorpay::verify_webhook(body, &signature, SECRET).unwrap()
}

#[test]
fn a_suspended_token_decodes_with_its_status_and_customer() {
    let event = verified(&delivery("token.suspended", "suspended", 1_735_689_600));
    let razorpay::Event::Token {
        change,
        token,
        created_at,
    } = &event
    else {
        panic!("{event:?}");
    };
    assert_eq!(change, "suspended");
    assert_eq!(token.id, "token_Pq81LmZx04VbNc");
    assert_eq!(token.status.as_deref(), Some("suspended"));
    assert_eq!(token.customer_id.as_deref(), Some("cust_Gz72KdW1oYt3Rm"));
    assert_eq!(token.compliant_with_tokenisation_guidelines, Some(true));
    assert_eq!(token.card.as_ref().unwrap().last4.as_deref(), Some("4242"));
    assert_eq!(*created_at, Some(1_735_689_600));
    assert_eq!(
        event.dedup_key(),
        "token.suspended:token_Pq81LmZx04VbNc:1735689600"
    );
    // It goes through a queue and back.
    let queued = serde_json::to_string(&event).unwrap();
    let back: razorpay::Event = serde_json::from_str(&queued).unwrap();
    assert_eq!(back, event);
}

#[test]
fn a_token_activated_again_after_a_suspension_is_a_new_event() {
    let keys: Vec<String> = [
        ("token.activated", "active", 1_735_600_000),
        ("token.suspended", "suspended", 1_735_689_600),
        ("token.activated", "active", 1_735_776_000),
    ]
    .into_iter()
    .map(|(event, status, at)| verified(&delivery(event, status, at)).dedup_key())
    .collect();
    assert_eq!(
        keys,
        [
            "token.activated:token_Pq81LmZx04VbNc:1735600000",
            "token.suspended:token_Pq81LmZx04VbNc:1735689600",
            "token.activated:token_Pq81LmZx04VbNc:1735776000",
        ]
    );
    // The same delivery sent twice is one event.
    let again = verified(&delivery("token.activated", "active", 1_735_600_000));
    assert_eq!(again.dedup_key(), keys[0]);
    // Each of the page's five events decodes as a token event.
    for name in [
        "token.initiated",
        "token.activated",
        "token.suspended",
        "token.deactivated",
        "token.expiry_updated",
    ] {
        let event = verified(&delivery(name, "active", 1));
        assert!(
            matches!(&event, razorpay::Event::Token { change, .. } if name.ends_with(change.as_str())),
            "{name}: {event:?}"
        );
    }
}

#[test]
fn a_recurring_token_event_the_specs_do_not_list_decodes_by_its_name() {
    let event = verified(&delivery("token.confirmed", "confirmed", 9));
    assert!(
        matches!(&event, razorpay::Event::Token { change, .. } if change == "confirmed"),
        "{event:?}"
    );
}

#[test]
fn a_token_event_without_its_token_is_passed_on_as_json() {
    let mut body: serde_json::Value =
        serde_json::from_slice(&delivery("token.deactivated", "deactivated", 7)).unwrap();
    body["payload"] = serde_json::json!({});
    let event = verified(&serde_json::to_vec(&body).unwrap());
    assert!(
        matches!(&event, razorpay::Event::Other { event, .. } if event == "token.deactivated"),
        "{event:?}"
    );
}

/// A delivery of `event` whose payload holds `entity` under `name`.
fn wrapped(event: &str, name: &str, entity: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "entity": "event",
        "account_id": "acc_Hn4cK2pQm8sT1v",
        "event": event,
        "contains": [name],
        "payload": {name: {"entity": entity}},
        "created_at": 1_735_700_000,
    }))
    .unwrap()
}

#[test]
fn a_processed_settlement_decodes_with_its_utr() {
    let body = wrapped(
        "settlement.processed",
        "settlement",
        serde_json::json!({
            "id": "setl_Qm2XwP81LkVbZa",
            "entity": "settlement",
            "amount": 980_000,
            "status": "processed",
            "fees": 19_600,
            "tax": 3_528,
            "utr": "HDFCR52024120612345678",
            "created_at": 1_735_700_000,
        }),
    );
    let event = verified(&body);
    let razorpay::Event::SettlementProcessed(settlement) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(settlement.amount, 980_000);
    assert_eq!(settlement.utr.as_deref(), Some("HDFCR52024120612345678"));
    assert_eq!(
        event.dedup_key(),
        "settlement.processed:setl_Qm2XwP81LkVbZa"
    );
    // Without its settlement, it is passed on as JSON.
    let bare = verified(
        &serde_json::to_vec(&serde_json::json!({
            "event": "settlement.processed", "payload": {}, "created_at": 1
        }))
        .unwrap(),
    );
    assert!(
        matches!(&bare, razorpay::Event::Other { event, .. } if event == "settlement.processed"),
        "{bare:?}"
    );
}

#[test]
fn processed_and_failed_transfers_decode_into_their_variants() {
    let transfer = |status: &str| {
        serde_json::json!({
            "id": "trf_Lp04KdZx81VbQm",
            "entity": "transfer",
            "status": status,
            "source": "pay_Lp04Ka8Wm2XcTz",
            "recipient": "acc_IRQWUleX4BqvYn",
            "amount": 10_000,
            "currency": "INR",
        })
    };
    let processed = verified(&wrapped(
        "transfer.processed",
        "transfer",
        transfer("processed"),
    ));
    assert!(
        matches!(&processed, razorpay::Event::TransferProcessed(t) if t.amount == 10_000),
        "{processed:?}"
    );
    assert_eq!(
        processed.dedup_key(),
        "transfer.processed:trf_Lp04KdZx81VbQm"
    );
    let failed = verified(&wrapped("transfer.failed", "transfer", transfer("failed")));
    assert!(
        matches!(&failed, razorpay::Event::TransferFailed(t) if t.status == paygen::razorpay::TransferStatus::Failed),
        "{failed:?}"
    );
    assert_eq!(failed.dedup_key(), "transfer.failed:trf_Lp04KdZx81VbQm");
}
