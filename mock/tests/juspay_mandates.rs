//! Juspay's mandates in paygen-mock: an order that asks for a mandate
//! registers it when its card payment is charged; the mandate is debited
//! without the customer, as new orders, never above its maximum and only for
//! its own customer; revoked, it is debited no more. An optional mandate is
//! registered only when the transaction asks, and a mandate order needs its
//! maximum. Registration and revocation post their mandate webhooks.

mod support;

use paygen::{juspay, Decimal};
use paygen_mock::{Happening, MockGateway};
use support::{
    juspay_events, juspay_mock, juspay_new_card_txn, juspay_status, refused, webhook_receiver,
};

const ASHA: &str = "asha-rao-42";

fn rupees(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A ₹1 order of Asha's that asks for a mandate of up to `max` rupees.
fn mandate_order(
    id: &str,
    kind: juspay::CreateMandate,
    max: Option<&str>,
) -> juspay::CreateOrderRequest {
    let mut order = juspay::CreateOrderRequest::new(id, rupees("1.00"));
    order.customer_id = Some(ASHA.to_owned());
    order.options_create_mandate = Some(kind);
    order.mandate_max_amount = max.map(rupees);
    order.mandate_amount_rule = Some(juspay::MandateAmountRule::Variable);
    order.mandate_frequency = Some(juspay::MandateFrequency::Monthly);
    order
}

/// A new card's transaction on `order_id`, asking for the mandate when `ask`.
fn card_txn(order_id: &str, ask: bool) -> juspay::CardTxnRequest {
    let mut txn = juspay_new_card_txn(order_id);
    txn.should_create_mandate = ask.then_some(true);
    txn
}

/// Creates `order`, pays it by card (asking for the mandate when `ask`), and
/// gives the order's status once charged.
async fn registered(
    mock: &MockGateway,
    client: &juspay::Client,
    order: &juspay::CreateOrderRequest,
    ask: bool,
) -> juspay::OrderStatus {
    client
        .create_order(order, &juspay::CreateOrderParams::new(ASHA))
        .await
        .unwrap();
    client
        .create_card_txn(
            &card_txn(&order.order_id, ask),
            &juspay::CreateCardTxnParams::new(ASHA),
        )
        .await
        .unwrap();
    mock.drive(&order.order_id, Happening::Pay).await.unwrap();
    juspay_status(client, &order.order_id, ASHA).await
}

fn debit(
    order_id: &str,
    amount: &str,
    mandate: &str,
    customer: &str,
) -> juspay::MandateExecutionRequest {
    juspay::MandateExecutionRequest::builder()
        .order_order_id(order_id)
        .order_amount(rupees(amount))
        .order_customer_id(customer)
        .mandate_id(mandate)
        .merchant_id("merchant_id")
        .build()
        .unwrap_or_else(|report| panic!("{report}"))
}

async fn execute(
    client: &juspay::Client,
    request: &juspay::MandateExecutionRequest,
) -> Result<juspay::TxnsResponse, paygen::Error<juspay::ErrorResponse>> {
    client
        .execute_mandate(request, &juspay::ExecuteMandateParams::new(ASHA))
        .await
}

fn message(outcome: (u16, juspay::ErrorResponse)) -> (u16, String) {
    (outcome.0, outcome.1.error_message.unwrap_or_default())
}

#[tokio::test]
async fn a_mandate_is_registered_debited_within_its_maximum_and_revoked() {
    let (mock, client) = juspay_mock().await;
    let order = mandate_order(
        "order_mandate_1",
        juspay::CreateMandate::Required,
        Some("500.00"),
    );
    let status = registered(&mock, &client, &order, false).await;
    let mandate = status
        .mandate
        .expect("the charged order registered its mandate");
    assert_eq!(mandate.mandate_status, juspay::MandateStatus::Active);
    assert_eq!(mandate.max_amount, Some(rupees("500.00")));
    assert_eq!(mandate.frequency.as_deref(), Some("MONTHLY"));
    let id = mandate.mandate_id;

    // A debit: a new order, pending until the bank answers, then charged.
    let txn = execute(&client, &debit("order_debit_1", "499.00", &id, ASHA))
        .await
        .unwrap();
    assert_eq!(txn.order_id, "order_debit_1");
    assert_eq!(txn.status, juspay::TxnStatus::PendingVbv);
    mock.drive("order_debit_1", Happening::Pay).await.unwrap();
    let charged = juspay_status(&client, "order_debit_1", ASHA).await;
    assert_eq!(charged.status, juspay::OrderStatusName::Charged);
    assert_eq!(charged.amount, Some(rupees("499.00")));
    assert_eq!(charged.mandate.unwrap().mandate_id, id);

    // Above its maximum, another customer's, or an order id in use: refused.
    let (status, says) = message(refused(
        execute(&client, &debit("order_debit_2", "500.01", &id, ASHA)).await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("greater than mandate max amount"), "{says}");
    let (status, says) = message(refused(
        execute(
            &client,
            &debit("order_debit_3", "10.00", &id, "someone-else"),
        )
        .await,
    ));
    assert_eq!((status, says.as_str()), (400, "Mandate not found"));
    let (status, says) = message(refused(
        execute(&client, &debit("order_debit_1", "10.00", &id, ASHA)).await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("already exists"), "{says}");

    // Revoked: shown on the registering order, debited and revoked no more.
    let revoke = |id: &str| {
        let client = client.clone();
        let params = juspay::RevokeMandateParams::builder()
            .x_routing_id(ASHA)
            .mandate_id(id)
            .build()
            .unwrap();
        async move {
            client
                .revoke_mandate(&juspay::RevokeMandateRequest::new(), &params)
                .await
        }
    };
    let revoked = revoke(&id).await.unwrap();
    assert_eq!(revoked.mandate_status, juspay::MandateStatus::Revoked);
    let shown = juspay_status(&client, "order_mandate_1", ASHA).await;
    assert_eq!(
        shown.mandate.unwrap().mandate_status,
        juspay::MandateStatus::Revoked
    );
    let (status, says) = message(refused(
        execute(&client, &debit("order_debit_4", "10.00", &id, ASHA)).await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "Mandate Not in Active State")
    );
    let (status, _) = message(refused(revoke(&id).await));
    assert_eq!(status, 400);
    let (status, says) = message(refused(revoke("no-such-mandate").await));
    assert_eq!((status, says.as_str()), (400, "Mandate not found"));
}

#[tokio::test]
async fn an_optional_mandate_is_registered_only_when_the_transaction_asks() {
    let (mock, client) = juspay_mock().await;
    let unasked = mandate_order(
        "order_optional_1",
        juspay::CreateMandate::Optional,
        Some("100.00"),
    );
    assert!(registered(&mock, &client, &unasked, false)
        .await
        .mandate
        .is_none());
    let asked = mandate_order(
        "order_optional_2",
        juspay::CreateMandate::Optional,
        Some("100.00"),
    );
    let status = registered(&mock, &client, &asked, true).await;
    assert_eq!(
        status.mandate.unwrap().mandate_status,
        juspay::MandateStatus::Active
    );
}

#[tokio::test]
async fn a_mandate_needs_its_maximum_and_an_order_that_asked_for_one() {
    let (_mock, client) = juspay_mock().await;
    let without_max = mandate_order("order_no_max", juspay::CreateMandate::Required, None);
    let (status, says) = message(refused(
        client
            .create_order(&without_max, &juspay::CreateOrderParams::new(ASHA))
            .await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "Mandate max amount not found.")
    );
    let (status, _) = refused(
        client
            .order_status(
                &juspay::OrderStatusParams::builder()
                    .order_id("order_no_max")
                    .x_routing_id(ASHA)
                    .build()
                    .unwrap(),
            )
            .await,
    );
    assert_eq!(status, 404, "a refused order is not made");

    // A plain order: a transaction may not ask for a mandate on it.
    let mut plain = juspay::CreateOrderRequest::new("order_plain", rupees("5.00"));
    plain.customer_id = Some(ASHA.to_owned());
    client
        .create_order(&plain, &juspay::CreateOrderParams::new(ASHA))
        .await
        .unwrap();
    let (status, body) = refused(
        client
            .create_card_txn(
                &card_txn("order_plain", true),
                &juspay::CreateCardTxnParams::new(ASHA),
            )
            .await,
    );
    assert_eq!(status, 400);
    assert!(body
        .error_message
        .unwrap_or_default()
        .contains("should_create_mandate"));
}

#[tokio::test]
async fn a_fixed_mandate_is_debited_its_maximum_exactly() {
    let (mock, client) = juspay_mock().await;
    let mut order = mandate_order(
        "order_fixed_1",
        juspay::CreateMandate::Required,
        Some("200.00"),
    );
    order.mandate_amount_rule = Some(juspay::MandateAmountRule::Fixed);
    let id = registered(&mock, &client, &order, false)
        .await
        .mandate
        .unwrap()
        .mandate_id;
    let (status, says) = message(refused(
        execute(&client, &debit("order_fixed_debit_1", "199.00", &id, ASHA)).await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "Order amount not equal to mandate max amount.")
    );
    assert!(
        execute(&client, &debit("order_fixed_debit_2", "200.00", &id, ASHA))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn registration_and_revocation_post_the_mandate_webhooks() {
    use paygen::webhooks::juspay as hooks;
    let receiver = webhook_receiver().await;
    let (mock, client) = juspay_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    let order = mandate_order(
        "order_mandate_hooks",
        juspay::CreateMandate::Required,
        Some("300.00"),
    );
    let id = registered(&mock, &client, &order, false)
        .await
        .mandate
        .unwrap()
        .mandate_id;
    client
        .revoke_mandate(
            &juspay::RevokeMandateRequest::new(),
            &juspay::RevokeMandateParams::builder()
                .x_routing_id(ASHA)
                .mandate_id(id.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap();

    let events = juspay_events(&receiver, &mock).await;
    let seen: Vec<String> = events
        .iter()
        .map(|event| match event {
            hooks::Event::OrderSucceeded(order) => format!("ORDER_SUCCEEDED {}", order.order_id),
            hooks::Event::Mandate {
                change, mandate, ..
            } => format!(
                "MANDATE_{change} {} {}",
                mandate.mandate_id,
                mandate.mandate_status.as_str()
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        seen,
        [
            "ORDER_SUCCEEDED order_mandate_hooks".to_owned(),
            format!("MANDATE_ACTIVATED {id} ACTIVE"),
            format!("MANDATE_REVOKED {id} REVOKED"),
        ]
    );
    let hooks::Event::Mandate { mandate, .. } = &events[1] else {
        unreachable!()
    };
    assert_eq!(mandate.max_amount, Some(rupees("300.00")));
    // The mandate token is a secret; what the mock keeps to itself is not sent.
    let token = mandate.mandate_token.as_ref().unwrap().expose().to_owned();
    assert!(!format!("{events:?}").contains(&token));
    let raw: serde_json::Value =
        serde_json::from_slice(&receiver.received_requests().await.unwrap()[1].body).unwrap();
    assert!(
        raw["content"]["mandate"].get("customer_id").is_none(),
        "{raw}"
    );
    // Each delivery has an id of its own, so the two keys differ.
    assert_ne!(events[1].dedup_key(), events[2].dedup_key());
}
