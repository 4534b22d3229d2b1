//! `$ref` resolution across a gateway's files: components by kind and name,
//! and schemas followed through chains of references.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::locate::escape;

use super::specs::Specs;
use super::view::{plain, wrapped, SchemaRef};
use super::{ComponentKey, Lowerer};

/// How many `$ref`s one chain may follow: a chain is followed by recursion,
/// and a spec must not be able to make it deep enough to exhaust the stack.
pub(super) const MAX_REF_CHAIN: usize = 64;

/// A section of `components`: its name in `$ref`s, and how to reach it.
pub(super) struct Kind<T: 'static> {
    pub(super) name: &'static str,
    pub(super) pick: fn(&Components) -> &IndexMap<String, ReferenceOr<T>>,
}

pub(super) const SCHEMAS: Kind<Schema> = Kind {
    name: "schemas",
    pick: |c| &c.schemas,
};

pub(super) const PARAMETERS: Kind<Parameter> = Kind {
    name: "parameters",
    pick: |c| &c.parameters,
};

pub(super) const REQUEST_BODIES: Kind<RequestBody> = Kind {
    name: "requestBodies",
    pick: |c| &c.request_bodies,
};

pub(super) const RESPONSES: Kind<Response> = Kind {
    name: "responses",
    pick: |c| &c.responses,
};

impl<'a> Specs<'a> {
    /// The component a `$ref` names, when it names one of this gateway's
    /// parsed files and a component of `kind` in it; `None` otherwise,
    /// reporting nothing: [`resolve`](Self::resolve) reports it where the
    /// reference is lowered.
    pub(super) fn located<T>(
        &self,
        file: usize,
        reference: &str,
        kind: &Kind<T>,
    ) -> Option<(usize, &'a str, &'a T)> {
        let (target_file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target_file.is_empty() {
            file
        } else {
            self.gateway.index_of(target_file)?
        };
        self.gateway.file(target)?;
        let name = fragment.strip_prefix(&format!("/components/{}/", kind.name))?;
        let doc: &'a OpenAPI = &self.file(target).doc;
        match (kind.pick)(doc.components.as_ref()?).get_key_value(name)? {
            (name, ReferenceOr::Item(item)) => Some((target, name, item)),
            (_, ReferenceOr::Reference { .. }) => None,
        }
    }

    /// Resolves `#/components/<kind>/<name>` or `<file>.yaml#/components/<kind>/<name>`.
    pub(super) fn resolve<T>(
        &mut self,
        file: usize,
        pointer: &str,
        reference: &str,
        kind: &Kind<T>,
    ) -> Option<(usize, String)> {
        let name_of_kind = kind.name;
        let (target_file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target_file.is_empty() {
            Some(file)
        } else {
            self.gateway.index_of(target_file)
        };
        if target.is_some_and(|t| self.gateway.file(t).is_none()) {
            // That file's own error is already reported.
            self.reported_elsewhere += 1;
            return None;
        }
        let prefix = format!("/components/{name_of_kind}/");
        let name = fragment.strip_prefix(&prefix).map(str::to_owned);
        let (Some(target), Some(name)) = (target, name) else {
            let files: Vec<&str> = self
                .gateway
                .parsed()
                .filter_map(|f| f.path.file_name()?.to_str())
                .collect();
            self.error(
                file,
                pointer,
                format!("`$ref: {reference}` does not name a {name_of_kind} component of this gateway"),
                Some(&format!(
                    "write `#/components/{name_of_kind}/Name` or `<file>#/components/{name_of_kind}/Name`, with <file> one of {}",
                    files.join(", ")
                )),
            );
            return None;
        };
        let components = self.file(target).doc.components.as_ref().map(kind.pick);
        if !components.is_some_and(|c| c.contains_key(&name)) {
            let known: Vec<String> = components
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            let target_name = self.file(target).path.display().to_string();
            self.error(
                file,
                pointer,
                format!(
                    "`$ref: {reference}`: there is no {name_of_kind} component `{name}` in {target_name}"
                ),
                Some(&if known.is_empty() {
                    format!("{target_name} defines no {name_of_kind}")
                } else {
                    format!("defined there: {}", known.join(", "))
                }),
            );
            return None;
        }
        let at = || format!("/components/{name_of_kind}/{}", escape(&name));
        let skipped = (!self.skips.is_empty())
            .then(|| self.skips.reason(&self.file(target).path, &at()))
            .flatten();
        if let Some(reason) = skipped {
            let reason = format!(
                "{} (line {}, column {})",
                reason.message, reason.line, reason.column
            );
            self.error(
                file,
                pointer,
                format!("`$ref: {reference}` names a component that was skipped: {reason}"),
                None,
            );
            return None;
        }
        Some((target, name))
    }

    /// `item` itself, or the component its `$ref` names (which must not be
    /// another `$ref`).
    pub(super) fn component<T>(
        &mut self,
        file: usize,
        pointer: &str,
        item: &'a ReferenceOr<T>,
        kind: &Kind<T>,
    ) -> Option<(usize, String, &'a T)> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some((file, pointer.to_owned(), item)),
            ReferenceOr::Reference { reference } => reference,
        };
        let (target, name) = self.resolve(file, pointer, reference, kind)?;
        let components: &'a Components = self.file(target).doc.components.as_ref()?;
        match (kind.pick)(components).get(&name)? {
            // Refs inside a component resolve in the component's own file.
            ReferenceOr::Item(item) => Some((
                target,
                format!("/components/{}/{}", kind.name, escape(&name)),
                item,
            )),
            ReferenceOr::Reference { .. } => {
                self.error(
                    file,
                    pointer,
                    format!(
                        "`$ref: {reference}` names a {} component that is itself a `$ref`",
                        kind.name
                    ),
                    Some("point at the component that holds the definition"),
                );
                None
            }
        }
    }
}

impl<'a> Lowerer<'a, '_> {
    /// Follows a `$ref` (once or more) to the schema it names.
    pub(super) fn deref_schema(
        &mut self,
        file: usize,
        pointer: &str,
        schema: SchemaRef<'a>,
    ) -> Option<(usize, String, &'a Schema)> {
        match schema {
            // `allOf: [{$ref: X}]` means X.
            SchemaRef::Item(s) => match wrapped(&self.view(s)) {
                Some(inner) => self.deref_schema(file, &format!("{pointer}/allOf/0"), plain(inner)),
                None => Some((file, pointer.to_owned(), s)),
            },
            SchemaRef::Ref(reference) => {
                let (target, name) = self.specs.resolve(file, pointer, reference, &SCHEMAS)?;
                let schemas = &self.file(target).doc.components.as_ref()?.schemas;
                let next = plain(schemas.get(&name)?);
                let p = format!("/components/schemas/{}", escape(&name));
                self.following(file, pointer, (target, name), |this| {
                    this.deref_schema(target, &p, next)
                })
            }
        }
    }

