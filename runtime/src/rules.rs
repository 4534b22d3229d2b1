//! The rule checks that `#[derive(Wire)]` expands to: one function per rule,
//! each recording a violation with its parameters, plus the traits that let the
//! derive stay free of type knowledge.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::scalar::scalar_matches;
use super::validate::{Code, Param, Path, Validate, ValidationReport};

/// Text whose length and pattern rules can be checked.
pub trait Text {
    /// The text to check.
    fn text(&self) -> &str;
}

impl Text for str {
    fn text(&self) -> &str {
        self
    }
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}

impl Text for Box<str> {
    fn text(&self) -> &str {
        self
    }
}

impl Text for Cow<'_, str> {
    fn text(&self) -> &str {
        self
    }
}

impl<T: Text + ?Sized> Text for &T {
    fn text(&self) -> &str {
        (**self).text()
    }
}

/// A collection whose entry count can be checked.
pub trait Count {
    /// How many items or keys it holds.
    fn count(&self) -> usize;
}

impl<T> Count for [T] {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T> Count for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<K, V> Count for BTreeMap<K, V> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<K, V, S> Count for HashMap<K, V, S> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T> Count for BTreeSet<T> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T, S> Count for HashSet<T, S> {
    fn count(&self) -> usize {
        self.len()
    }
}

/// A collection whose items (or map values) each get the rules of `each(...)`,
/// in a deterministic order, with their index or key in the path.
///
/// `HashMap` is left out on purpose: its order changes between runs, and a
/// report must not.
pub trait Each {
    /// The item (or map value) type.
    type Item;

    /// Calls `check` with each item and its path below `parent`.
    fn each(&self, parent: &Path<'_>, check: &mut dyn FnMut(&Path<'_>, &Self::Item));
}

impl<T> Each for Vec<T> {
    type Item = T;

    fn each(&self, parent: &Path<'_>, check: &mut dyn FnMut(&Path<'_>, &T)) {
        for (index, item) in self.iter().enumerate() {
            check(&parent.index(index), item);
        }
    }
}

impl<K: fmt::Display, V> Each for BTreeMap<K, V> {
    type Item = V;

    fn each(&self, parent: &Path<'_>, check: &mut dyn FnMut(&Path<'_>, &V)) {
        for (key, value) in self {
            check(&parent.key(key), value);
        }
    }
}

/// Wraps a value for the derive's type-directed dispatch ("autoref
/// specialisation"): the derive sees field types only as syntax, so it asks
/// through `Probe` and the compiler picks the impl for the concrete type.
pub struct Probe<'a, T: ?Sized>(pub &'a T);

/// `is_blank` for text: a required string may not be empty.
pub trait BlankText {
    /// True when the text is empty.
    fn is_blank(&self) -> bool;
}

impl<T: Text + ?Sized> BlankText for Probe<'_, T> {
    fn is_blank(&self) -> bool {
        self.0.text().is_empty()
    }
}

/// `is_blank` for everything that is not text: present means present.
pub trait BlankAny {
    /// Always false.
    fn is_blank(&self) -> bool {
        false
    }
}

impl<T: ?Sized> BlankAny for &Probe<'_, T> {}

/// `lookup` on an `Option` field: the value, if there is one.
pub trait LookupOption<'a, T> {
    /// The value inside, if any.
    fn lookup(&self) -> Option<&'a T>;
}

impl<'a, T> LookupOption<'a, T> for Probe<'a, Option<T>> {
    fn lookup(&self) -> Option<&'a T> {
        self.0.as_ref()
    }
}

/// `lookup` on any other field: always present.
pub trait LookupValue<'a, T: ?Sized> {
    /// The value itself.
    fn lookup(&self) -> Option<&'a T>;
}

impl<'a, T: ?Sized> LookupValue<'a, T> for &Probe<'a, T> {
    fn lookup(&self) -> Option<&'a T> {
        Some(self.0)
    }
}

