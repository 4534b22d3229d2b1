//! Razorpay Route's transfers in paygen-mock: only a captured payment is
//! transferred from, in its currency, never above what it holds; a transfer
//! is `pending` until processed (a signed `transfer.processed` webhook), is
//! found by its id and its payment's, and once processed is reversed in
//! parts, never beyond its amount. An order's transfers are `created` with
//! it and made when its payment is captured.

mod support;

use paygen::razorpay;
use paygen::webhooks::razorpay::Event;
use paygen_mock::Happening;
use support::{
    razorpay_captured, razorpay_events, razorpay_mock, razorpay_payment, razorpay_says, refused,
    webhook_receiver,
};

fn transfer(account: &str, amount: i64, currency: &str) -> razorpay::NewTransfer {
    razorpay::NewTransfer::builder()
        .account(account)
        .amount(amount)
        .currency(currency)
        .build()
        .unwrap()
}

fn transfers(parts: Vec<razorpay::NewTransfer>) -> razorpay::CreateTransfersRequest {
    razorpay::CreateTransfersRequest::new(parts)
}

#[tokio::test]
async fn a_captured_payment_is_split_among_accounts_never_above_its_amount() {
    let (mock, client) = razorpay_mock().await;
    let payment = razorpay_captured(&mock, &client, 50_000).await;
    let params = razorpay::CreatePaymentTransfersParams::new(&payment);

    let made = client
        .create_payment_transfers(
            &transfers(vec![
                transfer("acc_IROu8Nod6PXPtZ", 10_000, "INR"),
                transfer("acc_IRQWUleX4BqvYn", 15_000, "INR"),
            ]),
            &params,
        )
        .await
        .unwrap();
    assert_eq!(made.count, 2);
    assert!(made
        .items
        .iter()
        .all(|t| t.status == razorpay::TransferStatus::Pending
            && t.source.as_deref() == Some(payment.as_str())));
    let recipients: Vec<_> = made
        .items
        .iter()
        .map(|t| t.recipient.clone().unwrap())
        .collect();
    assert_eq!(recipients, ["acc_IROu8Nod6PXPtZ", "acc_IRQWUleX4BqvYn"]);

    // What is left is 25,000: 30,000 more is refused, and so is another currency.
    let (status, says) = razorpay_says(refused(
        client
            .create_payment_transfers(
                &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 30_000, "INR")]),
                &params,
            )
            .await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("25000 is left"), "{says}");
    let (status, _) = razorpay_says(refused(
        client
            .create_payment_transfers(
                &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 100, "USD")]),
                &params,
            )
            .await,
    ));
    assert_eq!(status, 400);
    let listed = client
        .fetch_payment_transfers(&razorpay::FetchPaymentTransfersParams::new(&payment))
        .await
        .unwrap();
    assert_eq!(listed.count, 2, "refused transfers are not made");
    assert_eq!(listed.items[0].id, made.items[1].id, "newest first");

    // Processed once.
    let first = made.items[0].id.clone();
    mock.drive(&first, Happening::Settle).await.unwrap();
    let processed = client
        .fetch_transfer(&razorpay::FetchTransferParams::new(&first))
        .await
        .unwrap();
    assert_eq!(processed.status, razorpay::TransferStatus::Processed);
    assert!(processed.processed_at.is_some());
    assert!(mock.drive(&first, Happening::Settle).await.is_err());
}

#[tokio::test]
async fn only_a_captured_payment_is_transferred_from() {
    let (mock, client) = razorpay_mock().await;
    let authorized = razorpay_payment(&mock, &client, 10_000, Happening::Authorize).await;
    let (status, says) = razorpay_says(refused(
        client
            .create_payment_transfers(
                &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 100, "INR")]),
                &razorpay::CreatePaymentTransfersParams::new(&authorized),
            )
            .await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("only a captured payment"), "{says}");
    let (status, _) = razorpay_says(refused(
        client
            .fetch_transfer(&razorpay::FetchTransferParams::new("trf_nobodymadeit"))
            .await,
    ));
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_processed_transfer_is_a_signed_webhook() {
    let (mock, client) = razorpay_mock().await;
    let payment = razorpay_captured(&mock, &client, 20_000).await;
    let made = client
        .create_payment_transfers(
            &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 5_000, "INR")]),
            &razorpay::CreatePaymentTransfersParams::new(&payment),
        )
        .await
        .unwrap();
    let receiver = webhook_receiver().await;
    mock.send_webhooks_to(&receiver.uri());
    let id = made.items[0].id.clone();
    mock.drive(&id, Happening::Settle).await.unwrap();
    let events = razorpay_events(&receiver, &mock).await;
    let [Event::TransferProcessed(processed)] = &events[..] else {
        panic!("one transfer.processed: {events:?}");
    };
    assert_eq!(processed.id, id);
    assert_eq!(processed.status, razorpay::TransferStatus::Processed);
    assert_eq!(events[0].dedup_key(), format!("transfer.processed:{id}"));
}

