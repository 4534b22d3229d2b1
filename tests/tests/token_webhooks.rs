//! Razorpay's tokenisation webhooks (`token.*`): a saved card's token
//! decodes with its status and customer, and a token activated, suspended
//! and activated again gives three dedup keys, not two; a recurring token's
//! event the specs do not list (`token.confirmed`) decodes by its name.

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
