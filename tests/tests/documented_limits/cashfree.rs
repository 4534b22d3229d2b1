//! Cashfree's documented limits, one case each.

use super::*;

#[test]
fn cashfree_limits() {
    let cases = vec![
        case(
            "payment_session_id required",
            "pay_order",
            "card",
            vec![Set("/payment_session_id", json!(""))],
        ),
        case(
            "card channel is link or post",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/channel", json!("collect"))],
        ),
        case(
            "card expiry month MM",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_expiry_mm", json!("3"))],
        ),
        case(
            "card expiry year YY",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_expiry_yy", json!("2028"))],
        ),
        case(
            "card cvv 3 or 4 digits",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_cvv", json!("12"))],
        ),
        case(
            "card bank for EMI is one of five",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_bank_name", json!("HDFC"))],
        ),
        case(
            "UPI channel is link, collect or qrcode",
            "pay_order",
            "upi_link",
            vec![Set("/payment_method/upi/channel", json!("gpay"))],
        ),
        case(
            "upi_id required for the collect channel",
            "pay_order",
            "upi_link",
            vec![Set("/payment_method/upi/channel", json!("collect"))],
        ),
        case(
            "upi_expiry_minutes between 5 and 15",
            "pay_order",
            "upi_link",
            vec![
                Set("/payment_method/upi/channel", json!("collect")),
                Set("/payment_method/upi/upi_id", json!("a@b")),
                Set("/payment_method/upi/upi_expiry_minutes", json!(20)),
            ],
        ),
        case(
            "one payment method among seven",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"wallet": {"channel": "link"}}),
            )],
        ),
        case(
            "app provider among the listed wallets",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"app": {"channel": "link", "provider": "venmo", "phone": "9999999999"}}),
            )],
        ),
        case(
            "paylater provider among the listed ones",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"paylater": {"channel": "link", "provider": "klarna", "phone": "9999999999"}}),
            )],
        ),
        case(
            "cardless EMI provider among the listed ones",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"cardless_emi": {"channel": "link", "provider": "affirm", "phone": "9999999999"}}),
            )],
        ),
        case(
            "a card needs a number, a saved instrument or a cryptogram",
            "pay_order",
            "card",
            vec![
                Remove("/payment_method/card/card_number"),
                Remove("/payment_method/card/card_expiry_mm"),
                Remove("/payment_method/card/card_expiry_yy"),
                Remove("/payment_method/card/card_cvv"),
            ],
        ),
        case(
            "a card number needs its expiry and CVV",
            "pay_order",
            "card",
            vec![
                Remove("/payment_method/card/card_expiry_mm"),
                Remove("/payment_method/card/card_expiry_yy"),
                Remove("/payment_method/card/card_cvv"),
            ],
        ),
        case(
            "order amount at least 1",
            "create_order",
            "minimal",
            vec![Set("/order_amount", json!(0.99))],
        ),
        case(
            "order id 3 to 45 letters, digits, _ and -",
            "create_order",
            "full",
            vec![Set("/order_id", json!("order#1"))],
        ),
        case(
            "order id at most 45 characters",
            "create_order",
            "full",
            vec![Set("/order_id", long(46))],
        ),
        case(
            "customer id and phone required",
            "create_order",
            "minimal",
            vec![
                Remove("/customer_details/customer_id"),
                Remove("/customer_details/customer_phone"),
            ],
        ),
        case(
            "customer phone 10 digits",
            "create_order",
            "minimal",
            vec![Set(
                "/customer_details/customer_phone",
                json!("+919898989898"),
            )],
        ),
        case(
            "notify URL is https",
            "create_order",
            "full",
            vec![Set(
                "/order_meta/notify_url",
                json!("http://example.com/cf_notify"),
            )],
        ),
        case(
            "at most 10 order tags",
            "create_order",
            "full",
            vec![Set("/order_tags", notes(11))],
        ),
        case(
            "order note 3 to 200 characters",
            "create_order",
            "full",
            vec![Set("/order_note", long(201))],
        ),
        case(
            "refund id 3 to 40 characters",
            "create_refund",
            "standard",
            vec![Set("/refund_id", json!("r1"))],
        ),
        case(
            "refund speed STANDARD or INSTANT",
            "create_refund",
            "standard",
            vec![Set("/refund_speed", json!("OPTIMUM"))],
        ),
    ];
    let report = check("cashfree", cases);
    assert_limits_snapshot("cashfree", &report);
}
