//! Updating a Juspay order in paygen-mock: a new amount and your own values
//! are kept and paid for; a paid order is not changed, and an unknown one is
//! not found.

mod support;

use paygen::{juspay, Decimal};
use paygen_mock::Happening;
use support::{juspay_mock, juspay_status, refused};

const CUSTOMER: &str = "asha-rao-42";

fn rupees(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn target(order_id: &str) -> juspay::UpdateOrderParams {
    juspay::UpdateOrderParams::builder()
        .order_id(order_id)
        .x_routing_id(CUSTOMER)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_order_takes_a_new_amount_until_it_is_paid() {
    let (mock, client) = juspay_mock().await;
    let order = juspay::CreateOrderRequest::new("order_update_1", rupees("100.00"));
    client
        .create_order(&order, &juspay::CreateOrderParams::new(CUSTOMER))
        .await
        .unwrap();

    let mut update = juspay::UpdateOrderRequest::new(rupees("90.00"));
    update.udf1 = Some("gift".into());
    let updated = client
        .update_order(&update, &target("order_update_1"))
        .await
        .unwrap();
    assert_eq!(updated.amount, Some(rupees("90")));
    assert_eq!(updated.udf1.as_deref(), Some("gift"));
    let read = juspay_status(&client, "order_update_1", CUSTOMER).await;
    assert_eq!(
        (read.amount, read.status),
        (Some(rupees("90")), juspay::OrderStatusName::New)
    );

    // Paid by card, it keeps the amount it was paid for.
    let mut card = juspay::CardTxnRequest::builder()
        .order_id("order_update_1")
        .merchant_id("merchant_id")
        .build()
        .unwrap();
    card.card_number = Some(paygen::CardNumber::new("4111111111111111"));
    card.name_on_card = Some("Asha Rao".into());
    card.card_exp_year = Some("30".into());
    card.card_exp_month = Some("12".into());
    card.card_security_code = Some("111".into());
    client
        .create_card_txn(&card, &juspay::CreateCardTxnParams::new(CUSTOMER))
        .await
        .unwrap();
    mock.drive("order_update_1", Happening::Pay).await.unwrap();
    let (code, body) = refused(
        client
            .update_order(
                &juspay::UpdateOrderRequest::new(rupees("1.00")),
                &target("order_update_1"),
            )
            .await,
    );
    assert_eq!(
        (code, body.error_code.as_deref()),
        (400, Some("INVALID_ORDER_STATE"))
    );
    assert_eq!(
        juspay_status(&client, "order_update_1", CUSTOMER)
            .await
            .amount,
        Some(rupees("90"))
    );

    let (code, _) = refused(
        client
            .update_order(
                &juspay::UpdateOrderRequest::new(rupees("1.00")),
                &target("order_nobodymadeit"),
            )
            .await,
    );
    assert_eq!(code, 404);
}
