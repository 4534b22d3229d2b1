//! A field's rules checked against its type's shape: each rule on a type
//! it applies to, with consistent bounds, and `each` on a list's items.

use proc_macro2::Span;
use syn::{Expr, GenericArgument, PathArguments, Type};

use super::{Length, Range, Rules};
use crate::attr::{self, RawRules};
use crate::errors::Errors;

/// What a field's type is, as far as the syntax tells.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Text,
    Number,
    Bool,
    List,
    Map,
    Set,
    /// A type the syntax does not tell (a struct, an alias, a wrapper): every
    /// rule is allowed and the compiler checks the runtime trait bounds.
    Other,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Text => "a string",
            Shape::Number => "a number",
            Shape::Bool => "a boolean",
            Shape::List => "a list",
            Shape::Map => "a map",
            Shape::Set => "a set",
            Shape::Other => "this type",
        }
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

fn generic_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `Option<T>` gives `Some(T)`.
pub(super) fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Option" {
        return None;
    }
    generic_args(segment).into_iter().next()
}

fn shape(ty: &Type) -> Shape {
    match ty {
        Type::Reference(r) => return shape(&r.elem),
        Type::Slice(_) | Type::Array(_) => return Shape::List,
        Type::Paren(p) => return shape(&p.elem),
        _ => {}
    }
    let Some(segment) = last_segment(ty) else {
        return Shape::Other;
    };
    let name = segment.ident.to_string();
    match name.as_str() {
        "String" | "str" => Shape::Text,
        "Box" | "Cow" | "Rc" | "Arc" => generic_args(segment)
            .into_iter()
            .next_back()
            .map_or(Shape::Other, shape),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" | "f32" | "f64" => Shape::Number,
        "bool" => Shape::Bool,
        "Vec" | "VecDeque" => Shape::List,
        "BTreeMap" | "HashMap" | "IndexMap" => Shape::Map,
        "BTreeSet" | "HashSet" | "IndexSet" => Shape::Set,
        _ => Shape::Other,
    }
}

/// A number literal as the exact `Decimal` it spells (`1.05` is 105 with
/// scale 2, never the float nearest it).
fn decimal_bound(expr: &Expr) -> Expr {
    let digits = attr::literal_digits(expr).unwrap_or_default();
    match exact_decimal(&digits) {
        Some((mantissa, scale)) => {
            syn::parse_quote!(::paygen::Decimal::from_i128_with_scale(#mantissa, #scale))
        }
        // Out of a decimal's range: compare as written, and let the compiler say.
        None => expr.clone(),
    }
}

/// The largest mantissa a `Decimal` holds: 96 bits.
const DECIMAL_MANTISSA_MAX: i128 = (1 << 96) - 1;

/// The largest scale a `Decimal` holds.
const DECIMAL_SCALE_MAX: usize = 28;

/// `digits` (a literal's, `-1.05`) as a `Decimal`'s mantissa and scale, when a
/// `Decimal` holds it exactly, as `rust_decimal`'s `from_str_exact` reads it.
/// Ours rather than `rust_decimal`'s: the proc-macro needs only this, and a
/// `rust_decimal` of its own (built without the runtime's serde, or else
/// building serde twice) cost every consumer's cold build a second
/// `rust_decimal` and `num-traits`.
fn exact_decimal(digits: &str) -> Option<(i128, u32)> {
    let (negative, unsigned) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if fraction.len() > DECIMAL_SCALE_MAX {
        return None;
    }
    let mut mantissa: i128 = 0;
    for digit in whole.bytes().chain(fraction.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(digit - b'0'))
            .filter(|m| *m <= DECIMAL_MANTISSA_MAX)?;
    }
    let scale = u32::try_from(fraction.len()).ok()?;
    Some((if negative { -mantissa } else { mantissa }, scale))
}

/// The item type `each(...)` applies to: a list's element, a map's value.
fn item_type(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Reference(r) => item_type(&r.elem),
        Type::Slice(s) => Some(&s.elem),
        Type::Array(a) => Some(&a.elem),
        _ => generic_args(last_segment(ty)?).into_iter().next_back(),
    }
}

fn reject(errors: &mut Errors, span: Span, rule: &str, shape: Shape, hint: &str) {
    errors.at_span(
        span,
        format!("`{rule}` does not apply to {}; {hint}", shape.describe()),
    );
}

