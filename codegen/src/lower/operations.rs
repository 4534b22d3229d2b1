//! Operations: parameters, request bodies and their encodings, responses and
//! error bodies, and the examples each carries.

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

    pub(super) fn operations(
        &mut self,
        file: usize,
        names: &mut HashMap<String, (usize, String)>,
    ) -> Vec<Operation> {
        let mut out = Vec::new();
        let doc: &'a OpenAPI = &self.file(file).doc;
        for (path, item) in &doc.paths.paths {
            let path_pointer = format!("/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                self.error(
                    file,
                    &path_pointer,
                    "path items must be written out, not `$ref`".into(),
                    None,
                );
                continue;
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                if self.skips.contains(&self.file(file).path, &pointer) {
                    continue;
                }
                let operation = self.explained(file, &pointer, "this operation", |this| {
                    this.operation(file, &pointer, path, method, op, &item.parameters, names)
                });
                out.extend(operation);
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        file: usize,
        pointer: &str,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
        names: &mut HashMap<String, (usize, String)>,
    ) -> Option<Operation> {
        let Some(id) = op.operation_id.as_deref() else {
            self.error(
                file,
                pointer,
                "the operation has no `operationId`".into(),
                Some("add `operationId: createOrder`; it names the client method"),
            );
            return None;
        };
        let (Some(method_name), Some(pascal)) = (naming::snake(id), naming::pascal(id)) else {
            self.error(
                file,
                &format!("{pointer}/operationId"),
                format!("operationId `{id}` gives no Rust method name"),
                Some("use letters (`createOrder`)"),
            );
            return None;
        };
        if !self.check_method_name(file, pointer, id, &method_name) {
            return None;
        }
        if let Some((other_file, other_pointer)) = names.get(&method_name).cloned() {
            let other = format!("{}#{}", self.file(other_file).path.display(), other_pointer);
            self.error(
                file,
                &format!("{pointer}/operationId"),
                format!("operationId `{id}` (method `{method_name}`) is also used by {other}"),
                Some("operationIds must be unique within a gateway"),
            );
            return None;
        }
        names.insert(method_name.clone(), (file, pointer.to_owned()));
        self.current_operation = Some(id.to_owned());

        let mut params = Vec::new();
        let all = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!(
                        "{}/parameters/{i}",
                        pointer.rsplit_once('/').map_or("", |x| x.0)
                    ),
                    p,
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        let mut a_parameter_failed = false;
        for (p, param) in all.collect::<Vec<_>>() {
            let param = self.explained(file, &p, "this parameter", |this| {
                this.parameter(file, &p, param)
            });
            a_parameter_failed |= param.is_none();
            params.extend(param);
        }
        let path_parts = PathPart::parse(path);
        let template: BTreeSet<String> = path_parts
            .iter()
            .filter_map(|p| match p {
                PathPart::Param(name) => Some(name.clone()),
                PathPart::Text(_) => None,
            })
            .collect();
        // A parameter that failed is reported already, and may be the one
        // that declares a template's name.
        for name in template.iter().filter(|_| !a_parameter_failed) {
            if !params
                .iter()
                .any(|p| p.location == ParamIn::Path && &p.wire == name)
            {
                self.error(
                    file,
                    pointer,
                    format!("path parameter `{{{name}}}` in `{path}` is not declared"),
                    Some(&format!("add `parameters: [{{name: {name}, in: path, required: true, schema: {{type: string}}}}]`")),
                );
            }
        }
        for param in params.iter().filter(|p| p.location == ParamIn::Path) {
            if !template.contains(&param.wire) {
                self.error(
                    file,
                    pointer,
                    format!(
                        "path parameter `{}` does not appear in `{path}`",
                        param.wire
                    ),
                    Some("remove it or add it to the path"),
                );
            }
        }

        let request = match &op.request_body {
            None => None,
            Some(body) => self.request_body(
                file,
                &format!("{pointer}/requestBody"),
                &format!("{pascal}Request"),
                body,
            ),
        };
        let (response, error, error_answers) =
            self.responses(file, pointer, &pascal, &op.responses)?;

        let mut doc = doc_lines(op.summary.as_deref(), None);
        if let Some(description) = op.description.as_deref() {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(doc_lines(Some(description), None));
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("`{} {path}`", method.to_uppercase()));
        if op.deprecated {
            doc.push(String::new());
            doc.push("Deprecated by the gateway: avoid it in new code.".to_owned());
        }
        if let Some(source) = op.extensions.get("x-source").and_then(Value::as_str) {
            let source = source.trim();
            let source = if source.starts_with("https://") {
                format!("<{source}>")
            } else {
                source.to_owned()
            };
            doc.push(String::new());
            doc.extend(doc_lines(Some(&format!("Source: {source}")), None));
        }
        let pages = match op.extensions.get("x-pages") {
            Some(pages) => Some(self.pages(file, pointer, pages, &params, &response)?),
            None => None,
        };
        Some(Operation {
            method_name,
            doc,
            http_method: method.to_uppercase(),
            path: path.to_owned(),
            path_parts,
            params_type: (!params.is_empty())
                .then(|| format!("{pascal}Params"))
                .filter(|name| self.claim_name(name, file, pointer)),
            params,
            request: request.map(|(name, encoding, json_fields)| {
                self.mark_body(&name, encoding, &json_fields, file, pointer);
                name
            }),
            response,
            error,
            error_answers,
            examples: {
                let mut examples = std::mem::take(&mut self.examples);
                let mut seen = BTreeSet::new();
                // A shared error response is referenced by several status codes.
                examples.retain(|e| seen.insert((e.of as u8, e.name.clone())));
                examples
            },
            pages,
        })
    }

    /// `x-pages: {items, count, skip}`: the answer's list field and the query
    /// parameters that size and advance a page.
    fn pages(
        &mut self,
        file: usize,
        pointer: &str,
        pages: &Value,
        params: &[Param],
        response: &TypeRef,
    ) -> Option<Pages> {
        let at = format!("{pointer}/x-pages");
        if let Some(map) = pages.as_object() {
            for extra in map.keys().map(String::as_str) {
                if !["items", "count", "skip"].contains(&extra) {
                    self.error(
                        file,
                        &format!("{at}/{extra}"),
                        format!("`x-pages` has no key `{extra}`"),
                        Some("`x-pages` takes `items`, `count` and `skip`"),
                    );
                }
            }
        }
        let key = |k: &str| pages.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(items), Some(count), Some(skip)) = (key("items"), key("count"), key("skip"))
        else {
            self.error(
                file,
                &at,
                "`x-pages` names the answer's list and the page parameters".into(),
                Some("write `x-pages: {items: items, count: count, skip: skip}`"),
            );
            return None;
        };
        let query = |name: &str| {
            params
                .iter()
                .find(|p| p.location == ParamIn::Query && p.wire == name && !p.required)
                .filter(|p| p.ty == TypeRef::I64)
        };
        let (Some(count_param), Some(skip_param)) = (query(&count), query(&skip)) else {
            self.error(
                file,
                &at,
                format!("`x-pages`: `{count}` and `{skip}` must be optional integer query parameters of the operation"),
                None,
            );
            return None;
        };
        let item = self
            .types
            .iter()
            .flatten()
            .find(|t| matches!(response, TypeRef::Named(name) if *name == t.name))
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .find(|f| f.wire == items && f.required)
                    .and_then(|f| match &f.ty {
                        TypeRef::List(item) => Some((f.rust.clone(), (**item).clone())),
                        _ => None,
                    }),
                _ => None,
            });
        let Some((items_field, item)) = item else {
            self.error(
                file,
                &at,
                format!(
                    "`x-pages`: the answer `{}` has no required list `{items}`",
                    response.spec_name()
                ),
                Some("mark the answer's list `required`, of `type: array`"),
            );
            return None;
        };
        // The gateway's own page size, when the spec states it.
        let default_count = count_param
            .assumed
            .as_deref()
            .and_then(|d| d.parse().ok())
            .unwrap_or(10);
        Some(Pages {
            items: items_field,
            item,
            count: count_param.rust.clone(),
            default_count,
            skip: skip_param.rust.clone(),
        })
    }

    pub(super) fn request_body(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        body: &'a ReferenceOr<RequestBody>,
    ) -> Option<(String, Encoding, Vec<String>)> {
        let (file, pointer, body) = self.component(file, pointer, body, &REQUEST_BODIES)?;
        let pointer = pointer.as_str();
        if body.content.len() != 1 {
            self.error(
                file,
                &format!("{pointer}/content"),
                format!("the request body lists {} media types", body.content.len()),
                Some(&format!("give exactly one: `{JSON}` or `{FORM}`")),
            );
            return None;
        }
        let (media, content) = body.content.first()?;
        media_examples(ExampleOf::Request, content, &mut self.examples);
        let p = format!("{pointer}/content/{}", escape(media));
        let encoding = match media.as_str() {
            JSON => Encoding::Json,
            FORM => Encoding::Form,
            other => {
                self.error(
                    file,
                    &p,
                    format!("unsupported media type `{other}`"),
                    Some(&format!("expected `{JSON}` or `{FORM}`")),
                );
                return None;
            }
        };
        let mut json_fields = Vec::new();
        for (field, enc) in &content.encoding {
            match enc.content_type.as_deref() {
                Some(JSON) if encoding == Encoding::Form => json_fields.push(field.clone()),
                Some(other) => self.error(
                    file,
                    &format!("{p}/encoding/{}", escape(field)),
                    format!("field encoding `{other}` is not supported"),
                    Some(&format!(
                        "in a form body, `contentType: {JSON}` sends the field as one JSON value"
                    )),
                ),
                None => {}
            }
        }
        let Some(schema) = &content.schema else {
            self.error(file, &p, "the request body has no `schema`".into(), None);
            return None;
        };
        match self.type_ref(file, &format!("{p}/schema"), hint, plain(schema))? {
            TypeRef::Named(name) => Some((name, encoding, json_fields)),
            _ => {
                self.error(
                    file,
                    &format!("{p}/schema"),
                    "a request body must be an object".into(),
                    None,
                );
                None
            }
        }
    }

    /// Marks `name` as sent with `encoding`, and its JSON-in-form fields.
    pub(super) fn mark_body(
        &mut self,
        name: &str,
        encoding: Encoding,
        json_fields: &[String],
        file: usize,
        pointer: &str,
    ) {
        let mut conflict = None;
        for def in self.types.iter_mut().flatten().filter(|t| t.name == name) {
            if def.body.is_some_and(|b| b != encoding) {
                conflict = Some(name.to_owned());
            }
            def.body = Some(encoding);
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for f in fields.iter_mut() {
                    if json_fields.contains(&f.wire) {
                        f.json_in_form = true;
                    }
                }
            }
        }
        if let Some(name) = conflict {
            self.error(
                file,
                pointer,
                format!("`{name}` is sent both as JSON and as a form"),
                Some("use two schemas"),
            );
        }
    }

    pub(super) fn response_schema(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        of: ExampleOf,
        response: &'a ReferenceOr<Response>,
    ) -> Option<TypeRef> {
        let (file, pointer, response) = self.component(file, pointer, response, &RESPONSES)?;
        let pointer = pointer.as_str();
        let Some(content) = response.content.get(JSON) else {
            let found: Vec<&String> = response.content.keys().collect();
            self.error(
                file,
                pointer,
                format!("the response has no `{JSON}` content (found: {found:?})"),
                Some("paygen decodes JSON responses; document the body under `content: {application/json: {schema: ...}}`"),
            );
            return None;
        };
        media_examples(of, content, &mut self.examples);
        let p = format!("{pointer}/content/{}/schema", escape(JSON));
        let Some(schema) = &content.schema else {
            self.error(file, &p, "the response has no `schema`".into(), None);
            return None;
        };
        match self.type_ref(file, &p, hint, plain(schema))? {
            ty @ TypeRef::Named(_) => Some(ty),
            // A success may be any JSON: an array, a string, a number.
            ty if of == ExampleOf::Response => Some(ty),
            _ => {
                self.error(
                    file,
                    &p,
                    "an error body must be an object".into(),
                    Some("document the gateway's error body as an object schema"),
                );
                None
            }
        }
    }

    pub(super) fn responses(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        responses: &'a openapiv3::Responses,
    ) -> Option<(TypeRef, String, Option<ErrorAnswers>)> {
        let mut success = None;
        let mut has_success = false;
        // Each error response: where, which statuses, and the response.
        let mut documented: Vec<(String, StatusMatch, &'a ReferenceOr<Response>)> = Vec::new();
        for (code, response) in &responses.responses {
            let p = format!("{pointer}/responses/{code}");
            let status = match code {
                StatusCode::Code(c) => StatusMatch::Code(*c),
                StatusCode::Range(r) => StatusMatch::Range(*r),
            };
            let is_success = matches!(status, StatusMatch::Code(c) if (200..300).contains(&c))
                || status == StatusMatch::Range(2);
            if !is_success {
                documented.push((p, status, response));
                continue;
            }
            has_success = true;
            let without_body = self
                .component(file, &p, response, &RESPONSES)
                .is_some_and(|(_, _, r)| r.content.is_empty());
            if success.is_none() && without_body {
                success = Some(TypeRef::NoContent);
            } else if success.is_none() {
                success = self.response_schema(
                    file,
                    &p,
                    &format!("{pascal}Response"),
                    ExampleOf::Response,
                    response,
                );
            }
        }
        if let Some(default) = &responses.default {
            let p = format!("{pointer}/responses/default");
            documented.push((p, StatusMatch::Rest, default));
        }
        if !has_success {
            self.error(
                file,
                &format!("{pointer}/responses"),
                "no 2XX response with a JSON body".into(),
                Some("document the success body"),
            );
        }
        if documented.is_empty() {
            self.error(
                file,
                &format!("{pointer}/responses"),
                "no error response".into(),
                Some("document the gateway's error body as a `default` or 4XX response"),
            );
            return None;
        }
        // One body for every error status (the usual case) is the error
        // type itself; different bodies, or a status without one, make an
        // enum with a variant per status.
        let mut bodies = Vec::new();
        for (p, _, response) in &documented {
            bodies.push(self.error_body_schema(file, p, response)?);
        }
        let per_status = bodies.iter().any(|k| k.is_none() || *k != bodies[0]);
        if !per_status {
            let mut error = None;
            for (p, _, response) in &documented {
                let found = self.response_schema(
                    file,
                    p,
                    &format!("{pascal}Error"),
                    ExampleOf::Error,
                    response,
                );
                if let Some(TypeRef::Named(name)) = found {
                    error.get_or_insert(name);
                }
            }
            return Some((success?, error?, None));
        }
        let answers = self.error_answers(file, pointer, pascal, &documented, &bodies)?;
        Some((success?, answers.name.clone(), Some(answers)))
    }

    /// What an error body schema is, to tell whether two responses share
    /// one: the component a `$ref` names (however the `$ref` is spelled), or
    /// the inline schema itself.
    fn body_key(&self, file: usize, schema: &'a ReferenceOr<Schema>) -> BodyKey<'a> {
        match schema {
            ReferenceOr::Item(schema) => BodyKey::Inline(schema),
            ReferenceOr::Reference { reference } => {
                let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let target = if target.is_empty() {
                    Some(file)
                } else {
                    self.gateway
                        .files
                        .iter()
                        .position(|f| f.path.file_name().and_then(|n| n.to_str()) == Some(target))
                };
                BodyKey::Component(target, fragment)
            }
        }
    }

    /// What an error response's JSON body is (to compare with the
    /// others'); `None` for a response without a body.
    fn error_body_schema(
        &mut self,
        file: usize,
        pointer: &str,
        response: &'a ReferenceOr<Response>,
    ) -> Option<Option<BodyKey<'a>>> {
        let (found_file, _, found) = self.component(file, pointer, response, &RESPONSES)?;
        if found.content.is_empty() {
            return Some(None);
        }
        match found.content.get(JSON).and_then(|c| c.schema.as_ref()) {
            // A `$ref` in a response component resolves in the component's file.
            Some(schema) => Some(Some(self.body_key(found_file, schema))),
            None => {
                // Reported there: no JSON content, or no schema.
                self.response_schema(file, pointer, "", ExampleOf::Error, response);
                None
            }
        }
    }

    /// The enum of an operation's error answers, one variant per status.
    fn error_answers(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        documented: &[(String, StatusMatch, &'a ReferenceOr<Response>)],
        bodies: &[Option<BodyKey<'a>>],
    ) -> Option<ErrorAnswers> {
        let name = format!("{pascal}Error");
        if !self.claim_name(&name, file, pointer) {
            return None;
        }
        let mut variants = Vec::new();
        for ((p, status, response), body) in documented.iter().zip(bodies) {
            let rust = status_variant(status);
            let body = match body {
                None => None,
                Some(_) => match self.response_schema(
                    file,
                    p,
                    &format!("{pascal}{rust}"),
                    ExampleOf::Error,
                    response,
                )? {
                    TypeRef::Named(name) => Some(name),
                    _ => return None,
                },
            };
            let description = match response {
                ReferenceOr::Item(r) => Some(r.description.as_str()),
                ReferenceOr::Reference { .. } => self
                    .component(file, p, response, &RESPONSES)
                    .map(|(_, _, r)| r.description.as_str()),
            };
            let what = match status {
                StatusMatch::Code(c) => format!("`{c}`"),
                StatusMatch::Range(r) => format!("`{r}XX`"),
                StatusMatch::Rest => "Any other error status".to_owned(),
            };
            let mut doc = vec![match description.map(str::trim).filter(|d| !d.is_empty()) {
                Some(d) => format!("{what}: {d}"),
                None => format!("{what}."),
            }];
            if body.is_none() {
                doc.push(String::new());
                doc.push(
                    "Documented without a body; the body received is in the error's `raw`."
                        .to_owned(),
                );
            }
            variants.push(ErrorAnswer {
                rust,
                status: status.clone(),
                body,
                doc,
            });
        }
        // Codes first, then ranges, then the rest: the order a status is matched in.
        variants.sort_by_key(|v| match v.status {
            StatusMatch::Code(_) => 0,
            StatusMatch::Range(_) => 1,
            StatusMatch::Rest => 2,
        });
        if !variants.iter().any(|v| v.status == StatusMatch::Rest) {
            variants.push(ErrorAnswer {
                rust: "Undocumented".to_owned(),
                status: StatusMatch::Rest,
                body: None,
                doc: vec![
                    "A status the spec does not document; the body received is in the error's `raw`."
                        .to_owned(),
                ],
            });
        }
        Some(ErrorAnswers { name, variants })
    }
}

/// An error body schema, compared with another (see `body_key`).
#[derive(PartialEq)]
enum BodyKey<'a> {
    Component(Option<usize>, &'a str),
    Inline(&'a Schema),
}

/// The variant name of an error status: its reason phrase (`NotFound`), the
/// class of a range (`ClientError`), `Other` for `default`.
fn status_variant(status: &StatusMatch) -> String {
    let code = match status {
        StatusMatch::Code(code) => *code,
        StatusMatch::Range(4) => return "ClientError".to_owned(),
        StatusMatch::Range(5) => return "ServerError".to_owned(),
        StatusMatch::Range(r) => return format!("Status{r}xx"),
        StatusMatch::Rest => return "Other".to_owned(),
    };
    let name = match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        other => return format!("Status{other}"),
    };
    name.to_owned()
}

/// The examples of a media type: its `examples` by name, or its `example`.
pub(super) fn media_examples(of: ExampleOf, media: &openapiv3::MediaType, out: &mut Vec<Example>) {
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(example) = example {
            if let Some(value) = &example.value {
                out.push(Example {
                    of,
                    name: name.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    if let Some(value) = &media.example {
        out.push(Example {
            of,
            name: "example".to_owned(),
            value: value.clone(),
        });
    }
}
