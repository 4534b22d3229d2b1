//! Checks the raw attributes against each other and against the field types,
//! producing the model `emit` turns into code with no decisions left.

use proc_macro2::Span;
use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr::{self, CrossKind, RawContainer, RawCrossRule, RawRules};
use crate::errors::Errors;

/// The body encoding chosen by `#[paygen(body = ...)]`.
pub use paygen_model::Encoding as Body;

/// A checked struct, ready to emit.
pub struct Model {
    pub ident: Ident,
    pub generics: syn::Generics,
    pub body: Option<Body>,
    /// Whether `body = ...` was given at all, valid or not.
    pub body_requested: bool,
    pub fields: Vec<Field>,
    pub cross_rules: Vec<CrossRule>,
    /// Groups of fields of which at least one must be present.
    pub any_of: Vec<Vec<FieldPath>>,
    /// For an enum of one-field variants (an OpenAPI `oneOf`): each variant
    /// and its wire name. Empty for a struct.
    pub variants: Vec<Variant>,
}

/// A variant of an enum whose variants each wrap one value.
pub struct Variant {
    pub ident: Ident,
    /// The key naming it on the wire; empty when the enum is untagged.
    pub wire_name: String,
}

/// A checked field.
pub struct Field {
    pub ident: Ident,
    pub wire_name: String,
    pub optional: bool,
    pub json_in_form: bool,
    pub rules: Rules,
}

/// The checked rules of a field, or of each item for `each`.
#[derive(Default)]
pub struct Rules {
    pub required: bool,
    pub length: Option<Length>,
    pub range: Option<Range>,
    pub one_of: Option<Vec<String>>,
    pub pattern: Option<String>,
    pub count: Option<(Option<usize>, Option<usize>)>,
    pub nested: bool,
    /// Text that fills a path segment: not `.` or `..`.
    pub path_segment: bool,
    pub each: Option<Box<Rules>>,
}

impl Rules {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        !self.required
            && self.length.is_none()
            && self.range.is_none()
            && self.one_of.is_none()
            && self.pattern.is_none()
            && self.count.is_none()
            && !self.nested
            && !self.path_segment
            && self.each.is_none()
    }
}

pub struct Length {
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub equal: Option<usize>,
}

pub struct Range {
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    pub exclusive_min: Option<Expr>,
    pub exclusive_max: Option<Expr>,
}

/// A dotted path of Rust fields (`capture_options.automatic_expiry_period`).
pub struct FieldPath {
    pub segments: Vec<Ident>,
    /// The wire name of the first segment; later ones are asked of their type.
    pub first_wire_name: String,
}

