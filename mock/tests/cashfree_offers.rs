//! Cashfree's offers and eligibility in paygen-mock: an offer is created as
//! sent and read back; an order's offers say which apply (by its amount and
//! the offer's window and kind); an order's or an amount's payment methods
//! are listed, filtered as asked; an unknown offer or order is not found.

mod support;

use paygen::{cashfree, Decimal};
use support::{cashfree_mock, refused};

fn rupees(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A flat discount of 10 rupees on any method, for orders of `min_amount`
/// or more, running from `start` to `end`.
fn discount(code: &str, min_amount: &str, start: &str, end: &str) -> cashfree::CreateOfferRequest {
    let meta = cashfree::OfferMeta::builder()
        .offer_title("Ten off")
        .offer_description("Ten rupees off any payment")
        .offer_code(code)
        .offer_start_time(start)
        .offer_end_time(end)
        .build()
        .unwrap_or_else(|report| panic!("{report}"));
    let tnc = cashfree::OfferTnc::new(cashfree::OfferTncOfferTncType::Text, "One per customer");
    let mut details = cashfree::OfferDetails::new(cashfree::OfferType::Discount);
    details.discount_details = Some(
        cashfree::DiscountDetails::builder()
            .discount_type(cashfree::OfferValueType::Flat)
            .discount_value("10")
            .max_discount_amount("10")
            .build()
            .unwrap_or_else(|report| panic!("{report}")),
    );
    let mut validations = cashfree::OfferValidations::new(
        rupees("10"),
        cashfree::OfferPaymentMethod::All(serde_json::json!({})),
    );
    validations.min_amount = Some(rupees(min_amount));
    cashfree::CreateOfferRequest::builder()
        .offer_meta(meta)
        .offer_tnc(tnc)
        .offer_details(details)
        .offer_validations(validations)
        .build()
        .unwrap_or_else(|report| panic!("{report}"))
}

const LONG_AGO: &str = "2020-01-01T00:00:00Z";
/// An end may carry any offset; a start is at most 20 characters (the page's limit).
const FAR_AHEAD: &str = "2999-01-01T05:30:00+05:30";
const FAR_AHEAD_UTC: &str = "2999-01-01T00:00:00Z";

async fn create(
    client: &cashfree::Client,
    offer: &cashfree::CreateOfferRequest,
) -> Result<cashfree::Offer, paygen::Error<cashfree::ErrorResponse>> {
    client
        .create_offer(offer, &cashfree::CreateOfferParams::default())
        .await
}

async fn offers_for(
    client: &cashfree::Client,
    query: cashfree::EligibilityQueries,
    kinds: Option<Vec<cashfree::OfferType>>,
) -> Vec<cashfree::EligibleOffer> {
    let mut asked = cashfree::OffersQuery::new(query);
    asked.filters = kinds.map(|kinds| cashfree::OffersFilter::default().with_offer_type(kinds));
    client
        .get_eligible_offers(&asked, &cashfree::GetEligibleOffersParams::default())
        .await
        .unwrap()
}

fn amount(rupees_text: &str) -> cashfree::EligibilityQueries {
    cashfree::EligibilityQueries::default().with_amount(rupees(rupees_text))
}

#[tokio::test]
async fn an_offer_is_created_as_sent_and_applies_only_within_its_terms() {
    let (_mock, client) = cashfree_mock().await;
    let running = create(&client, &discount("TENOFF", "100", LONG_AGO, FAR_AHEAD))
        .await
        .unwrap();
    assert_eq!(running.offer_status.as_deref(), Some("active"));
    assert_eq!(running.offer_meta.as_ref().unwrap().offer_code, "TENOFF");
    let read = client
        .get_offer(&cashfree::GetOfferParams::new(running.offer_id.clone()))
        .await
        .unwrap();
    assert_eq!(read, running);
    let ended = create(
        &client,
        &discount("OLDOFF", "1", LONG_AGO, "2021-01-01T00:00:00Z"),
    )
    .await
    .unwrap();

    let eligible = |offers: &[cashfree::EligibleOffer], id: &str| {
        offers
            .iter()
            .find(|o| o.entity_value == id)
            .map(|o| o.eligibility)
    };
    // 150 rupees: the running offer applies; the ended one is listed, not eligible.
    let offers = offers_for(&client, amount("150"), None).await;
    assert_eq!(eligible(&offers, &running.offer_id), Some(true));
    assert_eq!(eligible(&offers, &ended.offer_id), Some(false));
    // 99.99 rupees: below its minimum.
    let offers = offers_for(&client, amount("99.99"), None).await;
    assert_eq!(eligible(&offers, &running.offer_id), Some(false));
    // Only cashback offers: neither is one.
    let offers = offers_for(
        &client,
        amount("150"),
        Some(vec![cashfree::OfferType::Cashback]),
    )
    .await;
    assert!(offers.is_empty());
}

#[tokio::test]
async fn an_orders_offers_are_judged_by_its_amount() {
    let (_mock, client) = cashfree_mock().await;
    let offer = create(&client, &discount("BIGORDER", "500", LONG_AGO, FAR_AHEAD))
        .await
        .unwrap();
    for (id, amount, applies) in [
        ("order_offer_big", "750.00", true),
        ("order_offer_small", "20.00", false),
    ] {
        let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
        let mut order = cashfree::CreateOrderRequest::new(rupees(amount), "INR", customer);
        order.order_id = Some(id.into());
        client
            .create_order(&order, &cashfree::CreateOrderParams::default())
            .await
            .unwrap();
        let by_order = cashfree::EligibilityQueries::default().with_order_id(id);
        let offers = offers_for(&client, by_order, None).await;
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].entity_value, offer.offer_id);
        assert_eq!(offers[0].eligibility, applies, "{id}");
    }
    let mut unknown = cashfree::OffersQuery::new(
        cashfree::EligibilityQueries::default().with_order_id("order_nobody_made"),
    );
    unknown.filters = None;
    let (status, _) = refused(
        client
            .get_eligible_offers(&unknown, &cashfree::GetEligibleOffersParams::default())
            .await,
    );
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_offer_that_ends_before_it_starts_is_refused_and_an_unknown_one_is_not_found() {
    let (_mock, client) = cashfree_mock().await;
    let backwards = discount("BACKWARDS", "1", FAR_AHEAD_UTC, LONG_AGO);
    let (status, body) = refused(create(&client, &backwards).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("offer_end_time_invalid"))
    );
    let (status, _) = refused(
        client
            .get_offer(&cashfree::GetOfferParams::new(
                "d2b430fb-0000-4000-8000-000000000000",
            ))
            .await,
    );
    assert_eq!(status, 404);
    // A discount offer without its discount is refused before it is sent.
    let mut bare = discount("BARE", "1", LONG_AGO, FAR_AHEAD);
    bare.offer_details.discount_details = None;
    let report = paygen::Validate::validate(&bare).unwrap_err();
    assert!(report.to_string().contains("discount_details"), "{report}");
}

