//! The round trip as CPU time per call: the client pinned to one core, the
//! loopback server in a process of its own pinned to the other, and the
//! client's own CPU time (user and system, from `getrusage`) divided by the
//! calls it made. Throughput on a 2-core machine swings by a fifth from run
//! to run, as both sides compete for the cores; the CPU a call costs the
//! client does not.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use paygen::razorpay;
use paygen_codegen::ir::ExampleOf;

use super::{example, floor, median, Row};

/// The flag that makes the bench a loopback server answering Razorpay's
/// order example (the child process this row starts).
pub const SERVE_FLAG: &str = "--serve-order";

/// Runs the loopback server: prints its address, then answers until killed.
pub fn serve(output: &paygen_codegen::Output) {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let answer = example(
        output,
        "razorpay",
        "create_order",
        ExampleOf::Response,
        "order_with_payment",
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
            .mount(&server)
            .await;
        println!("{}", server.uri());
        std::future::pending::<()>().await;
    });
}

/// The server process, pinned to core 1, and the address it answers on.
fn start_server() -> Option<(Child, String)> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new("taskset")
        .args(["-c", "1"])
        .arg(exe)
        .arg(SERVE_FLAG)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    Some((child, line.trim().to_owned()))
}

/// Pins this process to core 0.
fn pin_to_core_zero() -> bool {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET writes inside
    // it; sched_setaffinity reads `size_of` bytes from it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(0, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

/// This process's CPU time so far, user and system.
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// CPU time per call of `calls` sequential calls.
async fn per_call<F, Fut>(calls: usize, make: &F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let before = cpu_time();
    for _ in 0..calls {
        make().await;
    }
    (cpu_time() - before).as_secs_f64() / calls as f64
}

/// The row: the generated client's `create_order` against raw reqwest
/// posting the same JSON, in CPU time per call.
pub fn row(rows: &mut Vec<Row>, output: &paygen_codegen::Output, quick: bool) {
    if !pin_to_core_zero() {
        eprintln!("cpu row skipped: cannot pin to a core");
        return;
    }
    let Some((mut server, uri)) = start_server() else {
        eprintln!("cpu row skipped: the server process did not start (is `taskset` installed?)");
        return;
    };
    let request_json = example(
        output,
        "razorpay",
        "create_order",
        ExampleOf::Request,
        "card",
    );
    // One thread does all the client's work, so its CPU time is the call's.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (ours, base) = runtime.block_on(async {
        let client = razorpay::Client::new(
            paygen::Environment::Custom(uri.clone()),
            "rzp_test_key",
            "secret",
        )
        .with_retry(paygen::RetryPolicy::never());
        let request: Arc<razorpay::CreateOrderRequest> =
            Arc::new(serde_json::from_value(request_json.clone()).unwrap());
        let plain: Arc<floor::RazorpayOrder> =
            Arc::new(serde_json::from_value(request_json).unwrap());
        let raw = super::round_trip::raw_client();
        let url = format!("{uri}/v1/orders");
        let run_ours = || {
            let (client, request) = (client.clone(), Arc::clone(&request));
            async move {
                client.create_order(&request).await.unwrap();
            }
        };
        let run_raw =
            || super::round_trip::raw_create_order(raw.clone(), url.clone(), Arc::clone(&plain));
        let calls = if quick { 500 } else { 3000 };
        per_call(calls / 5, &run_ours).await;
        per_call(calls / 5, &run_raw).await;
        let (mut ours, mut base) = (Vec::new(), Vec::new());
        for round in 0..7 {
            if round % 2 == 0 {
                ours.push(per_call(calls, &run_ours).await);
                base.push(per_call(calls, &run_raw).await);
            } else {
                base.push(per_call(calls, &run_raw).await);
                ours.push(per_call(calls, &run_ours).await);
            }
        }
        (median(ours), median(base))
    });
    let _ = server.kill();
    let _ = server.wait();
    rows.push(Row {
        metric: "round trip, client CPU per call (server in another process, other core)".into(),
        ours: format!("{:.1} µs", ours * 1e6),
        base: format!("{:.1} µs (raw reqwest)", base * 1e6),
        ratio: Some(ours / base),
        target: "<= 1.05",
    });
}
