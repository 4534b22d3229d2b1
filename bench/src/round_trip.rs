//! The round trip on loopback, the generated client against raw reqwest, and
//! the mock gateway's throughput against wiremock.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use paygen::razorpay;
use paygen_codegen::ir::ExampleOf;

use super::{example, floor, median, Row};

/// The round trip against raw reqwest, and the mock gateway's throughput.
pub async fn rows(
    rows: &mut Vec<Row>,
    output: &paygen_codegen::Output,
    quick: bool,
    mock_only: bool,
) {
    let request_json = example(
        output,
        "razorpay",
        "create_order",
        ExampleOf::Request,
        "card",
    );
    let answer = example(
        output,
        "razorpay",
        "create_order",
        ExampleOf::Response,
        "order_with_payment",
    );
    let (server, client) = loopback(&answer).await;
    let request: Arc<razorpay::CreateOrderRequest> =
        Arc::new(serde_json::from_value(request_json.clone()).unwrap());
    // The baseline builds its body per request too, from a plain struct.
    let plain: Arc<floor::RazorpayOrder> = Arc::new(serde_json::from_value(request_json).unwrap());
    let raw = raw_client();
    let url = format!("{}/v1/orders", server.uri());
    let total = if quick { 500 } else { 5000 };
    let concurrencies: &[usize] = if mock_only { &[] } else { &[1, 50] };
    for &concurrency in concurrencies {
        let run_ours = || {
            let client = client.clone();
            let request = Arc::clone(&request);
            async move {
                client.create_order(&request).await.unwrap();
            }
        };
        let run_raw = || raw_create_order(raw.clone(), url.clone(), Arc::clone(&plain));
        // Warm both connection pools, then alternate which goes first.
        rps(total / 10, concurrency, &run_ours).await;
        rps(total / 10, concurrency, &run_raw).await;
        let mut ours = Vec::new();
        let mut base = Vec::new();
        for round in 0..7 {
            if round % 2 == 0 {
                ours.push(rps(total, concurrency, &run_ours).await);
                base.push(rps(total, concurrency, &run_raw).await);
            } else {
                base.push(rps(total, concurrency, &run_raw).await);
                ours.push(rps(total, concurrency, &run_ours).await);
            }
        }
        let (a, b) = (median(ours), median(base));
        rows.push(Row {
            metric: format!("round trip on loopback, concurrency {concurrency}"),
            ours: format!("{a:.0} req/s"),
            base: format!("{b:.0} req/s (raw reqwest)"),
            ratio: Some(a / b),
            target: ">= 0.95",
        });
    }

    mock_row(rows, &client, &request, total).await;
}

/// A loopback server answering `answer` to everything, and the generated
/// Razorpay client pointed at it, without retries.
async fn loopback(answer: &serde_json::Value) -> (wiremock::MockServer, razorpay::Client) {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    // Recording every request would grow memory through the run and slow later rounds.
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    let client = razorpay::Client::new(
        paygen::Environment::Custom(server.uri()),
        "rzp_test_key",
        "secret",
    )
    .with_retry(paygen::RetryPolicy::never());
    (server, client)
}

/// Raw reqwest with the same timeouts as the generated client's defaults: a
/// request timeout costs a timer per request, and a fair baseline pays for it too.
pub(super) fn raw_client() -> paygen::reqwest::Client {
    let defaults = paygen::Timeouts::default();
    paygen::reqwest::Client::builder()
        .connect_timeout(defaults.connect)
        .timeout(defaults.total)
        .build()
        .unwrap()
}

/// The baseline's `create_order`: the plain struct encoded per request,
/// posted with raw reqwest and the answer decoded.
pub(super) async fn raw_create_order(
    raw: paygen::reqwest::Client,
    url: String,
    plain: Arc<floor::RazorpayOrder>,
) {
    let bytes = serde_json::to_vec(&*plain).unwrap();
    let response = raw
        .post(url)
        .basic_auth("rzp_test_key", Some("secret"))
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let body = response.bytes().await.unwrap();
    black_box(serde_json::from_slice::<floor::Order>(&body).unwrap());
}

async fn rps<F, Fut>(total: usize, concurrency: usize, make: &F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let started = Instant::now();
    let per_task = total / concurrency;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let calls: Vec<Fut> = (0..per_task).map(|_| make()).collect();
        tasks.push(tokio::spawn(async move {
            for call in calls {
                call.await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    (per_task * concurrency) as f64 / started.elapsed().as_secs_f64()
}

/// paygen-mock, which decodes, validates and keeps every order, against
/// wiremock answering a canned body: a consumer's test suite must not wait on it.
async fn mock_row(
    rows: &mut Vec<Row>,
    client: &razorpay::Client,
    request: &Arc<razorpay::CreateOrderRequest>,
    total: usize,
) {
    let mock = paygen_mock::MockGateway::start("razorpay").await.unwrap();
    let mocked = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(paygen::RetryPolicy::never());
    let concurrency = 50;
    let run_mock = || {
        let client = mocked.clone();
        let request = Arc::clone(request);
        async move {
            client.create_order(&request).await.unwrap();
        }
    };
    let run_wiremock = || {
        let client = client.clone();
        let request = Arc::clone(request);
        async move {
            client.create_order(&request).await.unwrap();
        }
    };
    // Warm both, then alternate which goes first, as the round-trip rows do:
    // on two cores the spread between rounds is wider than the gap.
    rps(total / 10, concurrency, &run_mock).await;
    rps(total / 10, concurrency, &run_wiremock).await;
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for round in 0..9 {
        if round % 2 == 0 {
            ours.push(rps(total, concurrency, &run_mock).await);
            base.push(rps(total, concurrency, &run_wiremock).await);
        } else {
            base.push(rps(total, concurrency, &run_wiremock).await);
            ours.push(rps(total, concurrency, &run_mock).await);
        }
    }
    let (a, b) = (median(ours), median(base));
    rows.push(Row {
        metric: format!("paygen-mock serving create_order, concurrency {concurrency}"),
        ours: format!("{a:.0} req/s"),
        base: format!("{b:.0} req/s (wiremock, canned response)"),
        ratio: Some(a / b),
        // wiremock replays bytes; the mock decodes, validates, simulates and
        // keeps each order and payment. The target is wiremock's rate, on the
        // median of runs (docs/performance.md gives the runs and the spread).
        target: ">= 1.0 (median of runs)",
    });
}
