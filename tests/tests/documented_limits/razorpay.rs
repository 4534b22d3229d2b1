//! Razorpay's documented limits, one case each.

use super::*;

#[test]
fn razorpay_limits() {
    let cases = vec![
        case(
            "amount positive (the minimum per currency is Razorpay's to check)",
            "create_order",
            "card",
            vec![Set("/amount", json!(0))],
        ),
        case(
            "create_order_and_payment needs its payment",
            "create_order_and_payment",
            "ach",
            vec![Remove("/payment")],
        ),
        case(
            "CRED needs app_present",
            "create_payment",
            "cred",
            vec![Remove("/app_present")],
        ),
        case(
            "a retry by card needs the card",
            "retry_order_payment",
            "retry",
            vec![Remove("/payment/card")],
        ),
        case(
            "currency exactly 3 characters",
            "create_order",
            "card",
            vec![Set("/currency", json!("RUPEE"))],
        ),
        case(
            "receipt at most 40 characters",
            "create_order",
            "card",
            vec![Set("/receipt", long(41))],
        ),
        case(
            "notes at most 15 pairs",
            "create_order",
            "card",
            vec![Set("/notes", notes(16))],
        ),
        case(
            "notes values at most 256 characters",
            "create_order",
            "card",
            vec![Set("/notes/key1", long(257))],
        ),
        case(
            "automatic_expiry_period at least 12",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/automatic_expiry_period",
                json!(11),
            )],
        ),
        case(
            "manual_expiry_period at most 7200",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/manual_expiry_period",
                json!(7201),
            )],
        ),
        case(
            "manual_expiry_period not less than automatic_expiry_period",
            "create_order",
            "card",
            vec![
                Set(
                    "/payment_config/capture_options/automatic_expiry_period",
                    json!(60),
                ),
                Set(
                    "/payment_config/capture_options/manual_expiry_period",
                    json!(30),
                ),
            ],
        ),
        case(
            "automatic_expiry_period mandatory when capture = automatic",
            "create_order",
            "card",
            vec![Remove(
                "/payment_config/capture_options/automatic_expiry_period",
            )],
        ),
        case(
            "refund_speed is normal or optimum",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/refund_speed",
                json!("instant"),
            )],
        ),
        case(
            "capture is automatic or manual",
            "create_order",
            "card",
            vec![Set("/payment_config/capture", json!("later"))],
        ),
        case(
            "first_payment_min_amount only with partial_payment = true",
            "create_order",
            "card",
            vec![
                Set("/partial_payment", json!(false)),
                Set("/first_payment_min_amount", json!(500)),
            ],
        ),
        case(
            "first_payment_min_amount not above amount",
            "create_order",
            "card",
            vec![Set("/first_payment_min_amount", json!(60000))],
        ),
        case(
            "payment email at most 40 characters",
            "create_order",
            "card",
            vec![Set("/payment/email", long(41))],
        ),
        case(
            "payment contact at most 15 characters",
            "create_order",
            "card",
            vec![Set("/payment/contact", json!("+112345678901234"))],
        ),
        case(
            "card mandatory for method card",
            "create_order",
            "card",
            vec![Remove("/payment/card")],
        ),
        case(
            "card expiry month MM",
            "create_order",
            "card",
            vec![Set("/payment/card/expiry_month", json!("13"))],
        ),
        case(
            "card expiry year YY",
            "create_order",
            "card",
            vec![Set("/payment/card/expiry_year", json!("2035"))],
        ),
        case(
            "bank_account mandatory for method ach",
            "create_order_and_payment",
            "ach",
            vec![Remove("/payment/bank_account")],
        ),
        case(
            "account_type is one of four",
            "create_order_and_payment",
            "ach",
            vec![Set("/payment/bank_account/account_type", json!("savings"))],
        ),
        case(
            "bank_code_category is routing_number",
            "create_order_and_payment",
            "ach",
            vec![Set(
                "/payment/bank_account/bank_code_category",
                json!("ifsc"),
            )],
        ),
        case(
            "provider mandatory when method = app",
            "create_payment",
            "cred",
            vec![Remove("/provider")],
        ),
        case(
            "app_present only with provider = cred",
            "create_payment",
            "cred",
            vec![Set("/method", json!("card")), Remove("/provider")],
        ),
        case(
            "provider is cred",
            "create_payment",
            "cred",
            vec![Set("/provider", json!("paytm"))],
        ),
        case(
            "retry needs the order id",
            "retry_order_payment",
            "retry",
            vec![Set("/id", json!(""))],
        ),
    ];
    let report = check("razorpay", cases);
    assert_limits_snapshot("razorpay", &report);
}
