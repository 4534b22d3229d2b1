//! The gateway-wide pieces of `gateway.yaml` besides security: servers,
//! settings, and where an error body says what `paygen::GatewayError` asks.

use std::collections::BTreeSet;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::ir::{Auth, ErrorField, Module, Setting, TypeKind, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::specs::Specs;
use super::view::doc_lines;

/// Step 1's output: what the shared file alone decides for the client,
/// which every operation then reads. A part that did not lower is `None`
/// and its problem is reported; lowering goes on, so that one run reports
/// the problems of every step.
#[derive(Default)]
pub(super) struct ClientPlan {
    /// The gateway's module name (`info.x-gateway`, else the folder's).
    pub(super) name: Option<String>,
    /// Whether the gateway has a client: not a file of webhooks alone.
    pub(super) has_client: bool,
    pub(super) sandbox_url: String,
    pub(super) production_url: String,
    /// The credentials of the gateway's own security requirement.
    pub(super) auth: Option<Auth>,
    /// The schemes of that requirement, which every call sends.
    pub(super) security_schemes: BTreeSet<String>,
    /// The client's settings (`x-settings`), which operations may not take
    /// as parameter or method names.
    pub(super) settings: Vec<Setting>,
}

impl ClientPlan {
    /// Lowers the shared file's name, servers, security and settings.
    pub(super) fn lower(specs: &mut Specs<'_>, shared: usize) -> ClientPlan {
        let name = specs.gateway_name(shared);
        let has_client = !specs.only_webhooks();
        let (sandbox_url, production_url) = if has_client {
            specs.servers(shared)
        } else {
            Default::default()
        };
        let requirement = if has_client {
            specs.requirement(shared)
        } else {
            Some(Vec::new())
        };
        let auth = requirement
            .as_deref()
            .and_then(|requirement| specs.auth(shared, requirement));
        let settings = specs.settings(shared);
        ClientPlan {
            name,
            has_client,
            sandbox_url,
            production_url,
            auth,
            security_schemes: requirement.into_iter().flatten().collect(),
            settings,
        }
    }

    /// The names of the client's settings.
    pub(super) fn setting_names(&self) -> impl Iterator<Item = &str> {
        self.settings.iter().map(|s| s.name.as_str())
    }

    /// The setting that fills the header `wire` (lower case), if one does.
    pub(super) fn setting_for_header(&self, wire: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|s| s.header.as_deref() == Some(wire))
            .map(|s| s.name.as_str())
    }
}

/// An `x-error-fields` met while lowering a type: its file, the type's
/// pointer and name, and the map as written. Resolved once every type is
/// known ([`Specs::error_fields`]).
pub(super) struct ErrorFieldsAt {
    pub(super) file: usize,
    pub(super) pointer: String,
    pub(super) type_name: String,
    pub(super) map: Value,
}

impl Specs<'_> {
    pub(super) fn servers(&mut self, file: usize) -> (String, String) {
        let doc: &OpenAPI = &self.file(file).doc;
        let mut sandbox = None;
        let mut production = None;
        for (i, server) in doc.servers.iter().enumerate() {
            let pointer = format!("/servers/{i}");
            match server
                .extensions
                .get("x-environment")
                .and_then(Value::as_str)
            {
                Some("sandbox") => sandbox = Some(server.url.trim_end_matches('/').to_owned()),
                Some("production") => {
                    production = Some(server.url.trim_end_matches('/').to_owned())
                }
                other => self.error(
                    file,
                    &pointer,
                    format!(
                        "server `{}` has {}",
                        server.url,
                        other.map_or("no `x-environment`".to_owned(), |o| format!(
                            "`x-environment: {o}`"
                        ))
                    ),
                    Some(
                        "mark each server `x-environment: sandbox` or `x-environment: production`",
                    ),
                ),
            }
        }
        for (name, url) in [("sandbox", &sandbox), ("production", &production)] {
            if url.is_none() {
                self.error(
                    file,
                    "/servers",
                    format!("no {name} server"),
                    Some(&format!("add a server with `x-environment: {name}`")),
                );
            }
        }
        (sandbox.unwrap_or_default(), production.unwrap_or_default())
    }

    /// `x-settings` in the shared file: values the client carries, each read
    /// from an environment variable by `from_env`.
    pub(super) fn settings(&mut self, file: usize) -> Vec<Setting> {
        let Some(map) = self.file(file).doc.extensions.get("x-settings") else {
            return Vec::new();
        };
        let Some(map) = map.as_object() else {
            self.error(
                file,
                "/x-settings",
                "`x-settings` must be a map of setting names".into(),
                None,
            );
            return Vec::new();
        };
        let mut settings = Vec::new();
        for (name, value) in map {
            let pointer = format!("/x-settings/{}", escape(name));
            let env = value.get("env").and_then(Value::as_str);
            let (Some(rust), Some(env)) = (naming::snake(name), env) else {
                self.error(
                    file,
                    &pointer,
                    format!("setting `{name}` needs `env`, the environment variable to read"),
                    None,
                );
                continue;
            };
            if !self.check_setting_name(file, &pointer, &rust) {
                continue;
            }
            // `from_env` reads the variable and sends it as a header: a spec
            // may name only its own gateway's variables, never a secret of
            // the machine (`AWS_SECRET_ACCESS_KEY`).
            let prefix = format!("{}_", naming::unraw(&self.gateway.name).to_uppercase());
            let own = env.strip_prefix(&prefix).is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            });
            if !own {
                self.error(
                    file,
                    &format!("{pointer}/env"),
                    format!("setting `{name}` reads `{env}`, which is not one of this gateway's variables"),
                    Some(&format!(
                        "name a variable `{prefix}<NAME>` in capitals, digits and `_` (`{prefix}{}`)",
                        naming::unraw(&rust).to_uppercase()
                    )),
                );
                continue;
            }
            if let Some(entries) = value.as_object() {
                for key in entries.keys() {
                    if !["env", "description", "header"].contains(&key.as_str()) {
                        self.error(
                            file,
                            &format!("{pointer}/{}", escape(key)),
                            format!("a setting has no key `{key}`"),
                            Some("a setting takes `env`, `description` and `header`"),
                        );
                    }
                }
            }
            let header = match value.get("header") {
                None => None,
                Some(header) => match header.as_str().and_then(naming::header) {
                    Some(header) => Some(header),
                    None => {
                        self.error(
                            file,
                            &format!("{pointer}/header"),
                            format!("setting `{name}`: `header` must be an HTTP header name"),
                            None,
                        );
                        continue;
                    }
                },
            };
            let description = value.get("description").and_then(Value::as_str);
            settings.push(Setting {
                name: rust,
                env: env.to_owned(),
                header,
                doc: doc_lines(description, None),
            });
        }
        settings
    }
}

