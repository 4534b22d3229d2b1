//! Checks the raw attributes against each other and against the field types,
//! producing the model `emit` turns into code with no decisions left.

use syn::{Data, DeriveInput, Expr, Fields, Ident};

use crate::attr::{self, CrossKind, RawContainer, RawCrossRule};
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
    /// `#[serde(flatten)]`: checked at the struct's own path.
    pub flatten: bool,
    /// The gateway's idempotency key: a call whose body sets it is safe to
    /// send again.
    pub idempotency_key: bool,
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
    pub multiple_of: Option<Expr>,
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
    /// `when` for `required_if`/`only_if`/`minimum_when`, `other` for `not_less_than`.
    pub other: FieldPath,
    pub equals: Option<String>,
    /// `minimum` for `minimum_when`, as written.
    pub minimum: Option<String>,
}

mod rules;

use rules::{check_rules, option_inner};

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
    if rule.kind == CrossKind::MinimumWhen {
        let numeric = rule
            .minimum
            .as_ref()
            .is_some_and(|m| m.value().parse::<f64>().is_ok_and(f64::is_finite));
        if !numeric || rule.equals.is_none() {
            errors.at_span(
                rule.span,
                "`minimum_when` needs `equals = \"...\"` and `minimum = \"...\"`, a number (`\"100\"`)",
            );
            return None;
        }
    }
    let field = check_path(field, fields, errors);
    let other = check_path(other, fields, errors);
    Some(CrossRule {
        kind: rule.kind,
        field: field?,
        other: other?,
        equals: rule.equals.map(|e| e.value),
        minimum: rule.minimum.map(|m| m.value()),
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
    let rust_name = paygen_model::unraw(&ident.to_string()).to_owned();
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
    if let Some(span) = raw.rules.idempotency_key {
        if container.body.is_none() {
            errors.at_span(
                span,
                "`idempotency_key` marks a request body's field: it needs `#[paygen(body = ...)]` on the struct",
            );
        }
    }
    let idempotency_key = raw.rules.idempotency_key.is_some();
    let rules = check_rules(raw.rules, ty, errors);
    Some(Field {
        ident,
        wire_name,
        optional,
        json_in_form,
        flatten: raw.flatten,
        idempotency_key,
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
        .and_then(|b| match Body::from_name(&b.value) {
            Some(body) => Some(body),
            None => {
                errors.at_span(
                    b.span,
                    format!(
                        "unknown body encoding `\"{}\"`, expected \"json\", \"form\" or \"multipart\"",
                        b.value
                    ),
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
