//! A Cashfree UPI checkout against paygen-mock: the order and its payment
//! session, Order Pay, the order's status and payments, a keyed refund, and
//! the payment success webhook as your handler would receive it.
//!
//! `cargo run -p paygen-mock --example cashfree_checkout`

use std::time::SystemTime;

use paygen::cashfree;
use paygen::webhooks::cashfree::{verify_webhook, Event, DEFAULT_TOLERANCE};
use paygen::Decimal;
use paygen_mock::{Happening, MockGateway};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockGateway::start("cashfree").await?;
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));

    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new("10.34".parse::<Decimal>()?, "INR", customer);
    order.order_id = Some("order_1610009874".into());
    let keyed = cashfree::CreateOrderParams {
        x_idempotency_key: Some("order_1610009874".into()),
        ..Default::default()
    };
    let order = client.create_order(&order, &keyed).await?;
    let session = order
        .payment_session_id
        .clone()
        .ok_or("no payment session")?;
    println!("order {} ({})", order.order_id, order.order_amount);

    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(session, cashfree::PayOrderPaymentMethod::Upi(upi));
    let next = client.pay_order(&pay, &Default::default()).await?;
    println!("take the customer to {:?}", next.data.and_then(|d| d.url));

    // The customer pays; the gateway marks the order paid (the mock plays the customer).
    mock.drive(&order.order_id, Happening::Pay).await?;
    let status = client
        .get_order(&cashfree::GetOrderParams::new(&order.order_id))
        .await?;
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new(&order.order_id))
        .await?;
    println!(
        "{:?}, {} payment attempt(s)",
        status.order_status,
        payments.len()
    );

    let refund = cashfree::CreateRefundRequest::new("5.00".parse::<Decimal>()?, "refund_00912");
    let mut params = cashfree::CreateRefundParams::new(&order.order_id);
    params.x_idempotency_key = Some("refund_00912".into());
    client.create_refund(&refund, &params).await?;
    // The bank processes the refund.
    mock.drive("refund_00912", Happening::Settle).await?;
    let refund = client
        .get_refund(
            &cashfree::GetRefundParams::builder()
                .order_id(&order.order_id)
                .refund_id("refund_00912")
                .build()?,
        )
        .await?;
    println!("refund {} is {:?}", refund.refund_id, refund.refund_status);

    // The payment success webhook, as your handler gets it.
    let webhook = mock.webhook(
        "PAYMENT_SUCCESS_WEBHOOK",
        serde_json::json!({
            "order": {"order_id": order.order_id, "order_amount": 10.34, "order_currency": "INR"},
            "payment": {"cf_payment_id": "4105073870", "payment_status": "SUCCESS", "payment_amount": 10.34}
        }),
    );
    let header = |name: &str| {
        webhook
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let event = verify_webhook(
        &webhook.body,
        header("x-webhook-timestamp"),
        header("x-webhook-signature"),
        mock.credential(1),
        DEFAULT_TOLERANCE,
        SystemTime::now(),
    )?;
    match event {
        Event::PaymentSuccess(paid) => println!("webhook: {} paid", paid.order.order_id),
        other => return Err(format!("unexpected event {other:?}").into()),
    }
    Ok(())
}
