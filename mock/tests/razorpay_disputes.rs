//! Razorpay's disputes in paygen-mock: raised on a captured payment only,
//! accepted (`lost`, its amount deducted) or contested, a draft kept without
//! being sent and a submission `under_review`, then won or lost at the bank,
//! each change a signed `payment.dispute.*` webhook; only an `open` dispute
//! is accepted or contested.

mod support;

use paygen::razorpay;
use paygen::webhooks::razorpay as hooks;
use paygen_mock::{Happening, MockGateway};
use support::{
    razorpay_captured, razorpay_events, razorpay_mock, razorpay_says, refused, webhook_receiver,
};

/// The id of a dispute raised on `payment`.
async fn raise(mock: &MockGateway, payment: &str) -> String {
    let raised = mock.drive(payment, Happening::Dispute).await.unwrap();
    raised["id"].as_str().unwrap().to_owned()
}

/// The id of a dispute raised on a new captured payment of `amount` paise.
async fn disputed(mock: &MockGateway, client: &razorpay::Client, amount: i64) -> String {
    let payment = razorpay_captured(mock, client, amount).await;
    raise(mock, &payment).await
}

fn fetch(id: &str) -> razorpay::FetchDisputeParams {
    razorpay::FetchDisputeParams::new(id)
}

fn contest(action: razorpay::ContestAction) -> razorpay::ContestDisputeRequest {
    razorpay::ContestDisputeRequest::new(action)
}

#[tokio::test]
async fn a_dispute_is_raised_on_a_captured_payment_and_contested_to_a_win() {
    let (mock, client) = razorpay_mock().await;
    assert_eq!(
        razorpay_says(refused(
            client.fetch_dispute(&fetch("disp_nobodymadeit")).await
        )),
        (400, "The id provided does not exist".to_owned())
    );
    let uncaptured = client
        .create_order(&razorpay::CreateOrderRequest::new(700, "INR"))
        .await
        .unwrap();
    assert!(
        mock.drive(&uncaptured.id, Happening::Dispute)
            .await
            .is_err(),
        "an order is not disputed"
    );

    let payment = razorpay_captured(&mock, &client, 12_500).await;
    let id = raise(&mock, &payment).await;
    let dispute = client.fetch_dispute(&fetch(&id)).await.unwrap();
    assert_eq!(dispute.status, razorpay::DisputeStatus::Open);
    assert_eq!((dispute.amount, dispute.amount_deducted), (12_500, Some(0)));
    assert_eq!(dispute.payment_id, payment);
    assert!(dispute.respond_by.unwrap() > dispute.created_at.unwrap());

    let draft = client
        .contest_dispute(
            &contest(razorpay::ContestAction::Draft)
                .with_summary("delivered, signed for")
                .with_shipping_proof(vec!["doc_EFtmUsbwpXwBH9".to_owned()]),
            &razorpay::ContestDisputeParams::new(id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(
        draft.status,
        razorpay::DisputeStatus::Open,
        "a draft is not sent"
    );
    let evidence = draft.evidence.clone().unwrap();
    assert_eq!(
        evidence.amount,
        Some(12_500),
        "the whole amount when not said"
    );
    assert_eq!(evidence.submitted_at, None);
    assert!(
        mock.drive(&id, Happening::Win).await.is_err(),
        "nothing is with the bank yet"
    );

    let submitted = client
        .contest_dispute(
            &contest(razorpay::ContestAction::Submit)
                .with_billing_proof(vec!["doc_EFtmUsbwpXwBG9".to_owned()]),
            &razorpay::ContestDisputeParams::new(id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(submitted.status, razorpay::DisputeStatus::UnderReview);
    let evidence = submitted.evidence.clone().unwrap();
    assert_eq!(
        evidence.summary.as_deref(),
        Some("delivered, signed for"),
        "the draft is kept"
    );
    assert!(evidence.submitted_at.is_some());
    let accept = client
        .accept_dispute(&razorpay::AcceptDisputeParams::new(id.clone()))
        .await;
    assert_eq!(
        razorpay_says(refused(accept)),
        (
            400,
            "The dispute is under_review: only an open dispute can be accepted".to_owned()
        )
    );

    mock.drive(&id, Happening::Win).await.unwrap();
    let won = client.fetch_dispute(&fetch(&id)).await.unwrap();
    assert_eq!(won.status, razorpay::DisputeStatus::Won);
    assert_eq!(won.amount_deducted, Some(0));
    let page = client.list_disputes(&Default::default()).await.unwrap();
    assert_eq!(page.items, [won]);
}

#[tokio::test]
async fn an_accepted_dispute_is_lost_and_cannot_be_contested() {
    let (mock, client) = razorpay_mock().await;
    let id = disputed(&mock, &client, 3_000).await;
    let lost = client
        .accept_dispute(&razorpay::AcceptDisputeParams::new(id.clone()))
        .await
        .unwrap();
    assert_eq!(lost.status, razorpay::DisputeStatus::Lost);
    assert_eq!(lost.amount_deducted, Some(3_000));
    let late = client
        .contest_dispute(
            &contest(razorpay::ContestAction::Submit).with_billing_proof(vec!["doc_1".to_owned()]),
            &razorpay::ContestDisputeParams::new(id.clone()),
        )
        .await;
    assert_eq!(razorpay_says(refused(late)).0, 400);
}

#[tokio::test]
async fn a_submission_without_a_document_is_refused() {
    let (mock, client) = razorpay_mock().await;
    let id = disputed(&mock, &client, 3_000).await;
    let bare = client
        .contest_dispute(
            &contest(razorpay::ContestAction::Submit).with_summary("we did deliver"),
            &razorpay::ContestDisputeParams::new(id.clone()),
        )
        .await;
    assert_eq!(
        razorpay_says(refused(bare)),
        (
            400,
            "At least one document is required to submit a contest".to_owned()
        )
    );
    assert_eq!(
        client.fetch_dispute(&fetch(&id)).await.unwrap().status,
        razorpay::DisputeStatus::Open
    );
}

#[tokio::test]
async fn each_change_of_a_dispute_is_a_signed_webhook() {
    let receiver = webhook_receiver().await;
    let (mock, client) = razorpay_mock().await;
    let payment = razorpay_captured(&mock, &client, 8_000).await;
    mock.send_webhooks_to(&receiver.uri());
    let id = raise(&mock, &payment).await;
    client
        .contest_dispute(
            &contest(razorpay::ContestAction::Submit).with_billing_proof(vec!["doc_2".to_owned()]),
            &razorpay::ContestDisputeParams::new(id.clone()),
        )
        .await
        .unwrap();
    mock.drive(&id, Happening::Lose).await.unwrap();

    let events = razorpay_events(&receiver, &mock).await;
    let changes: Vec<(&str, &str)> = events
        .iter()
        .map(|e| match e {
            hooks::Event::Dispute {
                change,
                dispute,
                payment,
            } => {
                assert_eq!(payment.as_ref().unwrap().id, dispute.payment_id);
                (change.as_str(), dispute.id.as_str())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(changes, [("created", id.as_str()), ("lost", id.as_str())]);
    assert_eq!(events[1].dedup_key(), format!("payment.dispute.lost:{id}"));
}