/// The methods of `paygen::GatewayError`, in the order they are emitted.
pub(crate) const ERROR_ROLES: [&str; 5] = ["code", "description", "field", "reason", "source"];

impl Specs<'_> {
    /// Resolves each `x-error-fields` (`{code: error.code, description:
    /// error.description}`) into Rust field paths on its type: each name a
    /// property of the object before it, the last a text or a string enum.
    pub(super) fn error_fields(&mut self, found: Vec<ErrorFieldsAt>, modules: &mut [Module]) {
        for ErrorFieldsAt {
            file,
            pointer,
            type_name: name,
            map: raw,
        } in found
        {
            let pointer = format!("{pointer}/x-error-fields");
            let help = Some("`x-error-fields: {code: error.code, description: error.description}`: each of code, description, field, reason, source, as a dotted path of property names to a text");
            let Some(map) = raw.as_object() else {
                self.error(file, &pointer, "`x-error-fields` is not a map".into(), help);
                continue;
            };
            let mut resolved = Vec::new();
            for (role, path) in map {
                let at = format!("{pointer}/{}", escape(role));
                if !ERROR_ROLES.contains(&role.as_str()) {
                    self.error(
                        file,
                        &at,
                        format!("`{role}` is not one of code, description, field, reason, source"),
                        help,
                    );
                    continue;
                }
                let Some(path) = path.as_str() else {
                    self.error(file, &at, format!("`{role}` is not a dotted path"), help);
                    continue;
                };
                match resolve_text_path(modules, &name, path) {
                    Ok(steps) => resolved.push(ErrorField {
                        role: role.clone(),
                        path: steps,
                    }),
                    Err(why) => self.error(file, &at, format!("`{path}`: {why}"), help),
                }
            }
            resolved.sort_by_key(|f| ERROR_ROLES.iter().position(|r| *r == f.role));
            if let Some(ty) = modules
                .iter_mut()
                .flat_map(|m| m.types.iter_mut())
                .find(|t| t.name == name)
            {
                ty.error_fields = resolved;
            }
        }
    }
}

/// The Rust fields along `path` (wire names, dotted) from type `start` to a
/// text, each with whether it is optional.
fn resolve_text_path(
    modules: &[Module],
    start: &str,
    path: &str,
) -> Result<Vec<(String, bool)>, String> {
    let find = |name: &str| {
        modules
            .iter()
            .flat_map(|m| m.types.iter())
            .find(|t| t.name == name)
    };
    let mut current = find(start).ok_or("no such type")?;
    let mut steps = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let TypeKind::Struct { fields, .. } = &current.kind else {
            return Err(format!("`{}` is not an object", current.name));
        };
        let field = fields
            .iter()
            .find(|f| f.wire == *segment)
            .ok_or_else(|| format!("`{}` has no property `{segment}`", current.name))?;
        steps.push((field.rust.clone(), !field.required));
        let last = i + 1 == segments.len();
        match (&field.ty, last) {
            (TypeRef::String, true) => return Ok(steps),
            (TypeRef::Named(next), _) => {
                let next = find(next).ok_or("no such type")?;
                match (&next.kind, last) {
                    (TypeKind::Enum { .. }, true) => return Ok(steps),
                    (TypeKind::Struct { .. }, false) => current = next,
                    _ => return Err(format!("`{segment}` is not a text or a string enum")),
                }
            }
            _ => return Err(format!("`{segment}` is not a text or a string enum")),
        }
    }
    Err("the path is empty".into())
}
