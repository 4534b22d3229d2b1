//! A CRED payment on an existing Razorpay order, and an OTP sent again: the
//! response names the payment just made (never the spec example's), and the
//! payment holds what was sent.

mod support;

use paygen::razorpay;
use paygen_mock::Happening;
use support::{razorpay_mock, razorpay_says, refused};

fn cred_payment(order_id: &str, amount: i64) -> razorpay::CreatePaymentRequest {
    let mut payment = razorpay::CreatePaymentRequest::builder()
        .amount(amount)
        .order_id(order_id)
        .email("gaurav.kumar@example.com")
        .contact("9900988990")
        .method(razorpay::PaymentMethod::App)
        .build()
        .unwrap();
    payment.provider = Some(razorpay::AppProvider::Cred);
    payment.app_present = Some(false);
    payment
}

#[tokio::test]
async fn a_cred_payment_names_itself_in_its_next_steps_and_holds_what_was_sent() {
    let (_mock, client) = razorpay_mock().await;
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(1_000, "INR"))
        .await
        .unwrap();

    let created = client
        .create_payment(&cred_payment(&order.id, 1_000))
        .await
        .unwrap();
    let id = created.razorpay_payment_id.clone();
    assert!(id.starts_with("pay_") && id != "pay_29QQoUBi66xm2f", "{id}");
    let next = created.next.unwrap();
    assert!(
        !next.is_empty() && next.iter().all(|s| s.url.as_deref().unwrap().contains(&id)),
        "{next:?}"
    );

    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&id))
        .await
        .unwrap();
    assert_eq!(payment.order_id.as_deref(), Some(order.id.as_str()));
    assert_eq!(payment.amount, 1_000);
    assert_eq!(payment.status, razorpay::PaymentStatus::Created);
    assert_eq!(payment.email.as_deref(), Some("gaurav.kumar@example.com"));
    let attempted = client
        .fetch_order(&razorpay::FetchOrderParams::new(&order.id))
        .await
        .unwrap();
    assert_eq!(
        (attempted.status, attempted.attempts),
        (razorpay::OrderStatus::Attempted, 1)
    );

    let again = client
        .resend_otp(&razorpay::ResendOtpParams::new(&id))
        .await
        .unwrap();
    assert_eq!(again.razorpay_payment_id, id);
    assert!(again
        .next
        .unwrap()
        .iter()
        .all(|s| s.url.as_deref().unwrap().contains(&id)));
}

#[tokio::test]
async fn a_payment_is_for_the_amount_due_and_an_otp_only_while_awaited() {
    let (mock, client) = razorpay_mock().await;
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(1_000, "INR"))
        .await
        .unwrap();

    let (status, says) = razorpay_says(refused(
        client.create_payment(&cred_payment(&order.id, 999)).await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("must match the amount due"), "{says}");

    let id = client
        .create_payment(&cred_payment(&order.id, 1_000))
        .await
        .unwrap()
        .razorpay_payment_id;
    mock.drive(&id, Happening::Fail).await.unwrap();
    let (status, says) = razorpay_says(refused(
        client
            .resend_otp(&razorpay::ResendOtpParams::new(&id))
            .await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "OTP can be resent only for a payment awaiting it")
    );
}
