//! Razorpay's QR Codes in paygen-mock: a QR Code exists only once created and
//! holds what was sent; each payment adds to what it received and posts a
//! signed `qr_code.credited`; a `single_use` one closes once paid; a closed
//! one takes no payment and cannot be closed again.

mod support;

use paygen::razorpay;
use paygen::webhooks::razorpay as hooks;
use paygen_mock::Happening;
use support::{razorpay_events, razorpay_mock, razorpay_says, refused, webhook_receiver};

fn fetch(id: &str) -> razorpay::FetchQrCodeParams {
    razorpay::FetchQrCodeParams::new(id)
}

#[tokio::test]
async fn a_multiple_use_qr_code_adds_up_what_it_receives_until_closed() {
    let receiver = webhook_receiver().await;
    let (mock, client) = razorpay_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    assert_eq!(
        razorpay_says(refused(
            client.fetch_qr_code(&fetch("qr_nobodymadeit")).await
        )),
        (400, "The id provided does not exist".to_owned())
    );
    let request =
        razorpay::CreateQrCodeRequest::new(razorpay::QrType::UpiQr, razorpay::QrUsage::MultipleUse)
            .with_name("Counter 2");
    let qr = client.create_qr_code(&request).await.unwrap();
    assert!(qr.id.starts_with("qr_"), "{}", qr.id);
    assert_eq!(qr.status, razorpay::QrStatus::Active);
    assert_eq!(qr.name.as_deref(), Some("Counter 2"));
    // Nothing of the page's example: no amount, customer or description.
    assert_eq!((qr.payment_amount, qr.customer_id.as_deref()), (None, None));

    mock.drive(&qr.id, Happening::Pay).await.unwrap();
    mock.drive(&qr.id, Happening::Pay).await.unwrap();
    let paid = client.fetch_qr_code(&fetch(&qr.id)).await.unwrap();
    assert_eq!(
        paid.status,
        razorpay::QrStatus::Active,
        "many payments, still active"
    );
    assert_eq!(
        (paid.payments_count_received, paid.payments_amount_received),
        (Some(2), Some(200))
    );
    let events = razorpay_events(&receiver, &mock).await;
    assert_eq!(events.len(), 2);
    for event in &events {
        match event {
            hooks::Event::QrCodeCredited { qr_code, payment } => {
                assert_eq!(qr_code.id, qr.id);
                assert_eq!(payment.status, razorpay::PaymentStatus::Captured);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_ne!(
        events[0].dedup_key(),
        events[1].dedup_key(),
        "two payments, two events"
    );

    let closed = client
        .close_qr_code(&razorpay::CloseQrCodeParams::new(qr.id.clone()))
        .await
        .unwrap();
    assert_eq!(closed.status, razorpay::QrStatus::Closed);
    assert_eq!(closed.close_reason.as_deref(), Some("on_demand"));
    assert!(
        mock.drive(&qr.id, Happening::Pay).await.is_err(),
        "a closed QR Code takes nothing"
    );
    let again = client
        .close_qr_code(&razorpay::CloseQrCodeParams::new(qr.id.clone()))
        .await;
    assert_eq!(
        razorpay_says(refused(again)),
        (400, "The QR Code is already closed".to_owned())
    );
}

#[tokio::test]
async fn a_single_use_qr_code_of_a_fixed_amount_closes_once_paid() {
    let (mock, client) = razorpay_mock().await;
    let request =
        razorpay::CreateQrCodeRequest::new(razorpay::QrType::UpiQr, razorpay::QrUsage::SingleUse)
            .with_fixed_amount(true)
            .with_payment_amount(4_500);
    let qr = client.create_qr_code(&request).await.unwrap();
    mock.drive(&qr.id, Happening::Pay).await.unwrap();
    let paid = client.fetch_qr_code(&fetch(&qr.id)).await.unwrap();
    assert_eq!(paid.status, razorpay::QrStatus::Closed);
    assert_eq!(paid.close_reason.as_deref(), Some("paid"));
    assert_eq!(paid.payments_amount_received, Some(4_500));
    assert!(mock.drive(&qr.id, Happening::Pay).await.is_err());
}

#[tokio::test]
async fn a_fixed_amount_needs_its_amount_and_a_past_close_by_is_refused() {
    let (mock, client) = razorpay_mock().await;
    let no_amount =
        razorpay::CreateQrCodeRequest::new(razorpay::QrType::UpiQr, razorpay::QrUsage::SingleUse)
            .with_fixed_amount(true);
    match client.create_qr_code(&no_amount).await {
        Err(paygen::Error::Validation(report)) => {
            assert!(report.to_string().contains("payment_amount"), "{report}")
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing was sent");

    let past =
        razorpay::CreateQrCodeRequest::new(razorpay::QrType::UpiQr, razorpay::QrUsage::MultipleUse)
            .with_close_by(1_000_000_000);
    let (status, body) = refused(client.create_qr_code(&past).await);
    assert_eq!(status, 400);
    assert_eq!(body.error.field.as_deref(), Some("close_by"));
}
