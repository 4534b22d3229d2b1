//! Juspay's documented limits, one case each.

use super::*;

#[test]
fn juspay_limits() {
    let cases = vec![
        case(
            "merchant_id required",
            "check_eligibility",
            "cred",
            vec![Set("/merchant_id", json!(""))],
        ),
        case(
            "at least one payment instrument",
            "check_eligibility",
            "cred",
            vec![Set("/payment_instrument", json!([]))],
        ),
        case(
            "eligibility platform is android, web or ios",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/platform",
                json!("desktop"),
            )],
        ),
        case(
            "os among android, iOS, windows, linux, macOS, unknown",
            "check_eligibility",
            "cred",
            vec![Set("/payment_instrument/0/command_input/os", json!("ios"))],
        ),
        case(
            "device among mobile, iPAD, desktop, tablet, unknown",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/device",
                json!("phone"),
            )],
        ),
        case(
            "countryCode such as +91",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/countryCode",
                json!("91"),
            )],
        ),
        case(
            "phoneNumber: 6 to 15 digits (encrypted when sent)",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/phoneNumber",
                json!("99009 88990"),
            )],
        ),
        case(
            "credAppPresent required",
            "check_eligibility",
            "cred",
            vec![Remove("/payment_instrument/0/command_input/credAppPresent")],
        ),
        case(
            "txns platform is android or web",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/platform", json!("ios"))],
        ),
        case(
            "txns payment_method is CRED",
            "create_txn",
            "cred",
            vec![Set("/payment_method", json!("UPI"))],
        ),
        case(
            "txns payment_method_type is WALLET",
            "create_txn",
            "cred",
            vec![Set("/payment_method_type", json!("CARD"))],
        ),
        case(
            "txns format is json",
            "create_txn",
            "cred",
            vec![Set("/format", json!("xml"))],
        ),
        case(
            "txns order_id and merchant_id required",
            "create_txn",
            "cred",
            vec![Set("/order_id", json!("")), Set("/merchant_id", json!(""))],
        ),
        case(
            "txns phoneNumber: 6 to 15 digits (encrypted when sent)",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/phoneNumber", json!("+919900988990"))],
        ),
        case(
            "redirect_after_payment should be passed as true",
            "create_txn",
            "cred",
            vec![Set("/redirect_after_payment", json!(false))],
        ),
        case(
            "sdk_params should be passed as true",
            "create_txn",
            "cred",
            vec![Set("/sdk_params", json!(false))],
        ),
        case(
            "metadata is a JSON object",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/metadata", json!("abc=123"))],
        ),
    ];
    let report = check("juspay", cases);
    assert_limits_snapshot("juspay", &report);
}
