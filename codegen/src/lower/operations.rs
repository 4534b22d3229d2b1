//! Operations: their names, security, parameters and pages; the request
//! body (`bodies`) and answers (`responses`) are lowered apart.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde_json::Value;

use crate::ir::{Example, Module, Operation, Pages, Param, ParamIn, Rules, TypeKind, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::parameters::PathPart;
use super::view::doc_lines;
use super::{Lowerer, NO_PLACE};

/// The operation being lowered: what its bodies, responses and inline types
/// read while it is.
#[derive(Default)]
pub(super) struct OperationScope {
    /// The examples of the operation being lowered.
    pub(super) examples: Vec<Example>,
    /// The operationId being lowered, for the docs of its inline types.
    pub(super) current_operation: Option<String>,
    /// Lowering a `multipart/form-data` body: how many types were being
    /// lowered when it started. Its own fields' `format: binary` text (one
    /// type deeper) is a file; deeper objects are sent as JSON parts, where
    /// binary stays text.
    pub(super) multipart_depth: Option<usize>,
}

impl<'a> Lowerer<'a, '_> {
    /// One module per spec file: its operations, then its types in order.
    pub(super) fn modules(&mut self) -> Vec<Module> {
        let mut modules = Vec::new();
        let mut method_names: HashMap<String, (usize, String)> = HashMap::new();
        let mut module_names = HashMap::new();
        let mut files = Vec::new();
        for file in self.parsed_files() {
            files.push(file);
            let operations = self.operations(file, &mut method_names);
            let name = self.specs.module_name(file, &mut module_names);
            let webhooks = name
                .as_deref()
                .and_then(|module| self.webhooks(file, module));
            modules.push(Module {
                name: name.unwrap_or_default(),
                spec_file: self.file(file).path.display().to_string(),
                title: crate::markdown::one_line(&self.file(file).doc.info.title),
                types: Vec::new(),
                operations,
                webhooks,
            });
        }
        for (module, file) in modules.iter_mut().zip(files) {
            let mut types = std::mem::take(&mut self.table.types[file]);
            // One lookup per type, not one per comparison.
            types.sort_by_cached_key(|t| {
                self.table
                    .sort_keys
                    .get(&t.name)
                    .copied()
                    .unwrap_or((NO_PLACE, 0))
            });
            module.types = types;
        }
        modules
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
                if !self.specs.skips.is_empty()
                    && self.specs.skips.contains(&self.file(file).path, &pointer)
                {
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
        let (method_name, pascal) = self.method_name(file, pointer, op, names)?;
        // Reported, and the rest of the operation still checked.
        let credential = self.operation_security(file, pointer, op);
        let params = self.operation_params(file, pointer, path, op, shared_params);
        let request = match &op.request_body {
            None => None,
            Some(body) => self.request_body(
                file,
                &format!("{pointer}/requestBody"),
                &format!("{pascal}Request"),
                body,
            ),
        };
        let super::responses::Answers {
            success: response,
            success_answers,
            error,
            error_answers,
        } = self.responses(file, pointer, &pascal, &op.responses)?;

        let mut doc = operation_doc(op, method, path);
        if let Some(sent_as) = op
            .request_body
            .as_ref()
            .and_then(|b| self.sent_as(file, pointer, b))
        {
            doc.push(String::new());
            doc.push(sent_as);
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
            params_type: (!params.is_empty())
                .then(|| format!("{pascal}Params"))
                .filter(|name| self.claim_name(name, file, pointer)),
            params,
            request_list: request.as_ref().is_some_and(|(_, _, _, list)| *list),
            request_encoding: request.as_ref().map(|(_, encoding, _, _)| *encoding),
            request: request.map(|(name, encoding, json_fields, _)| {
                self.mark_body(&name, encoding, &json_fields, file, pointer);
                name
            }),
            response,
            error,
            success_answers,
            error_answers,
            examples: {
                let mut examples = std::mem::take(&mut self.scope.examples);
                let mut seen = BTreeSet::new();
                // A shared error response is referenced by several status codes.
                examples.retain(|e| seen.insert((e.of as u8, e.name.clone())));
                examples
            },
            pages,
            credential,
        })
    }

    /// An operation's own `security` (published specs repeat it on each
    /// operation): the gateway's requirement, which the client sends
    /// (`None`), or, when the operation allows only others, the first
    /// alternative that is one scheme the client can be given besides its
    /// own (an admin key, a bearer token), which the call sends instead.
    fn operation_security(
        &mut self,
        file: usize,
        pointer: &str,
        op: &'a openapiv3::Operation,
    ) -> Option<String> {
        let alternatives = op.security.as_ref()?;
        let allowed = alternatives.iter().any(|requirement| {
            requirement
                .keys()
                .all(|name| self.client.security_schemes.contains(name))
                && !requirement.is_empty()
        });
        if allowed || self.client.security_schemes.is_empty() {
            return None;
        }
        // `security: []`, or an empty alternative: the call needs no
        // credentials, and sends none (`""`).
        if alternatives.is_empty() || alternatives.iter().any(|r| r.is_empty()) {
            return Some(String::new());
        }
        let own = alternatives
            .iter()
            .filter(|requirement| requirement.len() == 1)
            .flat_map(|requirement| requirement.keys())
            .find(|scheme| self.operation_credential(scheme));
        if own.is_some() {
            return own.cloned();
        }
        let undefined = alternatives
            .iter()
            .flat_map(|requirement| requirement.keys())
            .find(|scheme| !self.specs.defines_scheme(scheme));
        if let Some(scheme) = undefined {
            self.error(
                file,
                &format!("{pointer}/security"),
                format!("security scheme `{scheme}` is not defined"),
                Some("define it under `components.securitySchemes` of `gateway.yaml`"),
            );
            return None;
        }
        let names: Vec<&String> = self.client.security_schemes.iter().collect();
        self.error(
            file,
            &format!("{pointer}/security"),
            format!("the operation's `security` allows neither the gateway's own ({names:?}) nor one scheme the client can be given besides it"),
            Some("list the gateway's scheme among its alternatives, or one `http` (basic or bearer) or `apiKey` header scheme, which the client takes with its own `with_<scheme>` method"),
        );
        None
    }

    /// The client method's name, from the `operationId`, unique in the gateway.
    fn method_name(
        &mut self,
        file: usize,
        pointer: &str,
        op: &'a openapiv3::Operation,
        names: &mut HashMap<String, (usize, String)>,
    ) -> Option<(String, String)> {
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
        if !self
            .specs
            .check_method_name(file, pointer, id, &method_name, self.client)
        {
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
        self.scope.current_operation = Some(id.to_owned());

        Some((method_name, pascal))
    }

    /// An operation's parameters (its path item's, then its own), with the
    /// path template checked against them.
    fn operation_params(
        &mut self,
        file: usize,
        pointer: &str,
        path: &str,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
    ) -> Vec<Param> {
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
                // A published file that names a parameter in its path and
                // nowhere else: the import mode takes it as the required
                // text the template says it is, and its docs say so.
                let rust = naming::snake(name).filter(|rust| {
                    !params
                        .iter()
                        .any(|p| naming::unraw(&p.rust) == naming::unraw(rust))
                });
                if let (true, Some(rust)) = (self.specs.lenient, rust) {
                    params.push(Param {
                        rust,
                        wire: name.clone(),
                        location: ParamIn::Path,
                        ty: TypeRef::String,
                        required: true,
                        rules: Rules {
                            required: true,
                            ..Rules::default()
                        },
                        default: None,
                        assumed: None,
                        doc: vec![format!(
                            "The spec names `{{{name}}}` in the path without declaring it: taken as required text."
                        )],
                        idempotency_key: false,
                        from_setting: None,
                        example: None,
                        explode: true,
                    });
                    continue;
                }
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

        params
    }

    /// The response's required list field `items`: its Rust name and item type.
    fn page_list(&self, response: &TypeRef, items: &str) -> Option<(String, TypeRef)> {
        let TypeRef::Named(name) = response else {
            return None;
        };
        self.table
            .type_places
            .get(name)
            .and_then(|places| places.first())
            .map(|&(file, at)| &self.table.types[file][at])
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .find(|f| f.wire == items && f.required)
                    .and_then(|f| match &f.ty {
                        TypeRef::List(item) => Some((f.rust.clone(), (**item).clone())),
                        _ => None,
                    }),
                _ => None,
            })
    }

    /// `x-pages: {items, count, skip}`: the response's list field and the query
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
                "`x-pages` names the response's list and the page parameters".into(),
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
        let item = self.page_list(response, &items);
        let Some((items_field, item)) = item else {
            self.error(
                file,
                &at,
                format!(
                    "`x-pages`: the response `{}` has no required list `{items}`",
                    response.spec_name()
                ),
                Some("mark the response's list `required`, of `type: array`"),
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
}

/// A method's docs: the summary, the description, the HTTP line, and what
/// the spec says of its status and source.
fn operation_doc(op: &openapiv3::Operation, method: &str, path: &str) -> Vec<String> {
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
    doc.push(paygen_model::doc::code(&format!(
        "{} {path}",
        method.to_uppercase()
    )));
    if op.deprecated {
        doc.push(String::new());
        doc.push("Deprecated by the gateway: avoid it in new code.".to_owned());
    }
    if let Some(source) = op.extensions.get("x-source").and_then(Value::as_str) {
        // A URL becomes a link where the docs are rendered (see `markdown`).
        doc.push(String::new());
        doc.extend(doc_lines(Some(&format!("Source: {}", source.trim())), None));
    }
    doc
}
