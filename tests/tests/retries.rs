//! When a client sends a call again, counted on the server: one test per row
//! of `RetryPolicy`'s table (only when that cannot charge twice), as often
//! as the policy says, after the wait it says, and never past the deadline;
//! and what an error tells a caller that runs its own retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paygen::{cashfree, Error, RetryPolicy, Timeouts};
use paygen_tests::support::{
    cashfree_client, order, order_answer, pay_answer, razorpay_client, received, serve, upi_payment,
};
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers `failures` times with `status` (and `retry_after`), then 200.
struct Flaky {
    failures: usize,
    status: u16,
    retry_after: Option<&'static str>,
    seen: AtomicUsize,
    answer: Value,
}

impl Respond for Flaky {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, Ordering::SeqCst) < self.failures {
            let template = ResponseTemplate::new(self.status)
                .set_body_json(json!({"message": "busy", "code": "x", "type": "api_error"}));
            match self.retry_after {
                Some(after) => template.insert_header("retry-after", after),
                None => template,
            }
        } else {
            ResponseTemplate::new(200).set_body_json(&self.answer)
        }
    }
}

/// A loopback server that fails `failures` times with `status`, then answers 200.
async fn flaky(
    failures: usize,
    status: u16,
    retry_after: Option<&'static str>,
    answer: Value,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Flaky {
            failures,
            status,
            retry_after,
            seen: AtomicUsize::new(0),
            answer,
        })
        .mount(&server)
        .await;
    server
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(50))
}

fn keyed() -> cashfree::PayOrderParams {
    cashfree::PayOrderParams {
        x_idempotency_key: Some("order_1610009874".into()),
        ..Default::default()
    }
}

fn quick_timeouts() -> Timeouts {
    Timeouts::default()
        .with_connect(Duration::from_secs(1))
        .with_total(Duration::from_millis(150))
}

#[tokio::test]
async fn an_idempotent_call_is_retried_with_the_same_key() {
    let server = flaky(2, 503, None, pay_answer()).await;
    let client = cashfree_client(&server.uri()).with_retry(fast_retries());
    let answer = client.pay_order(&upi_payment(), &keyed()).await.unwrap();
    assert_eq!(answer.cf_payment_id.as_deref(), Some("91235"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3, "two failures, then the success");
    for request in &received {
        assert_eq!(request.headers["x-idempotency-key"], "order_1610009874");
        assert_eq!(request.body, received[0].body);
    }
}

#[tokio::test]
async fn a_keyed_500_is_not_retried_because_the_gateway_would_replay_it() {
    let server = flaky(1, 500, None, pay_answer()).await;
    let client = cashfree_client(&server.uri()).with_retry(fast_retries());
    let error = client
        .pay_order(&upi_payment(), &keyed())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_call_without_a_key_is_not_retried_after_a_server_error() {
    let server = flaky(1, 503, None, json!({})).await;
    let client = cashfree_client(&server.uri()).with_retry(fast_retries());
    let result = client.pay_order(&upi_payment(), &Default::default()).await;
    assert!(
        matches!(result, Err(Error::Gateway { status, .. }) if status == 503),
        "{result:?}"
    );
    assert_eq!(received(&server).await, 1, "a 503 may have charged");
}

#[tokio::test]
async fn a_call_without_a_key_that_timed_out_is_not_sent_again() {
    // The request reached the gateway, which may be charging the card right now.
    let server = serve(
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(5))
            .set_body_json(order_answer("order_1")),
    )
    .await;
    let client = razorpay_client(&server.uri())
        .with_timeouts(quick_timeouts())
        .with_retry(fast_retries());
    match client.create_order(&order()).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_keyed_call_that_timed_out_is_sent_again_up_to_max_attempts() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(5))
            .set_body_json(pay_answer()),
    )
    .await;
    let client = cashfree_client(&server.uri())
        .with_timeouts(quick_timeouts())
        .with_retry(fast_retries());
    match client.pay_order(&upi_payment(), &keyed()).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await, 4);
}

/// A server that reads each request and then closes the connection without
/// answering; counts the requests it read.
async fn hangs_up() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = vec![0; 64 * 1024];
            if socket.read(&mut buffer).await.unwrap_or(0) > 0 {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            drop(socket);
        }
    });
    (format!("http://{address}"), seen)
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retried_only_with_a_key() {
    let (base, seen) = hangs_up().await;
    let client = cashfree_client(&base).with_retry(fast_retries());
    let result = client.pay_order(&upi_payment(), &Default::default()).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1, "without a key: once");

    let result = client.pay_order(&upi_payment(), &keyed()).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1 + 4,
        "with a key: every attempt"
    );
}

