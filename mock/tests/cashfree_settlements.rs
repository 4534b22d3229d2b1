//! Cashfree's settlements of orders in paygen-mock: a paid order's payment
//! is settled once, for its amount, with a transfer and its UTR; before that
//! the order's settlement names its payment and no settlement; an order that
//! is not paid does not settle, and an unknown order is not found.

mod support;

use paygen::{cashfree, Decimal};
use paygen_mock::Happening;
use support::{cashfree_mock, refused};

fn rupees(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn order(client: &cashfree::Client, id: &str, amount: &str) {
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new(rupees(amount), "INR", customer);
    order.order_id = Some(id.to_owned());
    client
        .create_order(&order, &cashfree::CreateOrderParams::default())
        .await
        .unwrap();
}

async fn settlement(
    client: &cashfree::Client,
    id: &str,
) -> Result<cashfree::OrderSettlement, paygen::Error<cashfree::ErrorResponse>> {
    client
        .get_settlements_for_order(&cashfree::GetSettlementsForOrderParams::new(id))
        .await
}

#[tokio::test]
async fn a_paid_order_is_settled_once_for_its_payment() {
    let (mock, client) = cashfree_mock().await;
    order(&client, "order_settle_1", "250.50").await;
    mock.drive("order_settle_1", Happening::Pay).await.unwrap();
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new("order_settle_1"))
        .await
        .unwrap();
    let paid = &payments[0];

    // Paid, not settled yet: the payment, and no settlement.
    let pending = settlement(&client, "order_settle_1").await.unwrap();
    assert_eq!(
        pending.cf_payment_id.as_deref(),
        Some(paid.cf_payment_id.as_str())
    );
    assert_eq!(pending.order_amount, Some(rupees("250.50")));
    assert!(pending.cf_settlement_id.is_none() && pending.transfer_utr.is_none());

    let settled = mock
        .drive("order_settle_1", Happening::Settle)
        .await
        .unwrap();
    let done = settlement(&client, "order_settle_1").await.unwrap();
    assert_eq!(
        done.cf_settlement_id.as_deref(),
        settled["cf_settlement_id"].as_str()
    );
    assert_eq!(
        done.cf_payment_id.as_deref(),
        Some(paid.cf_payment_id.as_str())
    );
    assert_eq!(done.settlement_amount, Some(rupees("250.50")));
    assert_eq!(done.settlement_currency.as_deref(), Some("INR"));
    assert!(done.transfer_utr.is_some() && done.transfer_time.is_some());

    // Settled once.
    assert!(mock
        .drive("order_settle_1", Happening::Settle)
        .await
        .is_err());
    assert_eq!(
        settlement(&client, "order_settle_1")
            .await
            .unwrap()
            .cf_settlement_id,
        done.cf_settlement_id
    );
}

#[tokio::test]
async fn an_unpaid_order_does_not_settle_and_an_unknown_one_is_not_found() {
    let (mock, client) = cashfree_mock().await;
    order(&client, "order_settle_2", "10.00").await;
    assert!(mock
        .drive("order_settle_2", Happening::Settle)
        .await
        .is_err());
    let unpaid = settlement(&client, "order_settle_2").await.unwrap();
    assert!(unpaid.cf_payment_id.is_none() && unpaid.cf_settlement_id.is_none());

    let (status, _) = refused(settlement(&client, "order_nobodymadeit").await);
    assert_eq!(status, 404);
}
