//! `cargo run --release -p paygen-bench`: what paygen costs, each figure next
//! to a baseline measured in the same process, printed as one table.
//!
//! Why a small harness of our own rather than criterion or divan: the output
//! that matters is the ratio between two measurements taken side by side, in
//! one table with targets. Samples of paygen and of its baseline are taken in
//! turn (so drift in the machine's speed hits both), and the median of each
//! is kept. Options: `--quick` (fewer samples), `--skip-build` (no cargo
//! rebuild or cold build timing), `--round-trip-only`, `--mock-only` (the
//! paygen-mock row alone), `--import-only`, `--compile-only` (paygen's
//! generated code type-checked beside progenitor's), `--cold-only` (cold
//! builds), `--large-spec-only`.

mod cold;
mod compile;
mod cpu;
// The baselines are decoded and never read: measuring is their only use.
#[allow(dead_code)]
mod floor;
mod import;
mod large;
mod published;
mod round_trip;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use paygen::{cashfree, juspay, razorpay, RequestBody, Validate};
use paygen_codegen::ir::ExampleOf;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Counts allocations, to report them per operation.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Operations in the file paygen and progenitor both generate: twenty of
/// each of the six kinds.
const COMPILE_OPERATIONS: usize = 120;

struct Settings {
    samples: usize,
    sample_time: Duration,
}

/// Nanoseconds per call of `f`, over one sample of about `target` time.
fn sample(f: &mut dyn FnMut(), iterations: u64) -> f64 {
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    started.elapsed().as_nanos() as f64 / iterations as f64
}

