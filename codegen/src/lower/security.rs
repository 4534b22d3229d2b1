//! Security: the requirement every call sends, the client's credentials
//! and how they are sent (Basic, headers, a bearer token, OAuth 2 client
//! credentials), the credentials operations send instead, and where a token
//! endpoint is.

use openapiv3::{ReferenceOr, SecurityScheme};
use serde_json::Value;

use crate::ir::{Auth, Credential, OperationCredential};
use crate::ir::{KeyPrefixes, TokenUrl};
use crate::locate::escape;
use crate::naming;

use super::specs::Specs;
use super::Lowerer;

impl<'a> Specs<'a> {
    pub(super) fn credential(
        &mut self,
        file: usize,
        pointer: &str,
        value: Option<&Value>,
    ) -> Option<Credential> {
        let Some(arg) = value.and_then(Value::as_str).and_then(naming::snake) else {
            self.error(
                file,
                pointer,
                "the security scheme does not name its credential".into(),
                Some("add `x-credential: client_id` (apiKey) or `x-username`/`x-password` (http basic), naming the client constructor's argument"),
            );
            return None;
        };
        let env = format!(
            "{}_{}",
            self.gateway.name.to_uppercase(),
            naming::unraw(&arg).to_uppercase()
        );
        Some(Credential {
            doc: format!("`{arg}`, or `{env}` in the environment"),
            arg,
            env,
            prefixes: None,
        })
    }

