//! Juspay's saved cards in paygen-mock: a new card asked to be saved is the
//! customer's once its payment is charged, pays that customer's next order
//! by its token, and once deleted pays nothing; nothing is saved unasked or
//! unpaid. A created customer's card is also saved without a payment
//! (`add_card`), once however often it is added.

mod support;

use paygen::{juspay, Decimal};
use paygen_mock::Happening;
use support::{
    juspay_card_txn, juspay_customer, juspay_mock, juspay_new_card_txn, juspay_status, refused,
};

const ASHA: &str = "asha-rao-42";

/// A ₹10 order of `customer`.
async fn order(client: &juspay::Client, id: &str, customer: &str) {
    let mut order = juspay::CreateOrderRequest::new(id, "10.00".parse::<Decimal>().unwrap());
    order.customer_id = Some(customer.to_owned());
    client
        .create_order(&order, &juspay::CreateOrderParams::new(customer))
        .await
        .unwrap();
}

/// A new card, saved for the customer when `save` and the payment succeeds.
fn new_card(order_id: &str, save: bool) -> juspay::CardTxnRequest {
    let mut txn = juspay_new_card_txn(order_id);
    txn.save_to_locker = Some(save);
    txn
}

fn saved_card(order_id: &str, token: &str) -> juspay::CardTxnRequest {
    let mut txn = juspay_card_txn(order_id);
    txn.card_token = Some(token.into());
    txn.card_security_code = Some("111".into());
    txn
}

async fn pay(
    client: &juspay::Client,
    txn: &juspay::CardTxnRequest,
    customer: &str,
) -> Result<juspay::TxnsResponse, paygen::Error<juspay::ErrorResponse>> {
    client
        .create_card_txn(txn, &juspay::CreateCardTxnParams::new(customer))
        .await
}

async fn cards(client: &juspay::Client, customer: &str) -> Vec<juspay::SavedCard> {
    let params = juspay::ListCardsParams::builder()
        .customer_id(customer)
        .x_routing_id(customer)
        .build()
        .unwrap();
    client.list_cards(&params).await.unwrap().cards
}

async fn delete(
    client: &juspay::Client,
    token: &str,
) -> Result<juspay::DeletedCard, paygen::Error<juspay::ErrorResponse>> {
    client
        .delete_card(
            &juspay::DeleteCardRequest::new(token),
            &juspay::DeleteCardParams::new(ASHA),
        )
        .await
}

fn says_invalid_token<T: std::fmt::Debug>(
    outcome: Result<T, paygen::Error<juspay::ErrorResponse>>,
) {
    let (status, body) = refused(outcome);
    assert_eq!(
        (status, body.error_code.as_deref()),
        (400, Some("INVALID_CARD_TOKEN"))
    );
}

#[tokio::test]
async fn a_card_saved_by_a_paid_order_pays_the_next_one_until_deleted() {
    let (mock, client) = juspay_mock().await;
    assert!(cards(&client, ASHA).await.is_empty());

    // A new card, asked to be saved: saved only once its payment is charged.
    order(&client, "order_first", ASHA).await;
    let txn = pay(&client, &new_card("order_first", true), ASHA)
        .await
        .unwrap();
    assert_eq!(txn.status, juspay::TxnStatus::PendingVbv);
    assert!(cards(&client, ASHA).await.is_empty(), "not paid yet");
    mock.drive("order_first", Happening::Pay).await.unwrap();
    let first = juspay_status(&client, "order_first", ASHA).await;
    assert_eq!(first.status, juspay::OrderStatusName::Charged);
    let used = first.card.unwrap();
    assert_eq!(
        (used.saved_to_locker, used.using_saved_card),
        (Some(true), Some(false))
    );
    let saved = cards(&client, ASHA).await;
    assert_eq!(saved.len(), 1);
    let card = &saved[0];
    assert_eq!(card.card_number.as_deref(), Some("XXXX-XXXXXXXX-1111"));
    assert_eq!(card.card_isin.as_deref(), Some("411111"));
    assert_eq!(
        (
            card.card_exp_year.as_deref(),
            card.card_exp_month.as_deref()
        ),
        (Some("2030"), Some("12"))
    );
    assert_eq!(card.card_brand.as_deref(), Some("VISA"));
    assert_eq!(card.card_reference, used.card_reference.unwrap());
    let token = card.card_token.expose().to_owned();

    // The saved card pays the customer's next order, and is not saved twice.
    order(&client, "order_second", ASHA).await;
    pay(&client, &saved_card("order_second", &token), ASHA)
        .await
        .unwrap();
    mock.drive("order_second", Happening::Pay).await.unwrap();
    let second = juspay_status(&client, "order_second", ASHA).await;
    assert_eq!(second.status, juspay::OrderStatusName::Charged);
    let used = second.card.unwrap();
    assert_eq!(used.using_saved_card, Some(true));
    assert_eq!(
        used.card_reference.as_deref(),
        Some(card.card_reference.as_str())
    );
    assert_eq!(cards(&client, ASHA).await.len(), 1);

    // Another customer's order cannot pay with it.
    order(&client, "order_other", "someone-else").await;
    says_invalid_token(pay(&client, &saved_card("order_other", &token), "someone-else").await);

    // Deleted, the card is gone and its token pays and deletes nothing.
    let deleted = delete(&client, &token).await.unwrap();
    assert_eq!(
        (deleted.deleted, deleted.card_reference.as_deref()),
        (true, Some(card.card_reference.as_str()))
    );
    assert!(cards(&client, ASHA).await.is_empty());
    order(&client, "order_third", ASHA).await;
    says_invalid_token(pay(&client, &saved_card("order_third", &token), ASHA).await);
    says_invalid_token(delete(&client, &token).await);
}

