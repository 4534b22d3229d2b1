//! Options for the calls of one client value, beside the client's own
//! configuration: a timeout, headers of the caller's (a request id, a
//! partner's merchant account), a hook that sees each response's status,
//! headers and attempts (the gateway's request id, for a support ticket), and
//! one that sees each call's record for metrics (latency, attempts, outcome).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;

/// Options for the calls a client makes, set with
/// `client.with_call_options(...)` on the client (clones are cheap: give a
/// clone its own options for one call, or for one merchant's calls).
///
/// ```
/// use std::time::Duration;
/// use paygen::CallOptions;
///
/// let options = CallOptions::new()
///     .with_timeout(Duration::from_secs(5))
///     .with_header("x-request-id", "req-o_123")
///     .with_response_hook(|response| {
///         // Keep the gateway's request id for support: here, just its status.
///         let _ = (response.status(), response.header("x-request-id"), response.attempts());
///     });
/// assert_eq!(options.timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    timeout: Option<Duration>,
    /// Each header built once, or its name when HTTP does not allow it
    /// (reported by every call, before anything is sent).
    headers: Vec<Result<(HeaderName, HeaderValue), &'static str>>,
    hook: Option<AnswerHook>,
    metrics: Option<MetricsHook>,
}

type AnswerHook = Arc<dyn Fn(&ResponseMeta) + Send + Sync>;
type MetricsHook = Arc<dyn Fn(&CallRecord) + Send + Sync>;

impl CallOptions {
    /// No options: the client's own settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ends each attempt after `timeout` instead of the client's total
    /// timeout per attempt.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends header `name` with `value` on each call, over the client's own
    /// (a partner's merchant id, a request id). Its value never appears in
    /// `Debug` or logs: it may be a credential. A name or value HTTP does not
    /// allow ends the call with `Error::InvalidHeader` before anything is sent.
    pub fn with_header(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        let header = HeaderName::from_bytes(name.as_bytes())
            .ok()
            .zip(HeaderValue::from_str(value.as_ref()).ok())
            .map(|(header, mut value)| {
                value.set_sensitive(true);
                (header, value)
            })
            .ok_or(name);
        self.headers.push(header);
        self
    }

    /// Calls `hook` with each response's status, headers and attempts (the
    /// response a call returns, success or error; not the ones it retried).
    pub fn with_response_hook<F>(mut self, hook: F) -> Self
    where
        F: Fn(&ResponseMeta) + Send + Sync + 'static,
    {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Calls `hook` once at the end of each call, whatever its end (sent or
    /// not, answered or not), with what a metrics system records: the
    /// operation, how long the call took (retries and their waits
    /// included), how many attempts it sent, the last status and the
    /// outcome. Never with a header or body.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use std::sync::Arc;
    ///
    /// let failed = Arc::new(AtomicU64::new(0));
    /// let counted = failed.clone();
    /// let options = paygen::CallOptions::new().with_metrics(move |call| {
    ///     // e.g. a histogram of `call.elapsed()` by `call.operation()`.
    ///     if call.outcome().is_some() {
    ///         counted.fetch_add(1, Ordering::Relaxed);
    ///     }
    /// });
    /// # let _ = options;
    /// ```
    pub fn with_metrics<F>(mut self, hook: F) -> Self
    where
        F: Fn(&CallRecord) + Send + Sync + 'static,
    {
        self.metrics = Some(Arc::new(hook));
        self
    }

    /// The timeout, if one is set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Adds the headers to `headers`; gives the name of one HTTP does not allow.
    pub(crate) fn apply_headers(&self, headers: &mut HeaderMap) -> Result<(), &'static str> {
        for header in &self.headers {
            let (name, value) = header.as_ref().map_err(|name| *name)?;
            headers.insert(name.clone(), value.clone());
        }
        Ok(())
    }

    /// Shows a finished call to the metrics hook, if there is one.
    pub(crate) fn finished(&self, record: &CallRecord) {
        if let Some(hook) = &self.metrics {
            hook(record);
        }
    }

    /// Shows a response to the hook, if there is one.
    pub(crate) fn answered(&self, status: StatusCode, headers: &HeaderMap, attempts: u32) {
        if let Some(hook) = &self.hook {
            hook(&ResponseMeta {
                status,
                headers,
                attempts,
            });
        }
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .headers
            .iter()
            .map(|header| match header {
                Ok((name, _)) => name.as_str(),
                Err(name) => name,
            })
            .collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &names)
            .field("answer_hook", &self.hook.is_some())
            .field("metrics", &self.metrics.is_some())
            .finish()
    }
}

/// What a response carried besides its body: the status, the headers (the
/// gateway's request id among them) and how many attempts the call made.
#[derive(Debug)]
pub struct ResponseMeta<'a> {
    status: StatusCode,
    headers: &'a HeaderMap,
    attempts: u32,
}

impl ResponseMeta<'_> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the response.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The header `name`, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// How many attempts the call made, this response's included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// One finished call, as the metrics hook sees it
/// ([`CallOptions::with_metrics`]).
#[derive(Debug)]
pub struct CallRecord<'a> {
    pub(crate) gateway: &'static str,
    pub(crate) operation: &'static str,
    pub(crate) method: &'a reqwest::Method,
    pub(crate) elapsed: Duration,
    pub(crate) attempts: u32,
    pub(crate) status: Option<StatusCode>,
    pub(crate) outcome: Option<crate::Outcome>,
}

impl CallRecord<'_> {
    /// The gateway's module name (`razorpay`).
    pub fn gateway(&self) -> &'static str {
        self.gateway
    }

    /// The client method's name (`create_order`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        self.method
    }

    /// How long the call took, from validation to its result, retries and
    /// their waits included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How many attempts were sent: 0 when nothing was (an invalid request).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The last response's status, when the gateway answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// `None` for a call that returned its success body; otherwise what the
    /// failed call may have done ([`Error::outcome`](crate::Error::outcome)).
    pub fn outcome(&self) -> Option<crate::Outcome> {
        self.outcome
    }
}
