//! Parameters: where each goes (path, header, query), its type and style,
//! its rules, and the docs and defaults its schema gives.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn parameter(
        &mut self,
        file: usize,
        pointer: &str,
        param: &'a ReferenceOr<Parameter>,
    ) -> Option<Param> {
        // Where the parameter is written, for its schema's refs and diagnostics.
        let (param_file, param_pointer, param) =
            self.component(file, pointer, param, &PARAMETERS)?;
        let (location, data, style) = match param {
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
        };
        if location == ParamIn::Header && data.name.eq_ignore_ascii_case("content-type") {
            // Refused by the key check (dropped on import): the body's media
            // type sets the header.
            self.reported_elsewhere += 1;
            return None;
        }
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let at = format!("{param_pointer}/schema");
                Some(self.deref_schema(param_file, &at, plain(schema))?)
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
            .map(|d| match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        // A header a client setting fills (Juspay's `x-merchantid`): the
        // caller may leave it unset, and the client sends its setting.
        let from_setting = (location == ParamIn::Header)
            .then(|| {
                let wire = data.name.to_ascii_lowercase();
                self.setting_headers
                    .iter()
                    .find(|(header, _)| *header == wire)
                    .map(|(_, setting)| setting.clone())
            })
            .flatten()
            .filter(|_| default.is_none());
        // A required header with a default is always sent: the caller may
        // leave it unset.
        let required = data.required && default.is_none() && from_setting.is_none();
        if let Some(style) = style {
            self.error(
                param_file,
                &format!("{param_pointer}/style"),
                format!("parameter `{}`: style `{}` is not supported", data.name, style.to_lowercase()),
                Some("paygen sends path parameters in the `simple` style and query parameters in the `form` style"),
            );
            return None;
        }
        // A query parameter may be a number, a flag or a list of these; the
        // others are text.
        let query_item = |this: &mut Self| -> Option<TypeRef> {
            let (f, p, s) = schema.as_ref()?;
            let items = view(s).items?;
            let (_, _, item) = this.deref_schema(*f, &format!("{p}/items"), boxed(items))?;
            match view(item).typ {
                Some("integer") => Some(TypeRef::I64),
                Some("boolean") => Some(TypeRef::Bool),
                Some("string") | None => Some(TypeRef::String),
                Some(_) => None,
            }
        };
        let explode = data.explode.unwrap_or(true);
        let is_list = schema
            .as_ref()
            .is_some_and(|(_, _, s)| view(s).typ == Some("array"));
        if data.explode.is_some() && !(location == ParamIn::Query && is_list) {
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
        let ty = match (location, schema.as_ref().map(|(_, _, s)| view(s).typ)) {
            (ParamIn::Query, Some(Some("integer"))) => TypeRef::I64,
            (ParamIn::Query, Some(Some("boolean"))) => TypeRef::Bool,
            (ParamIn::Query, Some(Some("array"))) => match query_item(self) {
                Some(item) => TypeRef::List(Box::new(item)),
                None => {
                    let (f, p, _) = schema.as_ref().expect("matched Some");
                    self.error(
                        *f,
                        &format!("{p}/items"),
                        format!(
                            "parameter `{}`: a query list holds strings, integers or booleans",
                            data.name
                        ),
                        None,
                    );
                    return None;
                }
            },
            (_, Some(Some("string") | None) | None) => TypeRef::String,
            (_, Some(Some(other))) => {
                let (f, p, _) = schema.as_ref().expect("matched Some");
                self.error(
                    *f,
                    &format!("{p}/type"),
                    format!("a parameter of type `{other}` is not supported"),
                    Some("header and path parameters are strings; query parameters are strings, integers, booleans or lists of these"),
                );
                return None;
            }
        };
        // The schema's limits apply to the value.
        let rules = match schema {
            Some((f, ref p, schema)) => self.rules(f, p, schema, &ty, required),
            None => Rules::default(),
        };
        let Some(rust) = naming::snake(&data.name) else {
            self.error(
                param_file,
                &param_pointer,
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
        let mut doc = doc_lines(data.description.as_deref(), data.example.as_ref());
        let assumed_value = assumed.clone();
        if let Some(assumed) = assumed {
            doc.push(format!("When not sent, the gateway uses `{assumed}`."));
        }
        if data.deprecated == Some(true) {
            doc.push("Deprecated by the gateway: avoid it in new code.".to_owned());
        }
        Some(Param {
            rust,
            wire,
            location,
            ty,
            required,
            rules,
            default,
            doc,
            assumed: assumed_value,
            example: data
                .example
                .as_ref()
                .or(schema
                    .as_ref()
                    .and_then(|(_, _, s)| s.schema_data.example.as_ref()))
                .map(|e| match e {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
            idempotency_key: data.extensions.get("x-idempotency-key") == Some(&Value::Bool(true)),
            from_setting,
            explode,
        })
    }
}
