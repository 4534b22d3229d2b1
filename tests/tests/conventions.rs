//! The client API as a production service uses it: what a failed call may
//! have done (for workflow engines and job queues), a versioned User-Agent,
//! and answer types that can grow without breaking a consumer yet stay
//! constructible in the consumer's own tests.

use std::time::Duration;

use paygen::{juspay, razorpay, Error, Outcome, RetryPolicy, Timeouts};
use paygen_mock::{Fault, MockGateway};

async fn outcome_of(mock: &MockGateway, fault: Option<Fault>) -> Outcome {
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::never())
        .with_timeouts(Timeouts::default().with_total(Duration::from_millis(300)));
    if let Some(fault) = fault {
        mock.fail_next(fault);
    }
    let error = client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap_err();
    error.outcome()
}

#[tokio::test]
async fn every_error_says_what_the_gateway_may_have_done() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    // The gateway answered and refused: nothing happened there.
    assert_eq!(
        outcome_of(&mock, Some(Fault::Status(400))).await,
        Outcome::NotProcessed
    );
    // Rate-limited: not processed, and the same request may go again later.
    assert_eq!(
        outcome_of(
            &mock,
            Some(Fault::RateLimited {
                retry_after: Duration::from_secs(1)
            })
        )
        .await,
        Outcome::RetryLater
    );
    // The gateway may have acted: read the status before anything else.
    for fault in [
        Fault::Status(500),
        Fault::Status(503),
        Fault::Html(502),
        Fault::Reset,
        Fault::Truncated,
        Fault::Delay(Duration::from_secs(2)),
    ] {
        assert_eq!(
            outcome_of(&mock, Some(fault.clone())).await,
            Outcome::MaybeProcessed,
            "{fault:?}"
        );
    }

    // Nothing left the process.
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let invalid = razorpay::CreateOrderRequest::new(0, "INR");
    let error = client.create_order(&invalid).await.unwrap_err();
    assert!(matches!(error, Error::Validation(_)));
    assert_eq!(error.outcome(), Outcome::NotSent);

    // Nobody listening (port 1: privileged, never a test server's): the
    // connection was refused, nothing was sent.
    let closed = "127.0.0.1:1";
    let client = razorpay::Client::new(
        paygen::Environment::Custom(format!("http://{closed}")),
        "rzp_test_key",
        "secret",
    )
    .with_retry(RetryPolicy::never());
    let error = client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap_err();
    assert_eq!(error.outcome(), Outcome::NotSent, "{error:?}");
}

#[tokio::test]
async fn calls_name_paygen_and_its_version() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap();
    let sent = &mock.requests()[0];
    assert_eq!(sent.header("user-agent"), Some(paygen::USER_AGENT));
    assert!(
        paygen::USER_AGENT.starts_with("paygen/0."),
        "{}",
        paygen::USER_AGENT
    );
}

#[test]
fn answer_types_are_built_in_tests_through_their_constructors() {
    // `#[non_exhaustive]`: a field Razorpay adds is a new optional field, not a
    // breaking release; consumers build answers with `new` (or, for more than
    // three required fields, `builder()`) and set the rest.
    let mut order = razorpay::Order::builder()
        .id("order_1")
        .amount(50_000)
        .amount_paid(0)
        .amount_due(50_000)
        .currency("INR")
        .status(razorpay::OrderStatus::Created)
        .attempts(0)
        .created_at(1_582_628_071)
        .build()
        .unwrap();
    order.receipt = Some("receipt#1".into());
    assert_eq!(order.amount_due, 50_000);
}

#[test]
fn required_fields_that_could_be_swapped_are_set_by_name() {
    // Four required fields, or two of one type (`email` and `ip` would both
    // take text): a builder, not `new(a, b, c, d)`.
    let report = razorpay::OrderPayment::builder()
        .contact("+919900988990")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()
        .unwrap_err();
    // Every unset field, by its wire name, as `validate()` reports them.
    assert_eq!(
        report.to_string(),
        "email: is required [required]\nip: is required [required]"
    );
    let payment = razorpay::OrderPayment::builder()
        .email("a@example.com")
        .contact("+919900988990")
        .ip("1.2.3.4")
        .ip("5.6.7.8")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()
        .unwrap();
    assert_eq!(payment.ip, "5.6.7.8", "the last value set wins");
    assert_eq!(payment.card, None, "optional fields start unset");
    // Parameters by their wire names: the routing id is the `x-routing-id` header.
    let report = juspay::OrderStatusParams::builder()
        .order_id("order_1")
        .build()
        .unwrap_err();
    assert_eq!(report.to_string(), "x-routing-id: is required [required]");
    // Few required fields of different types keep `new`: an amount and a currency
    // cannot be swapped and compile.
    let order = razorpay::CreateOrderRequest::new(50_000, "INR");
    assert_eq!(order.amount, 50_000);
    // A single required parameter keeps `new`, and has a builder too.
    assert_eq!(
        juspay::CreateTxnParams::new("c_1"),
        juspay::CreateTxnParams::builder()
            .x_routing_id("c_1")
            .build()
            .unwrap()
    );
}