    /// Runs `follow` with the component `key` on the chain of `$ref`s being
    /// followed; a component already on it is a cycle, reported at `pointer`
    /// with the whole chain, instead of recursing until the stack overflows.
    pub(super) fn following<T>(
        &mut self,
        file: usize,
        pointer: &str,
        key: ComponentKey,
        follow: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        if let Some(start) = self.specs.ref_chain.iter().position(|k| *k == key) {
            let chain: Vec<String> = self.specs.ref_chain[start..]
                .iter()
                .chain(std::iter::once(&key))
                .map(|(f, name)| {
                    format!(
                        "{}#/components/schemas/{name}",
                        self.file(*f).path.display()
                    )
                })
                .collect();
            self.error(
                file,
                pointer,
                format!("`$ref` cycle: {}", chain.join(" -> ")),
                Some("a schema must end in a definition: point one of these at an object, not at another `$ref` (a property may refer to its own schema)"),
            );
            return None;
        }
        if self.specs.ref_chain.len() >= MAX_REF_CHAIN {
            self.error(
                file,
                pointer,
                format!(
                    "`$ref` chain longer than {MAX_REF_CHAIN} links, from {}#/components/schemas/{}",
                    self.file(self.specs.ref_chain[0].0).path.display(),
                    self.specs.ref_chain[0].1
                ),
                Some("point the references at the component that holds the definition"),
            );
            return None;
        }
        self.specs.ref_chain.push(key);
        let out = follow(self);
        self.specs.ref_chain.pop();
        out
    }
}
