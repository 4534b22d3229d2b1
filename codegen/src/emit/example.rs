//! The example on a gateway module's page: a client from the environment
//! and one call, compiled as a doctest so that it cannot rot.

use crate::ir::{Gateway, Operation, TypeRef};

/// Doc lines of the example: `from_env`, then the first operation that
/// sends no body and whose required parameters are text the spec gives
/// examples of (a fetch by id, usually).
pub fn module_example(gateway: &Gateway, path: &str) -> Vec<String> {
    let module = format!("{path}::{}", crate::naming::unraw(&gateway.name));
    let env = crate::naming::unraw(&gateway.name).to_uppercase();
    let mut lines = vec![
        "```no_run".to_owned(),
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!("// The environment and credentials from `{env}_*` variables."),
        format!("let client = {module}::Client::from_env()?;"),
    ];
    if let Some(call) = gateway.operations().find_map(|op| call(op, &module)) {
        lines.push(format!("let response = {call}.await?;"));
        lines.push("# let _ = response;".to_owned());
    } else {
        lines.push("# let _ = client;".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// `client.<method>(&<Params>::new(..))` (or `::builder()..build()?` for
/// several parameters), when the operation sends no body
/// and each required parameter is text with an example.
fn call(op: &Operation, module: &str) -> Option<String> {
    if op.request.is_some() || op.pages.is_some() {
        return None;
    }
    let method = &op.method_name;
    let Some(params_type) = &op.params_type else {
        return Some(format!("client.{method}()"));
    };
    let required: Vec<_> = op.params.iter().filter(|p| p.required).collect();
    let args: Option<Vec<(&str, String)>> = required
        .iter()
        .map(|p| match (&p.ty, &p.example) {
            (TypeRef::String, Some(example)) => Some((p.rust.as_str(), format!("{example:?}"))),
            _ => None,
        })
        .collect();
    let args = args?;
    // One parameter cannot be swapped: `new` takes it. Two or more may be
    // (`paygen::params` then has no `new`), and a builder always exists.
    if args.len() < 2 {
        let args: Vec<String> = args.into_iter().map(|(_, value)| value).collect();
        return Some(format!(
            "client.{method}(&{module}::{params_type}::new({}))",
            args.join(", ")
        ));
    }
    let setters: String = args
        .iter()
        .map(|(name, value)| format!(".{name}({value})"))
        .collect();
    Some(format!(
        "client.{method}(&{module}::{params_type}::builder(){setters}.build()?)"
    ))
}
