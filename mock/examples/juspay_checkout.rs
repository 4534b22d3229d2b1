//! A Juspay CRED Pay checkout against paygen-mock: the order, the CRED
//! transaction (the phone number encrypted with the gateway's key, which the
//! mock decrypts), the order's status, and a refund.
//!
//! `cargo run -p paygen-mock --example juspay_checkout`

use paygen::juspay;
use paygen::Decimal;
use paygen_mock::{Happening, MockGateway};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockGateway::start("juspay").await?;
    let (merchant, customer) = ("merchant_id", "customer_1122");
    // The merchant id, set once, goes out as `x-merchantid` on every call.
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_merchant_id(merchant)
        .with_public_key_pem(mock.public_key_pem())?;

    let order = juspay::CreateOrderRequest::new("order1610009874", "1.00".parse::<Decimal>()?);
    let order = client
        .create_order(&order, &juspay::CreateOrderParams::new(customer))
        .await?;
    println!("order {} is {}", order.order_id, order.status);

    let cred = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number("9900988990")
        .build()?;
    let txn = juspay::TxnsRequest::builder()
        .order_id(&order.order_id)
        .merchant_id(merchant)
        .sdk_pg_params(cred)
        .build()?;
    let txn = client
        .create_txn(&txn, &juspay::CreateTxnParams::new(customer))
        .await?;
    println!(
        "transaction {}: send the customer to {:?}",
        txn.txn_id,
        txn.payment
            .and_then(|p| p.authentication)
            .and_then(|a| a.url)
    );

    // The customer approves the payment in CRED: the mock plays the customer.
    mock.drive(&order.order_id, Happening::Pay).await?;
    let status = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id(&order.order_id)
                .x_routing_id(customer)
                .build()?,
        )
        .await?;
    println!("status: {:?}", status.status);

    let refund = juspay::RefundOrderRequest::new("refund_1610009874_1", "1.00".parse::<Decimal>()?);
    let refunded = client
        .refund_order(
            &refund,
            &juspay::RefundOrderParams::builder()
                .order_id(&order.order_id)
                .x_routing_id(customer)
                .build()?,
        )
        .await?;
    let refunds = refunded.refunds.unwrap_or_default();
    println!("refund: {:?}", refunds.last().map(|r| &r.status));
    Ok(())
}