pub struct CrossRule {
    pub kind: CrossKind,
    pub field: FieldPath,
    /// `when` for `required_if`/`only_if`, `other` for `not_less_than`.
    pub other: FieldPath,
    pub equals: Option<String>,
}

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
fn option_inner(ty: &Type) -> Option<&Type> {
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
    match rust_decimal::Decimal::from_str_exact(&digits) {
        Ok(value) => {
            let (mantissa, scale) = (value.mantissa(), value.scale());
            syn::parse_quote!(::paygen::Decimal::from_i128_with_scale(#mantissa, #scale))
        }
        // Out of a decimal's range: compare as written, and let the compiler say.
        Err(_) => expr.clone(),
    }
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
            "`range` needs at least one of `min`, `max`, `exclusive_min`, `exclusive_max`",
        ),
        _ => {}
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
fn check_rules(raw: RawRules, ty: &Type, errors: &mut Errors) -> Rules {
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
        } else if let Err(e) = regex::Regex::new(&pattern.value()) {
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

fn check_path(lit: &syn::LitStr, fields: &[Field], errors: &mut Errors) -> Option<FieldPath> {
    let text = lit.value();
    let mut segments = Vec::new();
    for part in text.split('.') {
        match syn::parse_str::<Ident>(part) {
            Ok(mut ident) => {
                ident.set_span(lit.span());
                segments.push(ident);
            }
            Err(_) => {
                errors.at(
                    lit,
                    format!(
                        "`{text}` is not a dotted path of field names, such as `payment.amount`"
                    ),
                );
                return None;
            }
        }
    }
    let first = fields.iter().find(|f| f.ident == segments[0]);
    match first {
        Some(field) => Some(FieldPath {
            first_wire_name: field.wire_name.clone(),
            segments,
        }),
        None => {
            let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.ident)).collect();
            errors.at(
                lit,
                format!(
                    "no field `{}` in this struct; its fields are {}",
                    segments[0],
                    names.join(", ")
                ),
            );
            None
        }
    }
}

fn check_cross(rule: RawCrossRule, fields: &[Field], errors: &mut Errors) -> Option<CrossRule> {
    let other_key = if rule.kind == CrossKind::NotLessThan {
        "other"
    } else {
        "when"
    };
    let (Some(field), Some(other)) = (&rule.field, &rule.other) else {
        errors.at_span(
            rule.span,
            format!(
                "`{}` needs `field = \"...\"` and `{other_key} = \"...\"`",
                rule.kind.as_str()
            ),
        );
        return None;
    };
    let field = check_path(field, fields, errors);
    let other = check_path(other, fields, errors);
    Some(CrossRule {
        kind: rule.kind,
        field: field?,
        other: other?,
        equals: rule.equals.map(|e| e.value),
    })
}

/// One field: its wire name, whether it is optional, and its checked rules.
fn check_field(
    field: &syn::Field,
    container: &RawContainer,
    body: Option<Body>,
    errors: &mut Errors,
) -> Option<Field> {
    let ident = field.ident.clone()?;
    let raw = attr::parse_field(&field.attrs, errors);
    let rust_name = ident.to_string().trim_start_matches("r#").to_owned();
    let wire_name = raw.rename.clone().unwrap_or_else(|| {
        container
            .rename_all
            .as_ref()
            .and_then(|r| paygen_model::RenameRule::from_name(&r.value))
            .map(|r| r.apply_to_field(&rust_name))
            .unwrap_or(rust_name)
    });
    let (optional, ty) = match option_inner(&field.ty) {
        Some(inner) => (true, inner),
        None => (false, &field.ty),
    };
    if let Some(span) = raw.rules.json_in_form {
        // An unknown body value was reported already; do not pile on.
        if container.body.is_none() || body == Some(Body::Json) {
            errors.at_span(
                span,
                "`json_in_form` needs `#[paygen(body = \"form\")]` on the struct",
            );
        }
    }
    let json_in_form = raw.rules.json_in_form.is_some();
    let rules = check_rules(raw.rules, ty, errors);
    Some(Field {
        ident,
        wire_name,
        optional,
        json_in_form,
        rules,
    })
}

/// Checks the whole input. Returns the model even when there were errors, so
/// a fallback impl can be emitted next to them.
pub fn check(input: &DeriveInput, errors: &mut Errors) -> Option<Model> {
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(&named.named),
            _ => None,
        },
        Data::Enum(data) => return check_enum(input, data, errors),
        Data::Union(_) => None,
    };
    let Some(named) = named else {
        errors.at(
            &input.ident,
            "`Wire` can be derived only for a struct with named fields, or an enum whose \
             variants each wrap one value",
        );
        return None;
    };

    let mut container: RawContainer = attr::parse_container(&input.attrs, errors);
    let body = container
        .body
        .as_ref()
        .and_then(|b| match b.value.as_str() {
            "json" => Some(Body::Json),
            "form" => Some(Body::Form),
            other => {
                errors.at_span(
                    b.span,
                    format!("unknown body encoding `\"{other}\"`, expected \"json\" or \"form\""),
                );
                None
            }
        });
    if let Some(rule) = &container.rename_all {
        if paygen_model::RenameRule::from_name(&rule.value).is_none() {
            errors.at(
                &input.ident,
                format!("unknown serde rename_all rule `{}`", rule.value),
            );
        }
    }

    let fields: Vec<Field> = named
        .iter()
        .filter_map(|field| check_field(field, &container, body, errors))
        .collect();

    let any_of = std::mem::take(&mut container.any_of)
        .into_iter()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| check_path(name, &fields, errors))
                .collect()
        })
        .collect();
    let cross_rules = std::mem::take(&mut container.rules)
        .into_iter()
        .filter_map(|rule| check_cross(rule, &fields, errors))
        .collect();

    Some(Model {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        body,
        body_requested: container.body.is_some(),
        fields,
        cross_rules,
        any_of,
        variants: Vec::new(),
    })
}

/// An enum such as `PaymentMethod { Card(Card), Upi(Upi) }`, serde's externally
/// tagged form of an OpenAPI `oneOf`: each variant's value is validated under
/// the variant's wire name.
fn check_enum(input: &DeriveInput, data: &syn::DataEnum, errors: &mut Errors) -> Option<Model> {
    let container = attr::parse_container(&input.attrs, errors);
    if let Some(rule) = container.rules.first() {
        errors.at_span(
            rule.span,
            "rules between fields apply to structs; put them on the struct each variant wraps",
        );
    }
    let body = container
        .body
        .as_ref()
        .and_then(|b| match b.value.as_str() {
            "json" => Some(Body::Json),
            other => {
                errors.at_span(
                    b.span,
                    format!("unknown body encoding `\"{other}\"` for an enum, expected \"json\""),
                );
                None
            }
        });
    // `#[serde(untagged)]`: the value is sent without a key naming the
    // variant, so a violation's path does not name it either.
    let untagged = attr::serde_flag(&input.attrs, "untagged");
    let mut variants = Vec::new();
    for variant in &data.variants {
        match &variant.fields {
            Fields::Unnamed(_) if untagged => variants.push(Variant {
                ident: variant.ident.clone(),
                wire_name: String::new(),
            }),
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => variants.push(Variant {
                ident: variant.ident.clone(),
                wire_name: attr::serde_rename(&variant.attrs).unwrap_or_else(|| {
                    let ident = variant.ident.to_string();
                    container
                        .rename_all
                        .as_ref()
                        .and_then(|r| paygen_model::RenameRule::from_name(&r.value))
                        .map_or_else(|| ident.clone(), |r| r.apply_to_variant(&ident))
                }),
            }),
            _ => errors.at(
                &variant.ident,
                "each variant must wrap one value, such as `Card(Card)`; for an enum of \
                 plain values derive `WireEnum`",
            ),
        }
    }
    if data.variants.is_empty() {
        errors.at(
            &input.ident,
            "an enum deriving `Wire` needs at least one variant",
        );
    }
    Some(Model {
        ident: input.ident.clone(),
        generics: input.generics.clone(),
        body,
        body_requested: container.body.is_some(),
        fields: Vec::new(),
        cross_rules: Vec::new(),
        any_of: Vec::new(),
        variants,
    })
}
