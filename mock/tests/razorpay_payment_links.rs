//! Razorpay's Standard Payment Links in paygen-mock: a link exists only once
//! created and holds what was sent; it is paid (with the order and captured
//! payment Razorpay makes for it, and a signed `payment_link.paid` webhook),
//! expires, or is cancelled; a paid or cancelled link refuses what only a
//! `created` one allows.

mod support;

use paygen::razorpay;
use paygen::webhooks::razorpay as hooks;
use paygen_mock::Happening;
use support::{razorpay_events, razorpay_mock, razorpay_says, refused, webhook_receiver};

fn fetch(id: &str) -> razorpay::FetchPaymentLinkParams {
    razorpay::FetchPaymentLinkParams::new(id)
}

fn notify(id: &str, medium: &str) -> razorpay::NotifyPaymentLinkParams {
    razorpay::NotifyPaymentLinkParams::builder()
        .id(id)
        .medium(medium)
        .build()
        .unwrap()
}

fn in_a_week() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(now).unwrap() + 7 * 86_400
}

#[tokio::test]
async fn a_link_is_created_read_changed_sent_and_listed() {
    let (_mock, client) = razorpay_mock().await;
    assert_eq!(
        razorpay_says(refused(
            client
                .fetch_payment_link(&fetch("plink_nobodymadeit"))
                .await
        )),
        (400, "The id provided does not exist".to_owned())
    );

    let request = razorpay::CreatePaymentLinkRequest::new(2_500)
        .with_description("Yoga class, March")
        .with_reference_id("yoga-march-7")
        .with_customer(razorpay::LinkCustomer::default().with_contact("+919812345678"));
    let link = client.create_payment_link(&request).await.unwrap();
    assert!(link.id.starts_with("plink_"), "{}", link.id);
    assert_eq!(link.status, razorpay::PaymentLinkStatus::Created);
    assert_eq!((link.amount, link.amount_paid), (2_500, Some(0)));
    assert_eq!(link.currency.as_deref(), Some("INR"), "INR when left out");
    assert_eq!(link.reference_id.as_deref(), Some("yoga-march-7"));
    // Nothing of the page's example: no notes, no callback, no payments.
    assert_eq!(link.notes, Some(serde_json::json!([])));
    assert_eq!(link.callback_url.as_deref(), Some(""));
    assert_eq!(link.payments, None);
    assert!(
        format!("{link:?}").contains("***") && !format!("{link:?}").contains("9812345678"),
        "the customer's phone number stays out of Debug: {link:?}"
    );
    assert_eq!(
        client.fetch_payment_link(&fetch(&link.id)).await.unwrap(),
        link
    );

    let expiry = in_a_week();
    let updated = client
        .update_payment_link(
            &razorpay::UpdatePaymentLinkRequest::default()
                .with_expire_by(expiry)
                .with_reminder_enable(true),
            &razorpay::UpdatePaymentLinkParams::new(link.id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(updated.expire_by, Some(expiry));
    assert_eq!(updated.reminder_enable, Some(true));
    assert_eq!(updated.description.as_deref(), Some("Yoga class, March"));
    assert_eq!(
        client.fetch_payment_link(&fetch(&link.id)).await.unwrap(),
        updated
    );

    let sent = client
        .notify_payment_link(&notify(&link.id, "sms"))
        .await
        .unwrap();
    assert!(sent.success);

    let other = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(900))
        .await
        .unwrap();
    let all = client
        .list_payment_links(&Default::default())
        .await
        .unwrap();
    let ids: Vec<&str> = all.payment_links.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, [other.id.as_str(), link.id.as_str()], "newest first");
    let by_reference = client
        .list_payment_links(
            &razorpay::ListPaymentLinksParams::default().with_reference_id("yoga-march-7"),
        )
        .await
        .unwrap();
    assert_eq!(by_reference.payment_links, [updated]);
}

