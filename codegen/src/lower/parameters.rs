//! Parameters: where each goes (path, header, query), its type and style,
//! its rules, and the docs and defaults its schema gives.

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};
use serde_json::Value;

use crate::ir::{Param, ParamIn, Rules, TypeRef};
use crate::naming;

use super::refs::PARAMETERS;
use super::view::{boxed, doc_lines, plain};
use super::Lowerer;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn parameter(
        &mut self,
        file: usize,
        pointer: &str,
        param: &'a ReferenceOr<Parameter>,
    ) -> Option<Param> {
        // Where the parameter is written, for its schema's refs and diagnostics.
        let (param_file, param_pointer, param) =
            self.specs.component(file, pointer, param, &PARAMETERS)?;
        let (location, data, style) = self.place(file, pointer, param)?;
        if location == ParamIn::Header && data.name.eq_ignore_ascii_case("content-type") {
            // Refused by the key check (dropped on import): the body's media
            // type sets the header.
            self.specs.reported_elsewhere += 1;
            return None;
        }
        let at = (param_file, param_pointer.as_str());
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let p = format!("{param_pointer}/schema");
                Some(self.deref_schema(param_file, &p, plain(schema))?)
            }
            // Refused, with its position, when the keys are checked.
            ParameterSchemaOrContent::Content(_) => None,
        };
        let schema_default = schema
            .as_ref()
            .and_then(|(_, _, s)| s.schema_data.default.as_ref());
        // A header's default is sent when the caller leaves it unset; a query
        // parameter's is what the gateway assumes, and is documented.
        let default = schema_default
            .filter(|_| location == ParamIn::Header)
            .and_then(Value::as_str)
            .map(str::to_owned);
        let assumed = schema_default
            .filter(|_| location != ParamIn::Header)
            .map(text_of);
        let from_setting = self
            .setting_for(location, data)
            .filter(|_| default.is_none());
        // A required header with a default is always sent: the caller may
        // leave it unset.
        let required = data.required && default.is_none() && from_setting.is_none();
        let ty = self.param_type(at, location, data, style, schema.as_ref())?;
        // The schema's limits apply to the value.
        let rules = match schema {
            Some((f, ref p, schema)) => self.rules(f, p, schema, &ty, required),
            None => Rules::default(),
        };
        let (rust, wire) = self.param_names(at, location, data)?;
        let mut doc = doc_lines(data.description.as_deref(), data.example.as_ref());
        if let Some(assumed) = &assumed {
            doc.push(format!(
                "When not sent, the gateway uses {}.",
                paygen_model::doc::code(assumed)
            ));
        }
        if data.deprecated == Some(true) {
            doc.push("Deprecated by the gateway: avoid it in new code.".to_owned());
        }
        let example = data.example.as_ref().or(schema
            .as_ref()
            .and_then(|(_, _, s)| s.schema_data.example.as_ref()));
        Some(Param {
            rust,
            wire,
            location,
            ty,
            required,
            rules,
            default,
            doc,
            assumed,
            example: example.map(text_of),
            idempotency_key: data.extensions.get("x-idempotency-key") == Some(&Value::Bool(true)),
            from_setting,
            explode: data.explode.unwrap_or(true),
        })
    }

    /// Where a parameter goes, its data, and its `style` when paygen does
    /// not send that one (a cookie parameter is refused here).
    fn place(
        &mut self,
        file: usize,
        pointer: &str,
        param: &'a Parameter,
    ) -> Option<(ParamIn, &'a openapiv3::ParameterData, Option<String>)> {
        Some(match param {
            Parameter::Header { parameter_data, .. } => (ParamIn::Header, parameter_data, None),
            Parameter::Path {
                parameter_data,
                style,
            } => (
                ParamIn::Path,
                parameter_data,
                (*style != openapiv3::PathStyle::Simple).then(|| format!("{style:?}")),
            ),
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => (
                ParamIn::Query,
                parameter_data,
                (*style != openapiv3::QueryStyle::Form).then(|| format!("{style:?}")),
            ),
            Parameter::Cookie { parameter_data, .. } => {
                self.error(
                    file,
                    pointer,
                    format!(
                        "parameter `{}`: cookie parameters are not supported",
                        parameter_data.name
                    ),
                    Some("paygen supports `in: header`, `in: path` and `in: query`"),
                );
                return None;
            }
        })
    }

    /// The client setting that fills a header (Juspay's `x-merchantid`):
    /// the caller may leave it unset, and the client sends its setting.
    fn setting_for(&self, location: ParamIn, data: &openapiv3::ParameterData) -> Option<String> {
        if location != ParamIn::Header {
            return None;
        }
        let wire = data.name.to_ascii_lowercase();
        self.client.setting_for_header(&wire).map(str::to_owned)
    }

    /// A parameter's type: text, or for a query parameter also a number, a
    /// flag or a list of these; with its `style` and `explode` checked.
    /// A text parameter: plain, or a secret (`x-secret: true`: masked in
    /// `Debug`, sent as a sensitive header, never in spans or errors).
    fn param_text(&mut self, file: usize, pointer: &str, schema: &'a Schema) -> Option<TypeRef> {
        if !self.known_format(file, pointer, &self.view(schema)) {
            return None;
        }
        let extensions = &schema.schema_data.extensions;
        if extensions.contains_key("x-encrypted") {
            self.error(
                file,
                &format!("{pointer}/x-encrypted"),
                "`x-encrypted` applies to a body field, not to a parameter".into(),
                Some("paygen encrypts fields of a request body; mark a parameter that holds a secret `x-secret: true`"),
            );
            return None;
        }
        match extensions.get("x-secret") {
            None | Some(Value::Bool(false)) => Some(TypeRef::String),
            Some(Value::Bool(true)) => Some(TypeRef::Secret),
            Some(other) => {
                self.error(
                    file,
                    &format!("{pointer}/x-secret"),
                    format!("`x-secret: {other}` does not apply to a parameter"),
                    Some("a parameter takes `x-secret: true`"),
                );
                None
            }
        }
    }

    fn param_type(
        &mut self,
        (param_file, param_pointer): (usize, &str),
        location: ParamIn,
        data: &openapiv3::ParameterData,
        style: Option<String>,
        schema: Option<&(usize, String, &'a Schema)>,
    ) -> Option<TypeRef> {
        if let Some(style) = style {
            self.error(
                param_file,
                &format!("{param_pointer}/style"),
                format!("parameter `{}`: style `{}` is not supported", data.name, style.to_lowercase()),
                Some("paygen sends path parameters in the `simple` style and query parameters in the `form` style"),
            );
            return None;
        }
        let typ = schema.map(|(_, _, s)| self.view(s).typ);
        // `explode` changes nothing but how a list or object is sent: on a
        // scalar a published file may say it (`x-api-version`), and the
        // import mode reads past it.
        let scalar = !matches!(typ, Some(Some("array" | "object")));
        if data.explode.is_some()
            && !(location == ParamIn::Query && typ == Some(Some("array")))
            && !(self.specs.lenient && scalar)
        {
            self.error(
                param_file,
                &format!("{param_pointer}/explode"),
                format!(
                    "parameter `{}`: `explode` applies to a query parameter that is a list",
                    data.name
                ),
                Some("remove `explode`"),
            );
            return None;
        }
        let (f, p) = schema.map_or((param_file, param_pointer), |(f, p, _)| (*f, p.as_str()));
        match (location, typ) {
            (ParamIn::Query, Some(Some("integer"))) => Some(TypeRef::I64),
            (ParamIn::Query, Some(Some("boolean"))) => Some(TypeRef::Bool),
            // A path or header number is sent as it displays (`/disputes/433475257`).
            (_, Some(Some("integer"))) => Some(TypeRef::I64),
            (_, Some(Some("number"))) => Some(TypeRef::Decimal),
            (ParamIn::Query, Some(Some("array"))) => {
                let item = schema.and_then(|(_, _, s)| self.query_item(f, p, s));
                if item.is_none() {
                    self.error(
                        f,
                        &format!("{p}/items"),
                        format!(
                            "parameter `{}`: a query list holds strings, integers or booleans",
                            data.name
                        ),
                        None,
                    );
                }
                Some(TypeRef::List(Box::new(item?)))
            }
            (_, Some(Some("string") | None) | None) => match schema {
                Some((f, p, schema)) => self.param_text(*f, p, schema),
                None => Some(TypeRef::String),
            },
            (_, Some(Some(other))) => {
                self.error(
                    f,
                    &format!("{p}/type"),
                    format!("a parameter of type `{other}` is not supported"),
                    Some("header and path parameters are strings or numbers; query parameters are strings, integers, booleans or lists of these"),
                );
                None
            }
        }
    }

    /// The item type of a query list: text, an integer or a flag.
    fn query_item(&mut self, file: usize, pointer: &str, schema: &'a Schema) -> Option<TypeRef> {
        let items = self.view(schema).items?;
        let (_, _, item) = self.deref_schema(file, &format!("{pointer}/items"), boxed(items))?;
        match self.view(item).typ {
            Some("integer") => Some(TypeRef::I64),
            Some("boolean") => Some(TypeRef::Bool),
            Some("string") | None => Some(TypeRef::String),
            Some(_) => None,
        }
    }

    /// A parameter's Rust field name and its name on the wire (a header's
    /// in lower case).
    fn param_names(
        &mut self,
        (param_file, param_pointer): (usize, &str),
        location: ParamIn,
        data: &openapiv3::ParameterData,
    ) -> Option<(String, String)> {
        let Some(rust) = naming::snake(&data.name) else {
            self.error(
                param_file,
                param_pointer,
                format!("parameter `{}` gives no Rust field name", data.name),
                Some("use letters in parameter names"),
            );
            return None;
        };
        let wire = match location {
            ParamIn::Path | ParamIn::Query => data.name.clone(),
            ParamIn::Header => match naming::header(&data.name) {
                Some(header) => header,
                None => {
                    self.error(
                        param_file,
                        &format!("{param_pointer}/name"),
                        format!("`{}` is not a valid HTTP header name", data.name),
                        Some("a header name is letters, digits and `!#$%&'*+-.^_`|~`, without spaces or `:`"),
                    );
                    return None;
                }
            },
        };
        Some((rust, wire))
    }
}

/// A value as the text docs show: a string as it is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PathPart {
    /// Text sent as it is (`/v1/payments/`).
    Text(String),
    /// A path parameter, by its name in the template (`id`).
    Param(String),
}

impl PathPart {
    /// `/v1/payments/{id}/capture` in pieces.
    pub(super) fn parse(template: &str) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            if start > 0 {
                parts.push(PathPart::Text(rest[..start].to_owned()));
            }
            match rest[start..].find('}') {
                Some(end) => {
                    parts.push(PathPart::Param(rest[start + 1..start + end].to_owned()));
                    rest = &rest[start + end + 1..];
                }
                None => {
                    parts.push(PathPart::Text(rest[start..].to_owned()));
                    rest = "";
                }
            }
        }
        if !rest.is_empty() {
            parts.push(PathPart::Text(rest.to_owned()));
        }
        parts
    }
}
