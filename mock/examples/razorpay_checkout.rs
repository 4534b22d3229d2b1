//! A Razorpay card checkout against paygen-mock: order and payment in one
//! call, the bank's OTP, the signed answer, capture, a refund, and the
//! `payment.captured` webhook as your handler would receive it.
//!
//! `cargo run -p paygen-mock --example razorpay_checkout`

use paygen::razorpay;
use paygen::webhooks::razorpay::{verify_payment, verify_webhook, Event};
use paygen_mock::MockGateway;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockGateway::start("razorpay").await?;
    let key_secret = mock.credential(1);
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), key_secret);

    let mut order = razorpay::CreateOrderRequest::new(50_000, "INR");
    let mut payment = razorpay::OrderPayment::builder()
        .email("john.smith@example.com")
        .contact("+919900988990")
        .ip("105.106.107.108")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()?;
    payment.card = Some(
        razorpay::Card::builder()
            .number("4111111111111111")
            .name("John Smith")
            .expiry_month("11")
            .expiry_year("30")
            .cvv("100")
            .build()?,
    );
    order.payment = Some(payment);
    let order = client.create_order(&order).await?;
    let payment_id = order
        .payment_workflow
        .and_then(|w| w.id)
        .ok_or("no payment")?;
    println!("order {} with payment {payment_id}", order.id);

    let signed = client
        .submit_otp(
            &razorpay::OtpSubmitRequest::new("123456"),
            &razorpay::SubmitOtpParams::new(&payment_id),
        )
        .await?;
    verify_payment(
        &order.id,
        &signed.razorpay_payment_id,
        &signed.razorpay_signature,
        key_secret,
    )?;
    println!("the payment's signature checks out");

    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&payment_id))
        .await?;
    let capture = razorpay::CaptureRequest::new(payment.amount, payment.currency.clone());
    let captured = client
        .capture_payment(&capture, &razorpay::CapturePaymentParams::new(&payment_id))
        .await?;
    println!("captured: {:?}", captured.status);

    let refund = razorpay::CreateRefundRequest {
        amount: Some(10_000),
        ..Default::default()
    };
    let refund = client
        .create_refund(&refund, &razorpay::CreateRefundParams::new(&payment_id))
        .await?;
    let refund = client
        .fetch_refund(&razorpay::FetchRefundParams::new(&refund.id))
        .await?;
    println!("refund {} is {:?}", refund.id, refund.status);

    // The webhook Razorpay sends once the payment is captured, as your handler gets it.
    let captured = serde_json::to_value(&captured)?;
    let webhook = mock.webhook(
        "payment.captured",
        serde_json::json!({"payment": {"entity": captured}}),
    );
    let signature = &webhook
        .headers
        .iter()
        .find(|(name, _)| name == "x-razorpay-signature")
        .ok_or("unsigned")?
        .1;
    match verify_webhook(&webhook.body, signature, mock.webhook_secret())? {
        Event::PaymentCaptured(payment) => println!("webhook: {} captured", payment.id),
        other => return Err(format!("unexpected event {other:?}").into()),
    }
    Ok(())
}
