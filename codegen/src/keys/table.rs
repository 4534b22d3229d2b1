//! The table of keys: for each OpenAPI object, each key it may hold and
//! what paygen does with it, and where each of paygen's `x-` keys belongs.

/// The OpenAPI object a YAML mapping is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Object {
    Document,
    Info,
    Server,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Example,
    Header,
    Components,
    Schema,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
}

/// What a key's value is.
#[derive(Debug, Clone, Copy)]
pub(super) enum Child {
    /// A scalar, a list of scalars, or anything paygen reads as data (an
    /// example, an enum list).
    Data,
    /// One object.
    One(Object),
    /// One object, or a `$ref` to one.
    OneOrRef(Object),
    /// A list of objects (or `$ref`s, for the kinds that allow them).
    List(Object),
    /// A map from names to objects (or `$ref`s).
    Map(Object),
    /// `paths`: a map from path templates to path items.
    Paths,
    /// `responses`: a map from status codes to responses (or `$ref`s).
    Responses,
}

/// What paygen does with a key.
#[derive(Debug, Clone, Copy)]
pub(super) enum Use {
    /// Read, and it changes what is generated (code, rules or docs).
    Honoured(Child),
    /// Valid OpenAPI, but paygen does not act on it: an error saying why.
    Refused(&'static str),
    /// Valid OpenAPI that only documents (tags, links to other pages): an
    /// error in curated specs, like `Refused`; the lenient import mode drops
    /// it and counts it, since it changes nothing that is sent or checked.
    Documentation(&'static str),
}

pub(super) use Child::{Data, List, Map, One, OneOrRef};
pub(super) use Use::{Documentation, Honoured, Refused};

const TAGS: &str = "paygen groups operations by spec file, one per page; remove `tags`";
const EXTERNAL_DOCS: &str =
    "link the gateway's page with `x-source` on the operation, or in the description";
const NOT_GENERATED: &str =
    "the generated code does not carry it; keep it in a YAML comment if it matters";
const PERSON_FLOW: &str = "a server calls with the client credentials flow only (the others need a person at a browser): keep `clientCredentials`";
const IN_SCHEMA: &str = "a parameter's type and values belong in its `schema`: move it there";
const ON_OPERATION: &str = "put it on the operation, where it becomes the method's documentation";

/// The keys of each object, per OpenAPI 3.0.3. Prose that OpenAPI requires
/// or allows where paygen has nowhere to show it (a response's
/// `description`, an example's `summary`) is accepted as a note for the
/// spec's readers.
pub(super) fn keys(object: Object) -> &'static [(&'static str, Use)] {
    match object {
        Object::Document => &[
            ("openapi", Honoured(Data)),
            // Published files mark a whole API deprecated: it changes nothing sent.
            (
                "deprecated",
                Documentation("`deprecated` belongs on an operation or a schema: say it in `info.description`"),
            ),
            ("info", Honoured(One(Object::Info))),
            ("servers", Honoured(List(Object::Server))),
            ("paths", Honoured(Child::Paths)),
            // OpenAPI 3.1's, read by the import mode; the loader refuses
            // them in a 3.0 file.
            ("webhooks", Honoured(Map(Object::PathItem))),
            ("components", Honoured(One(Object::Components))),
            ("security", Honoured(Data)),
            ("tags", Documentation(TAGS)),
            ("externalDocs", Documentation(EXTERNAL_DOCS)),
        ],
        Object::Info => &[
            ("title", Honoured(Data)),
            ("description", Honoured(Data)),
            ("version", Honoured(Data)),
            ("termsOfService", Documentation(NOT_GENERATED)),
            ("contact", Documentation(NOT_GENERATED)),
            ("license", Documentation(NOT_GENERATED)),
        ],
        Object::Server => &[
            ("url", Honoured(Data)),
            ("description", Honoured(Data)),
            (
                "variables",
                Refused("server variables are not supported: write each server's URL out in full"),
            ),
        ],
        Object::PathItem => &[
            ("summary", Documentation(ON_OPERATION)),
            ("description", Documentation(ON_OPERATION)),
            ("get", Honoured(One(Object::Operation))),
            ("put", Honoured(One(Object::Operation))),
            ("post", Honoured(One(Object::Operation))),
            ("delete", Honoured(One(Object::Operation))),
            ("options", Honoured(One(Object::Operation))),
            ("head", Honoured(One(Object::Operation))),
            ("patch", Honoured(One(Object::Operation))),
            ("trace", Honoured(One(Object::Operation))),
            ("parameters", Honoured(List(Object::Parameter))),
            (
                "servers",
                Refused("servers per path are not supported: a gateway's servers are in gateway.yaml"),
            ),
        ],
        Object::Operation => &[
            ("operationId", Honoured(Data)),
            ("summary", Honoured(Data)),
            ("description", Honoured(Data)),
            ("parameters", Honoured(List(Object::Parameter))),
            ("requestBody", Honoured(OneOrRef(Object::RequestBody))),
            ("responses", Honoured(Child::Responses)),
            ("deprecated", Honoured(Data)),
            ("tags", Documentation(TAGS)),
            ("externalDocs", Documentation(EXTERNAL_DOCS)),
            // Checked where the operation is lowered: it must allow the
            // gateway's own requirement, which every call sends.
            ("security", Honoured(Data)),
            (
                "servers",
                Refused("servers per operation are not supported: a gateway's servers are in gateway.yaml"),
            ),
            (
                "callbacks",
                Documentation("callbacks are not generated: document a gateway's callbacks and webhooks as their own payload schemas"),
            ),
        ],
        Object::Parameter | Object::Header => &[
            ("name", Honoured(Data)),
            ("in", Honoured(Data)),
            ("description", Honoured(Data)),
            ("required", Honoured(Data)),
            ("schema", Honoured(OneOrRef(Object::Schema))),
            ("example", Honoured(Data)),
            ("deprecated", Honoured(Data)),
            (
                "examples",
                Refused("give a parameter's example as `example`"),
            ),
            // Schema keywords written on the parameter itself (published
            // files do): the parameter's `schema` is what is read.
            ("type", Documentation(IN_SCHEMA)),
            ("enum", Documentation(IN_SCHEMA)),
            ("format", Documentation(IN_SCHEMA)),
            // Checked where the parameter is lowered: a query list may be
            // `style: form` with either `explode`; nothing else is supported.
            ("style", Honoured(Data)),
            ("explode", Honoured(Data)),
            (
                "allowReserved",
                Refused("path parameters are always percent-encoded; remove `allowReserved`"),
            ),
            (
                "allowEmptyValue",
                Refused("only query parameters may be empty, and paygen has none; remove `allowEmptyValue`"),
            ),
            (
                "content",
                Refused("parameters with `content` are not supported: give a `schema`"),
            ),
        ],
        Object::RequestBody => &[
            ("description", Honoured(Data)),
            ("content", Honoured(Map(Object::MediaType))),
            ("required", Honoured(Data)),
        ],
        Object::MediaType => &[
            ("schema", Honoured(OneOrRef(Object::Schema))),
            ("example", Honoured(Data)),
            ("examples", Honoured(Map(Object::Example))),
            ("encoding", Honoured(Map(Object::Encoding))),
        ],
        Object::Encoding => &[
            ("contentType", Honoured(Data)),
            (
                "headers",
                Refused("per-field headers are not supported in form bodies"),
            ),
            (
                "style",
                Refused("form fields are encoded one way (`a[b]=v`); remove `style`"),
            ),
            (
                "explode",
                Refused("form fields are encoded one way (`a[b]=v`); remove `explode`"),
            ),
            (
                "allowReserved",
                Refused("form values are always percent-encoded; remove `allowReserved`"),
            ),
        ],
        Object::Response => &[
            ("description", Honoured(Data)),
            ("content", Honoured(Map(Object::MediaType))),
            (
                "headers",
                Documentation("response headers are not read yet: say what they carry in the description"),
            ),
            ("links", Documentation("links are not generated: remove them")),
        ],
        Object::Example => &[
            ("summary", Honoured(Data)),
            ("description", Honoured(Data)),
            ("value", Honoured(Data)),
            (
                "externalValue",
                Refused("examples must be inline, under `value`, so that tests can check them"),
            ),
        ],
        Object::Components => &[
            ("schemas", Honoured(Map(Object::Schema))),
            ("responses", Honoured(Map(Object::Response))),
            ("parameters", Honoured(Map(Object::Parameter))),
            ("examples", Honoured(Map(Object::Example))),
            ("requestBodies", Honoured(Map(Object::RequestBody))),
            ("headers", Honoured(Map(Object::Header))),
            ("securitySchemes", Honoured(Map(Object::SecurityScheme))),
            ("links", Documentation("links are not generated: remove them")),
            (
                "callbacks",
                Documentation("callbacks are not generated: document a gateway's callbacks and webhooks as their own payload schemas"),
            ),
        ],
        Object::Schema => &[
            ("type", Honoured(Data)),
            ("format", Honoured(Data)),
            ("title", Honoured(Data)),
            ("description", Honoured(Data)),
            ("example", Honoured(Data)),
            ("default", Honoured(Data)),
            ("enum", Honoured(Data)),
            ("nullable", Honoured(Data)),
            ("deprecated", Honoured(Data)),
            ("properties", Honoured(Map(Object::Schema))),
            ("required", Honoured(Data)),
            ("additionalProperties", Honoured(OneOrRef(Object::Schema))),
            ("items", Honoured(OneOrRef(Object::Schema))),
            ("oneOf", Honoured(List(Object::Schema))),
            ("allOf", Honoured(List(Object::Schema))),
            ("anyOf", Honoured(List(Object::Schema))),
            ("not", Honoured(OneOrRef(Object::Schema))),
            ("minLength", Honoured(Data)),
            ("maxLength", Honoured(Data)),
            ("pattern", Honoured(Data)),
            ("minimum", Honoured(Data)),
            ("maximum", Honoured(Data)),
            ("exclusiveMinimum", Honoured(Data)),
            ("exclusiveMaximum", Honoured(Data)),
            ("minItems", Honoured(Data)),
            ("maxItems", Honoured(Data)),
            ("minProperties", Honoured(Data)),
            ("maxProperties", Honoured(Data)),
            ("externalDocs", Documentation(EXTERNAL_DOCS)),
            ("multipleOf", Honoured(Data)),
            (
                "uniqueItems",
                Documentation("`uniqueItems` is not enforced: state it in the description"),
            ),
            ("readOnly", Honoured(Data)),
            ("writeOnly", Honoured(Data)),
            // The property whose value names the choice of a `oneOf`/`anyOf`.
            ("discriminator", Honoured(Data)),
            ("xml", Documentation("paygen sends JSON and forms only: remove `xml`")),
        ],
        Object::SecurityScheme => &[
            ("type", Honoured(Data)),
            ("description", Honoured(Data)),
            ("name", Honoured(Data)),
            ("in", Honoured(Data)),
            ("scheme", Honoured(Data)),
            // What a bearer token is (`JWT`): the token is sent as given.
            ("bearerFormat", Honoured(Data)),
            // OAuth 2: the client credentials flow (the others need a person).
            ("flows", Honoured(One(Object::OAuthFlows))),
            (
                "openIdConnectUrl",
                Refused("OpenID Connect is not supported: use `http` (basic or bearer), an `apiKey` header, or `oauth2` with a client credentials flow"),
            ),
        ],
        Object::OAuthFlows => &[
            ("clientCredentials", Honoured(One(Object::OAuthFlow))),
            ("authorizationCode", Documentation(PERSON_FLOW)),
            ("implicit", Documentation(PERSON_FLOW)),
            ("password", Documentation(PERSON_FLOW)),
        ],
        Object::OAuthFlow => &[
            ("tokenUrl", Honoured(Data)),
            // The token carries the scopes the client was registered with:
            // none are asked for.
            ("scopes", Honoured(Data)),
            (
                "refreshUrl",
                Documentation("a client-credentials token is fetched again, never refreshed: remove `refreshUrl`"),
            ),
            (
                "authorizationUrl",
                Documentation("the client credentials flow has no authorization step: remove `authorizationUrl`"),
            ),
        ],
    }
}