/// Collects what a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_without_a_key_then_reported() {
    // A connection that never opened carried nothing: safe to try again. The
    // attempts are counted in the call's trace (a closed port counts nothing).
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests of this binary hit the same log lines on other threads
    // with no subscriber; an interest they cached as "never" would hide
    // this thread's events. Rebuilt now, with this subscriber counted.
    tracing::callsite::rebuild_interest_cache();

    // Port 1: privileged, so no test's server binds it, and never an
    // ephemeral port (a port bound and dropped could be taken by another
    // test's server meanwhile, and answer the last attempt).
    let client = razorpay_client("http://127.0.0.1:1").with_retry(fast_retries());
    let started = Instant::now();
    match client.create_order(&order()).await {
        Err(Error::Transport(e)) => assert!(e.is_connect(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // Three retries: four attempts in all. (The last attempt's own line is
    // not asserted: with other tests of this binary logging the same line
    // on other threads, tracing's per-callsite interest cache dropped it
    // from this thread's subscriber now and then under load.)
    assert_eq!(
        log.matches("transport failure; retrying").count(),
        3,
        "{log}"
    );
    assert!(log.contains("retrying attempt=3"), "{log}");
}

#[tokio::test]
async fn rate_limits_are_retried_after_retry_after() {
    let server = flaky(1, 429, Some("1"), order_answer("order_1")).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    let started = Instant::now();
    let order = client.create_order(&order()).await.unwrap();
    assert_eq!(order.id, "order_1");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not respected"
    );
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_ends_the_retries() {
    let server = flaky(1, 429, Some("120"), order_answer("order_1")).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    let error = client.create_order(&order()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = flaky(100, 429, None, json!({})).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    let result = client.create_order(&order()).await;
    assert!(result.is_err());
    assert_eq!(received(&server).await, 4);
}

#[tokio::test]
async fn never_sends_once_and_the_default_retries() {
    let server = flaky(100, 429, None, json!({})).await;
    let once = razorpay_client(&server.uri()).with_retry(RetryPolicy::never());
    assert!(once.create_order(&order()).await.is_err());
    assert_eq!(received(&server).await, 1, "`never()` retried");
    assert_eq!(RetryPolicy::never().max_attempts, 1);

    let server = flaky(1, 429, Some("0"), order_answer("order_1")).await;
    let default = razorpay_client(&server.uri());
    default.create_order(&order()).await.unwrap();
    assert_eq!(
        received(&server).await,
        2,
        "the default policy retries a 429"
    );
    assert_eq!(RetryPolicy::default().max_attempts, 3);
}

/// The longest of `n` backoffs before attempt `next`.
fn longest_backoff(policy: &RetryPolicy, next: u32, n: usize) -> Duration {
    (0..n).map(|_| policy.backoff(next)).max().unwrap()
}

#[test]
fn backoff_waits_up_to_a_ceiling_that_doubles_to_the_cap() {
    let policy = RetryPolicy::default();
    // Full jitter: every wait is at most the ceiling, and over a thousand
    // draws some come within a tenth of it (a miss has odds of 0.9^1000).
    for (next, ceiling) in [
        (2, 200),
        (3, 400),
        (4, 800),
        (5, 1600),
        (6, 3200),
        (7, 5000),
    ] {
        let ceiling = Duration::from_millis(ceiling);
        let longest = longest_backoff(&policy, next, 1000);
        assert!(
            longest <= ceiling,
            "attempt {next}: {longest:?} > {ceiling:?}"
        );
        assert!(
            longest > ceiling * 9 / 10,
            "attempt {next}: {longest:?} never near {ceiling:?}"
        );
    }
    assert!(longest_backoff(&policy, 40, 1000) <= policy.max_delay);
}

#[test]
fn a_retry_after_up_to_the_limit_is_honoured_exactly() {
    use paygen::reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    let policy = RetryPolicy::default();
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("60"));
    assert_eq!(
        policy.delay_after(2, &headers),
        Some(Duration::from_secs(60))
    );
    headers.insert(RETRY_AFTER, HeaderValue::from_static("61"));
    assert_eq!(policy.delay_after(2, &headers), None);
    headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
    let wait = policy.delay_after(2, &headers).unwrap();
    assert!(
        wait <= Duration::from_millis(200),
        "an unreadable Retry-After backs off: {wait:?}"
    );
}

// The rows of `RetryPolicy`'s table not covered above, one test each.

#[tokio::test]
async fn a_get_is_retried_after_a_502_without_a_key() {
    let server = flaky(2, 502, None, order_answer("order_1")).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    let order = client
        .fetch_order(&paygen::razorpay::FetchOrderParams::new("order_1"))
        .await
        .unwrap();
    assert_eq!(order.id, "order_1");
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn a_get_that_timed_out_is_sent_again() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(5))
            .set_body_json(order_answer("order_1")),
    )
    .await;
    let client = razorpay_client(&server.uri())
        .with_timeouts(quick_timeouts())
        .with_retry(fast_retries());
    let result = client
        .fetch_order(&paygen::razorpay::FetchOrderParams::new("order_1"))
        .await;
    assert!(
        matches!(result, Err(Error::Transport(ref e)) if e.is_timeout()),
        "{result:?}"
    );
    assert_eq!(received(&server).await, 4);
}