#[tokio::test]
async fn a_paid_link_has_its_order_and_captured_payment_and_cannot_be_cancelled() {
    let (mock, client) = razorpay_mock().await;
    let link = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(4_200))
        .await
        .unwrap();
    mock.drive(&link.id, Happening::Pay).await.unwrap();

    let paid = client.fetch_payment_link(&fetch(&link.id)).await.unwrap();
    assert_eq!(paid.status, razorpay::PaymentLinkStatus::Paid);
    assert_eq!(paid.amount_paid, Some(4_200));
    let payments = paid.payments.clone().unwrap();
    assert_eq!(payments.len(), 1);
    let payment_id = payments[0].payment_id.clone().unwrap();
    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(payment_id.clone()))
        .await
        .unwrap();
    assert_eq!(payment.status, razorpay::PaymentStatus::Captured);
    assert_eq!(payment.amount, 4_200);
    assert_eq!(payment.order_id, paid.order_id, "the link's order");
    let order = client
        .fetch_order(&razorpay::FetchOrderParams::new(
            paid.order_id.clone().unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(order.amount_paid, 4_200);

    let by_payment = client
        .list_payment_links(
            &razorpay::ListPaymentLinksParams::default().with_payment_id(payment_id),
        )
        .await
        .unwrap();
    assert_eq!(by_payment.payment_links, std::slice::from_ref(&paid));

    let cancel = client
        .cancel_payment_link(&razorpay::CancelPaymentLinkParams::new(link.id.clone()))
        .await;
    assert_eq!(
        razorpay_says(refused(cancel)),
        (
            400,
            "Payment Link is paid: only a created link can be cancelled".to_owned()
        )
    );
    let resend = client.notify_payment_link(&notify(&link.id, "email")).await;
    assert_eq!(razorpay_says(refused(resend)).0, 400);
    let again = mock.drive(&link.id, Happening::Pay).await.unwrap_err();
    assert!(again.to_string().contains("is paid"), "{again}");
}

#[tokio::test]
async fn a_cancelled_or_expired_link_cannot_be_paid_changed_or_cancelled_again() {
    let (mock, client) = razorpay_mock().await;
    let link = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(1_000))
        .await
        .unwrap();
    let cancelled = client
        .cancel_payment_link(&razorpay::CancelPaymentLinkParams::new(link.id.clone()))
        .await
        .unwrap();
    assert_eq!(cancelled.status, razorpay::PaymentLinkStatus::Cancelled);
    assert!(cancelled.cancelled_at.unwrap() > 0);
    assert_eq!(
        razorpay_says(refused(
            client
                .cancel_payment_link(&razorpay::CancelPaymentLinkParams::new(link.id.clone()))
                .await
        )),
        (
            400,
            "Payment Link is cancelled: only a created link can be cancelled".to_owned()
        )
    );
    let change = client
        .update_payment_link(
            &razorpay::UpdatePaymentLinkRequest::default().with_reminder_enable(true),
            &razorpay::UpdatePaymentLinkParams::new(link.id.clone()),
        )
        .await;
    assert_eq!(razorpay_says(refused(change)).0, 400);
    assert!(mock.drive(&link.id, Happening::Pay).await.is_err());

    let other = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(1_000))
        .await
        .unwrap();
    let expired = mock.drive(&other.id, Happening::Expire).await.unwrap();
    assert_eq!(expired["status"], "expired");
    let fetched = client.fetch_payment_link(&fetch(&other.id)).await.unwrap();
    assert_eq!(fetched.status, razorpay::PaymentLinkStatus::Expired);
    assert!(fetched.expired_at.unwrap() > 0);
    assert!(mock.drive(&other.id, Happening::Pay).await.is_err());
}

