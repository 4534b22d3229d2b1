//! Tests of the surface: the lines items give, and which differences break.

use super::*;

fn surface(lines: &[&str]) -> Surface {
    let text = format!("version\t0.1.0\n{}\n", lines.join("\n"));
    Surface::from_text(&text).unwrap()
}

const ORDER: &str = r#"gw::Order	{"item":"type","shape":"struct","sent":true}"#;
const AMOUNT: &str = r#"gw::Order.amount	{"item":"field","ty":"i64","constructor":true,"limits":{"min":["100",false]}}"#;
const RECEIPT: &str =
    r#"gw::Order.receipt	{"item":"field","ty":"Option<String>","limits":{"length":[null,40]}}"#;
const STATUS: &str = r#"gw::Status	{"item":"type","shape":"enum","sent":false}"#;
const PAID: &str = r#"gw::Status::Paid	{"item":"variant"}"#;

fn before() -> Surface {
    surface(&[ORDER, AMOUNT, RECEIPT, STATUS, PAID])
}

#[test]
fn the_text_form_reads_back_as_written() {
    let text = before().to_text();
    assert_eq!(Surface::from_text(&text).unwrap(), before());
    assert!(Surface::from_text("gw::Order {}")
        .unwrap_err()
        .contains("line 1"));
}

#[test]
fn additions_and_looser_limits_are_not_breaking() {
    let after = surface(&[
        ORDER,
        r#"gw::Order.amount	{"item":"field","ty":"i64","constructor":true,"limits":{"min":["1",false]}}"#,
        r#"gw::Order.receipt	{"item":"field","ty":"Option<String>"}"#,
        r#"gw::Order.notes	{"item":"field","ty":"Option<String>"}"#,
        STATUS,
        PAID,
        r#"gw::Status::Failed	{"item":"variant"}"#,
        r#"gw::Client::refund	{"item":"method","args":[],"answer":"Refund, Error"}"#,
    ]);
    assert_eq!(before().breaking_changes(&after), Vec::<String>::new());
}

#[test]
fn removals_type_changes_and_new_constructor_arguments_break() {
    let after = surface(&[
        ORDER,
        r#"gw::Order.amount	{"item":"field","ty":"Decimal","constructor":true}"#,
        r#"gw::Order.receipt	{"item":"field","ty":"String","constructor":true,"limits":{"length":[null,40]}}"#,
        r#"gw::Order.currency	{"item":"field","ty":"String","constructor":true}"#,
        STATUS,
    ]);
    assert_eq!(
        before().breaking_changes(&after),
        [
            "gw::Order.amount: type i64 became Decimal",
            "gw::Order.receipt: type Option<String> became String",
            "gw::Status::Paid: removed",
            "gw::Order.currency: a new argument of `new`",
        ]
    );
}

#[test]
fn tighter_limits_break_each_way_they_tighten() {
    let old = Limits {
        length: Some((None, Some(40))),
        min: Some(("100".into(), false)),
        max: Some(("500".into(), false)),
        one_of: Some(vec!["a".into(), "b".into()]),
        ..Limits::default()
    };
    let new = Limits {
        length: Some((Some(1), Some(20))),
        min: Some(("100".into(), true)),
        max: Some(("499.5".into(), false)),
        pattern: Some("^a$".into()),
        one_of: Some(vec!["a".into()]),
        non_empty: true,
        each: Some(Box::new(Limits {
            count: Some((None, Some(3))),
            ..Limits::default()
        })),
        ..Limits::default()
    };
    assert_eq!(
        old.tightened(&new),
        [
            "a larger minimum length",
            "a smaller maximum length",
            "a higher minimum",
            "a lower maximum",
            "a new pattern",
            "fewer allowed values",
            "an empty value refused",
            "a smaller maximum count for each item",
        ]
    );
    assert!(new.tightened(&old).is_empty(), "{:?}", new.tightened(&old));
    assert!(old.tightened(&old).is_empty());
}

#[test]
fn a_new_rule_between_fields_breaks_and_a_removed_one_does_not() {
    let ty = |rules: &[&str]| Item::Type {
        shape: "struct".into(),
        sent: true,
        rules: rules.iter().map(|r| (*r).to_owned()).collect(),
    };
    let inr = r#"minimum_when(amount, currency, "INR", 100)"#;
    assert_eq!(
        changed(&ty(&[]), &ty(&[inr])),
        [format!("a new rule between fields: {inr}")]
    );
    assert!(changed(&ty(&[inr]), &ty(&[])).is_empty());
    assert!(changed(&ty(&[inr]), &ty(&[inr])).is_empty());
}

#[test]
fn a_new_or_coarser_step_breaks_and_a_finer_one_does_not() {
    let step = |v: &str| Limits {
        multiple_of: Some(v.to_owned()),
        ..Limits::default()
    };
    let none = Limits::default();
    assert_eq!(none.tightened(&step("0.01")), ["a new step (`multipleOf`)"]);
    assert_eq!(
        step("0.01").tightened(&step("0.02")),
        ["a new step (`multipleOf`)"]
    );
    assert_eq!(
        step("0.01").tightened(&step("0.03")),
        ["a new step (`multipleOf`)"]
    );
    assert!(step("0.02").tightened(&step("0.01")).is_empty(), "finer");
    assert!(step("0.01").tightened(&step("0.01")).is_empty());
    assert!(step("0.01").tightened(&none).is_empty(), "removed");
    assert!(step("1").tightened(&step("0.5")).is_empty());
    assert_eq!(
        step("1").tightened(&step("0.3")),
        ["a new step (`multipleOf`)"]
    );
}

#[test]
fn a_bound_that_does_not_read_as_a_number_counts_as_tighter_when_it_changes() {
    let bound = |v: &str| Some((v.to_owned(), false));
    assert!(stricter_bound(&bound("1e"), &bound("2e"), true));
    assert!(!stricter_bound(&bound("1e"), &bound("1e"), true));
}

#[test]
fn a_shape_change_breaks_and_a_change_of_side_does_not() {
    let union = r#"gw::Status	{"item":"type","shape":"union","sent":false}"#;
    let sent = r#"gw::Status	{"item":"type","shape":"enum","sent":true}"#;
    let old = surface(&[STATUS]);
    assert_eq!(
        old.breaking_changes(&surface(&[sent])),
        Vec::<String>::new()
    );
    assert_eq!(
        old.breaking_changes(&surface(&[union])),
        [
            r#"gw::Status: {"item":"type","shape":"enum","sent":false} became {"item":"type","shape":"union","sent":false}"#
        ]
    );
}
