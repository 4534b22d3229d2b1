//! Which environment a credential's key is for (`rzp_test_`, `rzp_live_`):
//! what a client keeps of a key to refuse one of the other environment.

use crate::config::SetupError;

/// Which environment a credential's key is for, read from how it starts:
/// what a client keeps of the key to check it (not the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCheck {
    name: &'static str,
    sandbox: &'static str,
    production: &'static str,
    is_sandbox: bool,
    is_production: bool,
}

impl KeyCheck {
    /// Credential `name`'s key `value`, whose sandbox keys start with
    /// `sandbox` and production keys with `production`.
    pub fn of(
        name: &'static str,
        value: &str,
        sandbox: &'static str,
        production: &'static str,
    ) -> Self {
        KeyCheck {
            name,
            sandbox,
            production,
            is_sandbox: value.starts_with(sandbox),
            is_production: value.starts_with(production),
        }
    }

    /// Why the key is not for the client's environment (`Some(true)`
    /// production, `Some(false)` the sandbox, `None` a custom base URL).
    pub(super) fn problem(self, production: Option<bool>) -> Option<SetupError> {
        let (environment, expected, fits) = match production? {
            true => ("production", self.production, self.is_production),
            false => ("sandbox", self.sandbox, self.is_sandbox),
        };
        (!fits).then_some(SetupError::KeyForAnotherEnvironment {
            credential: self.name,
            environment,
            expected,
        })
    }
}