#[tokio::test]
async fn a_card_is_saved_only_when_asked_and_paid() {
    let (mock, client) = juspay_mock().await;
    order(&client, "order_unasked", ASHA).await;
    pay(&client, &new_card("order_unasked", false), ASHA)
        .await
        .unwrap();
    mock.drive("order_unasked", Happening::Pay).await.unwrap();
    let unasked = juspay_status(&client, "order_unasked", ASHA)
        .await
        .card
        .unwrap();
    assert_eq!(
        (unasked.saved_to_locker, unasked.last_four_digits.as_deref()),
        (Some(false), Some("1111"))
    );

    order(&client, "order_declined", ASHA).await;
    pay(&client, &new_card("order_declined", true), ASHA)
        .await
        .unwrap();
    mock.drive("order_declined", Happening::Fail).await.unwrap();
    assert!(cards(&client, ASHA).await.is_empty());

    // A token and a number in one request: the gateway takes one or the other.
    order(&client, "order_both", ASHA).await;
    let mut both = new_card("order_both", false);
    both.card_token = Some("c75a9fca-1121-418e-973c-47d5c4971456".into());
    let (status, body) = refused(pay(&client, &both, ASHA).await);
    assert_eq!(
        (status, body.error_code.as_deref()),
        (400, Some("INVALID_REQUEST"))
    );
}

/// An `add_card` request for `customer`, with no card yet.
fn add_request(customer: &str) -> juspay::AddCardRequest {
    juspay::AddCardRequest::builder()
        .merchant_id("merchant_id")
        .customer_id(customer)
        .build()
        .unwrap_or_else(|report| panic!("{report}"))
}

#[tokio::test]
async fn a_created_customers_card_is_saved_without_a_payment_and_pays_their_order() {
    let (mock, client) = juspay_mock().await;
    juspay_customer(&client, ASHA).await;
    let mut card = add_request(ASHA);
    card.card_number = Some(paygen::CardNumber::new("5105105105105100"));
    card.card_exp_year = Some("2031".into());
    card.card_exp_month = Some("04".into());
    card.name_on_card = Some("Asha Rao".into());
    card.nickname = Some("Travel card".into());
    let params = juspay::AddCardParams::new(ASHA);
    let added = client.add_card(&card, &params).await.unwrap();
    let again = client.add_card(&card, &params).await.unwrap();
    assert_eq!(again.card_token, added.card_token, "one card, saved once");

    let listed = cards(&client, ASHA).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].card_reference,
        added.card_reference.clone().unwrap()
    );
    assert_eq!(listed[0].nickname.as_deref(), Some("Travel card"));
    assert_eq!(listed[0].card_number.as_deref(), Some("XXXX-XXXXXXXX-5100"));
    assert_eq!(listed[0].card_exp_year.as_deref(), Some("2031"));
    assert_eq!(listed[0].card_brand.as_deref(), Some("MASTERCARD"));

    order(&client, "order_added_card", ASHA).await;
    pay(
        &client,
        &saved_card("order_added_card", added.card_token.expose()),
        ASHA,
    )
    .await
    .unwrap();
    mock.drive("order_added_card", Happening::Pay)
        .await
        .unwrap();
    let status = juspay_status(&client, "order_added_card", ASHA).await;
    assert_eq!(status.status, juspay::OrderStatusName::Charged);
}

#[tokio::test]
async fn a_card_is_not_added_for_an_unknown_customer_or_by_a_token_juspay_did_not_give() {
    let (_mock, client) = juspay_mock().await;
    let mut card = add_request("nobody-made-me");
    card.card_number = Some(paygen::CardNumber::new("4111111111111111"));
    card.card_exp_year = Some("2030".into());
    card.card_exp_month = Some("12".into());
    let (status, body) = refused(
        client
            .add_card(&card, &juspay::AddCardParams::new("nobody-made-me"))
            .await,
    );
    assert_eq!(
        (status, body.error_code.as_deref()),
        (400, Some("INVALID_CUSTOMER"))
    );

    juspay_customer(&client, ASHA).await;
    let mut by_token = add_request(ASHA);
    by_token.token = Some("tkn_2vnerrtkzyku8jnutiz1".into());
    let (status, body) = refused(
        client
            .add_card(&by_token, &juspay::AddCardParams::new(ASHA))
            .await,
    );
    assert_eq!(
        (status, body.error_code.as_deref()),
        (400, Some("INVALID_TOKEN"))
    );
    // Neither a number nor a token: refused before it is sent.
    let neither = add_request(ASHA);
    assert!(paygen::Validate::validate(&neither).is_err());
}
