//! The error responses each gateway documents, in its own shape: what the
//! client decodes into the gateway's `ErrorResponse`.

use serde_json::{json, Value};

use crate::request::Rejection;
use crate::sim::Refusal;

/// What went wrong with a call.
pub(crate) enum Failure<'a> {
    /// No or wrong credentials.
    Unauthorized,
    /// No route for the method and path.
    NoRoute,
    /// The simulated gateway refused the call: an unknown id, a broken rule.
    Refused(&'a Refusal),
    /// The body was refused.
    Rejected(&'a Rejection),
    /// The same idempotency key with a different body.
    IdempotencyConflict,
    /// A status the test asked for.
    Status(u16),
}

/// The status and body `gateway` answers `failure` with.
pub(crate) fn error(gateway: &str, failure: &Failure<'_>) -> (u16, Value) {
    let (status, code, message, field) = match failure {
        Failure::Unauthorized => (
            401,
            "unauthorized",
            "Authentication failed".to_owned(),
            None,
        ),
        Failure::NoRoute => (
            404,
            "not_found",
            "The requested URL was not found on the server.".to_owned(),
            None,
        ),
        Failure::Refused(Refusal::NotFound { what, id }) => (
            crate::sim::not_found_status(gateway),
            "not_found",
            format!("{what} not found: {id}"),
            None,
        ),
        Failure::Refused(Refusal::Rule {
            status,
            code,
            message,
            field,
        }) => (*status, *code, message.clone(), field.map(str::to_owned)),
        Failure::Rejected(Rejection::Decode(e)) => (
            400,
            "request_invalid",
            format!("the request body is not valid: {e}"),
            None,
        ),
        Failure::Rejected(Rejection::Invalid(report)) => {
            let first = report.iter().next();
            (
                400,
                "request_invalid",
                report.to_string().replace('\n', "; "),
                first.map(|v| v.path.clone()),
            )
        }
        // Cashfree answers a key reused with another body 409; Razorpay's
        // direct transfers, the one idempotent Razorpay call, 400.
        Failure::IdempotencyConflict => (
            if gateway == "razorpay" { 400 } else { 409 },
            "idempotency_error",
            "the idempotency key was used with a different request".to_owned(),
            None,
        ),
        Failure::Status(status) => (
            *status,
            "server_error",
            format!("the gateway answered {status}"),
            None,
        ),
    };
    let body = match gateway {
        "razorpay" => json!({"error": {
            "code": match (status, code) {
                (s, _) if s >= 500 => "SERVER_ERROR",
                (401, _) => "BAD_REQUEST_ERROR",
                (_, c) if c.ends_with("_ERROR") => c,
                _ => "BAD_REQUEST_ERROR",
            },
            "description": message,
            "source": if status == 401 { "NA" } else { "business" },
            "step": "NA",
            "reason": match status { 401 => "authentication_failed", 404 => "not_found", s if s >= 500 => "server_error", _ => "input_validation_failed" },
            "metadata": {},
            "field": field,
        }}),
        "cashfree" => json!({
            "message": message,
            "code": code,
            "type": match status {
                401 => "authentication_error",
                409 if code == "idempotency_error" => "idempotency_error",
                429 => "rate_limit_error",
                s if s >= 500 => "api_error",
                _ => "invalid_request_error",
            },
        }),
        // Juspay, and any gateway added later: Juspay's shape.
        _ => json!({
            "status": match status {
                401 => "error",
                404 => "invalid_request_error",
                s if s >= 500 => "ERROR",
                _ => "BAD_REQUEST",
            },
            "error_code": code,
            "error_message": message,
            "user_message": message,
        }),
    };
    (status, body)
}
