//! The intermediate representation: what to generate, with every `$ref`
//! resolved, every name chosen and every encoding and rule decided, so that
//! `emit` only writes tokens. The gateway, its modules and types are here;
//! how a client authenticates is in `auth`, operations in `operation`.

mod auth;
mod operation;

pub use auth::{Auth, Credential, KeyPrefixes, OperationCredential, TokenUrl};
pub use operation::{
    Example, ExampleOf, Operation, Pages, Param, ParamIn, Setting, StatusAnswer, StatusAnswers,
    StatusMatch,
};

/// One gateway's generated module.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// Module and feature name (`razorpay`).
    pub name: String,
    /// The gateway's title, from the shared file's `info.title`, as one inert
    /// line of Markdown.
    pub title: String,
    /// Doc lines for the module.
    pub doc: Vec<String>,
    /// Base URLs.
    pub sandbox_url: String,
    /// Base URLs.
    pub production_url: String,
    /// How the client authenticates.
    pub auth: Auth,
    /// Credentials some operations send instead of [`Gateway::auth`] (an
    /// operation's `security` names another scheme: an admin key), each set
    /// on the client with its own method.
    pub operation_credentials: Vec<OperationCredential>,
    /// Values the client carries for building requests.
    pub settings: Vec<Setting>,
    /// Whether some request field is `x-encrypted`, so the client takes a public key.
    pub encrypts: bool,
    /// The names Rust's prelude and paygen's give that this gateway's own
    /// types take too: generated code spells those out in full.
    pub shadowed: std::collections::BTreeSet<String>,
    /// The wire names of every field marked `x-secret` or `x-encrypted`, sorted:
    /// values under these keys are masked in payloads paygen cannot type.
    pub secret_fields: Vec<String>,
    /// The wire names of every field marked `x-encrypted`, sorted: what a
    /// server decrypts.
    pub encrypted_fields: Vec<String>,
    /// One generated file per spec file, in file-name order.
    pub modules: Vec<Module>,
    /// Whether the gateway has a client. One whose files document only
    /// webhooks (a gateway's notification files) has none: nothing is
    /// called, so it needs no servers and no credentials.
    pub client: bool,
}

impl Gateway {
    /// Every operation, in module order.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.modules.iter().flat_map(|m| m.operations.iter())
    }

    /// The response examples of `op`: its own, or, when its page shows none,
    /// those of the first operation answering with the same type (a page
    /// documents one response shape for both); empty when none does.
    pub fn response_examples<'g>(&'g self, op: &'g Operation) -> Vec<&'g Example> {
        std::iter::once(op)
            .chain(self.operations().filter(|o| o.response == op.response))
            .map(|o| {
                o.examples
                    .iter()
                    .filter(|e| e.of == ExampleOf::Response)
                    .collect::<Vec<_>>()
            })
            .find(|examples| !examples.is_empty())
            .unwrap_or_default()
    }

    /// The gateway's own error body for an unknown id: the error example
    /// named `not_found` of the first operation that shows one.
    pub fn not_found_example(&self) -> Option<&Example> {
        self.operations()
            .flat_map(|op| &op.examples)
            .find(|e| e.of == ExampleOf::Error && e.name == "not_found")
    }
}

/// The generated file of one spec file.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module name (`orders`).
    pub name: String,
    /// The spec file, relative to the specs folder.
    pub spec_file: String,
    /// The spec's `info.title` (the page it describes), as one inert line of
    /// Markdown.
    pub title: String,
    /// Types declared by this file, in declaration order.
    pub types: Vec<TypeDef>,
    /// Operations declared by this file, in declaration order.
    pub operations: Vec<Operation>,
    /// The webhooks this file documents (OpenAPI 3.1 `webhooks`), if any.
    pub webhooks: Option<Webhooks>,
}

/// The webhooks one file documents: an enum with a variant per webhook,
/// decoded from a delivery's body by the webhook's name.
#[derive(Debug, Clone)]
pub struct Webhooks {
    /// The enum's name (`Webhook`; `DisputesWebhook` for `disputes.yaml`).
    pub name: String,
    /// Each webhook, in the file's order.
    pub events: Vec<Webhook>,
}

/// One webhook: what the gateway posts to the merchant's URL under a name.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Its name in the spec (`balancePlatform.dispute.created`).
    pub name: String,
    /// The enum variant (`BalancePlatformDisputeCreated`).
    pub rust: String,
    /// Doc lines: its summary and description.
    pub doc: Vec<String>,
    /// The delivery's JSON body.
    pub body: TypeRef,
}

