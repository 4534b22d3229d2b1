//! The names generated code keeps for itself (the client's own methods and
//! fields, the `Client` type, the `mod.rs` and `client.rs` files, the crate's
//! own modules), checked against the names a spec gives, so that a collision
//! is a located error instead of code that does not compile.

use std::collections::HashMap;

use crate::naming;

use super::gateway::ClientPlan;
use super::specs::Specs;

/// Methods every generated `Client` has besides its operations.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "with_timeouts",
    "with_retry",
    "with_http_client",
    "with_max_response_bytes",
    "with_public_key_pem",
    "with_call_options",
    "with_credentials",
    "base_url",
];

/// Fields every generated `Client` has besides its settings.
const CLIENT_FIELDS: &[&str] = &["http"];

/// Type names a gateway module declares itself.
const RESERVED_TYPES: &[&str] = &["Client"];

/// Module names a gateway folder uses for its own files.
const RESERVED_MODULES: &[&str] = &["mod", "client"];

/// Names at the root of the `paygen` crate, where gateway modules live too.
const RESERVED_GATEWAYS: &[&str] = &[
    "reqwest", "gateways", "runtime", "webhooks", "paygen", "std", "core", "alloc",
];

impl Specs<'_> {
    /// The gateway's module and feature name: the folder name, which must be
    /// usable as both as it is.
    pub(super) fn gateway_name(&mut self, shared: usize) -> Option<String> {
        let folder = self.gateway.name.clone();
        let identifier = folder.starts_with(|c: char| c.is_ascii_lowercase())
            && folder
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let problem = if !identifier {
            Some("is not a lower-case Rust identifier (letters a-z, digits and `_`, starting with a letter)")
        } else if naming::snake(&folder).as_deref() != Some(folder.as_str()) {
            Some("is a Rust keyword")
        } else if RESERVED_GATEWAYS.contains(&folder.as_str()) {
            Some("is already taken at the root of the `paygen` crate")
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(
                shared,
                "",
                format!("gateway folder `{folder}` {problem}"),
                Some("the folder name is the gateway's module and cargo feature, exactly: rename the folder (`my_gateway`)"),
            );
            return None;
        }
        Some(folder)
    }

    /// The module name of a spec file: its stem, which must not collide with
    /// the gateway's own files or another spec file.
    pub(super) fn module_name(
        &mut self,
        file: usize,
        seen: &mut HashMap<String, usize>,
    ) -> Option<String> {
        let stem = self.file(file).stem.clone();
        let Some(name) = naming::snake(&stem) else {
            self.error(
                file,
                "",
                format!("the file name `{stem}` gives no Rust module name"),
                Some("name spec files after the page, in letters (`order_pay.yaml`)"),
            );
            return None;
        };
        if RESERVED_MODULES.contains(&naming::unraw(&name)) {
            self.error(
                file,
                "",
                format!("the file name `{stem}` would be generated as `{}.rs`, which the gateway uses for itself", naming::unraw(&name)),
                Some("rename the spec file (`orders.yaml`)"),
            );
            return None;
        }
        if let Some(&other) = seen.get(&name) {
            let other = self.file(other).path.display().to_string();
            self.error(
                file,
                "",
                format!("the file names `{stem}` and `{other}` both become module `{name}`"),
                Some("rename one of the files"),
            );
            return None;
        }
        seen.insert(name.clone(), file);
        Some(name)
    }

    /// Whether `method` may name an operation's client method.
    pub(super) fn check_method_name(
        &mut self,
        file: usize,
        pointer: &str,
        id: &str,
        method: &str,
        client: &ClientPlan,
    ) -> bool {
        let setting = client
            .setting_names()
            .any(|s| s == method || naming::setter(s) == method);
        if !CLIENT_METHODS.contains(&naming::unraw(method)) && !setting {
            return true;
        }
        self.error(
            file,
            &format!("{pointer}/operationId"),
            format!("operationId `{id}` gives method `{method}`, which every client already has"),
            Some("choose an operationId that names the call (`createOrder`, `fetchPayment`)"),
        );
        false
    }

    /// Whether `name` may name a setting: a field, a getter and `with_name`.
    pub(super) fn check_setting_name(&mut self, file: usize, pointer: &str, name: &str) -> bool {
        let plain = naming::unraw(name);
        let with = naming::setter(name);
        if !CLIENT_FIELDS.contains(&plain)
            && !CLIENT_METHODS.contains(&plain)
            && !CLIENT_METHODS.contains(&with.as_str())
        {
            return true;
        }
        self.error(
            file,
            pointer,
            format!("setting `{name}` collides with the client's own `{plain}`"),
            Some("choose another setting name"),
        );
        false
    }

    /// Whether `name` may name a type of this gateway.
    pub(super) fn check_type_name(&mut self, file: usize, pointer: &str, name: &str) -> bool {
        if !RESERVED_TYPES.contains(&name) {
            return true;
        }
        self.error(
            file,
            pointer,
            format!("type name `{name}` is the gateway's client"),
            Some("rename the schema, or give it a `title`"),
        );
        false
    }
}

#[cfg(test)]
mod tests {
    /// The names of the indented `pub fn`s with a literal name in `source`
    /// from `start` on: the methods a macro or a `quote!` writes, not the
    /// functions of the file itself.
    fn literal_methods(source: &str, start: &str) -> Vec<String> {
        let from = source.find(start).expect("the marker is in the source");
        source[from..]
            .lines()
            .filter(|line| line.starts_with(' '))
            .filter_map(|line| line.trim_start().strip_prefix("pub fn "))
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .filter(|name: &String| !name.is_empty())
            .collect()
    }

    #[test]
    fn every_method_a_client_has_besides_its_operations_is_reserved() {
        let root = crate::workspace_root();
        let runtime = std::fs::read_to_string(root.join("runtime/src/operation.rs")).unwrap();
        let shared = runtime.find("macro_rules! __client_methods").unwrap();
        let end = shared + runtime[shared..].find("\n}\n").unwrap();
        let mut methods = literal_methods(&runtime[..end], "macro_rules! __client_methods");
        let emitter = include_str!("../emit/client.rs");
        methods.extend(literal_methods(emitter, "fn constructor("));
        assert!(methods.len() >= 8, "{methods:?}");
        for method in methods {
            assert!(
                super::CLIENT_METHODS.contains(&method.as_str()),
                "`{method}` is a method of every client: add it to CLIENT_METHODS, so that an operation of that name is an error"
            );
        }
    }
}