/// paygen's own extensions and the objects each may appear on.
pub(super) const EXTENSIONS: &[(&str, &[Object])] = &[
    ("x-environment", &[Object::Server]),
    ("x-username", &[Object::SecurityScheme]),
    ("x-password", &[Object::SecurityScheme]),
    ("x-credential", &[Object::SecurityScheme]),
    ("x-key-prefixes", &[Object::SecurityScheme]),
    ("x-idempotency-key", &[Object::Parameter, Object::Schema]),
    ("x-settings", &[Object::Document]),
    ("x-secret", &[Object::Schema]),
    ("x-encrypted", &[Object::Schema]),
    ("x-rules", &[Object::Schema]),
    ("x-error-fields", &[Object::Schema]),
    ("x-aliases", &[Object::Schema]),
    ("x-source", &[Object::Operation, Object::Schema]),
    ("x-pages", &[Object::Operation]),
    ("x-enum-descriptions", &[Object::Schema]),
    (
        "x-inferred",
        &[
            Object::Document,
            Object::Info,
            Object::Server,
            Object::PathItem,
            Object::Operation,
            Object::Parameter,
            Object::RequestBody,
            Object::MediaType,
            Object::Response,
            Object::Example,
            Object::Header,
            Object::Schema,
            Object::SecurityScheme,
        ],
    ),
];

/// The objects that may be a `$ref` instead.
pub(super) fn may_be_ref(object: Object) -> bool {
    matches!(
        object,
        Object::Schema
            | Object::Parameter
            | Object::RequestBody
            | Object::Response
            | Object::Example
            | Object::Header
            | Object::SecurityScheme
    )
}

pub(super) fn describe(object: Object) -> &'static str {
    match object {
        Object::Document => "the document",
        Object::Info => "`info`",
        Object::Server => "a server",
        Object::PathItem => "a path",
        Object::Operation => "an operation",
        Object::Parameter => "a parameter",
        Object::RequestBody => "a request body",
        Object::MediaType => "a media type",
        Object::Encoding => "an encoding",
        Object::Response => "a response",
        Object::Example => "an example",
        Object::Header => "a header",
        Object::Components => "`components`",
        Object::Schema => "a schema",
        Object::SecurityScheme => "a security scheme",
        Object::OAuthFlows => "OAuth 2 `flows`",
        Object::OAuthFlow => "an OAuth 2 flow",
    }
}