#[test]
fn policies_are_built_with_methods() {
    let retry = RetryPolicy::never().with_max_attempts(0);
    assert_eq!(retry.max_attempts, 1, "at least the first attempt");
    let retry = RetryPolicy::default()
        .with_max_attempts(5)
        .with_base_delay(Duration::from_millis(50))
        .with_max_delay(Duration::from_secs(2))
        .with_max_retry_after(Duration::from_secs(10));
    assert_eq!(
        (
            retry.max_attempts,
            retry.base_delay,
            retry.max_delay,
            retry.max_retry_after
        ),
        (
            5,
            Duration::from_millis(50),
            Duration::from_secs(2),
            Duration::from_secs(10)
        )
    );
    let timeouts = Timeouts::default()
        .with_connect(Duration::from_secs(2))
        .with_total(Duration::from_secs(8));
    assert_eq!(
        (timeouts.connect, timeouts.total),
        (Duration::from_secs(2), Duration::from_secs(8))
    );
}

#[tokio::test]
async fn webhooks_verify_on_receipt_and_decode_in_a_worker_through_a_queue() {
    use paygen::webhooks::{cashfree, razorpay as rzp};
    use serde_json::json;

    // Razorpay: the handler checks the signature and queues the raw body with
    // the delivery id; the worker decodes it.
    let mock = MockGateway::start("razorpay").await.unwrap();
    let payment = json!({"entity": {
        "id": "pay_DESp9bgForNoUd", "amount": 50000, "currency": "INR", "status": "captured",
        "method": "card", "contact": "+919900988990", "created_at": 1582628071
    }});
    let delivery = mock.webhook("payment.captured", json!({"payment": payment}));
    let signature = &delivery
        .headers
        .iter()
        .find(|(n, _)| n == "x-razorpay-signature")
        .unwrap()
        .1;
    rzp::verify_signature(&delivery.body, signature, mock.webhook_secret()).unwrap();
    assert!(rzp::verify_signature(&delivery.body, signature, "another").is_err());
    assert_eq!(rzp::EVENT_ID_HEADER, "x-razorpay-event-id");
    let event = rzp::decode_event(&delivery.body).unwrap();

    // Events cross a queue as JSON, secrets masked, and come back.
    let queued = serde_json::to_string(&event).unwrap();
    assert!(!queued.contains("9900988990"), "{queued}");
    let back: rzp::Event = serde_json::from_str(&queued).unwrap();
    match back {
        rzp::Event::PaymentCaptured(payment) => assert_eq!(payment.id, "pay_DESp9bgForNoUd"),
        other => panic!("{other:?}"),
    }
    let other = rzp::decode_event(br#"{"event": "subscription.charged", "payload": {}}"#).unwrap();
    let other: rzp::Event = serde_json::from_str(&serde_json::to_string(&other).unwrap()).unwrap();
    assert!(
        matches!(other, rzp::Event::Other { ref event, .. } if event == "subscription.charged")
    );

    // Cashfree: the same split, with the timestamp checked on receipt.
    let mock = MockGateway::start("cashfree").await.unwrap();
    let delivery = mock.webhook(
        "PAYMENT_FAILED_WEBHOOK",
        json!({
            "order": {"order_id": "order_1"},
            "payment": {"cf_payment_id": "1", "payment_status": "FAILED"},
            "customer_details": {"customer_phone": "9908734801"}
        }),
    );
    let header = |name: &str| {
        delivery
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1
            .clone()
    };
    cashfree::verify_signature(
        &delivery.body,
        &header("x-webhook-timestamp"),
        &header("x-webhook-signature"),
        mock.credential(1),
        cashfree::DEFAULT_TOLERANCE,
        std::time::SystemTime::now(),
    )
    .unwrap();
    assert_eq!(cashfree::DELIVERY_ID_HEADER, "x-idempotency-key");
    let event = cashfree::decode_event(&delivery.body).unwrap();
    let queued = serde_json::to_string(&event).unwrap();
    assert!(!queued.contains("9908734801"), "{queued}");
    let back: cashfree::Event = serde_json::from_str(&queued).unwrap();
    assert!(
        matches!(back, cashfree::Event::PaymentFailed(ref failed) if failed.order.order_id == "order_1")
    );
}

#[test]
fn flags_the_page_fixes_are_filled_by_the_constructor() {
    use paygen::{juspay, Validate};
    let cred = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number("enc-AbCd==")
        .build()
        .unwrap();
    // "should be passed as true": no argument for them, and they are true.
    let mut txn = juspay::TxnsRequest::builder()
        .order_id("order1")
        .merchant_id("merchant_id")
        .sdk_pg_params(cred)
        .build()
        .unwrap();
    assert!(txn.redirect_after_payment && txn.sdk_params);
    assert!(txn.validate().is_ok());
    txn.sdk_params = false;
    assert!(txn.validate().is_err(), "the rule still holds");
}

#[test]
fn a_required_bool_is_a_named_setter_not_a_positional_argument() {
    use paygen::juspay;
    let cred = || {
        juspay::SdkPgParams::builder()
            .platform(juspay::TxnPlatform::Web)
            .os(juspay::Os::Macos)
            .device(juspay::Device::Desktop)
            .country_code("+91")
            .phone_number("enc-AbCd==")
            .build()
            .unwrap()
    };
    // Required, so always sent: `false` until set.
    assert!(!cred().cred_app_present);
    let body = serde_json::to_value(cred()).unwrap();
    assert_eq!(body["credAppPresent"], false, "{body}");
    let present = cred().with_cred_app_present(true);
    assert!(present.cred_app_present);
    assert!(!present.with_cred_app_present(false).cred_app_present);
}

#[tokio::test]
async fn a_setting_configured_once_is_sent_and_a_call_may_override_it() {
    use paygen::{juspay, Decimal};
    let mock = MockGateway::start("juspay").await.unwrap();
    let order = juspay::CreateOrderRequest::new("order1", "1.00".parse::<Decimal>().unwrap());

    // Neither on the call nor on the client: not sent, and the report says where to set it.
    let bare = juspay::Client::new(mock.environment(), mock.credential(0));
    let params = juspay::CreateOrderParams::new("customer_1122");
    match bare.create_order(&order, &params).await {
        Err(Error::Validation(report)) => assert_eq!(
            report.to_string(),
            "x-merchantid: is required: set it on the call, or once on the client [required]"
        ),
        other => panic!("{other:?}"),
    }
    assert!(mock.requests().is_empty());

    // Once on the client: every call carries it.
    let client = bare.with_merchant_id("merchant_one");
    assert_eq!(client.merchant_id(), Some("merchant_one"));
    client.create_order(&order, &params).await.unwrap();
    // On the call: the call wins (a platform calling for several merchants).
    let mut for_another = params.clone();
    for_another.x_merchantid = Some("merchant_two".into());
    client.create_order(&order, &for_another).await.unwrap();
    let sent: Vec<Option<String>> = mock
        .requests()
        .iter()
        .map(|r| r.header("x-merchantid").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        [Some("merchant_one".into()), Some("merchant_two".into())]
    );
}

#[test]
fn a_synchronous_service_calls_through_blocking() {
    use paygen::blocking::Blocking;
    // The mock serves from its own runtime's threads; this test's thread has none.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(MockGateway::start("razorpay")).unwrap();
    let client = Blocking::new(razorpay::Client::new(
        mock.environment(),
        mock.credential(0),
        mock.credential(1),
    ))
    .unwrap();
    let request = razorpay::CreateOrderRequest::new(50_000, "INR");
    let order = client.call(|c| c.create_order(&request)).unwrap();
    let params = razorpay::FetchOrderParams::new(&order.id);
    let fetched = client.call(|c| c.fetch_order(&params)).unwrap();
    assert_eq!(fetched.id, order.id);
    let invalid = razorpay::CreateOrderRequest::new(0, "INR");
    let refused = client.call(|c| c.create_order(&invalid));
    assert_eq!(refused.unwrap_err().outcome(), Outcome::NotSent);
}

#[test]
fn optional_fields_are_set_in_a_chain_after_new() {
    use paygen::{razorpay, Validate};
    let notes = std::collections::BTreeMap::from([("shelf".to_owned(), "A1".to_owned())]);
    let order = razorpay::CreateOrderRequest::new(50_000, "INR")
        .with_receipt("r_1")
        .with_partial_payment(true)
        .with_first_payment_min_amount(10_000)
        .with_notes(notes);
    assert_eq!(order.receipt.as_deref(), Some("r_1"));
    assert_eq!(
        (order.partial_payment, order.first_payment_min_amount),
        (Some(true), Some(10_000))
    );
    assert!(order.validate().is_ok());
    // An answer is built the same way in a consumer's tests.
    let refund = razorpay::Refund::builder()
        .id("rfnd_1")
        .amount(100)
        .currency("INR")
        .payment_id("pay_1")
        .created_at(1_700_000_000)
        .status(razorpay::RefundStatus::Processed)
        .build()
        .unwrap()
        .with_receipt("r_9");
    assert_eq!(refund.receipt.as_deref(), Some("r_9"));
}
