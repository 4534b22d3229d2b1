//! Razorpay's settlements in paygen-mock: a settlement pays out what was
//! captured less what was refunded, each payment and refund once, and the
//! recon lists each of them by the day it was settled; each settlement is a
//! signed `settlement.processed` webhook; only a captured payment settles,
//! and only what was created is found.

mod support;

use paygen::razorpay;
use paygen::webhooks::razorpay::Event;
use paygen_mock::Happening;
use support::{
    razorpay_captured, razorpay_events, razorpay_mock, razorpay_payment, razorpay_says, refused,
    webhook_receiver,
};

async fn settlements(client: &razorpay::Client) -> Vec<razorpay::Settlement> {
    client
        .list_settlements(&razorpay::ListSettlementsParams::default())
        .await
        .unwrap()
        .items
}

async fn recon(
    client: &razorpay::Client,
    year: i64,
    month: i64,
    day: Option<i64>,
) -> Vec<razorpay::ReconItem> {
    let mut params = razorpay::SettlementReconParams::builder()
        .year(year)
        .month(month)
        .build()
        .unwrap();
    params.day = day;
    client.settlement_recon(&params).await.unwrap().items
}

/// The year, month and day (UTC) of a Unix time, as the recon takes them.
fn civil(seconds: i64) -> (i64, i64, i64) {
    let days = seconds / 86_400;
    // Civil from days, for dates after 1970 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[tokio::test]
async fn a_settlement_pays_out_what_was_captured_less_refunds_once() {
    let (mock, client) = razorpay_mock().await;
    assert!(settlements(&client).await.is_empty());
    let first = razorpay_captured(&mock, &client, 50_000).await;
    let second = razorpay_captured(&mock, &client, 20_000).await;
    let refund = razorpay::CreateRefundRequest {
        amount: Some(5_000),
        ..Default::default()
    };
    let refund = client
        .create_refund(&refund, &razorpay::CreateRefundParams::new(&second))
        .await
        .unwrap();

    let settled = mock.drive(&first, Happening::Settle).await.unwrap();
    let id = settled["id"].as_str().unwrap().to_owned();
    let settlement = client
        .fetch_settlement(&razorpay::FetchSettlementParams::new(&id))
        .await
        .unwrap();
    assert_eq!(
        (settlement.amount, settlement.fees, settlement.tax),
        (65_000, 0, 0)
    );
    assert_eq!(settlement.status, razorpay::SettlementStatus::Processed);
    let utr = settlement.utr.clone().unwrap();
    assert_eq!(settlements(&client).await.len(), 1);

    // The recon of the day it was settled: both payments as credits, the
    // refund as a debit, each in it.
    let (year, month, day) = civil(settlement.created_at);
    let items = recon(&client, year, month, Some(day)).await;
    assert_eq!(items.len(), 3, "{items:?}");
    let credited: Vec<(&str, i64)> = items
        .iter()
        .filter(|i| i.r#type == razorpay::ReconType::Payment)
        .map(|i| (i.entity_id.as_str(), i.credit))
        .collect();
    assert!(credited.contains(&(first.as_str(), 50_000)), "{credited:?}");
    assert!(
        credited.contains(&(second.as_str(), 20_000)),
        "{credited:?}"
    );
    let debit = items
        .iter()
        .find(|i| i.r#type == razorpay::ReconType::Refund)
        .unwrap();
    assert_eq!(
        (
            debit.entity_id.as_str(),
            debit.debit,
            debit.payment_id.as_deref()
        ),
        (refund.id.as_str(), 5_000, Some(second.as_str()))
    );
    assert!(items
        .iter()
        .all(|i| i.settlement_id.as_deref() == Some(id.as_str())
            && i.settlement_utr.as_deref() == Some(utr.as_str())));
    let net: i64 = items.iter().map(|i| i.credit - i.debit).sum();
    assert_eq!(net, settlement.amount);
    assert_eq!(recon(&client, year, month, None).await.len(), 3);
    assert!(recon(&client, 2000, 1, None).await.is_empty());

    // Settled once: nothing is left until something else is captured.
    assert!(mock.drive(&first, Happening::Settle).await.is_err());
    let third = razorpay_captured(&mock, &client, 30_000).await;
    let next = mock.drive(&third, Happening::Settle).await.unwrap();
    assert_eq!(next["amount"], 30_000);
    let all = settlements(&client).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, next["id"].as_str().unwrap(), "newest first");
}

#[tokio::test]
async fn only_a_captured_payment_settles_and_only_a_made_settlement_is_found() {
    let (mock, client) = razorpay_mock().await;
    let authorized = razorpay_payment(&mock, &client, 10_000, Happening::Authorize).await;
    let refused_settle = mock.drive(&authorized, Happening::Settle).await;
    assert!(refused_settle.is_err(), "{refused_settle:?}");
    assert!(settlements(&client).await.is_empty());

    let (status, says) = razorpay_says(refused(
        client
            .fetch_settlement(&razorpay::FetchSettlementParams::new("setl_nobodymadeit"))
            .await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "The id provided does not exist")
    );
}

#[tokio::test]
async fn a_settlement_is_a_signed_webhook() {
    let (mock, client) = razorpay_mock().await;
    let payment = razorpay_captured(&mock, &client, 12_345).await;
    let receiver = webhook_receiver().await;
    mock.send_webhooks_to(&receiver.uri());
    let settled = mock.drive(&payment, Happening::Settle).await.unwrap();
    let events = razorpay_events(&receiver, &mock).await;
    let [Event::SettlementProcessed(settlement)] = &events[..] else {
        panic!("one settlement.processed: {events:?}");
    };
    assert_eq!(settlement.id, settled["id"].as_str().unwrap());
    assert_eq!(settlement.amount, 12_345);
    assert!(settlement.utr.as_deref().is_some_and(|utr| !utr.is_empty()));
    assert_eq!(
        events[0].dedup_key(),
        format!("settlement.processed:{}", settlement.id)
    );
}
