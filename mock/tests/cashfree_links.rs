//! Cashfree's payment links in paygen-mock: a link exists only once created
//! and holds what was sent; the customer pays it through an order of its own
//! (listed as the link's orders, with the order's signed payment webhook and
//! then the link's own `PAYMENT_LINK_EVENT`); it expires or is cancelled,
//! each with its link event; a paid or cancelled link cannot be cancelled.

mod support;

use paygen::{cashfree, Decimal};
use paygen_mock::Happening;
use support::{cashfree_events, cashfree_mock, refused, webhook_receiver};

fn new_link(id: &str, amount: &str) -> cashfree::CreateLinkRequest {
    cashfree::CreateLinkRequest::builder()
        .link_id(id)
        .link_amount(amount.parse::<Decimal>().unwrap())
        .link_currency("INR")
        .link_purpose("Gym membership, June")
        .customer_details(cashfree::LinkCustomer::new("9811111111"))
        .build()
        .unwrap()
}

async fn create(
    client: &cashfree::Client,
    request: &cashfree::CreateLinkRequest,
) -> cashfree::Link {
    client
        .create_link(request, &cashfree::CreateLinkParams::default())
        .await
        .unwrap()
}

async fn get(client: &cashfree::Client, id: &str) -> cashfree::Link {
    client
        .get_link(&cashfree::GetLinkParams::new(id))
        .await
        .unwrap()
}

fn cancel_params(id: &str) -> cashfree::CancelLinkParams {
    cashfree::CancelLinkParams::new(id)
}

#[tokio::test]
async fn a_link_is_created_and_read_back_and_an_unknown_one_is_not_found() {
    let (_mock, client) = cashfree_mock().await;
    let (status, _) = refused(
        client
            .get_link(&cashfree::GetLinkParams::new("nobody-made-it"))
            .await,
    );
    assert_eq!(status, 404);

    let link = create(&client, &new_link("gym-june-118", "1499.50")).await;
    assert_eq!(link.link_id, "gym-june-118");
    assert_eq!(link.link_status, cashfree::LinkStatus::Active);
    assert_eq!(link.link_amount, "1499.50".parse::<Decimal>().unwrap());
    assert_eq!(link.link_amount_paid, Some(Decimal::ZERO));
    // Nothing of the page's example: no notes, no partial payments.
    assert_eq!(link.link_notes, Some(Default::default()));
    assert_eq!(link.link_partial_payments, Some(false));
    assert!(link
        .link_url
        .as_deref()
        .unwrap()
        .starts_with("https://payments-test.cashfree.com/links/"));
    assert!(
        !format!("{link:?}").contains("9811111111"),
        "the phone number stays out of Debug"
    );
    assert_eq!(get(&client, "gym-june-118").await, link);

    let again = client
        .create_link(&new_link("gym-june-118", "10"), &Default::default())
        .await;
    let (status, body) = refused(again);
    assert_eq!(status, 409);
    assert_eq!(body.code.as_deref(), Some("link_already_exists"));
}

#[tokio::test]
async fn a_paid_link_has_its_order_paid_and_cannot_be_cancelled() {
    let (mock, client) = cashfree_mock().await;
    create(&client, &new_link("rent-july", "25000")).await;
    let orders = client
        .get_link_orders(&cashfree::GetLinkOrdersParams::new("rent-july"))
        .await
        .unwrap();
    assert!(orders.is_empty(), "no payment, no order: {orders:?}");

    mock.drive("rent-july", Happening::Pay).await.unwrap();
    let paid = get(&client, "rent-july").await;
    assert_eq!(paid.link_status, cashfree::LinkStatus::Paid);
    assert_eq!(paid.link_amount_paid, Some(Decimal::from(25_000)));
    let orders = client
        .get_link_orders(&cashfree::GetLinkOrdersParams::new("rent-july"))
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].order_status, cashfree::OrderStatus::Paid);
    assert_eq!(orders[0].order_amount, Decimal::from(25_000));
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new(
            orders[0].order_id.clone(),
        ))
        .await
        .unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].payment_status, cashfree::PaymentStatus::Success);

    let (status, body) = refused(client.cancel_link(&cancel_params("rent-july")).await);
    assert_eq!(status, 400);
    assert_eq!(body.code.as_deref(), Some("link_not_active"));
    assert_eq!(
        body.message.as_deref(),
        Some("link is PAID: only an ACTIVE link can be cancelled")
    );
    assert!(mock.drive("rent-july", Happening::Pay).await.is_err());
}

