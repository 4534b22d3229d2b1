//! Every gateway's error body answers `paygen::GatewayError` (code,
//! description, field, reason, source) from its spec's `x-error-fields`:
//! one shape for logs and support tickets across gateways.

use paygen::{cashfree, juspay, razorpay, GatewayError};
use paygen_mock::MockGateway;

/// What `error`'s body says, through the trait only.
fn said(error: &dyn GatewayError) -> [Option<String>; 5] {
    [
        error.code(),
        error.description(),
        error.field(),
        error.reason(),
        error.source(),
    ]
    .map(|s| s.map(str::to_owned))
}

#[tokio::test]
async fn razorpay_says_all_five() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    // A refund of a payment nobody made: Razorpay's "the id does not exist".
    let error = client
        .create_refund(
            &razorpay::CreateRefundRequest::default(),
            &razorpay::CreateRefundParams::new("pay_nobodymadeit"),
        )
        .await
        .unwrap_err();
    let body = error
        .gateway_error()
        .expect("the gateway answered with its error body");
    assert_eq!(
        said(body),
        [
            Some("BAD_REQUEST_ERROR".into()),
            Some("The id provided does not exist".into()),
            Some("id".into()),
            Some("input_validation_failed".into()),
            Some("business".into()),
        ]
    );
}

#[tokio::test]
async fn cashfree_and_juspay_say_a_code_and_a_description() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let error = client
        .get_order(&cashfree::GetOrderParams::new("nope_404"))
        .await
        .unwrap_err();
    assert_eq!(
        said(error.gateway_error().unwrap()),
        [
            Some("order_not_found".into()),
            Some("order not found".into()),
            None,
            None,
            None
        ]
    );

    let mock = MockGateway::start("juspay").await.unwrap();
    let client =
        juspay::Client::new(mock.environment(), mock.credential(0)).with_merchant_id("merchant_id");
    let error = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id("never_created")
                .x_routing_id("customer_1")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    let body = error.gateway_error().unwrap();
    assert_eq!(body.code(), Some("invalid"));
    assert_eq!(body.description(), Some("Order not found"));
}

#[test]
fn an_error_that_is_not_an_answer_has_no_gateway_error() {
    let error: paygen::Error<razorpay::ErrorResponse> =
        paygen::Error::InvalidHeader { name: "x-test" };
    assert!(error.gateway_error().is_none());
}
