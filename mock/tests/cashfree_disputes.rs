//! Cashfree's disputes in paygen-mock: raised on a paid order's payment,
//! contested by uploading documents (a multipart body the mock reads part by
//! part) and decided by the bank, or accepted; read by order, by payment and
//! by id; its raising and its decision are signed webhooks. Only an open
//! dispute takes documents or is accepted, and a document must be a JPEG,
//! PNG or PDF of at most 20 MB.

mod support;

use paygen::webhooks::cashfree::Event;
use paygen::{cashfree, FilePart};
use paygen_mock::{Happening, MockGateway};
use support::{cashfree_events, cashfree_mock, refused, webhook_receiver};

/// A paid order `id`, and its dispute's id.
async fn disputed(mock: &MockGateway, client: &cashfree::Client, id: &str) -> i64 {
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new("149.50".parse().unwrap(), "INR", customer);
    order.order_id = Some(id.to_owned());
    client
        .create_order(&order, &cashfree::CreateOrderParams::default())
        .await
        .unwrap();
    mock.drive(id, Happening::Pay).await.unwrap();
    let raised = mock.drive(id, Happening::Dispute).await.unwrap();
    raised["dispute_id"].as_i64().unwrap()
}

fn evidence(name: &str, media: &str) -> cashfree::DisputeEvidence {
    let file = FilePart::from_bytes(name, media, b"%PDF-1.7 signed delivery receipt".to_vec());
    let mut evidence =
        cashfree::DisputeEvidence::new(file, cashfree::DisputeDocumentType::DeliveryServiceProof);
    evidence.note = Some("Signed by the customer on delivery.".into());
    evidence
}

async fn upload(
    client: &cashfree::Client,
    dispute: i64,
    evidence: &cashfree::DisputeEvidence,
) -> Result<cashfree::Dispute, paygen::Error<cashfree::ErrorResponse>> {
    client
        .submit_dispute_evidence(
            evidence,
            &cashfree::SubmitDisputeEvidenceParams::new(dispute),
        )
        .await
}

async fn get(client: &cashfree::Client, dispute: i64) -> cashfree::Dispute {
    client
        .get_dispute(&cashfree::GetDisputeParams::new(dispute))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_dispute_is_contested_with_a_document_and_won() {
    let (mock, client) = cashfree_mock().await;
    let id = disputed(&mock, &client, "order_dispute_1").await;

    let raised = get(&client, id).await;
    assert_eq!(
        raised.dispute_status,
        cashfree::DisputeStatus::DisputeCreated
    );
    assert_eq!(raised.dispute_amount, Some("149.50".parse().unwrap()));
    let order = raised.order_details.as_ref().unwrap();
    assert_eq!(order.order_id.as_deref(), Some("order_dispute_1"));
    assert!(raised.dispute_evidence.as_ref().unwrap().is_empty());
    assert!(!raised.preferred_evidence.as_ref().unwrap().is_empty());

    // Read by order and by payment.
    let by_order = client
        .get_disputes_for_order(&cashfree::GetDisputesForOrderParams::new("order_dispute_1"))
        .await
        .unwrap();
    assert_eq!(by_order.len(), 1);
    assert_eq!(by_order[0].dispute_id, id);
    let Some(cashfree::TextOrNumber::Text(payment)) = order.cf_payment_id.clone() else {
        panic!("the payment's id is text: {:?}", order.cf_payment_id);
    };
    let by_payment = client
        .get_disputes_for_payment(&cashfree::GetDisputesForPaymentParams::new(payment))
        .await
        .unwrap();
    assert_eq!(by_payment.len(), 1);
    assert_eq!(by_payment[0].dispute_id, id);

    // Contested: the document is read from the multipart body, never echoed whole.
    let contested = upload(&client, id, &evidence("receipt.pdf", "application/pdf"))
        .await
        .unwrap();
    assert_eq!(
        contested.dispute_status,
        cashfree::DisputeStatus::DisputeDocsReceived
    );
    let documents = contested.dispute_evidence.unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].document_name.as_deref(), Some("receipt.pdf"));
    assert_eq!(
        documents[0].document_type.as_deref(),
        Some("Delivery/Service Proof")
    );
    let logged = mock.requests();
    let posted = logged
        .iter()
        .rfind(|r| r.path.ends_with("/documents"))
        .unwrap();
    assert_eq!(
        posted.body["file"],
        serde_json::json!({"filename": "receipt.pdf", "content_type": "application/pdf", "bytes": 32})
    );
    assert_eq!(posted.body["doc_type"], "Delivery/Service Proof");

    let won = mock.drive(&id.to_string(), Happening::Win).await.unwrap();
    assert_eq!(won["dispute_status"], "DISPUTE_MERCHANT_WON");
    let decided = get(&client, id).await;
    assert_eq!(
        decided.dispute_status,
        cashfree::DisputeStatus::DisputeMerchantWon
    );
    assert_ne!(decided.resolved_at.as_deref(), Some("9999-09-09T00:00:00"));

    // Closed: no more documents, no acceptance, no second decision.
    let (status, body) =
        refused(upload(&client, id, &evidence("more.pdf", "application/pdf")).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("dispute_closed"))
    );
    let (status, _) = refused(
        client
            .accept_dispute(&cashfree::AcceptDisputeParams::new(id))
            .await,
    );
    assert_eq!(status, 400);
    assert!(mock.drive(&id.to_string(), Happening::Lose).await.is_err());
}

