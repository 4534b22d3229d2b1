//! One API operation: its parameters, bodies, answers by status, pages and
//! documented examples.

use super::{Rules, TypeRef};

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
    /// How the request body is encoded, when there is one.
    pub request_encoding: Option<super::Encoding>,
    /// Whether the body is a JSON list of `request` (sent as `Vec<T>`).
    pub request_list: bool,
    /// The success body type: a generated type, a list of one, or the enum
    /// of [`Operation::success_answers`].
    pub response: TypeRef,
    /// When the spec documents different bodies for different success
    /// statuses (or one without a body): the enum the response decodes into,
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
    /// The security scheme of [`Gateway::operation_credentials`](super::Gateway::operation_credentials) the call
    /// sends instead of the client's own, when its `security` allows only
    /// another scheme; `""` when its `security` asks for none, and it sends
    /// no credentials.
    pub credential: Option<String>,
}

impl Operation {
    /// The wire name of the header that carries its idempotency key
    /// (`x-idempotency-key` on a header parameter), if it has one.
    pub fn idempotency_header(&self) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.location == ParamIn::Header && p.idempotency_key)
            .map(|p| p.wire.as_str())
    }
}

/// The answers of one operation, by status: a generated enum that
/// implements `paygen::SuccessBody` (its success responses) or
/// `paygen::ErrorBody` (its error responses).
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

/// Which statuses an error response stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A range (`4XX` is `Range(4)`).
    Range(u16),
    /// Every status not matched otherwise (`default`, or nothing documented).
    Rest,
}

/// Offset pagination: each response holds a page of items; the next page is
/// asked for by skipping the items read so far.
#[derive(Debug, Clone)]
pub struct Pages {
    /// The response's field holding the page (Rust name).
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