fn iterations_for(f: &mut dyn FnMut(), target: Duration) -> u64 {
    let mut n = 1;
    loop {
        let started = Instant::now();
        for _ in 0..n {
            f();
        }
        if started.elapsed() >= target / 4 || n >= 1 << 30 {
            let per = started.elapsed().as_nanos().max(1) as f64 / n as f64;
            return ((target.as_nanos() as f64 / per) as u64).max(1);
        }
        n *= 4;
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Median ns per call of `ours` and of `base`, sampled in turn.
fn compare(settings: &Settings, ours: &mut dyn FnMut(), base: &mut dyn FnMut()) -> (f64, f64) {
    let (n_ours, n_base) = (
        iterations_for(ours, settings.sample_time),
        iterations_for(base, settings.sample_time),
    );
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..settings.samples {
        a.push(sample(ours, n_ours));
        b.push(sample(base, n_base));
    }
    (median(a), median(b))
}

fn allocations(f: &mut dyn FnMut()) -> f64 {
    const N: usize = 200;
    f();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..N {
        f();
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / N as f64
}

struct Row {
    metric: String,
    ours: String,
    base: String,
    ratio: Option<f64>,
    target: &'static str,
}

fn ns(x: f64) -> String {
    if x >= 1_000_000.0 {
        format!("{:.2} ms", x / 1_000_000.0)
    } else if x >= 1_000.0 {
        format!("{:.2} µs", x / 1_000.0)
    } else {
        format!("{x:.0} ns")
    }
}

fn example(
    output: &paygen_codegen::Output,
    gateway: &str,
    op: &str,
    of: ExampleOf,
    name: &str,
) -> Value {
    let gw = output.gateways.iter().find(|g| g.name == gateway).unwrap();
    let op = gw.operations().find(|o| o.method_name == op).unwrap();
    op.examples
        .iter()
        .find(|e| e.of == of && e.name == name)
        .unwrap_or_else(|| panic!("no example {name}"))
        .value
        .clone()
}

fn encode_case<T, F>(
    rows: &mut Vec<Row>,
    settings: &Settings,
    label: &str,
    value: &Value,
    floor_encode: impl Fn(&F) -> Vec<u8>,
) where
    T: DeserializeOwned + RequestBody + Validate,
    F: DeserializeOwned,
{
    let ours: T = serde_json::from_value(value.clone()).unwrap();
    let floor: F = serde_json::from_value(value.clone()).unwrap();
    let mut run_ours = || {
        ours.validate().unwrap();
        black_box(ours.encode_body().unwrap());
    };
    let mut run_floor = || {
        black_box(floor_encode(&floor));
    };
    let (a, b) = compare(settings, &mut run_ours, &mut run_floor);
    let (alloc_a, alloc_b) = (allocations(&mut run_ours), allocations(&mut run_floor));
    // Where the time goes: validation alone, and encoding alone.
    let (validate_only, encode_only) = compare(
        settings,
        &mut || {
            black_box(&ours).validate().unwrap();
        },
        &mut || {
            black_box(ours.encode_body().unwrap());
        },
    );
    rows.push(Row {
        metric: format!("encode+validate {label}"),
        ours: format!(
            "{} ({alloc_a:.0} allocs; validate {}, encode {})",
            ns(a),
            ns(validate_only),
            ns(encode_only)
        ),
        base: format!("{} ({alloc_b:.0} allocs)", ns(b)),
        ratio: Some(a / b),
        target: "<= 1.2",
    });
}

fn decode_case<T: DeserializeOwned, F: DeserializeOwned>(
    rows: &mut Vec<Row>,
    settings: &Settings,
    label: &str,
    value: &Value,
) {
    let bytes = serde_json::to_vec(value).unwrap();
    let (a, b) = compare(
        settings,
        &mut || {
            black_box(serde_json::from_slice::<T>(black_box(&bytes)).unwrap());
        },
        &mut || {
            black_box(serde_json::from_slice::<F>(black_box(&bytes)).unwrap());
        },
    );
    rows.push(Row {
        metric: format!("decode {label}"),
        ours: ns(a),
        base: ns(b),
        ratio: Some(a / b),
        target: "<= 1.1",
    });
}

/// A gateway folder with `operations` operations over ten files, each with
/// a request and a response schema, for the generator's scaling.
fn synthetic_specs(dir: &Path, operations: usize) {
    let gateway = dir.join("synthetic");
    std::fs::create_dir_all(&gateway).unwrap();
    std::fs::write(
        gateway.join("gateway.yaml"),
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers:\n  - {url: 'https://s.test', x-environment: sandbox}\n  - {url: 'https://p.test', x-environment: production}\nsecurity: [{B: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    B: {type: http, scheme: basic, x-username: key}\n  schemas:\n    Error: {type: object, properties: {message: {type: string}}}\n",
    )
    .unwrap();
    let per_file = operations.div_ceil(10);
    for file in 0..10 {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: Page, version: '1'}\npaths:\n");
        let mut schemas = String::new();
        for i in (file * per_file)..((file + 1) * per_file).min(operations) {
            text.push_str(&format!(
                "  /op{i}:\n    post:\n      operationId: op{i}\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Req{i}'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Res{i}'}}\n        default:\n          description: error\n          content:\n            application/json:\n              schema: {{$ref: 'gateway.yaml#/components/schemas/Error'}}\n"
            ));
            schemas.push_str(&format!(
                "    Req{i}:\n      type: object\n      required: [amount, currency]\n      properties:\n        amount: {{type: integer, minimum: 100}}\n        currency: {{type: string, minLength: 3, maxLength: 3}}\n        receipt: {{type: string, maxLength: 40}}\n        notes: {{type: object, maxProperties: 15, additionalProperties: {{type: string, maxLength: 256}}}}\n        speed: {{type: string, enum: [normal, optimum]}}\n    Res{i}:\n      type: object\n      properties:\n        id: {{type: string}}\n        status: {{type: string, enum: [created, paid]}}\n"
            ));
        }
        text.push_str("components:\n  schemas:\n");
        text.push_str(&schemas);
        std::fs::write(gateway.join(format!("page{file}.yaml")), text).unwrap();
    }
}

fn generator_rows(rows: &mut Vec<Row>) {
    let started = Instant::now();
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    let specs_time = started.elapsed();
    let operations: usize = output.gateways.iter().map(|g| g.operations().count()).sum();
    rows.push(Row {
        metric: format!("generate specs/ ({operations} operations, in memory)"),
        ours: format!("{:.1} ms", specs_time.as_secs_f64() * 1000.0),
        base: String::new(),
        ratio: None,
        target: "",
    });
    let mut per_op_10 = None;
    for n in [10, 100, 1000] {
        let dir = std::env::temp_dir().join(format!("paygen-bench-{n}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        synthetic_specs(&dir, n);
        let generator = paygen_codegen::Generator::new(&dir, dir.join("out"));
        // The best of three runs: the generator is single-threaded and short.
        let best = (0..3)
            .map(|_| {
                let started = Instant::now();
                black_box(generator.render().unwrap());
                started.elapsed()
            })
            .min()
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let per_op = best.as_secs_f64() / n as f64;
        let base = *per_op_10.get_or_insert(per_op);
        rows.push(Row {
            metric: format!("generate {n} synthetic operations"),
            ours: format!(
                "{:.1} ms ({:.0} µs/op)",
                best.as_secs_f64() * 1000.0,
                per_op * 1e6
            ),
            base: format!("{:.0} µs/op at 10", base * 1e6),
            ratio: Some(per_op / base),
            target: if n == 1000 {
                "< 1 s total; per-op ratio ~1 (linear)"
            } else {
                "per-op ratio ~1 (linear)"
            },
        });
    }
}

fn build_rows(rows: &mut Vec<Row>, output: &paygen_codegen::Output) {
    let lines: usize = output
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    let operations: usize = output.gateways.iter().map(|g| g.operations().count()).sum();
    rows.push(Row {
        metric: format!("generated code: {lines} lines for {operations} operations"),
        ours: format!("{} lines/op", lines / operations.max(1)),
        base: String::new(),
        ratio: None,
        target: "",
    });
    let root = paygen_codegen::workspace_root();
    let build = |label: &str| {
        let started = Instant::now();
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "paygen",
                "--no-default-features",
                "--features",
                "juspay",
            ])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "{label} build failed");
        started.elapsed()
    };
    build("warm-up");
    // An edit, as a regeneration makes: one more line, taken out again after.
    let touched = root.join("generated/src/gateways/juspay/txns.rs");
    let text = std::fs::read_to_string(&touched).unwrap();
    std::fs::write(&touched, format!("{text}\n")).unwrap();
    let rebuild = build("rebuild");
    std::fs::write(&touched, &text).unwrap();
    rows.push(Row {
        metric: "rebuild paygen (feature juspay, dev) after touching a generated file".into(),
        ours: format!("{:.1} s", rebuild.as_secs_f64()),
        base: String::new(),
        ratio: None,
        target: "",
    });
}

/// Encoding and decoding each gateway's page examples, against plain serde.
fn codec_rows(rows: &mut Vec<Row>, settings: &Settings, output: &paygen_codegen::Output) {
    let req = |gw: &str, op: &str, name: &str| example(output, gw, op, ExampleOf::Request, name);
    encode_case::<razorpay::CreateOrderRequest, floor::RazorpayOrder>(
        rows,
        settings,
        "razorpay create_order (card)",
        &req("razorpay", "create_order", "card"),
        |f| serde_json::to_vec(f).unwrap(),
    );
    encode_case::<razorpay::CreatePaymentRequest, floor::RazorpayPayment>(
        rows,
        settings,
        "razorpay create_payment (CRED)",
        &req("razorpay", "create_payment", "cred"),
        |f| serde_json::to_vec(f).unwrap(),
    );
    encode_case::<cashfree::PayOrderRequest, floor::CashfreePay>(
        rows,
        settings,
        "cashfree pay_order (card)",
        &req("cashfree", "pay_order", "card"),
        |f| serde_json::to_vec(f).unwrap(),
    );
    encode_case::<juspay::EligibilityRequest, floor::JuspayEligibility>(
        rows,
        settings,
        "juspay check_eligibility",
        &req("juspay", "check_eligibility", "cred"),
        |f| serde_json::to_vec(f).unwrap(),
    );
    encode_case::<juspay::TxnsRequest, floor::JuspayTxn>(
        rows,
        settings,
        "juspay create_txn (form + JSON field)",
        &req("juspay", "create_txn", "cred"),
        floor::JuspayTxn::encode,
    );

    let res = |gw: &str, op: &str, name: &str| example(output, gw, op, ExampleOf::Response, name);
    decode_case::<razorpay::Order, floor::Order>(
        rows,
        settings,
        "razorpay order",
        &res("razorpay", "create_order", "order_with_payment"),
    );
    decode_case::<razorpay::PaymentCreated, floor::PaymentCreated>(
        rows,
        settings,
        "razorpay payment",
        &res("razorpay", "create_payment", "intent"),
    );
    decode_case::<cashfree::PayOrderResponse, floor::CashfreePayResponse>(
        rows,
        settings,
        "cashfree pay response",
        &res("cashfree", "pay_order", "card_form"),
    );
    decode_case::<juspay::EligibilityResponse, floor::EligibilityResponse>(
        rows,
        settings,
        "juspay eligibility",
        &res("juspay", "check_eligibility", "eligible"),
    );
    decode_case::<juspay::TxnsResponse, floor::TxnsResponse>(
        rows,
        settings,
        "juspay txns (collect)",
        &res("juspay", "create_txn", "collect"),
    );
}

/// The rows as a Markdown table, for docs/performance.md.
fn print_table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.metric.len()).max().unwrap_or(6);
    let ours_w = rows
        .iter()
        .map(|r| r.ours.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let base_w = rows
        .iter()
        .map(|r| r.base.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    println!(
        "| {:width$} | {:ours_w$} | {:base_w$} | ratio | target |",
        "metric", "paygen", "baseline"
    );
    println!(
        "|{}|{}|{}|-------|--------|",
        "-".repeat(width + 2),
        "-".repeat(ours_w + 2),
        "-".repeat(base_w + 2)
    );
    for row in rows {
        let ratio = row.ratio.map_or_else(String::new, |r| format!("{r:.2}"));
        println!(
            "| {:width$} | {:ours_w$} | {:base_w$} | {:5} | {} |",
            row.metric, row.ours, row.base, ratio, row.target
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let mock_only = args.iter().any(|a| a == "--mock-only");
    let only_round_trip = mock_only || args.iter().any(|a| a == "--round-trip-only");
    let skip_build = args.iter().any(|a| a == "--skip-build");
    if cfg!(debug_assertions) {
        eprintln!("warning: measure with `cargo run --release -p paygen-bench`; debug figures mean little");
    }
    // For a look at the generated specs, or timing the CLI on them: write
    // them (`--write-synthetic DIR N`, `--write-published DIR N`) and stop.
    for (flag, write) in [
        ("--write-synthetic", synthetic_specs as fn(&Path, usize)),
        ("--write-published", published::published_style),
        ("--write-shared", published::shared_style),
    ] {
        if let Some(at) = args.iter().position(|a| a == flag) {
            let dir = std::path::PathBuf::from(&args[at + 1]);
            let n = args.get(at + 2).and_then(|n| n.parse().ok()).unwrap_or(16);
            write(&dir, n);
            return;
        }
    }
    if args.iter().any(|a| a == "--import-only") {
        let mut rows = Vec::new();
        import::rows(&mut rows, !skip_build);
        print_table(&rows);
        return;
    }
    if args.iter().any(|a| a == "--cold-only") {
        let mut rows = Vec::new();
        cold::rows(&mut rows);
        print_table(&rows);
        return;
    }
    if args.iter().any(|a| a == "--compile-only") {
        let mut rows = Vec::new();
        compile::progenitor_rows(&mut rows, COMPILE_OPERATIONS);
        print_table(&rows);
        return;
    }
    if args.iter().any(|a| a == "--large-spec-only") {
        let mut rows = Vec::new();
        large::rows(&mut rows);
        print_table(&rows);
        return;
    }
    if args.iter().any(|a| a == cpu::SERVE_FLAG) {
        // The loopback server of the CPU-per-call row, in a process of its own.
        let output = paygen_codegen::Generator::for_workspace().render().unwrap();
        cpu::serve(&output);
        return;
    }
    let settings = Settings {
        samples: if quick { 5 } else { 15 },
        sample_time: Duration::from_millis(if quick { 5 } else { 20 }),
    };
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    let mut rows = Vec::new();

    let req = |gw: &str, op: &str, name: &str| example(&output, gw, op, ExampleOf::Request, name);
    if args.iter().any(|a| a == "--spin-validate") {
        // For a profiler: validate one request type for a few seconds.
        let order: razorpay::CreateOrderRequest =
            serde_json::from_value(req("razorpay", "create_order", "card")).unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            for _ in 0..1000 {
                black_box(&order).validate().unwrap();
            }
        }
        return;
    }
    if !only_round_trip {
        codec_rows(&mut rows, &settings, &output);
        generator_rows(&mut rows);
        import::rows(&mut rows, !skip_build);
        if !skip_build {
            compile::progenitor_rows(&mut rows, COMPILE_OPERATIONS);
            large::rows(&mut rows);
        }
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(round_trip::rows(&mut rows, &output, quick, mock_only));

    if !skip_build && !only_round_trip {
        build_rows(&mut rows, &output);
        cold::rows(&mut rows);
    }
    // Last: it pins this process to one core.
    if !mock_only {
        cpu::row(&mut rows, &output, quick);
    }

    print_table(&rows);
}