#[tokio::test]
async fn a_processed_transfer_is_reversed_in_parts_never_beyond_its_amount() {
    let (mock, client) = razorpay_mock().await;
    let payment = razorpay_captured(&mock, &client, 30_000).await;
    let made = client
        .create_payment_transfers(
            &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 10_000, "INR")]),
            &razorpay::CreatePaymentTransfersParams::new(&payment),
        )
        .await
        .unwrap();
    let id = made.items[0].id.clone();
    let params = razorpay::ReverseTransferParams::new(&id);
    let part = |amount: Option<i64>| razorpay::ReverseTransferRequest {
        amount,
        ..Default::default()
    };

    // Pending: nothing to reverse yet.
    let (status, says) = razorpay_says(refused(
        client.reverse_transfer(&part(Some(100)), &params).await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("only a processed transfer"), "{says}");

    mock.drive(&id, Happening::Settle).await.unwrap();
    let first = client
        .reverse_transfer(&part(Some(4_000)), &params)
        .await
        .unwrap();
    assert_eq!(
        (first.amount, first.transfer_id.as_str()),
        (4_000, id.as_str())
    );
    // More than the 6,000 left: refused; no amount: the 6,000 left.
    let (status, says) = razorpay_says(refused(
        client.reverse_transfer(&part(Some(6_001)), &params).await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("6000 left"), "{says}");
    let rest = client.reverse_transfer(&part(None), &params).await.unwrap();
    assert_eq!(rest.amount, 6_000);
    let fetched = client
        .fetch_transfer(&razorpay::FetchTransferParams::new(&id))
        .await
        .unwrap();
    assert_eq!(fetched.amount_reversed, Some(10_000));
    assert!(client.reverse_transfer(&part(None), &params).await.is_err());

    let listed = client
        .fetch_transfer_reversals(&razorpay::FetchTransferReversalsParams::new(&id))
        .await
        .unwrap();
    let ids: Vec<&str> = listed.items.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [rest.id.as_str(), first.id.as_str()], "newest first");
}

#[tokio::test]
async fn a_direct_transfer_is_processed_once_per_idempotency_key() {
    let (mock, client) = razorpay_mock().await;
    let receiver = webhook_receiver().await;
    mock.send_webhooks_to(&receiver.uri());
    let direct = razorpay::DirectTransferRequest::new("acc_CPRsN1LkFccllA", 2_500);
    let keyed = razorpay::CreateDirectTransferParams::default()
        .with_x_transfer_idempotency("payout-order_42-1");
    let made = client
        .create_direct_transfer(&direct, &keyed)
        .await
        .unwrap();
    assert_eq!(made.status, razorpay::TransferStatus::Processed);
    assert_eq!(made.recipient.as_deref(), Some("acc_CPRsN1LkFccllA"));
    assert_eq!(made.amount, 2_500);

    // A retry after a lost response: the same transfer, not a second one.
    let again = client
        .create_direct_transfer(&direct, &keyed)
        .await
        .unwrap();
    assert_eq!(again.id, made.id);
    let events = razorpay_events(&receiver, &mock).await;
    let [Event::TransferProcessed(processed)] = &events[..] else {
        panic!("one transfer.processed: {events:?}");
    };
    assert_eq!(processed.id, made.id);
    // The same key with another body is refused; another key is another transfer.
    let other = razorpay::DirectTransferRequest::new("acc_CPRsN1LkFccllA", 9_999);
    let (status, _) = razorpay_says(refused(client.create_direct_transfer(&other, &keyed).await));
    assert_eq!(status, 400);
    let second = client
        .create_direct_transfer(
            &direct,
            &razorpay::CreateDirectTransferParams::default()
                .with_x_transfer_idempotency("payout-order_42-2"),
        )
        .await
        .unwrap();
    assert_ne!(second.id, made.id);
    // A key the page does not allow is refused before it is sent.
    let bad_key = razorpay::CreateDirectTransferParams::default().with_x_transfer_idempotency("k!");
    assert!(paygen::Validate::validate(&bad_key).is_err());
}