#[tokio::test]
async fn a_cancelled_or_expired_link_cannot_be_paid() {
    let (mock, client) = cashfree_mock().await;
    create(&client, &new_link("tuition-1", "800")).await;
    let cancelled = client
        .cancel_link(&cancel_params("tuition-1"))
        .await
        .unwrap();
    assert_eq!(cancelled.link_status, cashfree::LinkStatus::Cancelled);
    assert_eq!(get(&client, "tuition-1").await, cancelled);
    assert_eq!(
        refused(client.cancel_link(&cancel_params("tuition-1")).await).0,
        400
    );
    assert!(mock.drive("tuition-1", Happening::Pay).await.is_err());

    create(&client, &new_link("tuition-2", "800")).await;
    mock.drive("tuition-2", Happening::Expire).await.unwrap();
    assert_eq!(
        get(&client, "tuition-2").await.link_status,
        cashfree::LinkStatus::Expired
    );
    assert!(mock.drive("tuition-2", Happening::Pay).await.is_err());
}

#[tokio::test]
async fn the_client_refuses_a_partial_minimum_without_partial_payments_before_sending() {
    let (mock, client) = cashfree_mock().await;
    let mut request = new_link("fees-1", "500");
    request.link_minimum_partial_amount = Some(Decimal::from(100));
    match client.create_link(&request, &Default::default()).await {
        Err(paygen::Error::Validation(report)) => {
            assert!(
                report.to_string().contains("link_minimum_partial_amount"),
                "{report}"
            )
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_link_payment_posts_the_orders_payment_webhook_then_the_link_event() {
    use paygen::webhooks::cashfree as hooks;
    let receiver = webhook_receiver().await;
    let (mock, client) = cashfree_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    create(&client, &new_link("school-bus-q3", "3600.25")).await;
    mock.drive("school-bus-q3", Happening::Pay).await.unwrap();

    let events = cashfree_events(&receiver, &mock).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let hooks::Event::PaymentSuccess(paid) = &events[0] else {
        panic!("{:?}", events[0]);
    };
    assert!(
        paid.order.order_id.starts_with("CFPay_school-bus-q3_"),
        "{}",
        paid.order.order_id
    );
    assert_eq!(
        paid.payment.payment_amount,
        Some("3600.25".parse().unwrap())
    );
    let hooks::Event::PaymentLink { link, .. } = &events[1] else {
        panic!("{:?}", events[1]);
    };
    assert_eq!(link.link_id, "school-bus-q3");
    assert_eq!(link.link_status, cashfree::LinkStatus::Paid);
    assert_eq!(link.link_amount_paid, Some("3600.25".parse().unwrap()));
    // The link event names the same order and payment the payment event does.
    let order = link.order.as_ref().unwrap();
    assert_eq!(order.order_id, paid.order.order_id);
    let payment_id = match &paid.payment.cf_payment_id {
        cashfree::PaymentId::Integer(n) => *n,
        cashfree::PaymentId::Text(text) => text.parse().unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(order.transaction_id, Some(payment_id));
    assert_eq!(order.transaction_status.as_deref(), Some("SUCCESS"));
    assert_eq!(
        events[1].dedup_key(),
        "PAYMENT_LINK_EVENT:school-bus-q3:PAID:3600.25"
    );
    // The customer's phone number stays out of Debug.
    assert!(!format!("{events:?}").contains("9811111111"));
}

#[tokio::test]
async fn a_cancelled_and_an_expired_link_each_post_their_link_event() {
    use paygen::webhooks::cashfree as hooks;
    let receiver = webhook_receiver().await;
    let (mock, client) = cashfree_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    create(&client, &new_link("locker-1", "300")).await;
    create(&client, &new_link("locker-2", "300")).await;
    client
        .cancel_link(&cancel_params("locker-1"))
        .await
        .unwrap();
    mock.drive("locker-2", Happening::Expire).await.unwrap();
    // A refused cancellation changes nothing and posts nothing.
    assert!(client
        .cancel_link(&cancel_params("locker-2"))
        .await
        .is_err());

    let seen: Vec<(String, cashfree::LinkStatus, bool)> = cashfree_events(&receiver, &mock)
        .await
        .into_iter()
        .map(|event| match event {
            hooks::Event::PaymentLink { link, .. } => {
                (link.link_id, link.link_status, link.order.is_some())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "locker-1".to_owned(),
                cashfree::LinkStatus::Cancelled,
                false
            ),
            ("locker-2".to_owned(), cashfree::LinkStatus::Expired, false),
        ]
    );
}
