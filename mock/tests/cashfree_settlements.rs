//! Cashfree's settlements of orders in paygen-mock: a paid order's payment
//! is settled once, for its amount, with a transfer and its UTR; before that
//! the order's settlement names its payment and no settlement; an order that
//! is not paid does not settle, and an unknown order is not found. Every
//! settlement is listed, a page at a time, by id, UTR or time, and is a
//! signed `SETTLEMENT_SUCCESS` webhook.

mod support;

use paygen::{cashfree, Decimal};
use paygen_mock::Happening;
use support::{cashfree_events, cashfree_mock, refused, webhook_receiver};

fn rupees(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn order(client: &cashfree::Client, id: &str, amount: &str) {
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new(rupees(amount), "INR", customer);
    order.order_id = Some(id.to_owned());
    client
        .create_order(&order, &cashfree::CreateOrderParams::default())
        .await
        .unwrap();
}

async fn settlement(
    client: &cashfree::Client,
    id: &str,
) -> Result<cashfree::OrderSettlement, paygen::Error<cashfree::ErrorResponse>> {
    client
        .get_settlements_for_order(&cashfree::GetSettlementsForOrderParams::new(id))
        .await
}

#[tokio::test]
async fn a_paid_order_is_settled_once_for_its_payment() {
    let (mock, client) = cashfree_mock().await;
    order(&client, "order_settle_1", "250.50").await;
    mock.drive("order_settle_1", Happening::Pay).await.unwrap();
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new("order_settle_1"))
        .await
        .unwrap();
    let paid = &payments[0];

    // Paid, not settled yet: the payment, and no settlement.
    let pending = settlement(&client, "order_settle_1").await.unwrap();
    assert_eq!(
        pending.cf_payment_id.as_deref(),
        Some(paid.cf_payment_id.as_str())
    );
    assert_eq!(pending.order_amount, Some(rupees("250.50")));
    assert!(pending.cf_settlement_id.is_none() && pending.transfer_utr.is_none());

    let settled = mock
        .drive("order_settle_1", Happening::Settle)
        .await
        .unwrap();
    let done = settlement(&client, "order_settle_1").await.unwrap();
    assert_eq!(
        done.cf_settlement_id.as_deref(),
        settled["cf_settlement_id"].as_str()
    );
    assert_eq!(
        done.cf_payment_id.as_deref(),
        Some(paid.cf_payment_id.as_str())
    );
    assert_eq!(done.settlement_amount, Some(rupees("250.50")));
    assert_eq!(done.settlement_currency.as_deref(), Some("INR"));
    assert!(done.transfer_utr.is_some() && done.transfer_time.is_some());

    // Settled once.
    assert!(mock
        .drive("order_settle_1", Happening::Settle)
        .await
        .is_err());
    assert_eq!(
        settlement(&client, "order_settle_1")
            .await
            .unwrap()
            .cf_settlement_id,
        done.cf_settlement_id
    );
}

#[tokio::test]
async fn an_unpaid_order_does_not_settle_and_an_unknown_one_is_not_found() {
    let (mock, client) = cashfree_mock().await;
    order(&client, "order_settle_2", "10.00").await;
    assert!(mock
        .drive("order_settle_2", Happening::Settle)
        .await
        .is_err());
    let unpaid = settlement(&client, "order_settle_2").await.unwrap();
    assert!(unpaid.cf_payment_id.is_none() && unpaid.cf_settlement_id.is_none());

    let (status, _) = refused(settlement(&client, "order_nobodymadeit").await);
    assert_eq!(status, 404);
}

fn query(limit: i32, cursor: Option<String>) -> cashfree::SettlementsQuery {
    let mut pagination = cashfree::SettlementsPagination::new(limit);
    pagination.cursor = cursor;
    cashfree::SettlementsQuery::new(pagination, cashfree::SettlementsFilters::default())
}

async fn list(
    client: &cashfree::Client,
    query: &cashfree::SettlementsQuery,
) -> Result<cashfree::SettlementsPage, paygen::Error<cashfree::ErrorResponse>> {
    client
        .get_settlements(query, &cashfree::GetSettlementsParams::default())
        .await
}