/// The wire name of Rust field `field` of `T`, for paths through nested structs.
pub fn wire_name_in<T: Validate>(_: Option<&T>, field: &'static str) -> &'static str {
    T::wire_field_name(field)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A number as JSON: a `Decimal` serializes as its exact digits in a string,
/// which is reported as the number it spells.
fn number<T: Serialize>(value: &T) -> Value {
    match json(value) {
        Value::String(digits) => digits
            .parse::<serde_json::Number>()
            .map_or(Value::String(digits), Value::Number),
        other => other,
    }
}

fn param(name: &'static str, value: impl Into<Value>) -> Param {
    Param {
        name,
        value: value.into(),
    }
}

/// A required value is absent.
pub fn missing(path: &Path<'_>, report: &mut ValidationReport) {
    report.push(path, Code::Required, "is required", Vec::new());
}

/// A required string is present but empty.
pub fn empty(path: &Path<'_>, report: &mut ValidationReport) {
    report.push(path, Code::Required, "must not be empty", Vec::new());
}

/// `length(min, max, equal)`, counted in characters as OpenAPI does.
pub fn length<T: Text + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    equal: Option<usize>,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    let text = value.text();
    // A string has at least as many bytes as characters: when only a maximum
    // is set and the byte length is within it, counting characters is skipped.
    if equal.is_none() && min.is_none() && max.is_some_and(|m| text.len() <= m) {
        return;
    }
    let chars = text.chars().count();
    let (message, params) = if let Some(equal) = equal.filter(|&n| chars != n) {
        (
            format!(
                "must be exactly {equal} {} long (got {chars})",
                plural(equal, "character", "characters")
            ),
            vec![param("equal", equal), param("actual", chars)],
        )
    } else if let Some(min) = min.filter(|&n| chars < n) {
        (
            format!(
                "must be at least {min} {} long (got {chars})",
                plural(min, "character", "characters")
            ),
            vec![param("min", min), param("actual", chars)],
        )
    } else if let Some(max) = max.filter(|&n| chars > n) {
        (
            format!(
                "must be at most {max} {} long (got {chars})",
                plural(max, "character", "characters")
            ),
            vec![param("max", max), param("actual", chars)],
        )
    } else {
        return;
    };
    report.push(path, Code::Length, message, params);
}

/// Bounds for `range`, each inclusive or exclusive as OpenAPI allows.
pub struct Bounds<T> {
    /// `minimum`.
    pub min: Option<T>,
    /// `maximum`.
    pub max: Option<T>,
    /// `minimum` with `exclusiveMinimum: true`.
    pub exclusive_min: Option<T>,
    /// `maximum` with `exclusiveMaximum: true`.
    pub exclusive_max: Option<T>,
}

/// `range(min, max, exclusive_min, exclusive_max)`.
pub fn range<T: PartialOrd + Serialize>(
    value: &T,
    bounds: Bounds<T>,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    let (name, bound, message) = if let Some(min) = bounds.min.filter(|m| value < m) {
        ("min", number(&min), "must be at least")
    } else if let Some(min) = bounds.exclusive_min.filter(|m| value <= m) {
        ("exclusive_min", number(&min), "must be greater than")
    } else if let Some(max) = bounds.max.filter(|m| value > m) {
        ("max", number(&max), "must be at most")
    } else if let Some(max) = bounds.exclusive_max.filter(|m| value >= m) {
        ("exclusive_max", number(&max), "must be less than")
    } else {
        return;
    };
    let actual = number(value);
    report.push(
        path,
        Code::Range,
        format!("{message} {bound} (got {actual})"),
        vec![param(name, bound), param("actual", actual)],
    );
}

/// `range(multiple_of = step)`: the value is a whole multiple of `step`,
/// checked exactly (a `Decimal` remainder: `10.345` is not a multiple of
/// `0.01`).
pub fn multiple_of<T>(value: &T, step: T, path: &Path<'_>, report: &mut ValidationReport)
where
    T: Copy + PartialEq + Default + std::ops::Rem<Output = T> + Serialize,
{
    if step == T::default() || *value % step == T::default() {
        return;
    }
    let (step, actual) = (number(&step), number(value));
    report.push(
        path,
        Code::Range,
        format!("must be a multiple of {step} (got {actual})"),
        vec![param("multiple_of", step), param("actual", actual)],
    );
}

/// `one_of(...)`: the value, as it goes on the wire, is one of `allowed`.
pub fn one_of<T: Serialize + ?Sized>(
    value: &T,
    allowed: &'static [&'static str],
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    if allowed.iter().any(|a| scalar_matches(value, a)) {
        return;
    }
    report.push(
        path,
        Code::Enum,
        format!("must be one of {}", allowed.join(", ")),
        vec![param("allowed", allowed), param("actual", json(value))],
    );
}

/// `pattern = "..."`: the text matches `regex` somewhere (OpenAPI patterns are
/// not anchored; anchor them with `^...$` in the pattern itself).
pub fn pattern<T: Text + ?Sized>(
    value: &T,
    regex: &super::pattern::Pattern,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    if regex.is_match(value.text()) {
        return;
    }
    report.push(
        path,
        Code::Pattern,
        format!("must match the pattern {}", regex.as_str()),
        vec![param("pattern", regex.as_str())],
    );
}

/// `path_segment`: text that fills one segment of a URL path. Every other
/// character is percent-encoded, but `.` and `..` would still be resolved as
/// "this" and "the parent" segment (`/v1/payments/../capture` is
/// `/v1/capture`), even when encoded as `%2E`, so they are refused. (An empty
/// segment is `required`'s to refuse.)
pub fn path_segment<T: Text + ?Sized>(value: &T, path: &Path<'_>, report: &mut ValidationReport) {
    if matches!(value.text(), "." | "..") {
        report.push(
            path,
            Code::Format,
            "must not be `.` or `..`, which would change the path",
            vec![param("rule", "path_segment")],
        );
    }
}

/// `count(min, max)`: how many items or keys a collection holds.
pub fn count<T: Count + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    let n = value.count();
    let (name, bound, message) = if let Some(min) = min.filter(|&m| n < m) {
        ("min", min, "must have at least")
    } else if let Some(max) = max.filter(|&m| n > m) {
        ("max", max, "must have at most")
    } else {
        return;
    };
    report.push(
        path,
        Code::Count,
        format!(
            "{message} {bound} {} (got {n})",
            plural(bound, "entry", "entries")
        ),
        vec![param(name, bound), param("actual", n)],
    );
}