/// A request or response type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Struct, enum or one-of.
    pub kind: TypeKind,
    /// The body encoding, when this type is sent as a request body.
    pub body: Option<Encoding>,
    /// Whether the type is only ever received (answers, error bodies,
    /// webhooks), never sent: it is `#[non_exhaustive]`, so that a field or
    /// value the gateway adds is not a breaking change.
    pub received: bool,
    /// Where an error body says what `paygen::GatewayError` asks
    /// (`x-error-fields`); empty for any other type.
    pub error_fields: Vec<ErrorField>,
}

/// One answer of `paygen::GatewayError`, and the fields that lead to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorField {
    /// The trait method: `code`, `description`, `field`, `reason`, `source`.
    pub role: String,
    /// The Rust fields from the body to the text, each with whether it is
    /// optional; the last is a `String` or a generated enum (both `as_str`).
    pub path: Vec<(String, bool)>,
}

/// The shape of a generated type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with named properties.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// Rules between fields.
        rules: Vec<CrossRule>,
        /// Groups of fields (Rust paths) of which at least one must be present.
        any_of: Vec<Vec<String>>,
    },
    /// A string enum.
    Enum {
        /// Values in spec order.
        values: Vec<EnumValue>,
        /// Whether unknown values decode into a catch-all (response-side enums).
        open: bool,
        /// The rule that turns most variant names into wire values; the
        /// others are renamed one by one.
        rename_all: Option<RenameRule>,
    },
    /// A choice of single-key objects (serde's externally tagged enum), or,
    /// `untagged`, of values told apart by their shape (an `anyOf`, or a
    /// `oneOf` of other schemas), tried in spec order.
    OneOf {
        /// Variants in spec order.
        variants: Vec<Variant>,
        /// The rule that turns most variant names into keys.
        rename_all: Option<RenameRule>,
        /// Whether the value is sent as it is, without a key naming the variant.
        untagged: bool,
        /// For an untagged union with a `discriminator`: the property whose
        /// value names the choice (each variant's `tags`).
        tag: Option<String>,
    },
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The variant name.
    pub rust: String,
    /// The value on the wire.
    pub wire: String,
    /// Doc lines (`x-enum-descriptions`).
    pub doc: Vec<String>,
}

/// One choice of a one-of.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The variant name.
    pub rust: String,
    /// The single key on the wire (empty when the choice is untagged).
    pub wire: String,
    /// The value's type.
    pub ty: TypeRef,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The values of the union's discriminator that name this choice.
    pub tags: Vec<String>,
}

pub use paygen_model::{CrossKind, Encoding, RenameRule};

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name (possibly `r#type`).
    pub rust: String,
    /// The wire name.
    pub wire: String,
    /// The value type (without the `Option` an optional field adds).
    pub ty: TypeRef,
    /// Whether the field must be present.
    pub required: bool,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Validation rules.
    pub rules: Rules,
    /// Sent as one JSON form value (OpenAPI `encoding.<field>.contentType: application/json`).
    pub json_in_form: bool,
    /// A required field whose type has one value: the constructor fills it.
    pub fixed: bool,
    /// Which way the field goes (`readOnly`, `writeOnly`).
    pub access: Access,
    /// Other wire names a response may carry it under (`x-aliases`), where
    /// a gateway's pages spell it two ways; sent under `wire` only.
    pub aliases: Vec<String>,
    /// A union an `allOf` merges: its members sit beside the struct's own
    /// on the wire (`#[serde(flatten)]`), and its violations at the
    /// struct's own paths.
    pub flatten: bool,
    /// The gateway's idempotency key, carried in the body
    /// (`x-idempotency-key: true` on the property).
    pub idempotency_key: bool,
}