/// Pays and settles an order; its settlement's id.
async fn settled(mock: &paygen_mock::MockGateway, client: &cashfree::Client, id: &str) -> String {
    order(client, id, "99.00").await;
    mock.drive(id, Happening::Pay).await.unwrap();
    let made = mock.drive(id, Happening::Settle).await.unwrap();
    made["cf_settlement_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_settlement_is_listed_a_page_at_a_time_oldest_first() {
    let (mock, client) = cashfree_mock().await;
    let mut made = Vec::new();
    for n in 0..3 {
        made.push(settled(&mock, &client, &format!("order_list_{n}")).await);
    }
    // Paid but not settled: not a settlement.
    order(&client, "order_list_unsettled", "5.00").await;
    mock.drive("order_list_unsettled", Happening::Pay)
        .await
        .unwrap();

    let first = list(&client, &query(2, None)).await.unwrap();
    assert_eq!(first.limit, Some(2));
    let ids: Vec<&str> = first
        .data
        .iter()
        .map(|s| s.cf_settlement_id.as_str())
        .collect();
    assert_eq!(ids, [made[0].as_str(), made[1].as_str()]);
    assert_eq!(first.data[0].amount_settled, Some(rupees("99.00")));
    assert_eq!(first.data[0].status.as_deref(), Some("PAID"));

    let second = list(&client, &query(2, first.cursor.clone()))
        .await
        .unwrap();
    let ids: Vec<&str> = second
        .data
        .iter()
        .map(|s| s.cf_settlement_id.as_str())
        .collect();
    assert_eq!(ids, [made[2].as_str()]);
    assert_eq!(second.cursor, None, "the last page has no cursor");
}

#[tokio::test]
async fn settlements_are_found_by_id_utr_and_time() {
    let (mock, client) = cashfree_mock().await;
    let one = settled(&mock, &client, "order_find_1").await;
    let two = settled(&mock, &client, "order_find_2").await;
    let utr_of_two = settlement(&client, "order_find_2")
        .await
        .unwrap()
        .transfer_utr
        .unwrap();

    let mut by_id = query(10, None);
    by_id.filters.cf_settlement_ids = Some(vec![one.clone()]);
    let found = list(&client, &by_id).await.unwrap();
    assert_eq!(found.data.len(), 1);
    assert_eq!(found.data[0].cf_settlement_id, one);

    let mut by_utr = query(10, None);
    by_utr.filters.settlement_utrs = Some(vec![utr_of_two.clone()]);
    let found = list(&client, &by_utr).await.unwrap();
    assert_eq!(found.data.len(), 1);
    assert_eq!(found.data[0].cf_settlement_id, two);
    assert_eq!(found.data[0].settlement_utr.as_deref(), Some(&*utr_of_two));

    // Made now: inside a window around now (any offset), outside one in 2022.
    let mut recent = query(10, None);
    recent.filters.start_date = Some("2000-01-01T05:30:00+05:30".into());
    recent.filters.end_date = Some("2999-12-31T23:59:59Z".into());
    assert_eq!(list(&client, &recent).await.unwrap().data.len(), 2);
    let mut old = query(10, None);
    old.filters.start_date = Some("2022-07-20T00:00:00Z".into());
    old.filters.end_date = Some("2022-07-21T23:59:59Z".into());
    assert!(list(&client, &old).await.unwrap().data.is_empty());
}

#[tokio::test]
async fn a_cursor_the_mock_did_not_give_and_a_time_that_is_not_one_are_refused() {
    let (_mock, client) = cashfree_mock().await;
    let (status, body) = refused(list(&client, &query(10, Some("not-a-cursor".into()))).await);
    assert_eq!(status, 400);
    assert_eq!(body.code.as_deref(), Some("cursor_invalid"));

    let mut bad_time = query(10, None);
    bad_time.filters.start_date = Some("20 July 2022".into());
    let (status, body) = refused(list(&client, &bad_time).await);
    assert_eq!(status, 400);
    let message = body.message.unwrap_or_default();
    assert!(message.contains("filters.start_date"), "{message}");
}

#[tokio::test]
async fn a_settlement_is_a_signed_webhook_naming_it_as_the_list_does() {
    let (mock, client) = cashfree_mock().await;
    order(&client, "order_settle_hook", "120.00").await;
    mock.drive("order_settle_hook", Happening::Pay)
        .await
        .unwrap();
    let receiver = webhook_receiver().await;
    mock.send_webhooks_to(&receiver.uri());
    mock.drive("order_settle_hook", Happening::Settle)
        .await
        .unwrap();
    let events = cashfree_events(&receiver, &mock).await;
    let [paygen::webhooks::cashfree::Event::Settlement {
        change, settlement, ..
    }] = &events[..]
    else {
        panic!("one settlement event: {events:?}");
    };
    assert_eq!(change, "SUCCESS");
    assert_eq!(settlement.amount_settled, Some(rupees("120.00")));
    let listed = list(&client, &query(10, None)).await.unwrap();
    assert_eq!(
        listed.data[0].cf_settlement_id,
        settlement.settlement_id.to_string()
    );
    assert_eq!(
        events[0].dedup_key(),
        format!("SETTLEMENT_SUCCESS:{}", settlement.settlement_id)
    );
}