    /// Where a client-credentials token comes from: a relative `tokenUrl`,
    /// or one on the host of one of the gateway's servers, is a path on the
    /// client's own host (so that sandbox, production and a mock each have
    /// theirs); another absolute URL is used as it is.
    pub(super) fn token_url(&mut self, file: usize, pointer: &str, url: &str) -> Option<TokenUrl> {
        if url.starts_with('/') {
            return Some(TokenUrl::OnServer(url.to_owned()));
        }
        let Some((origin, path)) = split_origin(url) else {
            self.error(
                file,
                pointer,
                format!("`{url}` is neither an https URL nor a path"),
                Some("give the token endpoint as `https://host/path`, or as `/path` on the API's host"),
            );
            return None;
        };
        let on_a_server = self.file(file).doc.servers.iter().any(|server| {
            split_origin(&server.url)
                .is_some_and(|(server_origin, _)| server_origin.eq_ignore_ascii_case(origin))
        });
        Some(if on_a_server {
            TokenUrl::OnServer(if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            })
        } else {
            TokenUrl::Absolute(url.to_owned())
        })
    }

    /// Reads a scheme's `x-key-prefixes` (`{key_id: {sandbox: rzp_test_,
    /// production: rzp_live_}}`) onto its credentials; a name that is not
    /// one of them, or a prefix missing or empty, is an error.
    pub(super) fn key_prefixes(
        &mut self,
        file: usize,
        pointer: &str,
        value: Option<&Value>,
        credentials: &mut [&mut Credential],
    ) {
        let Some(value) = value else { return };
        let pointer = format!("{pointer}/x-key-prefixes");
        let help = Some("`x-key-prefixes: {key_id: {sandbox: rzp_test_, production: rzp_live_}}`, naming a credential of this scheme");
        let Some(map) = value.as_object() else {
            self.error(file, &pointer, "`x-key-prefixes` is not a map".into(), help);
            return;
        };
        for (name, prefixes) in map {
            let text = |key: &str| {
                prefixes
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
            };
            let at = format!("{pointer}/{}", escape(name));
            let Some(credential) = credentials
                .iter_mut()
                .find(|c| naming::unraw(&c.arg) == name.as_str())
            else {
                self.error(
                    file,
                    &at,
                    format!("`{name}` is not a credential of this scheme"),
                    help,
                );
                continue;
            };
            match (text("sandbox"), text("production")) {
                (Some(sandbox), Some(production)) if sandbox != production => {
                    credential.prefixes = Some(KeyPrefixes {
                        sandbox,
                        production,
                    });
                }
                _ => self.error(
                    file,
                    &at,
                    format!("`{name}` needs a `sandbox` and a `production` prefix, different and not empty"),
                    help,
                ),
            }
        }
    }

    /// The schemes every call sends: the gateway's top-level `security`
    /// (its first alternative); in the import mode, where a published file
    /// names security on each operation only, the requirement its operations
    /// name most often (the first alternative of each that paygen supports).
    pub(super) fn requirement(&mut self, file: usize) -> Option<Vec<String>> {
        let doc = &self.file(file).doc;
        if let Some(requirement) = doc.security.as_ref().and_then(|s| s.first()) {
            return Some(requirement.keys().cloned().collect());
        }
        if self.lenient {
            if let Some(inferred) = self.most_named_requirement(file) {
                return Some(inferred);
            }
            // A published file that names no security at all: calls carry
            // no credential.
            if self.names_no_security() {
                return Some(Vec::new());
            }
        }
        self.error(
            file,
            "",
            "the gateway has no top-level `security` requirement".into(),
            Some(if self.lenient {
                "add `security: [{SchemeName: []}]` naming the schemes every call uses (no operation names a scheme paygen supports: `http` basic or an `apiKey` header)"
            } else {
                "add `security: [{SchemeName: []}]` naming the schemes every call uses"
            }),
        );
        None
    }

    /// The requirement the gateway's operations name most often, of those
    /// whose schemes `shared`'s file defines and paygen supports; the first
    /// named on a tie.
    fn most_named_requirement(&self, shared: usize) -> Option<Vec<String>> {
        let schemes = self
            .file(shared)
            .doc
            .components
            .as_ref()
            .map(|c| &c.security_schemes)?;
        let usable = |name: &String| {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            let skipped = self.skips.contains(&self.file(shared).path, &pointer);
            !skipped && schemes.get(name).is_some_and(is_supported)
        };
        let mut counted: Vec<(Vec<String>, usize)> = Vec::new();
        for file in self.parsed_files() {
            for (_, item) in &self.file(file).doc.paths.paths {
                let ReferenceOr::Item(item) = item else {
                    continue;
                };
                for (_, op) in item.iter() {
                    let chosen = op.security.iter().flatten().find(|requirement| {
                        !requirement.is_empty() && requirement.keys().all(usable)
                    });
                    let Some(chosen) = chosen else {
                        continue;
                    };
                    let names: Vec<String> = chosen.keys().cloned().collect();
                    match counted.iter_mut().find(|(n, _)| *n == names) {
                        Some((_, count)) => *count += 1,
                        None => counted.push((names, 1)),
                    }
                }
            }
        }
        // The first of those named most often.
        let most = counted.iter().map(|(_, count)| *count).max()?;
        counted
            .into_iter()
            .find(|(_, count)| *count == most)
            .map(|(names, _)| names)
    }

    /// Whether no file of the gateway defines a security scheme or names
    /// one on an operation.
    fn names_no_security(&self) -> bool {
        self.parsed_files().all(|file| {
            let doc = &self.file(file).doc;
            let schemes = doc
                .components
                .as_ref()
                .map_or(0, |c| c.security_schemes.len());
            let on_operations = doc.paths.paths.values().any(|item| match item {
                ReferenceOr::Item(item) => item.iter().any(|(_, op)| {
                    op.security.as_ref().is_some_and(|alternatives| {
                        alternatives
                            .iter()
                            .any(|requirement| !requirement.is_empty())
                    })
                }),
                ReferenceOr::Reference { .. } => false,
            });
            schemes == 0 && !on_operations && doc.security.is_none()
        })
    }

    pub(super) fn auth(&mut self, file: usize, requirement: &[String]) -> Option<Auth> {
        if requirement.is_empty() {
            return Some(Auth::Headers(Vec::new()));
        }
        let doc = &self.file(file).doc;
        let schemes = doc.components.as_ref().map(|c| &c.security_schemes);
        let mut basic = None;
        let mut headers = Vec::new();
        for name in requirement {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            if let Some(reason) = self.skips.reason(&self.file(file).path, &pointer) {
                let reason = format!(
                    "{} (line {}, column {})",
                    reason.message, reason.line, reason.column
                );
                self.error(
                    file,
                    "/security",
                    format!(
                        "every call sends security scheme `{name}`, which was skipped: {reason}"
                    ),
                    None,
                );
                return None;
            }
            let scheme = schemes.and_then(|s| s.get(name));
            match scheme {
                Some(ReferenceOr::Item(SecurityScheme::HTTP {
                    scheme, extensions, ..
                })) if scheme.eq_ignore_ascii_case("basic") => {
                    let mut username =
                        self.credential(file, &pointer, extensions.get("x-username"))?;
                    let mut password = match extensions.get("x-password") {
                        Some(v) => Some(self.credential(file, &pointer, Some(v))?),
                        None => None,
                    };
                    let mut credentials: Vec<&mut Credential> =
                        std::iter::once(&mut username).chain(password.as_mut()).collect();
                    self.key_prefixes(
                        file,
                        &pointer,
                        extensions.get("x-key-prefixes"),
                        &mut credentials,
                    );
                    basic = Some(Auth::Basic { username, password });
                }
                Some(ReferenceOr::Item(SecurityScheme::HTTP {
                    scheme,
                    bearer_format,
                    extensions,
                    ..
                })) if scheme.eq_ignore_ascii_case("bearer") => {
                    let mut token =
                        self.credential(file, &pointer, extensions.get("x-credential"))?;
                    self.key_prefixes(
                        file,
                        &pointer,
                        extensions.get("x-key-prefixes"),
                        &mut [&mut token],
                    );
                    basic = Some(Auth::Bearer {
                        token,
                        format: bearer_format.as_deref().map(crate::markdown::one_line),
                    });
                }
                Some(ReferenceOr::Item(SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name: header,
                    extensions,
                    ..
                })) => {
                    let mut credential =
                        self.credential(file, &pointer, extensions.get("x-credential"))?;
                    self.key_prefixes(
                        file,
                        &pointer,
                        extensions.get("x-key-prefixes"),
                        &mut [&mut credential],
                    );
                    let Some(header) = naming::header(header) else {
                        self.error(
                            file,
                            &format!("{pointer}/name"),
                            format!("`{header}` is not a valid HTTP header name"),
                            Some("a header name is letters, digits and `!#$%&'*+-.^_`|~`, without spaces or `:`"),
                        );
                        return None;
                    };
                    headers.push((header, credential));
                }
                Some(ReferenceOr::Item(SecurityScheme::OAuth2 {
                    flows, extensions, ..
                })) => {
                    let Some(flow) = &flows.client_credentials else {
                        self.error(
                            file,
                            &format!("{pointer}/flows"),
                            format!("security scheme `{name}` has no client credentials flow"),
                            Some("a server calls with `flows: {clientCredentials: {tokenUrl: ..., scopes: {}}}`; the other flows need a person at a browser"),
                        );
                        return None;
                    };
                    let named = |key: &str, default: &str| {
                        extensions
                            .get(key)
                            .cloned()
                            .unwrap_or_else(|| Value::String(default.to_owned()))
                    };
                    let mut client_id =
                        self.credential(file, &pointer, Some(&named("x-username", "client_id")))?;
                    let mut client_secret = self.credential(
                        file,
                        &pointer,
                        Some(&named("x-password", "client_secret")),
                    )?;
                    self.key_prefixes(
                        file,
                        &pointer,
                        extensions.get("x-key-prefixes"),
                        &mut [&mut client_id, &mut client_secret],
                    );
                    let token_url = self.token_url(
                        file,
                        &format!("{pointer}/flows/clientCredentials/tokenUrl"),
                        &flow.token_url,
                    )?;
                    basic = Some(Auth::ClientCredentials {
                        client_id,
                        client_secret,
                        token_url,
                    });
                }
                Some(_) => self.error(
                    file,
                    &pointer,
                    format!("security scheme `{name}` is not supported"),
                    Some("paygen supports `type: http` with `scheme: basic` or `bearer`, `type: apiKey, in: header`, and `type: oauth2` with a client credentials flow"),
                ),
                None => self.error(
                    file,
                    "/security",
                    format!("security scheme `{name}` is not defined"),
                    Some("define it under `components.securitySchemes`"),
                ),
            }
        }
        match (basic, headers.is_empty()) {
            (Some(auth), true) => Some(auth),
            (None, false) => Some(Auth::Headers(headers)),
            _ => {
                self.error(
                    file,
                    "/security",
                    "combine either one http (basic or bearer) or oauth2 scheme, or apiKey header schemes"
                        .into(),
                    None,
                );
                None
            }
        }
    }
}

