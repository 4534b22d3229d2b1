//! The intermediate representation: what to generate, with every `$ref`
//! resolved, every name chosen and every encoding and rule decided, so that
//! `emit` only writes tokens.

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

/// How a client authenticates, decided from the security scheme.
#[derive(Debug, Clone)]
pub enum Auth {
    /// HTTP Basic.
    Basic {
        /// The constructor argument holding the user name.
        username: Credential,
        /// The constructor argument holding the password; `None` sends an empty one.
        password: Option<Credential>,
    },
    /// One header per credential.
    Headers(Vec<(String, Credential)>),
    /// `Authorization: Bearer <token>` (`type: http, scheme: bearer`): a
    /// token the caller holds.
    Bearer {
        /// The constructor argument holding the token.
        token: Credential,
        /// What the token is (`bearerFormat`: `JWT`), for the docs.
        format: Option<String>,
    },
    /// OAuth 2 client credentials (`type: oauth2`, `flows.clientCredentials`):
    /// a bearer token the client fetches with its id and secret.
    ClientCredentials {
        /// The constructor argument holding the client id (`client_id`, or
        /// the scheme's `x-username`).
        client_id: Credential,
        /// The constructor argument holding the client secret
        /// (`client_secret`, or the scheme's `x-password`).
        client_secret: Credential,
        /// Where the token comes from.
        token_url: TokenUrl,
    },
}

impl Auth {
    /// The credentials, to change.
    pub fn credentials_mut(&mut self) -> Vec<&mut Credential> {
        match self {
            Auth::Basic { username, password } => {
                std::iter::once(username).chain(password.as_mut()).collect()
            }
            Auth::Headers(headers) => headers.iter_mut().map(|(_, c)| c).collect(),
            Auth::Bearer { token, .. } => vec![token],
            Auth::ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
        }
    }

    /// The credentials a client is built with, in its constructor's order.
    pub fn credentials(&self) -> Vec<&Credential> {
        match self {
            Auth::Basic { username, password } => {
                std::iter::once(username).chain(password.as_ref()).collect()
            }
            Auth::Headers(headers) => headers.iter().map(|(_, c)| c).collect(),
            Auth::Bearer { token, .. } => vec![token],
            Auth::ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
        }
    }
}

/// A credential some operations send instead of the client's own.
#[derive(Debug, Clone)]
pub struct OperationCredential {
    /// The security scheme's name in the spec (`admin_api_key`).
    pub scheme: String,
    /// The client method that sets it (`with_admin_api_key`).
    pub setter: String,
    /// How it is sent (never OAuth 2: a token source is the client's own).
    pub auth: Auth,
}

/// Where an OAuth 2 token endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// A path on the API's own host: the spec's `tokenUrl` is relative, or
    /// on the host of one of the gateway's servers. The client joins it to
    /// its own base URL's origin, so sandbox, production and a mock each
    /// have theirs.
    OnServer(String),
    /// A URL on another host, used as it is.
    Absolute(String),
}

/// A credential the client constructor takes.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The argument name (`key_secret`).
    pub arg: String,
    /// The environment variable `from_env` reads it from.
    pub env: String,
    /// Doc line.
    pub doc: String,
    /// How the gateway's sandbox and production keys start (`x-key-prefixes`),
    /// where the key says which environment it is for.
    pub prefixes: Option<KeyPrefixes>,
}

/// How one credential's keys start, per environment (`rzp_test_`, `rzp_live_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPrefixes {
    /// The start of every sandbox key.
    pub sandbox: String,
    /// The start of every production key.
    pub production: String,
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
    /// Other wire names an answer may carry it under (`x-aliases`), where
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
    /// `paygen::NoContent`: an answer documented without a body (`204`).
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

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The client method name (`create_txn`).
    pub method_name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template (`/v1/payments/{id}`).
    pub path: String,
    /// Path and header parameters, in spec order.
    pub params: Vec<Param>,
    /// The name of the generated parameters struct, when there are parameters.
    pub params_type: Option<String>,
    /// The request body type, if any.
    pub request: Option<String>,
    /// Whether the body is a JSON list of `request` (sent as `Vec<T>`).
    pub request_list: bool,
    /// The success body type: a generated type, a list of one, or the enum
    /// of [`Operation::success_answers`].
    pub response: TypeRef,
    /// When the spec documents different bodies for different success
    /// statuses (or one without a body): the enum the answer decodes into,
    /// one variant per documented status.
    pub success_answers: Option<StatusAnswers>,
    /// The error body type: the gateway's error body, or the enum of
    /// [`Operation::error_answers`].
    pub error: String,
    /// When the spec documents different error bodies for different
    /// statuses (or a status without a body): the enum the error decodes
    /// into, one variant per documented status.
    pub error_answers: Option<StatusAnswers>,
    /// The spec's examples of this operation's bodies, in spec order.
    pub examples: Vec<Example>,
    /// How the operation pages through a list (`x-pages`), if it does.
    pub pages: Option<Pages>,
    /// The security scheme of [`Gateway::operation_credentials`] the call
    /// sends instead of the client's own, when its `security` allows only
    /// another scheme; `""` when its `security` asks for none, and it sends
    /// no credentials.
    pub credential: Option<String>,
}

