//! The fixture modules (`tests/fixtures/specs/`) doing what their specs say:
//! recursion through `Box`, JSON inside a form, integer and boolean enums as
//! rules, headers sent in lower case, and types named like Rust's own.

use paygen::{Environment, RequestBody, Validate};
use paygen_tests::fixtures::{enums, json_in_form, prelude_names, recursive};
use paygen_tests::render_report;
use paygen_tests::support::serve;
use serde_json::json;
use wiremock::ResponseTemplate;

#[test]
fn recursive_types_nest_and_validate_at_every_depth() {
    let mut leaf = recursive::Category::new("");
    leaf.children = Some(vec![recursive::Category::new("")]);
    let mut root = recursive::Category::new("root");
    root.parent = Some(Box::new(leaf));
    let report = root.validate().unwrap_err();
    insta::assert_snapshot!(render_report(&report));
    let body = String::from_utf8(root.encode_body().unwrap()).unwrap();
    assert_eq!(
        body,
        r#"{"name":"root","parent":{"name":"","children":[{"name":""}]}}"#
    );
}

#[test]
fn a_json_field_inside_a_form_is_one_value() {
    let mut params = json_in_form::Params::new(json_in_form::ParamsPlatform::Web);
    params.app_present = Some(false);
    let txn = json_in_form::Txn::new("order_1", params);
    let body = txn.encode_body().unwrap();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("order_id".to_owned(), "order_1".to_owned()),
            (
                "params".to_owned(),
                r#"{"platform":"web","appPresent":false}"#.to_owned()
            ),
        ]
    );
    assert_eq!(txn.content_type(), "application/x-www-form-urlencoded");
}

#[test]
fn integer_and_boolean_enums_are_rules() {
    let mut request = enums::CreateRefundRequest::new(enums::Speed::Normal);
    request.key_size = Some(1024);
    request.confirm = Some(false);
    let report = request.validate().unwrap_err();
    assert_eq!(
        report.to_string(),
        "key_size: must be one of 512, 2048 [enum]\nconfirm: must be one of true [enum]"
    );
    request.key_size = Some(2048);
    request.confirm = Some(true);
    assert!(request.validate().is_ok());
    // Sized integer formats are the bounds they imply.
    request.attempts = Some(256);
    request.level = Some(0);
    assert_eq!(
        request.validate().unwrap_err().to_string(),
        "attempts: must be at most 255 (got 256) [range]\nlevel: must be at least 1 (got 0) [range]"
    );
}

#[tokio::test]
async fn headers_go_out_in_lower_case_and_prelude_names_work() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({"items": ["a"]}))).await;
    let client = prelude_names::Client::new(Environment::Custom(server.uri()), "key_1");
    let mut params = prelude_names::CreateResultParams::new();
    params.x_request_id = Some("req_1".into());
    let request = prelude_names::Result {
        default: Some(prelude_names::Default::Ok),
        ..Default::default()
    };
    let answer: prelude_names::Vec = client.create_result(&request, &params).await.unwrap();
    assert_eq!(answer.items, Some(vec!["a".to_owned()]));
    let received = server.received_requests().await.unwrap();
    // HTTP/1.1 headers are case-insensitive on the wire, but the names paygen
    // builds are lower case, as HTTP/2 requires.
    let names: Vec<&str> = received[0].headers.keys().map(|n| n.as_str()).collect();
    assert!(
        names.contains(&"x-api-key") && names.contains(&"x-request-id"),
        "{names:?}"
    );
    assert_eq!(received[0].headers["x-api-key"], "key_1");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[0].body).unwrap(),
        json!({"default": "Ok"})
    );
}

#[test]
fn all_of_merges_objects_into_one_flat_struct() {
    use paygen_tests::fixtures::all_of;
    // The request merges `Contact` with its own fields: one flat JSON object,
    // every merged rule checked, the wrapped reference typed as `Address`.
    let mut request = all_of::CreateCustomerRequest::builder()
        .email("a".repeat(101))
        .customer_id("cust_1")
        .build()
        .unwrap();
    request.phone = Some("9900988990".into());
    request.billing = Some(all_of::Address::new(""));
    let report = request.validate().unwrap_err();
    assert_eq!(
        report.to_string(),
        "email: must be at most 100 characters long (got 101) [length]\nbilling.line1: must not be empty [required]"
    );
    assert!(!format!("{request:?}").contains("9900988990"));
    request.email = "a@example.test".into();
    request.billing = Some(all_of::Address::new("1 MG Road"));
    let body = String::from_utf8(request.encode_body().unwrap()).unwrap();
    assert_eq!(
        body,
        r#"{"email":"a@example.test","phone":"9900988990","customer_id":"cust_1","billing":{"line1":"1 MG Road"}}"#
    );

    // The answer requires what both merged objects require; `nullable` on a
    // wrapped reference makes it optional; unknown fields decode.
    let customer: all_of::Customer = serde_json::from_value(json!({
        "email": "a@example.test", "id": "cust_1", "shipping": null, "added_later": 1
    }))
    .unwrap();
    assert_eq!((customer.id.as_str(), customer.shipping), ("cust_1", None));
    let missing = serde_json::from_value::<all_of::Customer>(json!({"email": "a@example.test"}));
    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("missing field `id`"));
}