/// Client methods a credential's setter may not take: the client's own, and
/// those `rt::client_methods!` writes.
const CLIENT_METHODS: &[&str] = &[
    "with_credentials",
    "with_timeouts",
    "with_retry",
    "with_http_client",
    "with_max_response_bytes",
    "with_call_options",
    "with_encryption_key",
];

impl Specs<'_> {
    /// Whether the shared file defines the security scheme `scheme`.
    pub(super) fn defines_scheme(&self, scheme: &str) -> bool {
        self.gateway
            .index_of(super::SHARED_FILE)
            .is_some_and(|shared| {
                (self.file(shared).doc.components.as_ref())
                    .is_some_and(|c| c.security_schemes.contains_key(scheme))
            })
    }
}

impl Lowerer<'_, '_> {
    /// Whether the security scheme `scheme` (defined in the shared file) is
    /// a credential operations can send instead of the client's own, added
    /// to the gateway's when first met: `http` basic or bearer, or an
    /// `apiKey` header, set on the client with `with_<scheme>`. OAuth 2 is
    /// not: its token source is the client's own.
    pub(super) fn operation_credential(&mut self, scheme: &str) -> bool {
        if self
            .operation_credentials
            .iter()
            .any(|c| c.scheme == scheme)
        {
            return true;
        }
        let Some(shared) = self.specs.gateway.index_of(super::SHARED_FILE) else {
            return false;
        };
        let pointer = format!("/components/securitySchemes/{}", escape(scheme));
        if self.specs.skips.contains(&self.file(shared).path, &pointer) {
            return false;
        }
        let defined = (self.file(shared).doc.components.as_ref())
            .and_then(|c| c.security_schemes.get(scheme));
        let sendable = match defined {
            Some(ReferenceOr::Item(SecurityScheme::OAuth2 { .. })) | None => false,
            Some(scheme) => is_supported(scheme),
        };
        let Some(name) = naming::snake(scheme).filter(|_| sendable) else {
            return false;
        };
        let mut setter = naming::setter(&name);
        let taken = |setter: &str| {
            CLIENT_METHODS.contains(&setter)
                || self
                    .client
                    .setting_names()
                    .any(|s| naming::setter(s) == setter)
                || self
                    .operation_credentials
                    .iter()
                    .any(|c| c.setter == setter)
        };
        if taken(&setter) {
            setter.push_str("_credential");
            if taken(&setter) {
                return false;
            }
        }
        // Its problems (a credential it does not name) are reported at the
        // scheme, as the client's own are.
        let Some(mut auth) = self.specs.auth(shared, &[scheme.to_owned()]) else {
            return false;
        };
        // Which environment a key is for is checked on the client's own.
        for credential in auth.credentials_mut() {
            credential.prefixes = None;
        }
        self.operation_credentials.push(OperationCredential {
            scheme: scheme.to_owned(),
            setter,
            auth,
        });
        true
    }
}

