//! When a failed call may be sent again, and how long to wait first:
//! exponential backoff with full jitter, and the gateway's `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// How a client retries. The default makes 3 attempts in all, waiting about
/// 200 ms, then 400 ms (each with full jitter, at most 5 s), or what a
/// `Retry-After` header asks for (at most 60 s).
///
/// Payment calls are not idempotent by nature, so a call is sent again only
/// when that cannot charge twice. This table is the whole rule; each row is a
/// test in `tests/tests/retries.rs`:
///
/// | what happened | a GET | a call with an idempotency key | any other call |
/// |---|---|---|---|
/// | no connection could be opened | retried | retried | retried |
/// | 429 Too Many Requests, 408 Request Timeout (not processed) | retried | retried | retried |
/// | a timeout, or the connection lost after the request went out | retried | retried | not retried |
/// | 502, 503, 504 | retried | retried | not retried |
/// | 500 | not retried | not retried | not retried |
/// | any other status | not retried | not retried | not retried |
///
/// A GET changes nothing; a call with an idempotency key (Cashfree's
/// `x-idempotency-key`, sent unchanged on every attempt) is answered with its
/// first result. A 500 is not retried even then: the gateway answered, and a
/// keyed repeat only replays that response.
///
/// The wait before a retry is the gateway's `Retry-After` (seconds or a
/// date) when it sends one, else the backoff; a `Retry-After` longer than
/// [`max_retry_after`](Self::max_retry_after) ends the retries, and so does
/// a wait that would pass the client's deadline
/// ([`Timeouts::with_deadline`](crate::Timeouts::with_deadline)).
///
/// Fields are public to read; build one from [`RetryPolicy::default`] or
/// [`RetryPolicy::never`] and the `with_*` methods, so that a setting added
/// later is not a breaking change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The first backoff step; each retry doubles it.
    pub base_delay: Duration,
    /// The longest backoff step.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included; 1 turns retries off (an outer
    /// workflow engine or job queue then owns them).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff step; each retry doubles it.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff step.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The backoff before attempt `next` (2 for the first retry): a random
    /// duration up to `base_delay * 2^(next - 2)`, capped at `max_delay`.
    pub fn backoff(&self, next: u32) -> Duration {
        let exponent = next.saturating_sub(2).min(16);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        // Full jitter: spreads the retries of many clients apart.
        ceiling.mul_f64(fastrand::f64())
    }

    /// The wait before attempt `next` after a response with `headers`:
    /// `Retry-After` when present and not too long, else the backoff. `None`
    /// when the gateway asks for a longer wait than this policy allows.
    pub fn delay_after(&self, next: u32, headers: &HeaderMap) -> Option<Duration> {
        match retry_after(headers) {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(next)),
        }
    }
}

/// Whether a response with `status` may be retried; `keyed` when the call
/// carries an idempotency key (or is a GET).
pub fn retryable_status(status: StatusCode, keyed: bool) -> bool {
    not_processed_yet(status)
        || (keyed
            && matches!(
                status,
                StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ))
}

/// Whether a transport failure may be retried: a connection that never
/// opened carried nothing, so always; any other failure (a timeout, a
/// connection that broke after the request went out) may have reached the
/// gateway, so only with an idempotency key. (The URL and headers are checked
/// before the first attempt, so reqwest cannot fail for a reason that another
/// attempt would repeat.)
pub fn retryable_error(error: &reqwest::Error, keyed: bool) -> bool {
    error.is_connect() || keyed
}

/// Whether `status` says the gateway did not process the request and it may
/// be sent again later: 429 (rate-limited) and 408 (the request took too
/// long to arrive).
pub fn not_processed_yet(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::REQUEST_TIMEOUT
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_within_the_cap() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(400));
            assert!(policy.backoff(30) <= Duration::from_secs(5));
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let policy = RetryPolicy::default();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(
            policy.delay_after(2, &headers),
            Some(Duration::from_secs(2))
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(policy.delay_after(2, &headers), None);
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(10));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(policy.delay_after(2, &headers), Some(Duration::ZERO));
    }

    #[test]
    fn only_safe_statuses_are_retried_without_a_key() {
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS, false));
        assert!(retryable_status(StatusCode::REQUEST_TIMEOUT, false));
        assert!(!retryable_status(StatusCode::BAD_GATEWAY, false));
        assert!(retryable_status(StatusCode::BAD_GATEWAY, true));
        assert!(!retryable_status(StatusCode::BAD_REQUEST, true));
        // The gateway saved its 500 under the key: a repeat only replays it.
        assert!(!retryable_status(StatusCode::INTERNAL_SERVER_ERROR, true));
    }
}
