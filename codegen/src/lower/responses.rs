//! Responses: the success body (a type, any JSON, or none), and the error
//! bodies, one shared type or an enum of them by status.

use bodies::media_examples;
use openapiv3::{ReferenceOr, Response, Schema, StatusCode};

use crate::ir::{ExampleOf, StatusAnswer, StatusAnswers, StatusMatch, TypeRef};
use crate::locate::escape;

use super::refs::RESPONSES;
use super::view::plain;
use super::{bodies, Lowerer, JSON};

impl<'a> Lowerer<'a, '_> {
    pub(super) fn response_schema(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        of: ExampleOf,
        response: &'a ReferenceOr<Response>,
    ) -> Option<TypeRef> {
        let (file, pointer, response) =
            self.specs.component(file, pointer, response, &RESPONSES)?;
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
        media_examples(of, content, &mut self.scope.examples);
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

    /// The success response's type: `NoContent` for a response without a body.
    fn success_type(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        response: &'a ReferenceOr<Response>,
    ) -> Option<TypeRef> {
        let without_body = self
            .specs
            .component(file, pointer, response, &RESPONSES)
            .is_some_and(|(_, _, r)| r.content.is_empty());
        if without_body {
            return Some(TypeRef::NoContent);
        }
        self.response_schema(
            file,
            pointer,
            &format!("{pascal}Response"),
            ExampleOf::Response,
            response,
        )
    }

    /// What a 2XX response's JSON body is, to tell two apart: the `$ref` its
    /// schema names, or where its inline schema is; `None` without a body.
    fn success_body(
        &mut self,
        file: usize,
        pointer: &str,
        response: &'a ReferenceOr<Response>,
    ) -> Option<String> {
        let (file, pointer, response) =
            self.specs.component(file, pointer, response, &RESPONSES)?;
        let schema = response.content.get(JSON)?.schema.as_ref()?;
        Some(match schema {
            ReferenceOr::Reference { reference } => {
                let (target, name) = reference.split_once('#').unwrap_or(("", reference));
                let target = if target.is_empty() {
                    self.file(file).path.display().to_string()
                } else {
                    target.to_owned()
                };
                format!("{target}#{name}")
            }
            ReferenceOr::Item(_) => format!("{}#{pointer}", self.file(file).path.display()),
        })
    }

    pub(super) fn responses(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        responses: &'a openapiv3::Responses,
    ) -> Option<Answers> {
        // Each success response, and each error response: where, which
        // statuses, and the response.
        let mut successes: Vec<(String, StatusMatch, &'a ReferenceOr<Response>)> = Vec::new();
        let mut documented: Vec<(String, StatusMatch, &'a ReferenceOr<Response>)> = Vec::new();
        for (code, response) in &responses.responses {
            let p = format!("{pointer}/responses/{code}");
            let status = match code {
                StatusCode::Code(c) => StatusMatch::Code(*c),
                StatusCode::Range(r) => StatusMatch::Range(*r),
            };
            let is_success = matches!(status, StatusMatch::Code(c) if (200..300).contains(&c))
                || status == StatusMatch::Range(2);
            if is_success {
                successes.push((p, status, response));
            } else {
                documented.push((p, status, response));
            }
        }
        let has_success = !successes.is_empty();
        // One body for every success status is the method's type; different
        // bodies (or one status without a body) make an enum with a variant
        // per status, so that no response is read as another's.
        let keys: Vec<Option<String>> = successes
            .iter()
            .map(|(p, _, response)| self.success_body(file, p, response))
            .collect();
        let (success, success_answers) = match successes.first() {
            None => (None, None),
            Some((p, _, response)) if keys.iter().all(|k| *k == keys[0]) => {
                (self.success_type(file, p, pascal, response), None)
            }
            Some(_) => {
                let has_body: Vec<bool> = keys.iter().map(Option::is_some).collect();
                let answers =
                    self.status_answers(file, pointer, pascal, true, &successes, &has_body)?;
                (Some(TypeRef::Named(answers.name.clone())), Some(answers))
            }
        };
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
        if documented.is_empty() && self.specs.lenient {
            // A published file that documents no error: the gateway's error
            // body is kept as the JSON it is.
            return Some(Answers {
                success: success?,
                success_answers,
                error: "JsonValue".to_owned(),
                error_answers: None,
            });
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
            return Some(Answers {
                success: success?,
                success_answers,
                error: error?,
                error_answers: None,
            });
        }
        let has_body: Vec<bool> = bodies.iter().map(Option::is_some).collect();
        let answers = self.status_answers(file, pointer, pascal, false, &documented, &has_body)?;
        Some(Answers {
            success: success?,
            success_answers,
            error: answers.name.clone(),
            error_answers: Some(answers),
        })
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
                    self.specs
                        .gateway
                        .index_of(target)
                        .filter(|&t| self.specs.gateway.file(t).is_some())
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
        let (found_file, _, found) = self.specs.component(file, pointer, response, &RESPONSES)?;
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

    /// The enum of an operation's error responses, one variant per status.
    fn status_answers(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        success: bool,
        documented: &[(String, StatusMatch, &'a ReferenceOr<Response>)],
        has_body: &[bool],
    ) -> Option<StatusAnswers> {
        let (suffix, of) = if success {
            ("Success", ExampleOf::Response)
        } else {
            ("Error", ExampleOf::Error)
        };
        let name = format!("{pascal}{suffix}");
        if !self.claim_name(&name, file, pointer) {
            return None;
        }
        let mut variants = Vec::new();
        for ((p, status, response), has_body) in documented.iter().zip(has_body) {
            let rust = status_variant(status);
            let body = match has_body {
                false => None,
                true => {
                    match self.response_schema(file, p, &format!("{pascal}{rust}"), of, response)? {
                        TypeRef::Named(name) => Some(name),
                        _ => return None,
                    }
                }
            };
            let description = self
                .specs
                .component(file, p, response, &RESPONSES)
                .map(|(_, _, r)| r.description.as_str());
            let what = match status {
                StatusMatch::Code(c) => format!("`{c}`"),
                StatusMatch::Range(r) => format!("`{r}XX`"),
                StatusMatch::Rest => "Any other error status".to_owned(),
            };
            let said = description.map(crate::markdown::inert).unwrap_or_default();
            let mut doc = match said.as_slice() {
                [] => vec![format!("{what}.")],
                [one] => vec![format!("{what}: {one}")],
                // A block of its own after the status, so that its first
                // line (a fence, a list) keeps its meaning.
                more => [format!("{what}:"), String::new()]
                    .into_iter()
                    .chain(more.iter().cloned())
                    .collect(),
            };
            if body.is_none() {
                doc.push(String::new());
                doc.push(if success {
                    "Documented without a body.".to_owned()
                } else {
                    "Documented without a body; the body received is in the error's `raw`."
                        .to_owned()
                });
            }
            variants.push(StatusAnswer {
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
        // An error status the spec does not document is still the gateway's
        // refusal; a success status it does not document is not decoded as
        // another's (a decode error, keeping status and body).
        if !success && !variants.iter().any(|v| v.status == StatusMatch::Rest) {
            variants.push(StatusAnswer {
                rust: "Undocumented".to_owned(),
                status: StatusMatch::Rest,
                body: None,
                doc: vec![
                    "A status the spec does not document; the body received is in the error's `raw`."
                        .to_owned(),
                ],
            });
        }
        Some(StatusAnswers { name, variants })
    }
}

/// What an operation answers: its success type (the body, or the enum of
/// its success responses by status) and its error type (likewise).
pub(super) struct Answers {
    pub success: TypeRef,
    pub success_answers: Option<StatusAnswers>,
    pub error: String,
    pub error_answers: Option<StatusAnswers>,
}

/// An error body schema, compared with another (see `body_key`).
#[derive(PartialEq)]
enum BodyKey<'a> {
    Component(Option<usize>, &'a str),
    Inline(&'a Schema),
}

/// The variant name of a status: its reason phrase (`NotFound`, `Accepted`), the
/// class of a range (`ClientError`), `Other` for `default`.
fn status_variant(status: &StatusMatch) -> String {
    let code = match status {
        StatusMatch::Code(code) => *code,
        StatusMatch::Range(2) => return "Success".to_owned(),
        StatusMatch::Range(4) => return "ClientError".to_owned(),
        StatusMatch::Range(5) => return "ServerError".to_owned(),
        StatusMatch::Range(r) => return format!("Status{r}xx"),
        StatusMatch::Rest => return "Other".to_owned(),
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
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
