//! Request bodies: which media type is sent, its encoding (JSON, a form,
//! JSON in a form, multipart), a JSON list of objects, and the examples each
//! media type documents.

use openapiv3::{ReferenceOr, RequestBody, Schema};

use crate::ir::{Encoding, Example, ExampleOf, TypeKind, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::refs::REQUEST_BODIES;
use super::view::plain;
use super::{Lowerer, FORM, JSON, MULTIPART};

impl<'a> Lowerer<'a, '_> {
    /// Which media type a request body that lists several is sent as, and
    /// the others the gateway takes, as a doc line; `None` for one.
    pub(super) fn sent_as(
        &mut self,
        file: usize,
        pointer: &str,
        body: &'a ReferenceOr<RequestBody>,
    ) -> Option<String> {
        let p = format!("{pointer}/requestBody");
        let (_, _, body) = self.specs.component(file, &p, body, &REQUEST_BODIES)?;
        if body.content.len() < 2 {
            return None;
        }
        let sent = [JSON, FORM]
            .into_iter()
            .find(|m| body.content.contains_key(*m))?;
        let others: Vec<String> = (body.content.keys())
            .filter(|m| m.as_str() != sent)
            .map(|m| paygen_model::doc::code(m))
            .collect();
        Some(format!(
            "Sent as {}; the gateway also takes {}.",
            paygen_model::doc::code(sent),
            others.join(", ")
        ))
    }

    pub(super) fn request_body(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        body: &'a ReferenceOr<RequestBody>,
    ) -> Option<(String, Encoding, Vec<String>, bool)> {
        let (file, pointer, body) = self.specs.component(file, pointer, body, &REQUEST_BODIES)?;
        let pointer = pointer.as_str();
        // Of several media types, JSON is sent, else a form; the method's
        // docs name the others (see `sent_as`).
        let chosen = [JSON, FORM]
            .into_iter()
            .find_map(|m| body.content.get_key_value(m))
            .or_else(|| body.content.first());
        let Some((media, content)) = chosen else {
            self.error(
                file,
                &format!("{pointer}/content"),
                "the request body lists no media type".into(),
                Some(&format!("give `{JSON}` or `{FORM}`")),
            );
            return None;
        };
        // A multipart example shows a file as the text a shell would send
        // (`@/path/to/file`), which no `FilePart` decodes from: not kept.
        if media != MULTIPART {
            media_examples(ExampleOf::Request, content, &mut self.scope.examples);
        }
        let p = format!("{pointer}/content/{}", escape(media));
        let encoding = match media.as_str() {
            JSON => Encoding::Json,
            FORM => Encoding::Form,
            MULTIPART => Encoding::Multipart,
            other => {
                self.error(
                    file,
                    &p,
                    format!("unsupported media type `{other}`"),
                    Some(&format!("expected `{JSON}`, `{FORM}` or `{MULTIPART}`")),
                );
                return None;
            }
        };
        let mut json_fields = Vec::new();
        for (field, enc) in &content.encoding {
            match enc.content_type.as_deref() {
                Some(JSON) if encoding == Encoding::Form => json_fields.push(field.clone()),
                // A multipart part's `contentType` is not read: a file is
                // sent with the media type its `FilePart` gives, an object
                // as JSON, text as text (as documented).
                Some(_) if encoding == Encoding::Multipart => {}
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
        self.scope.multipart_depth =
            (encoding == Encoding::Multipart).then_some(self.table.in_progress.len());
        let body_type = self.type_ref(file, &format!("{p}/schema"), hint, plain(schema));
        self.scope.multipart_depth = None;
        match body_type? {
            TypeRef::Named(name) => Some((name, encoding, json_fields, false)),
            // A JSON list of objects (a JSON Patch, items to add): sent as
            // `Vec<T>`, each item validated at its index.
            TypeRef::List(item) if encoding == Encoding::Json => match *item {
                TypeRef::Named(name)
                    if self.list_body_unbounded(file, &format!("{p}/schema"), schema) =>
                {
                    Some((name, encoding, json_fields, true))
                }
                TypeRef::Named(_) => None,
                _ => {
                    self.error(
                        file,
                        &format!("{p}/schema"),
                        "a request body that is a list must be a list of objects".into(),
                        None,
                    );
                    None
                }
            },
            _ => {
                self.error(
                    file,
                    &format!("{p}/schema"),
                    "a request body must be an object, or a JSON list of objects".into(),
                    None,
                );
                None
            }
        }
    }

    /// Whether a list body states no limits of its own (`minItems`,
    /// `maxItems`), which a `Vec` sent bare would have nowhere to check;
    /// reports them when it does.
    fn list_body_unbounded(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a ReferenceOr<Schema>,
    ) -> bool {
        let Some((_, _, schema)) = self.deref_schema(file, pointer, plain(schema)) else {
            return false;
        };
        let v = self.view(schema);
        if v.min_items.is_some() || v.max_items.is_some() {
            self.error(
                file,
                pointer,
                "the limits of a list body would not be checked".into(),
                Some("remove `minItems`/`maxItems` from the body's list, or wrap the list in an object"),
            );
            return false;
        }
        true
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
        let mut flattened = None;
        for &(in_file, at) in self.table.type_places.get(name).into_iter().flatten() {
            let def = &mut self.table.types[in_file][at];
            if def.body.is_some_and(|b| b != encoding) {
                conflict = Some(name.to_owned());
            }
            def.body = Some(encoding);
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                if encoding != Encoding::Json {
                    flattened =
                        flattened.or(fields.iter().find(|f| f.flatten).map(|f| f.rust.clone()));
                }
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
        if let Some(field) = flattened {
            // Its members are written as a map, which only JSON reads as the
            // object's own.
            self.error(
                file,
                pointer,
                format!(
                    "`{name}` merges a union (`{}`), which paygen sends only in a JSON body, not as `{}`",
                    naming::unraw(&field),
                    match encoding {
                        Encoding::Multipart => MULTIPART,
                        other => other.content_type(),
                    }
                ),
                Some("send the body as `application/json`, or give the union's choices as properties"),
            );
        }
    }
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