/// Which way a field goes: one schema serves requests and answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Access {
    /// Sent and received.
    #[default]
    Both,
    /// `readOnly`: in answers only, never sent (an id the gateway assigns).
    ReadOnly,
    /// `writeOnly`: sent only, never in answers (a password, a card's CVV).
    WriteOnly,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `paygen::Secret`: a string marked `x-secret: true`.
    Secret,
    /// `paygen::CardNumber`: a string marked `x-secret: card-number`.
    CardNumber,
    /// `paygen::Encrypted`: a string marked `x-encrypted: rsa-pkcs1v15`.
    Encrypted,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u64`: `format: uint64`, whose values may pass `i64::MAX` (byte counts).
    U64,
    /// `paygen::Decimal` (never a float).
    Decimal,
    /// `bool`.
    Bool,
    /// A generated type.
    Named(String),
    /// A generated type that contains itself, behind a `Box`.
    Boxed(String),
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// Any JSON value (an object the spec leaves free-form).
    Json,
    /// `paygen::NoContent`: a response documented without a body (`204`).
    NoContent,
    /// `paygen::FilePart`: `format: binary` text in a `multipart/form-data`
    /// body, sent as a file.
    File,
}

impl TypeRef {
    /// The type as a Rust path relative to the gateway module
    /// (`Payment`, `Vec<Payment>`, `String`), for messages and registries.
    pub fn spec_name(&self) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::Secret => "Secret".into(),
            TypeRef::CardNumber => "CardNumber".into(),
            TypeRef::Encrypted => "Encrypted".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::U64 => "u64".into(),
            TypeRef::Decimal => "Decimal".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::Named(name) => name.clone(),
            TypeRef::Boxed(name) => format!("Box<{name}>"),
            TypeRef::List(item) => format!("Vec<{}>", item.spec_name()),
            TypeRef::Map(value) => format!("BTreeMap<String, {}>", value.spec_name()),
            TypeRef::Json => "Json".into(),
            TypeRef::NoContent => "NoContent".into(),
            TypeRef::File => "FilePart".into(),
        }
    }

    /// Whether values of this type (or its items) are secrets: masked in
    /// `Debug`, zeroized, sent only by paygen's encoders.
    pub fn is_secret(&self) -> bool {
        match self {
            TypeRef::Secret | TypeRef::CardNumber | TypeRef::Encrypted => true,
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.is_secret(),
            _ => false,
        }
    }

    /// Whether this is a decimal, or a list or map of them, which serde reads
    /// and writes through `paygen`'s exact decimal module.
    pub fn holds_decimal(&self) -> bool {
        match self {
            TypeRef::Decimal => true,
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.holds_decimal(),
            _ => false,
        }
    }

    /// Whether values of this type (or its items) are generated types that
    /// carry their own rules.
    pub fn is_nested(&self) -> bool {
        match self {
            TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::CardNumber | TypeRef::Encrypted => {
                true
            }
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.is_nested(),
            _ => false,
        }
    }
}

/// Validation rules, as the `Wire` derive spells them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// A required string must not be empty.
    pub required: bool,
    /// `minLength`/`maxLength`.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `minimum`/`maximum` (inclusive) and their exclusive forms, as literals.
    pub range: Option<Range>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `enum` on an integer or boolean: the allowed values.
    pub one_of: Option<Vec<Literal>>,
    /// `minItems`/`maxItems` or `minProperties`/`maxProperties`.
    pub count: Option<(Option<u64>, Option<u64>)>,
    /// Rules for each item or map value.
    pub each: Option<Box<Rules>>,
}

impl Rules {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }
}

/// Numeric bounds, each a number literal as the spec wrote it (`1`, `0.01`):
/// integers for integer fields, exact decimals for `Decimal` fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Range {
    /// Inclusive minimum.
    pub min: Option<String>,
    /// Inclusive maximum.
    pub max: Option<String>,
    /// Exclusive minimum.
    pub exclusive_min: Option<String>,
    /// Exclusive maximum.
    pub exclusive_max: Option<String>,
    /// `multipleOf`: the value is a whole multiple of it (`0.01` for two
    /// decimal places), checked exactly.
    pub multiple_of: Option<String>,
}

/// A rule between fields (`x-rules`), with Rust field paths.
#[derive(Debug, Clone)]
pub struct CrossRule {
    /// `required_if`, `only_if` or `not_less_than`.
    pub kind: CrossKind,
    /// The constrained field's path (`capture_options.automatic_expiry_period`).
    pub field: String,
    /// The condition field (`when`) or the compared field (`other`).
    pub other: String,
    /// The value `when` must have, as a literal (`"automatic"`, `true`, `12`).
    pub equals: Option<Literal>,
    /// `minimum_when`'s minimum, as the spec wrote it (`100`, `1.00`).
    pub minimum: Option<String>,
}

/// A literal in a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
}