#[tokio::test]
async fn error_answers_decode_by_status_and_keep_the_raw_body() {
    use paygen::Error;
    use paygen_tests::fixtures::error_answers::{
        CaptureOrderError, CaptureOrderParams, CaptureOrderRequest, Client,
    };
    let answers = [
        (400, r#"{"message":"amount is required"}"#),
        (404, "<html>not found</html>"),
        (409, r#"{"state":"captured","since":1}"#),
        (503, r#"{"message":"try later"}"#),
        (401, r#"{"unexpected":true}"#),
    ];
    let mut seen = Vec::new();
    for (status, body) in answers {
        let server = serve(ResponseTemplate::new(status).set_body_string(body)).await;
        let client = Client::new(Environment::Custom(server.uri()), "key_1");
        let result = client
            .capture_order(
                &CaptureOrderRequest::new(100),
                &CaptureOrderParams::new("ord_1"),
            )
            .await;
        let Err(Error::Gateway {
            status: got,
            body: decoded,
            raw,
            ..
        }) = result
        else {
            panic!("{status}: expected the gateway's error, got {result:?}");
        };
        assert_eq!((got.as_u16(), raw.as_ref()), (status, body.as_bytes()));
        seen.push(match decoded {
            CaptureOrderError::BadRequest(e) => format!("BadRequest({:?})", e.message),
            CaptureOrderError::NotFound => "NotFound".to_owned(),
            CaptureOrderError::Conflict(c) => format!("Conflict({})", c.state),
            CaptureOrderError::ServerError(e) => format!("ServerError({:?})", e.message),
            CaptureOrderError::Undocumented => "Undocumented".to_owned(),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(
        seen,
        [
            r#"BadRequest(Some("amount is required"))"#,
            "NotFound",
            "Conflict(captured)",
            r#"ServerError(Some("try later"))"#,
            "Undocumented",
        ]
    );
    // A documented status whose body is not the documented one is a decode
    // error, with status and raw body kept.
    let server = serve(ResponseTemplate::new(409).set_body_string("{}")).await;
    let client = Client::new(Environment::Custom(server.uri()), "key_1");
    let result = client
        .capture_order(
            &CaptureOrderRequest::new(100),
            &CaptureOrderParams::new("ord_1"),
        )
        .await;
    assert!(
        matches!(&result, Err(Error::Decode { status, raw, .. }) if status.as_u16() == 409 && raw.as_ref() == b"{}"),
        "{result:?}"
    );
    // The body chosen by the status names the field it stopped at.
    let server = serve(ResponseTemplate::new(409).set_body_string(r#"{"state":7}"#)).await;
    let client = Client::new(Environment::Custom(server.uri()), "key_1");
    let result = client
        .capture_order(
            &CaptureOrderRequest::new(100),
            &CaptureOrderParams::new("ord_1"),
        )
        .await;
    match result {
        Err(Error::Decode { source, .. }) => assert_eq!(source.path(), "state"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn query_enums_and_lists_are_checked_then_sent_as_their_style_says() {
    use paygen::Error;
    use paygen_tests::fixtures::error_answers::{CaptureOrderParams, CaptureOrderRequest, Client};
    // A string enum parameter is checked before anything is sent.
    let mut params = CaptureOrderParams::new("ord_1");
    params.mode = Some("sometimes".into());
    let server = serve(ResponseTemplate::new(200).set_body_string(r#"{"id":"ord_1"}"#)).await;
    let client = Client::new(Environment::Custom(server.uri()), "key_1");
    let result = client
        .capture_order(&CaptureOrderRequest::new(100), &params)
        .await;
    assert!(
        matches!(&result, Err(Error::Validation(report)) if report.to_string() == "mode: must be one of auto, manual [enum]"),
        "{result:?}"
    );
    params.mode = Some("manual".into());
    client
        .capture_order(&CaptureOrderRequest::new(100), &params)
        .await
        .unwrap();
    // Lists: one pair per item by default, joined by commas with `explode: false`;
    // their limits apply to the list and each item.
    params.expand = Some(vec!["payments".into(), "refunds".into()]);
    params.ids = Some(vec![7, 9]);
    client
        .capture_order(&CaptureOrderRequest::new(100), &params)
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("mode=manual"));
    assert_eq!(
        received[1].url.query(),
        Some("mode=manual&expand=payments&expand=refunds&ids=7%2C9")
    );
    params.expand = Some(vec!["payments".into(), "fees".into()]);
    let result = client
        .capture_order(&CaptureOrderRequest::new(100), &params)
        .await;
    assert!(
        matches!(&result, Err(Error::Validation(report)) if report.to_string() == "expand[1]: must be one of payments, refunds, offers [enum]"),
        "{result:?}"
    );
}

#[tokio::test]
async fn an_answer_without_a_body_is_no_content() {
    use paygen_tests::fixtures::error_answers::{CancelOrderParams, Client};
    let server = serve(ResponseTemplate::new(204)).await;
    let client = Client::new(Environment::Custom(server.uri()), "key_1");
    let answer: paygen::NoContent = client
        .cancel_order(&CancelOrderParams::new("ord_1"))
        .await
        .unwrap();
    assert_eq!(answer, paygen::NoContent);
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        (received[0].method.as_str(), received[0].url.path()),
        ("DELETE", "/orders/ord_1")
    );
}

#[test]
fn untagged_unions_are_told_apart_by_shape_and_validated_in_place() {
    use paygen_tests::fixtures::unions::{
        BankAccount, CreatePayoutResponse, CreatePayoutResponseReference, Payout,
        PayoutDestination, Vpa,
    };
    // Each choice decodes from its own shape, in spec order.
    let bank: Payout = serde_json::from_value(
        json!({"amount": 100, "destination": {"account_number": "00112233", "ifsc": "HDFC0001234"}}),
    )
    .unwrap();
    assert!(
        matches!(&bank.destination, PayoutDestination::BankAccount(b) if b.ifsc == "HDFC0001234")
    );
    let upi: Payout = serde_json::from_value(
        json!({"amount": 100, "destination": {"vpa": "a@upi", "name": "A"}}),
    )
    .unwrap();
    assert!(matches!(&upi.destination, PayoutDestination::Vpa(v) if v.vpa == "a@upi"));
    // Sent as the value itself, without a key naming the choice; secrets masked.
    let body = String::from_utf8(upi.encode_body().unwrap()).unwrap();
    assert_eq!(
        body,
        r#"{"amount":100,"destination":{"vpa":"a@upi","name":"A"}}"#
    );
    assert!(!format!("{bank:?}").contains("00112233"));
    // A violation inside a choice is reported at the field's own path.
    let mut account = BankAccount::new("00112233", "hdfc");
    account.ifsc = "hdfc".into();
    let wrong = Payout::new(100, PayoutDestination::BankAccount(account));
    assert_eq!(
        wrong.validate().unwrap_err().to_string(),
        "destination.ifsc: must match the pattern ^[A-Z]{4}0[A-Z0-9]{6}$ [pattern]"
    );
    let long = Payout::new(
        100,
        PayoutDestination::Vpa(
            Vpa::builder()
                .vpa("v".repeat(51))
                .name("A")
                .build()
                .unwrap(),
        ),
    );
    assert!(long
        .validate()
        .unwrap_err()
        .to_string()
        .starts_with("destination.vpa: "));
    // Scalars: text or a number.
    for (reference, expected) in [
        (
            json!("ref_1"),
            CreatePayoutResponseReference::Text("ref_1".into()),
        ),
        (json!(42), CreatePayoutResponseReference::Integer(42)),
    ] {
        let answer: CreatePayoutResponse =
            serde_json::from_value(json!({"id": "p_1", "reference": reference})).unwrap();
        assert_eq!(answer.reference, Some(expected));
    }
}

#[tokio::test]
async fn a_success_may_be_any_json_such_as_a_list_of_strings() {
    use paygen_tests::fixtures::unions::Client;
    let server = serve(ResponseTemplate::new(200).set_body_string(r#"["p_1","p_2"]"#)).await;
    let client = Client::new(Environment::Custom(server.uri()), "key_1");
    assert_eq!(client.list_payout_ids().await.unwrap(), ["p_1", "p_2"]);
}

#[test]
fn structs_decode_from_objects_only_so_a_union_can_pick_a_list() {
    use paygen_tests::fixtures::unions::{
        BankAccount, CreatePayoutResponse, CreatePayoutResponseAccounts,
    };
    // serde's derive would read a list of the fields by position.
    let by_position = serde_json::from_value::<BankAccount>(json!(["00112233", "HDFC0001234"]));
    let error = by_position.unwrap_err().to_string();
    assert!(
        error.starts_with("invalid type: sequence, expected "),
        "{error}"
    );
    let by_name: BankAccount =
        serde_json::from_value(json!({"account_number": "00112233", "ifsc": "HDFC0001234"}))
            .unwrap();
    assert_eq!(by_name.ifsc, "HDFC0001234");
    // So a union of an object and a list of two strings picks each by shape.
    let answer = |accounts| -> CreatePayoutResponse {
        serde_json::from_value(json!({"id": "p_1", "accounts": accounts})).unwrap()
    };
    assert!(matches!(
        answer(json!(["acc_1", "acc_2"])).accounts,
        Some(CreatePayoutResponseAccounts::List(ids)) if ids == ["acc_1", "acc_2"]
    ));
    assert!(matches!(
        answer(json!({"account_number": "00112233", "ifsc": "HDFC0001234"})).accounts,
        Some(CreatePayoutResponseAccounts::BankAccount(_))
    ));
    // And the same from JSON text, as answers arrive.
    let error = serde_json::from_str::<BankAccount>(r#"["00112233", "HDFC0001234"]"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("expected"), "{error}");
}