/// The answers of one operation, by status: a generated enum that
/// implements `paygen::SuccessBody` (its success answers) or
/// `paygen::ErrorBody` (its error answers).
#[derive(Debug, Clone)]
pub struct StatusAnswers {
    /// The enum's name (`CaptureOrderError`, `CreateOrderAnswer`).
    pub name: String,
    /// One variant per documented status, in the order statuses are matched:
    /// codes, then ranges, then the rest.
    pub variants: Vec<StatusAnswer>,
}

/// One documented error status and its body.
#[derive(Debug, Clone)]
pub struct StatusAnswer {
    /// The variant name (`NotFound`, `ClientError`, `Other`).
    pub rust: String,
    /// The statuses it stands for.
    pub status: StatusMatch,
    /// The body's type; `None` for a response documented without a body.
    pub body: Option<String>,
    /// Doc lines (the response's description).
    pub doc: Vec<String>,
}

/// Which statuses an error answer stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A range (`4XX` is `Range(4)`).
    Range(u16),
    /// Every status not matched otherwise (`default`, or nothing documented).
    Rest,
}

/// Offset pagination: each answer holds a page of items; the next page is
/// asked for by skipping the items read so far.
#[derive(Debug, Clone)]
pub struct Pages {
    /// The answer's field holding the page (Rust name).
    pub items: String,
    /// The type of one item.
    pub item: TypeRef,
    /// The query parameter setting the page size (Rust name).
    pub count: String,
    /// The page size when `count` is unset.
    pub default_count: i64,
    /// The query parameter setting how many items to skip (Rust name).
    pub skip: String,
}

/// Which body an example shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleOf {
    /// The request body.
    Request,
    /// The success body.
    Response,
    /// The error body.
    Error,
}

/// A documented example body.
#[derive(Debug, Clone)]
pub struct Example {
    /// Which body it shows.
    pub of: ExampleOf,
    /// Its name in the spec.
    pub name: String,
    /// The body, as JSON.
    pub value: serde_json::Value,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// Substituted into the path.
    Path,
    /// Sent as a header.
    Header,
    /// Sent in the query string (`?count=10`).
    Query,
}

/// A path or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust field name.
    pub rust: String,
    /// The name in the path template or the header name.
    pub wire: String,
    /// Path, header or query.
    pub location: ParamIn,
    /// The value's type: text, or for a query parameter also an integer, a
    /// boolean or a list of these.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// The limits of its schema (a path parameter is also checked to be a
    /// plain path segment).
    pub rules: Rules,
    /// The value sent when none is given (headers).
    pub default: Option<String>,
    /// The value the gateway assumes when none is sent (query parameters).
    pub assumed: Option<String>,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Marked `x-idempotency-key: true`: a call that sets it may be retried.
    pub idempotency_key: bool,
    /// The client setting that fills this header when the call leaves it
    /// unset (`x-settings: {merchant_id: {header: x-merchantid}}`).
    pub from_setting: Option<String>,
    /// The spec's example value, as text.
    pub example: Option<String>,
    /// For a query list: one pair per item (`explode: true`, the default),
    /// or the items joined by commas.
    pub explode: bool,
}

/// A value a client carries for building requests (`x-settings`), such as
/// Juspay's merchant id.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The field and accessor name (`merchant_id`).
    pub name: String,
    /// The environment variable `from_env` reads it from.
    pub env: String,
    /// The header the client sends it as, on every call that takes that
    /// header and leaves it unset.
    pub header: Option<String>,
    /// Doc lines.
    pub doc: Vec<String>,
}