#[tokio::test]
async fn a_reference_in_use_and_an_expiry_out_of_range_are_refused() {
    let (_mock, client) = razorpay_mock().await;
    let first = razorpay::CreatePaymentLinkRequest::new(1_000).with_reference_id("inv-42");
    client.create_payment_link(&first).await.unwrap();
    let (status, body) = refused(client.create_payment_link(&first).await);
    assert_eq!(status, 400);
    assert_eq!(body.error.field.as_deref(), Some("reference_id"));
    assert_eq!(
        body.error.description.as_deref(),
        Some("Payment Link with reference id inv-42 already exists")
    );

    for (expire_by, why) in [
        (1_000_000_000, "is in the past"),
        (in_a_week() + 400 * 86_400, "is more than six months away"),
    ] {
        let late = razorpay::CreatePaymentLinkRequest::new(1_000).with_expire_by(expire_by);
        let (_, body) = refused(client.create_payment_link(&late).await);
        assert_eq!(body.error.description.unwrap(), format!("expire_by {why}"));
    }
}

#[tokio::test]
async fn the_client_refuses_a_partial_minimum_without_partial_payments_before_sending() {
    let (mock, client) = razorpay_mock().await;
    let request = razorpay::CreatePaymentLinkRequest::new(1_000).with_first_min_partial_amount(100);
    match client.create_payment_link(&request).await {
        Err(paygen::Error::Validation(report)) => {
            assert!(
                report.to_string().contains("first_min_partial_amount"),
                "{report}"
            )
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn paying_or_expiring_a_link_sends_its_signed_webhook() {
    let receiver = webhook_receiver().await;
    let (mock, client) = razorpay_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    let link = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(3_000))
        .await
        .unwrap();
    mock.drive(&link.id, Happening::Pay).await.unwrap();

    let events = razorpay_events(&receiver, &mock).await;
    assert_eq!(events.len(), 1);
    let event = events[0].clone();
    match event {
        hooks::Event::PaymentLinkPaid {
            payment_link,
            order,
            payment,
        } => {
            assert_eq!(payment_link.id, link.id);
            assert_eq!(payment_link.status, razorpay::PaymentLinkStatus::Paid);
            assert_eq!(Some(order.id.clone()), payment_link.order_id);
            assert_eq!(payment.order_id.as_deref(), Some(order.id.as_str()));
        }
        other => panic!("expected payment_link.paid, got {other:?}"),
    }

    let unpaid = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(3_000))
        .await
        .unwrap();
    mock.drive(&unpaid.id, Happening::Expire).await.unwrap();
    let events = razorpay_events(&receiver, &mock).await;
    assert_eq!(events.len(), 2);
    let event = &events[1];
    assert!(
        matches!(event, hooks::Event::PaymentLinkExpired(l) if l.id == unpaid.id && l.status == razorpay::PaymentLinkStatus::Expired),
        "{event:?}"
    );
}

#[tokio::test]
async fn a_upi_link_is_paid_by_upi_and_takes_no_partial_payments() {
    let (mock, client) = razorpay_mock().await;
    let mut request = razorpay::CreatePaymentLinkRequest::new(1_500);
    request.upi_link = Some(true);
    let link = client.create_payment_link(&request).await.unwrap();
    let created = client.fetch_payment_link(&fetch(&link.id)).await.unwrap();
    assert_eq!(created.upi_link, Some(serde_json::json!(true)));
    mock.drive(&link.id, Happening::Pay).await.unwrap();
    let paid = client.fetch_payment_link(&fetch(&link.id)).await.unwrap();
    assert_eq!(paid.status, razorpay::PaymentLinkStatus::Paid);
    let payment_id = paid.payments.unwrap()[0].payment_id.clone().unwrap();
    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(payment_id))
        .await
        .unwrap();
    assert_eq!(payment.method, "upi");

    // A standard link says so.
    let standard = client
        .create_payment_link(&razorpay::CreatePaymentLinkRequest::new(1_500))
        .await
        .unwrap();
    assert_eq!(standard.upi_link, Some(serde_json::json!(false)));

    request.accept_partial = Some(true);
    let (status, says) = razorpay_says(refused(client.create_payment_link(&request).await));
    assert_eq!(
        (status, says.as_str()),
        (
            400,
            "Partial payments are not supported for UPI Payment Links"
        )
    );
}