/// `https://host:port` and `/path...` of an http(s) URL.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    if host_end == 0 {
        return None;
    }
    let origin_end = url.len() - rest.len() + host_end;
    Some((&url[..origin_end], &url[origin_end..]))
}

/// Whether paygen can send a scheme: `http` basic or bearer, an `apiKey`
/// header, or OAuth 2 client credentials.
fn is_supported(scheme: &ReferenceOr<SecurityScheme>) -> bool {
    match scheme {
        ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) => {
            flows.client_credentials.is_some()
        }
        ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
            scheme.eq_ignore_ascii_case("basic") || scheme.eq_ignore_ascii_case("bearer")
        }
        ReferenceOr::Item(SecurityScheme::APIKey { location, .. }) => {
            matches!(location, openapiv3::APIKeyLocation::Header)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::split_origin;

    #[test]
    fn a_url_splits_into_its_origin_and_its_path() {
        assert_eq!(
            split_origin("https://api.walletpay.example/v1/oauth2/token"),
            Some(("https://api.walletpay.example", "/v1/oauth2/token"))
        );
        assert_eq!(
            split_origin("http://127.0.0.1:8080"),
            Some(("http://127.0.0.1:8080", ""))
        );
        assert_eq!(split_origin("oauth/token"), None);
        assert_eq!(split_origin("https:///token"), None);
        assert_eq!(split_origin("ftp://host/token"), None);
    }
}