/// `length(...)`: on text only, with consistent bounds.
fn check_length(length: attr::RawLength, shape: Shape, errors: &mut Errors) -> Length {
    let text_like = matches!(shape, Shape::Text | Shape::Other);
    let span = length.span.unwrap_or_else(Span::call_site);
    if !text_like {
        reject(errors, span, "length", shape, "it counts the characters of a string (use `count` for lists and maps, `range` for numbers)");
    } else if length.equal.is_some() && (length.min.is_some() || length.max.is_some()) {
        errors.at_span(
            length.equal.as_ref().map_or(span, |e| e.span),
            "`length(equal = ...)` cannot be combined with `min` or `max`",
        );
    } else if let (Some(min), Some(max)) = (&length.min, &length.max) {
        if min.value > max.value {
            errors.at_span(
                min.span,
                format!(
                    "`length` min {} is greater than max {}",
                    min.value, max.value
                ),
            );
        }
    } else if !length.any_setting {
        errors.at_span(span, "`length` needs at least one of `min`, `max`, `equal`");
    }
    Length {
        min: length.min.map(|v| v.value),
        max: length.max.map(|v| v.value),
        equal: length.equal.map(|v| v.value),
    }
}

/// `range(...)`: on numbers only, with consistent bounds; a `Decimal`'s as
/// exact decimals.
fn check_range(range: attr::RawRange, shape: Shape, ty: &Type, errors: &mut Errors) -> Range {
    let span = range.span.unwrap_or_else(Span::call_site);
    if !matches!(shape, Shape::Number | Shape::Other) {
        reject(
            errors,
            span,
            "range",
            shape,
            "it bounds a number (use `length` for strings)",
        );
    }
    if range.min.is_some() && range.exclusive_min.is_some() {
        errors.at_span(span, "give `min` or `exclusive_min`, not both");
    }
    if range.max.is_some() && range.exclusive_max.is_some() {
        errors.at_span(span, "give `max` or `exclusive_max`, not both");
    }
    let low = range.min.as_ref().or(range.exclusive_min.as_ref());
    let high = range.max.as_ref().or(range.exclusive_max.as_ref());
    match (low, high) {
        (Some(low), Some(high)) if low.value > high.value => errors.at(
            &low.expr,
            format!(
                "`range` minimum {} is greater than maximum {}",
                low.value, high.value
            ),
        ),
        (None, None) if !range.any_setting => errors.at_span(
            span,
            "`range` needs at least one of `min`, `max`, `exclusive_min`, `exclusive_max`, \
             `multiple_of`",
        ),
        _ => {}
    }
    if let Some(step) = range.multiple_of.as_ref().filter(|s| s.value <= 0.0) {
        errors.at(&step.expr, "`multiple_of` must be greater than 0");
    }
    // A `Decimal` is bounded by decimals: each literal becomes the exact
    // decimal it spells, built from its digits at expansion time.
    let decimal = last_segment(ty).is_some_and(|s| s.ident == "Decimal");
    let bound = |b: attr::Bound| {
        if decimal {
            decimal_bound(&b.expr)
        } else {
            b.expr
        }
    };
    Range {
        min: range.min.map(bound),
        max: range.max.map(bound),
        exclusive_min: range.exclusive_min.map(bound),
        exclusive_max: range.exclusive_max.map(bound),
        multiple_of: range.multiple_of.map(bound),
    }
}

/// `count(...)`: on lists and maps only, with consistent bounds.
fn check_count(
    count: attr::RawCount,
    shape: Shape,
    errors: &mut Errors,
) -> (Option<usize>, Option<usize>) {
    let span = count.span.unwrap_or_else(Span::call_site);
    let collection = matches!(shape, Shape::List | Shape::Map | Shape::Set | Shape::Other);
    if !collection {
        reject(
            errors,
            span,
            "count",
            shape,
            "it counts the items of a list or the keys of a map (use `length` for strings)",
        );
    }
    match (&count.min, &count.max) {
        (Some(min), Some(max)) if min.value > max.value => errors.at_span(
            min.span,
            format!(
                "`count` min {} is greater than max {}",
                min.value, max.value
            ),
        ),
        (None, None) if !count.any_setting => {
            errors.at_span(span, "`count` needs at least one of `min`, `max`")
        }
        _ => {}
    }
    (count.min.map(|v| v.value), count.max.map(|v| v.value))
}

