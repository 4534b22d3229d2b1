//! Cashfree's saved cards in paygen-mock: a card paid with `save_instrument`
//! is the customer's once the payment succeeds, its `instrument_id` pays that
//! customer's next order and no other customer's, and once deleted it is
//! neither listed, found nor paying.

mod support;

use paygen::{cashfree, Decimal};
use paygen_mock::Happening;
use support::{cashfree_mock, refused};

const ASHA: &str = "7112AAA812234";

/// An order of `customer`: its payment session.
async fn order(client: &cashfree::Client, id: &str, customer: &str) -> String {
    let details = cashfree::CustomerDetails::new(customer, "9898989898");
    let mut order =
        cashfree::CreateOrderRequest::new("100.00".parse::<Decimal>().unwrap(), "INR", details);
    order.order_id = Some(id.to_owned());
    let created = client
        .create_order(&order, &cashfree::CreateOrderParams::default())
        .await
        .unwrap();
    created.payment_session_id.unwrap()
}

fn new_card() -> cashfree::CardMethod {
    let mut card = cashfree::CardMethod::new(cashfree::CardChannel::Link);
    card.card_number = Some(paygen::CardNumber::new("4111111111111111"));
    card.card_holder_name = Some("Asha Rao".into());
    card.card_expiry_mm = Some("03".into());
    card.card_expiry_yy = Some("30".into());
    card.card_cvv = Some("123".into());
    card
}

fn saved_card(instrument: &str) -> cashfree::CardMethod {
    let mut card = cashfree::CardMethod::new(cashfree::CardChannel::Link);
    card.instrument_id = Some(instrument.to_owned());
    card.card_cvv = Some("123".into());
    card
}

async fn pay(
    client: &cashfree::Client,
    session: String,
    card: cashfree::CardMethod,
    save: bool,
) -> Result<cashfree::PayOrderResponse, paygen::Error<cashfree::ErrorResponse>> {
    let mut pay =
        cashfree::PayOrderRequest::new(session, cashfree::PayOrderPaymentMethod::Card(card));
    pay.save_instrument = Some(save);
    client.pay_order(&pay, &Default::default()).await
}

async fn saved(client: &cashfree::Client, customer: &str) -> Vec<cashfree::Instrument> {
    let params = cashfree::FetchInstrumentsParams::builder()
        .customer_id(customer)
        .instrument_type("card")
        .build()
        .unwrap();
    client.fetch_instruments(&params).await.unwrap()
}

#[tokio::test]
async fn a_card_saved_by_a_paid_order_pays_the_customers_next_order_until_deleted() {
    let (mock, client) = cashfree_mock().await;
    assert!(saved(&client, ASHA).await.is_empty());

    let session = order(&client, "order_card_1", ASHA).await;
    let paying = pay(&client, session, new_card(), true).await.unwrap();
    assert!(
        saved(&client, ASHA).await.is_empty(),
        "saved only once paid"
    );
    mock.drive("order_card_1", Happening::Pay).await.unwrap();
    let cards = saved(&client, ASHA).await;
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    assert_eq!(card.instrument_display.as_deref(), Some("XXXXXXXXXXXX1111"));
    assert_eq!(card.instrument_status.as_deref(), Some("ACTIVE"));
    assert_eq!(
        card.afa_reference.map(|r| r.to_string()),
        paying.cf_payment_id.clone()
    );
    let instrument = card.instrument_id.clone();

    // It pays the customer's next order, and no other customer's.
    let session = order(&client, "order_card_2", ASHA).await;
    pay(&client, session, saved_card(&instrument), false)
        .await
        .unwrap();
    mock.drive("order_card_2", Happening::Pay).await.unwrap();
    assert_eq!(saved(&client, ASHA).await.len(), 1, "not saved twice");
    let other = order(&client, "order_card_3", "someone-else").await;
    let (status, body) = refused(pay(&client, other, saved_card(&instrument), false).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("instrument_id_invalid"))
    );

    // Its network token and cryptogram: secrets, masked in Debug; the token
    // is not the card's number, and shares only its last four digits.
    let for_card = |instrument: &str| {
        cashfree::FetchCryptogramParams::builder()
            .customer_id(ASHA)
            .instrument_id(instrument)
            .build()
            .unwrap()
    };
    let token = client
        .fetch_cryptogram(&for_card(&instrument))
        .await
        .unwrap();
    assert_eq!(token.instrument_id, instrument);
    assert_eq!(token.card_display.as_deref(), Some("1111"));
    let number = token.card_number.as_ref().unwrap().expose().to_owned();
    assert_eq!(number.len(), 16);
    assert_ne!(number, "4111111111111111");
    assert!(token.cryptogram.is_some());
    let shown = format!("{token:?}");
    assert!(!shown.contains(&number), "{shown}");
    assert!(!shown.contains(token.cryptogram.as_ref().unwrap().expose()));
    let again = client
        .fetch_cryptogram(&for_card(&instrument))
        .await
        .unwrap();
    assert_ne!(
        again.cryptogram.unwrap().expose(),
        token.cryptogram.as_ref().unwrap().expose(),
        "a fresh cryptogram each time"
    );
    let stranger = cashfree::FetchCryptogramParams::builder()
        .customer_id("someone-else")
        .instrument_id(&instrument)
        .build()
        .unwrap();
    let (status, _) = refused(client.fetch_cryptogram(&stranger).await);
    assert_eq!(status, 404);

    // Deleted, it is gone.
    let target = cashfree::DeleteInstrumentParams::builder()
        .customer_id(ASHA)
        .instrument_id(&instrument)
        .build()
        .unwrap();
    let deleted = client.delete_instrument(&target).await.unwrap();
    assert_eq!(deleted.instrument_status.as_deref(), Some("INACTIVE"));
    assert!(saved(&client, ASHA).await.is_empty());
    let one = cashfree::FetchInstrumentParams::builder()
        .customer_id(ASHA)
        .instrument_id(&instrument)
        .build()
        .unwrap();
    let (status, _) = refused(client.fetch_instrument(&one).await);
    assert_eq!(status, 404);
    let (status, _) = refused(client.fetch_cryptogram(&for_card(&instrument)).await);
    assert_eq!(status, 404);
    let session = order(&client, "order_card_4", ASHA).await;
    assert!(pay(&client, session, saved_card(&instrument), false)
        .await
        .is_err());
}

#[tokio::test]
async fn a_card_is_saved_only_when_asked_and_paid() {
    let (mock, client) = cashfree_mock().await;
    let session = order(&client, "order_card_5", ASHA).await;
    pay(&client, session, new_card(), false).await.unwrap();
    mock.drive("order_card_5", Happening::Pay).await.unwrap();
    let session = order(&client, "order_card_6", ASHA).await;
    pay(&client, session, new_card(), true).await.unwrap();
    mock.drive("order_card_6", Happening::Fail).await.unwrap();
    assert!(saved(&client, ASHA).await.is_empty());
}