/// Whether a condition field's value meets the condition: present, and when
/// `equals` is given, equal to it as it goes on the wire.
pub fn condition_holds<T: Serialize + ?Sized>(value: Option<&T>, equals: Option<&str>) -> bool {
    match (value, equals) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(v), Some(expected)) => scalar_matches(v, expected),
    }
}

fn describe_condition(when: &str, equals: Option<&str>) -> String {
    match equals {
        Some(v) => format!("`{when}` is {v}"),
        None => format!("`{when}` is set"),
    }
}

fn condition_params(when: &str, equals: Option<&str>) -> Vec<Param> {
    let mut params = vec![param("when", when)];
    if let Some(v) = equals {
        params.push(param("equals", v));
    }
    params
}

/// `required_if`: the value at `path` is missing although the condition on
/// `when` holds.
pub fn required_if(
    when: &str,
    equals: Option<&str>,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    report.push(
        path,
        Code::RequiredIf,
        format!("is required when {}", describe_condition(when, equals)),
        condition_params(when, equals),
    );
}

/// `any_of`: none of `fields` (wire names below `path`) is present.
pub fn any_of(fields: &[&str], path: &Path<'_>, report: &mut ValidationReport) {
    let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    report.push(
        path,
        Code::AnyOf,
        format!("needs one of {}", names.join(", ")),
        vec![param("fields", fields.to_vec())],
    );
}

/// `only_if`: the value at `path` is present although the condition on `when`
/// does not hold.
pub fn only_if(when: &str, equals: Option<&str>, path: &Path<'_>, report: &mut ValidationReport) {
    report.push(
        path,
        Code::OnlyIf,
        format!("is allowed only when {}", describe_condition(when, equals)),
        condition_params(when, equals),
    );
}

/// `minimum_when`: whether `value` is below `minimum`, read as the field's
/// own type (`100` for subunits, `1.00` for a decimal), exactly.
pub fn below<T: std::str::FromStr + PartialOrd>(value: &T, minimum: &str) -> bool {
    minimum.parse::<T>().is_ok_and(|minimum| *value < minimum)
}

/// `minimum_when(field, when, equals, minimum)`: the value is below the
/// minimum that applies when `when` equals `equals` (a gateway's minimum
/// for one currency).
pub fn below_minimum_when(
    minimum: &str,
    when_path: &str,
    equals: Option<&str>,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    let equals = equals.unwrap_or_default();
    report.push(
        path,
        Code::Range,
        format!("must be at least {minimum} when `{when_path}` is `{equals}`"),
        vec![
            param("min", minimum),
            param("when", when_path),
            param("equals", equals),
        ],
    );
}

/// `not_less_than`: `value` at `path` is below `other` at `other_path`; the
/// caller has compared them.
pub fn less_than_other<T: Serialize + ?Sized>(
    value: &T,
    other: &T,
    other_path: &str,
    path: &Path<'_>,
    report: &mut ValidationReport,
) {
    let (actual, bound) = (json(value), json(other));
    report.push(
        path,
        Code::NotLessThan,
        format!("must not be less than `{other_path}` ({bound}) (got {actual})"),
        vec![
            param("other", other_path),
            param("other_value", bound),
            param("actual", actual),
        ],
    );
}