/// `each(...)`: the rules of each item of a list or value of a map.
fn check_each(
    each: RawRules,
    each_span: Option<Span>,
    shape: Shape,
    ty: &Type,
    errors: &mut Errors,
) -> Option<Box<Rules>> {
    let span = each_span.unwrap_or_else(Span::call_site);
    match (shape, item_type(ty)) {
        (Shape::List | Shape::Map, Some(item)) => {
            return Some(Box::new(check_rules(each, item, errors)));
        }
        (Shape::Other, _) => {
            errors.at_span(
                span,
                "`each` needs a `Vec`, slice or `BTreeMap` field type it can see",
            );
        }
        _ => reject(
            errors,
            span,
            "each",
            shape,
            "it applies rules to the items of a `Vec` or the values of a `BTreeMap`",
        ),
    }
    None
}

/// Checks `raw` against the field's (or item's) shape.
pub(super) fn check_rules(raw: RawRules, ty: &Type, errors: &mut Errors) -> Rules {
    let shape = shape(ty);
    let text_like = matches!(shape, Shape::Text | Shape::Other);
    let mut rules = Rules {
        required: raw.required.is_some(),
        nested: raw.nested.is_some(),
        ..Rules::default()
    };

    if let Some(length) = raw.length {
        rules.length = Some(check_length(length, shape, errors));
    }

    if let Some(range) = raw.range {
        rules.range = Some(check_range(range, shape, ty, errors));
    }

    if let Some(one_of) = raw.one_of {
        if matches!(shape, Shape::List | Shape::Map | Shape::Set) {
            reject(
                errors,
                one_of.span,
                "one_of",
                shape,
                "it applies to a single value (use `each(one_of(...))` for items)",
            );
        } else if one_of.value.is_empty() {
            errors.at_span(one_of.span, "`one_of` needs at least one value");
        }
        rules.one_of = Some(one_of.value);
    }

    if let Some(pattern) = raw.pattern {
        if !text_like {
            reject(
                errors,
                pattern.span(),
                "pattern",
                shape,
                "it matches a string",
            );
        } else if let Err(e) = paygen_model::pattern::engine(&pattern.value()) {
            errors.at(&pattern, format!("invalid regex in `pattern`: {e}"));
        }
        rules.pattern = Some(pattern.value());
    }

    if let Some(span) = raw.path_segment {
        if !text_like {
            reject(errors, span, "path_segment", shape, "it checks a string");
        }
        rules.path_segment = true;
    }

    if let Some(count) = raw.count {
        rules.count = Some(check_count(count, shape, errors));
    }

    if let Some(span) = raw.nested {
        if matches!(shape, Shape::Text | Shape::Number | Shape::Bool) {
            reject(
                errors,
                span,
                "nested",
                shape,
                "it validates a struct that derives `Wire`",
            );
        }
    }

    if let Some(each) = raw.each {
        rules.each = check_each(*each, raw.each_span, shape, ty, errors);
    }

    rules
}

#[cfg(test)]
mod tests {
    use super::exact_decimal;

    #[test]
    fn a_literal_is_the_exact_decimal_it_spells() {
        assert_eq!(exact_decimal("1.05"), Some((105, 2)));
        assert_eq!(exact_decimal("-0.01"), Some((-1, 2)));
        assert_eq!(
            exact_decimal("1.50"),
            Some((150, 2)),
            "the scale written is kept"
        );
        assert_eq!(exact_decimal("100"), Some((100, 0)));
        assert_eq!(exact_decimal("1."), Some((1, 0)));
        assert_eq!(
            exact_decimal("79228162514264337593543950335"),
            Some(((1 << 96) - 1, 0)),
            "the largest mantissa"
        );
        assert_eq!(
            exact_decimal("0.0000000000000000000000000001"),
            Some((1, 28)),
            "the largest scale"
        );
    }

    #[test]
    fn a_literal_no_decimal_holds_is_left_as_written() {
        for digits in [
            "79228162514264337593543950336",
            "0.00000000000000000000000000001",
            "1e5",
            "",
            "-",
            ".5",
            "1.2.3",
            "99999999999999999999999999999999999999999",
        ] {
            assert_eq!(exact_decimal(digits), None, "{digits}");
        }
    }
}