#[tokio::test]
async fn a_get_500_is_not_retried() {
    let server = flaky(1, 500, None, order_answer("order_1")).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    let result = client
        .fetch_order(&paygen::razorpay::FetchOrderParams::new("order_1"))
        .await;
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(500));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_408_is_retried_without_a_key_because_nothing_was_processed() {
    let server = flaky(1, 408, None, order_answer("order_1")).await;
    let client = razorpay_client(&server.uri()).with_retry(fast_retries());
    client.create_order(&order()).await.unwrap();
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn any_other_status_is_not_retried_even_with_a_key() {
    let server = flaky(1, 400, None, pay_answer()).await;
    let client = cashfree_client(&server.uri()).with_retry(fast_retries());
    let error = client
        .pay_order(&upi_payment(), &keyed())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call_attempts_and_waits_included() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(5))
            .set_body_json(pay_answer()),
    )
    .await;
    // Four attempts of 150 ms each would take 600 ms and more; the deadline is 400 ms.
    let client = cashfree_client(&server.uri())
        .with_timeouts(quick_timeouts().with_deadline(Duration::from_millis(400)))
        .with_retry(fast_retries());
    let started = Instant::now();
    let result = client.pay_order(&upi_payment(), &keyed()).await;
    let took = started.elapsed();
    assert!(
        matches!(result, Err(Error::Transport(ref e)) if e.is_timeout()),
        "{result:?}"
    );
    // Loose: a loaded machine's timers run late; the count is what tells.
    assert!(took < Duration::from_millis(1500), "{took:?}");
    let sent = received(&server).await;
    assert!(
        (1..4).contains(&sent),
        "{sent} attempts: the deadline stopped none"
    );
}

#[tokio::test]
async fn no_retry_waits_past_the_deadline() {
    // The gateway asks for 2 s; the deadline leaves 1 s: the 429 is the answer.
    let server = flaky(1, 429, Some("2"), order_answer("order_1")).await;
    let client = razorpay_client(&server.uri())
        .with_timeouts(Timeouts::default().with_deadline(Duration::from_secs(1)))
        .with_retry(fast_retries());
    let started = Instant::now();
    let error = client.create_order(&order()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn an_error_says_when_to_send_again_and_names_the_gateways_request_id() {
    let server = serve(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "7")
            .insert_header("x-request-id", "req_8812")
            .set_body_json(
                json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "slow down"}}),
            ),
    )
    .await;
    let client = razorpay_client(&server.uri()).with_retry(RetryPolicy::never());
    let error = client.create_order(&order()).await.unwrap_err();
    assert_eq!(error.outcome(), paygen::Outcome::RetryLater);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(error.request_id(), Some("req_8812"));
    assert!(format!("{error:?}").contains("req_8812"));

    let server = serve(
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "no"}})),
    )
    .await;
    let client = razorpay_client(&server.uri()).with_retry(RetryPolicy::never());
    let error = client.create_order(&order()).await.unwrap_err();
    assert_eq!(error.outcome(), paygen::Outcome::NotProcessed);
    assert_eq!((error.retry_after(), error.request_id()), (None, None));
    assert!(error.headers().is_some());
}

#[tokio::test]
async fn a_body_that_carries_the_idempotency_key_is_retried_like_a_keyed_header() {
    use paygen::juspay;
    use paygen_tests::support::juspay_client;
    // Juspay's refund names itself by `unique_request_id` in the body, which the
    // spec marks `x-idempotency-key`: a 503 is sent again, the same bytes each time.
    let server = flaky(2, 503, None, json!({})).await;
    let client = juspay_client(&server.uri())
        .with_merchant_id("merchant_1")
        .with_retry(fast_retries());
    let refund = juspay::RefundOrderRequest::new("refund_1610009874_1", "1.00".parse().unwrap());
    let params = juspay::RefundOrderParams::builder()
        .order_id("order1610009874")
        .x_routing_id("customer_1")
        .build()
        .unwrap();
    let _ = client.refund_order(&refund, &params).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "two 503s, then the answer");
    assert!(requests.iter().all(|r| r.body == requests[0].body));
    assert!(String::from_utf8_lossy(&requests[0].body).contains("unique_request_id"));

    // The same gateway's order creation carries no key: a 503 may have created it.
    let server = flaky(1, 503, None, json!({})).await;
    let client = juspay_client(&server.uri())
        .with_merchant_id("merchant_1")
        .with_retry(fast_retries());
    let order = juspay::CreateOrderRequest::new("order_2", "1.00".parse().unwrap());
    let _ = client
        .create_order(&order, &juspay::CreateOrderParams::new("customer_1"))
        .await;
    assert_eq!(received(&server).await, 1);
}