#[tokio::test]
async fn the_payment_methods_of_an_amount_are_listed_as_asked() {
    let (_mock, client) = cashfree_mock().await;
    let every = client
        .get_eligible_payment_methods(
            &cashfree::PaymentMethodsQuery::new(amount("100")),
            &cashfree::GetEligiblePaymentMethodsParams::default(),
        )
        .await
        .unwrap();
    let methods: Vec<&str> = every.iter().map(|m| m.entity_value.as_str()).collect();
    assert_eq!(methods, ["upi", "card", "netbanking", "app"]);
    assert!(every.iter().all(|m| m.eligibility));
    let banks = every[2]
        .entity_details
        .as_ref()
        .and_then(|d| d.payment_method_details.as_ref())
        .unwrap();
    assert!(banks
        .iter()
        .all(|b| b.code.is_some() && b.eligibility == Some(true)));

    let mut only = cashfree::PaymentMethodsQuery::new(amount("100"));
    only.filters =
        Some(cashfree::PaymentMethodsFilter::default().with_payment_methods(vec!["upi".into()]));
    let upi = client
        .get_eligible_payment_methods(&only, &cashfree::GetEligiblePaymentMethodsParams::default())
        .await
        .unwrap();
    assert_eq!(upi.len(), 1);
    assert_eq!(upi[0].entity_value, "upi");

    // Neither an order nor an amount: refused before it is sent.
    let neither = cashfree::PaymentMethodsQuery::new(cashfree::EligibilityQueries::default());
    assert!(paygen::Validate::validate(&neither).is_err());
}