#[tokio::test]
async fn an_accepted_dispute_is_closed_and_an_uncontested_one_is_not_decided() {
    let (mock, client) = cashfree_mock().await;
    let id = disputed(&mock, &client, "order_dispute_2").await;
    // Nothing uploaded: the bank has nothing to decide.
    assert!(mock.drive(&id.to_string(), Happening::Win).await.is_err());

    let accepted = client
        .accept_dispute(&cashfree::AcceptDisputeParams::new(id))
        .await
        .unwrap();
    assert_eq!(
        accepted.dispute_status,
        cashfree::DisputeStatus::DisputeMerchantAccepted
    );
    let (status, _) = refused(upload(&client, id, &evidence("late.png", "image/png")).await);
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_document_must_be_a_jpeg_png_or_pdf_and_the_dispute_must_exist() {
    let (mock, client) = cashfree_mock().await;
    let id = disputed(&mock, &client, "order_dispute_3").await;
    for (name, media) in [
        ("notes.txt", "text/plain"),
        ("receipt.pdf", "text/html"),
        ("photo.gif", "image/gif"),
    ] {
        let (status, body) = refused(upload(&client, id, &evidence(name, media)).await);
        assert_eq!(
            (status, body.code.as_deref()),
            (400, Some("document_type_invalid")),
            "{name} ({media})"
        );
    }
    // Over 20 MB: refused, though the mock reads a body that large.
    let large = FilePart::from_bytes("scan.pdf", "application/pdf", vec![b'x'; 20_000_001]);
    let evidence_of =
        |file| cashfree::DisputeEvidence::new(file, cashfree::DisputeDocumentType::ShippingProof);
    let (status, body) = refused(upload(&client, id, &evidence_of(large)).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("document_too_large"))
    );
    let at_limit = FilePart::from_bytes("scan.pdf", "application/pdf", vec![b'x'; 20_000_000]);
    assert!(upload(&client, id, &evidence_of(at_limit)).await.is_ok());
    assert!(upload(&client, id, &evidence("PHOTO.JPG", "image/jpeg"))
        .await
        .is_ok());

    let (status, _) = refused(
        client
            .get_dispute(&cashfree::GetDisputeParams::new(999_999_999))
            .await,
    );
    assert_eq!(status, 404);
    let (status, _) = refused(
        client
            .get_disputes_for_order(&cashfree::GetDisputesForOrderParams::new("order_nobody"))
            .await,
    );
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_a_paid_order_is_disputed() {
    let (mock, client) = cashfree_mock().await;
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new("5.00".parse().unwrap(), "INR", customer);
    order.order_id = Some("order_unpaid".into());
    client
        .create_order(&order, &cashfree::CreateOrderParams::default())
        .await
        .unwrap();
    assert!(mock
        .drive("order_unpaid", Happening::Dispute)
        .await
        .is_err());
    let none = client
        .get_disputes_for_order(&cashfree::GetDisputesForOrderParams::new("order_unpaid"))
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_disputes_raising_and_its_decision_are_signed_webhooks() {
    let (mock, client) = cashfree_mock().await;
    let receiver = webhook_receiver().await;
    mock.send_webhooks_to(&receiver.uri());
    let id = disputed(&mock, &client, "order_dispute_hooked").await;
    upload(&client, id, &evidence("receipt.pdf", "application/pdf"))
        .await
        .unwrap();
    mock.drive(&id.to_string(), Happening::Lose).await.unwrap();

    let events = cashfree_events(&receiver, &mock).await;
    let disputes: Vec<&Event> = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::DisputeCreated(_) | Event::DisputeUpdated(_) | Event::DisputeClosed(_)
            )
        })
        .collect();
    let [Event::DisputeCreated(created), Event::DisputeUpdated(updated), Event::DisputeClosed(closed)] =
        disputes[..]
    else {
        panic!("raised, a document uploaded, decided: {events:?}");
    };
    assert_eq!(
        updated.dispute.dispute_status,
        cashfree::DisputeStatus::DisputeDocsReceived
    );
    let id_text = cashfree::TextOrNumber::Text(id.to_string());
    assert_eq!(created.dispute.dispute_id, id_text);
    assert_eq!(
        created.dispute.dispute_status,
        cashfree::DisputeStatus::DisputeCreated
    );
    assert_eq!(
        created.order_details.as_ref().unwrap().order_id.as_deref(),
        Some("order_dispute_hooked")
    );
    assert_eq!(closed.dispute.dispute_id, id_text);
    assert_eq!(
        closed.dispute.dispute_status,
        cashfree::DisputeStatus::DisputeMerchantLost
    );
    assert_eq!(
        events.last().unwrap().dedup_key(),
        format!("DISPUTE_CLOSED:{id}:DISPUTE_MERCHANT_LOST")
    );
}

#[tokio::test]
async fn accepting_a_dispute_closes_it_with_a_webhook() {
    let (mock, client) = cashfree_mock().await;
    let receiver = webhook_receiver().await;
    let id = disputed(&mock, &client, "order_dispute_accepted").await;
    mock.send_webhooks_to(&receiver.uri());
    client
        .accept_dispute(&cashfree::AcceptDisputeParams::new(id))
        .await
        .unwrap();
    let events = cashfree_events(&receiver, &mock).await;
    let [Event::DisputeClosed(closed)] = &events[..] else {
        panic!("one DISPUTE_CLOSED: {events:?}");
    };
    assert_eq!(
        closed.dispute.dispute_status,
        cashfree::DisputeStatus::DisputeMerchantAccepted
    );
}