fn order_with_transfers(
    amount: i64,
    parts: Vec<razorpay::NewTransfer>,
) -> razorpay::CreateOrderRequest {
    let mut order = razorpay::CreateOrderRequest::new(amount, "INR");
    order.transfers = Some(parts);
    order
}

#[tokio::test]
async fn an_orders_transfers_are_made_when_its_payment_is_captured() {
    let receiver = webhook_receiver().await;
    let (mock, client) = razorpay_mock().await;
    mock.send_webhooks_to(&receiver.uri());
    let order = client
        .create_order(&order_with_transfers(
            20_000,
            vec![
                transfer("acc_IRQWUleX4BqvYn", 10_000, "INR"),
                transfer("acc_IROu8Nod6PXPtZ", 6_000, "INR"),
            ],
        ))
        .await
        .unwrap();
    let made = order.transfers.clone().unwrap();
    assert_eq!(made.len(), 2);
    assert!(made
        .iter()
        .all(|t| t.status == razorpay::TransferStatus::Created
            && t.source.as_deref() == Some(order.id.as_str())));
    let first = razorpay::FetchTransferParams::new(&made[0].id);
    assert_eq!(
        client.fetch_transfer(&first).await.unwrap().status,
        razorpay::TransferStatus::Created
    );

    // Paid and captured: the transfers are made, and are the payment's.
    mock.drive(&order.id, Happening::Pay).await.unwrap();
    let payment = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    let listed = client
        .fetch_payment_transfers(&razorpay::FetchPaymentTransfersParams::new(&payment))
        .await
        .unwrap();
    assert_eq!(listed.count, 2);
    assert!(listed
        .items
        .iter()
        .all(|t| t.status == razorpay::TransferStatus::Pending));
    // 4,000 is left of the payment for transfers from it.
    let (status, says) = razorpay_says(refused(
        client
            .create_payment_transfers(
                &transfers(vec![transfer("acc_IROu8Nod6PXPtZ", 4_001, "INR")]),
                &razorpay::CreatePaymentTransfersParams::new(&payment),
            )
            .await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("4000 is left"), "{says}");

    // Processed as any transfer is, with its webhook.
    mock.drive(&made[0].id, Happening::Settle).await.unwrap();
    assert_eq!(
        client.fetch_transfer(&first).await.unwrap().status,
        razorpay::TransferStatus::Processed
    );
    let processed: Vec<String> = razorpay_events(&receiver, &mock)
        .await
        .into_iter()
        .filter_map(|e| match e {
            Event::TransferProcessed(t) => Some(t.id),
            _ => None,
        })
        .collect();
    assert_eq!(processed, [made[0].id.clone()]);
}

#[tokio::test]
async fn an_order_cannot_transfer_more_than_itself_nor_be_paid_in_parts_with_transfers() {
    let (mock, client) = razorpay_mock().await;
    let (status, says) = razorpay_says(refused(
        client
            .create_order(&order_with_transfers(
                5_000,
                vec![
                    transfer("acc_IRQWUleX4BqvYn", 3_000, "INR"),
                    transfer("acc_IROu8Nod6PXPtZ", 2_001, "INR"),
                ],
            ))
            .await,
    ));
    assert_eq!(status, 400);
    assert!(says.contains("greater than the order's amount"), "{says}");
    let mut partial =
        order_with_transfers(5_000, vec![transfer("acc_IRQWUleX4BqvYn", 1_000, "INR")]);
    partial.partial_payment = Some(true);
    let (status, says) = razorpay_says(refused(client.create_order(&partial).await));
    assert_eq!(status, 400);
    assert!(says.contains("partial_payment"), "{says}");
    // Nothing was made by either refusal: no order lists a transfer.
    let orders = client.list_orders(&Default::default()).await.unwrap();
    assert_eq!(orders.count, 0, "{orders:?}");

    // Another currency is refused by the client, before anything is sent.
    let mut dollars =
        order_with_transfers(5_000, vec![transfer("acc_IRQWUleX4BqvYn", 1_000, "USD")]);
    dollars.currency = "USD".into();
    match client.create_order(&dollars).await {
        Err(paygen::Error::Validation(report)) => {
            assert!(report.to_string().contains("transfers"), "{report}")
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(mock.requests().len(), 3, "the USD order was not sent");
}
