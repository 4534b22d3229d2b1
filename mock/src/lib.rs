//! A mock payment gateway served from paygen's specs: the generated request
//! types decode and validate what it receives, a simulated world holds what
//! the calls created (each gateway's lifecycle, from a rule table per
//! gateway), and it fails on request the ways real gateways do.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use paygen::razorpay;
//! use paygen_mock::{Fault, Happening, MockGateway};
//!
//! let mock = MockGateway::start("razorpay").await?;
//! let [key_id, key_secret] = [mock.credential(0), mock.credential(1)];
//! let client = razorpay::Client::new(mock.environment(), key_id, key_secret);
//!
//! let order = client.create_order(&razorpay::CreateOrderRequest::new(50_000, "INR")).await?;
//! assert_eq!(order.status, razorpay::OrderStatus::Created);
//! mock.drive(&order.id, Happening::Pay).await?;
//!
//! mock.fail_next(Fault::Status(502));
//! assert!(client.fetch_order(&razorpay::FetchOrderParams::new(&order.id)).await.is_err());
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(())
//! # }
//! ```

mod admin;
mod answers;
mod body;
mod errors;
mod form;
mod keys;
mod multipart;
mod recording;
mod request;
mod routes;
mod server;
mod sim;
mod slabs;
mod state;
mod webhooks;
mod world;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use recording::{LOG_BYTES, LOG_CAPACITY};
pub use routes::gateway_names;
pub use server::{FAULT_HEADER, MAX_DELAY};
pub use webhooks::SignedWebhook;

/// A fault to answer one call with, instead of the gateway's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The gateway's own error body, with this status.
    Status(u16),
    /// An HTML error page with this status, as a proxy in front of a gateway sends.
    Html(u16),
    /// The normal response, after this long (past a client's timeout, to test
    /// it), at most [`MAX_DELAY`].
    Delay(Duration),
    /// A response cut short: the connection closes halfway through the body.
    Truncated,
    /// The connection closed with no response at all.
    Reset,
    /// 429 with `Retry-After`.
    RateLimited {
        /// The wait the gateway asks for.
        retry_after: Duration,
    },
}

impl Fault {
    /// Reads a fault from the text of the `x-paygen-mock-fault` header:
    /// `status:503`, `html:502`, `delay:1500` (milliseconds, at most
    /// [`MAX_DELAY`]), `truncated`, `reset`, `rate-limited:2` (seconds). The
    /// header is obeyed only on authenticated calls to a route of the gateway.
    pub fn parse(text: &str) -> Option<Fault> {
        let (kind, value) = text.trim().split_once(':').unwrap_or((text.trim(), ""));
        let number = || value.trim().parse::<u64>().ok();
        match kind {
            "status" => number()
                .and_then(|n| u16::try_from(n).ok())
                .map(Fault::Status),
            "html" => Some(Fault::Html(
                number().and_then(|n| u16::try_from(n).ok()).unwrap_or(502),
            )),
            "delay" => number().map(|ms| Fault::Delay(Duration::from_millis(ms).min(MAX_DELAY))),
            "truncated" => Some(Fault::Truncated),
            "reset" => Some(Fault::Reset),
            "rate-limited" => Some(Fault::RateLimited {
                retry_after: Duration::from_secs(number().unwrap_or(1)),
            }),
            _ => None,
        }
    }
}

/// One request the mock received. Credentials and the values of secret
/// fields (card numbers, phone numbers) are masked as `***`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// `GET`, `POST`.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The headers, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (a form body as its fields), masked.
    pub body: serde_json::Value,
}

impl RecordedRequest {
    /// The value of header `name` (lowercase), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Something that happens to an entity outside the API, which a test
/// makes happen with [`MockGateway::drive`]: the customer pays, the bank
/// refuses, the order expires, the refund is processed.
///
/// Each gateway's lifecycle says which events apply to which entity in
/// which state; any other is refused with the gateway's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Happening {
    /// The customer pays: a Razorpay payment (or an order's open payment)
    /// is authorized and captured and its order paid; a Razorpay payment
    /// link is paid in full (with the order and captured payment made for
    /// it); a Cashfree order is `PAID`; a Juspay order whose transaction is
    /// pending is `CHARGED` (a new card asked to be saved is saved, and a
    /// mandate the order asked for is registered).
    Pay,
    /// The payment fails: Razorpay `failed`, Cashfree's payment `FAILED`
    /// (the order stays `ACTIVE`), Juspay `AUTHORIZATION_FAILED`.
    Fail,
    /// A Razorpay payment is authorized (`created` -> `authorized`), to be
    /// captured by your code.
    Authorize,
    /// A Cashfree order expires (`ACTIVE` -> `EXPIRED`); a Razorpay payment
    /// link expires (`created` -> `expired`).
    Expire,
    /// A Cashfree order is terminated (`ACTIVE` -> `TERMINATED`).
    Terminate,
    /// A refund is processed: Razorpay `processed`, Cashfree `SUCCESS`,
    /// Juspay `SUCCESS` (by the order's id, or the refund's `unique_request_id`).
    /// Driven on a captured Razorpay payment, a settlement is made of every
    /// captured payment and refund not yet settled; on a `PAID` Cashfree
    /// order, its payment is settled; a pending Razorpay transfer is
    /// processed.
    Settle,
    /// The customer's bank disputes a payment: a captured Razorpay payment
    /// (driven on the payment's id: a dispute `open` for its amount), or a
    /// `PAID` Cashfree order's payment (driven on the order's id: a dispute
    /// `DISPUTE_CREATED` for its amount).
    Dispute,
    /// The bank decides a contested dispute for you: Razorpay `under_review`
    /// -> `won`; Cashfree `DISPUTE_DOCS_RECEIVED` -> `DISPUTE_MERCHANT_WON`.
    Win,
    /// The bank decides a contested dispute against you: Razorpay
    /// `under_review` -> `lost` (its amount deducted); Cashfree
    /// `DISPUTE_DOCS_RECEIVED` -> `DISPUTE_MERCHANT_LOST`.
    Lose,
}

impl Happening {
    /// The event's name, as `POST /__paygen/drive` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Happening::Pay => "pay",
            Happening::Fail => "fail",
            Happening::Authorize => "authorize",
            Happening::Expire => "expire",
            Happening::Terminate => "terminate",
            Happening::Settle => "settle",
            Happening::Dispute => "dispute",
            Happening::Win => "win",
            Happening::Lose => "lose",
        }
    }
}

/// Why an event did not happen: no such entity, or its lifecycle does not
/// allow it from the state it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// How to start a mock, beyond its gateway:
/// `MockOptions::default().with_webhook_url(url)`.
#[derive(Debug, Clone, Default)]
pub struct MockOptions {
    addr: Option<SocketAddr>,
    credentials: Option<Vec<String>>,
    key_pem: Option<String>,
    webhook_url: Option<String>,
}

impl MockOptions {
    /// Where to listen (a free loopback port by default).
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }

    /// The credentials to accept, in the client constructor's order
    /// (`mock_<argument>`, such as `mock_key_id`, by default).
    pub fn with_credentials<S: Into<String>>(
        mut self,
        credentials: impl IntoIterator<Item = S>,
    ) -> Self {
        self.credentials = Some(credentials.into_iter().map(Into::into).collect());
        self
    }

    /// The RSA private key (PEM, PKCS#8 or PKCS#1) `x-encrypted` fields are
    /// decrypted with (the mock's built-in key by default).
    pub fn with_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.key_pem = Some(pem.into());
        self
    }

    /// Where the world's webhooks are posted (see [`MockGateway::drive`]).
    pub fn with_webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }
}

/// Why a mock could not start.
#[derive(Debug)]
pub enum MockError {
    /// The specs have no gateway of that name.
    UnknownGateway(String),
    /// The address could not be bound.
    Bind(std::io::Error),
    /// No credentials, or an empty one: the mock would accept anything.
    NoCredentials,
    /// The key given is not an RSA private key in PEM.
    Key(String),
}

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MockError::UnknownGateway(name) => write!(
                f,
                "no gateway `{name}` in the specs (known: {})",
                gateway_names().join(", ")
            ),
            MockError::Bind(e) => write!(f, "cannot listen: {e}"),
            MockError::NoCredentials => f.write_str(
                "no credentials to accept, or an empty one: the mock would let any call through",
            ),
            MockError::Key(why) => write!(f, "the key: {why}"),
        }
    }
}

impl std::error::Error for MockError {}

/// The secret webhooks are signed with.
pub(crate) const WEBHOOK_SECRET: &str = "mock_webhook_secret";

/// A running mock of one gateway. It stops when dropped.
pub struct MockGateway {
    url: String,
    state: Arc<state::State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl std::fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockGateway")
            .field("gateway", &self.state.gateway.name)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl MockGateway {
    /// Serves `gateway` on a free loopback port.
    pub async fn start(gateway: &str) -> Result<Self, MockError> {
        Self::start_with(gateway, MockOptions::default()).await
    }

    /// Serves `gateway` at `addr`, accepting the credentials
    /// `mock_<argument>` (`mock_key_id`, `mock_key_secret`).
    pub async fn start_on(gateway: &str, addr: SocketAddr) -> Result<Self, MockError> {
        Self::start_with(gateway, MockOptions::default().with_addr(addr)).await
    }

    /// Serves `gateway` on a free loopback port, accepting `credentials` (in
    /// the order the gateway's client constructor takes them).
    pub async fn start_accepting(gateway: &str, credentials: &[&str]) -> Result<Self, MockError> {
        let options = MockOptions::default().with_credentials(credentials.iter().copied());
        Self::start_with(gateway, options).await
    }

    /// Serves `gateway` as `options` say.
    pub async fn start_with(gateway: &str, options: MockOptions) -> Result<Self, MockError> {
        let routes = routes::gateway(gateway)
            .ok_or_else(|| MockError::UnknownGateway(gateway.to_owned()))?;
        let credentials = options.credentials.unwrap_or_else(|| {
            routes
                .credential_names()
                .iter()
                .map(|name| format!("mock_{name}"))
                .collect()
        });
        if credentials.is_empty() || credentials.iter().any(String::is_empty) {
            return Err(MockError::NoCredentials);
        }
        let key = match &options.key_pem {
            Some(pem) => Arc::new(keys::KeyPair::from_pem(pem).map_err(MockError::Key)?),
            None => keys::KeyPair::builtin(),
        };
        let addr = options
            .addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = std::net::TcpListener::bind(addr).map_err(MockError::Bind)?;
        listener.set_nonblocking(true).map_err(MockError::Bind)?;
        let local = listener.local_addr().map_err(MockError::Bind)?;
        let state = Arc::new(state::State::new(routes, credentials, key));
        *state::lock(&state.webhook_url) = options.webhook_url;
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        // The mock serves from a thread and runtime of its own, as wiremock
        // does: it answers whatever runtime the test runs on (a
        // current-thread `#[tokio::test]`, a blocking client), and its work
        // does not queue behind the test's tasks.
        let serving = state.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(MockError::Bind)?;
        std::thread::Builder::new()
            .name(format!("paygen-mock {gateway}"))
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                        server::serve(listener, serving, stop).await;
                    }
                });
            })
            .map_err(MockError::Bind)?;
        Ok(MockGateway {
            url: format!("http://{local}"),
            state,
            shutdown: Some(shutdown),
        })
    }

    /// The base URL to give a client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `Environment::Custom` with this mock's URL.
    pub fn environment(&self) -> paygen::Environment {
        paygen::Environment::Custom(self.url.clone())
    }

    /// The credentials the mock accepts, in the order the gateway's client
    /// constructor takes them (`mock_key_id`, `mock_key_secret`).
    pub fn credentials(&self) -> Vec<&str> {
        self.state.credentials.iter().map(String::as_str).collect()
    }

    /// The `index`th credential (see [`credentials`](Self::credentials)), or
    /// `""` when the gateway takes fewer.
    pub fn credential(&self, index: usize) -> &str {
        self.state.credentials.get(index).map_or("", String::as_str)
    }

    /// For a gateway with OAuth 2 client credentials: forgets every token the
    /// mock's token endpoint issued, so that the next call carrying one is
    /// refused with 401, as a gateway refuses a revoked or expired token (the
    /// client fetches another and sends the call again, once). The mock's
    /// tokens say they last an hour, and at most the newest 1,000 are valid.
    pub fn expire_tokens(&self) {
        self.state.expire_tokens();
    }

    /// Answers the next call with `fault` (faults queue up, one per call).
    pub fn fail_next(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// The authenticated requests received so far, in order: the newest
    /// [`LOG_CAPACITY`] (fewer when their paths, headers and bodies pass
    /// [`LOG_BYTES`]), masked as they are read.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// The public key (PEM) a client encrypts this gateway's `x-encrypted`
    /// fields with (Juspay's phone number): give it to `with_public_key_pem`.
    /// The mock decrypts each such field and refuses one that does not decrypt.
    /// The same PEM is served at `GET /__paygen/public-key`, for a client in
    /// another process (the binary's).
    pub fn public_key_pem(&self) -> &str {
        self.state.key.public_pem()
    }

    /// Answers the next call with the spec's example response named `name`
    /// (as the spec names it, `order_with_payment`), exactly as written: a
    /// canned response the test asks for, which creates and changes nothing.
    /// The request is still judged. A name the operation does not have
    /// gives its first example.
    pub fn respond_next_with(&self, name: &str) {
        self.state.choose_example(name);
    }

    /// Whether `x-encrypted` fields must decrypt with the mock's key (on by
    /// default). Turn it off to send bodies whose ciphertext was made with
    /// another key, such as a page's own example.
    pub fn check_encryption(&self, on: bool) {
        self.state
            .check_encryption
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The secret the mock signs Razorpay webhooks with (and Juspay's Basic
    /// password): give it to your webhook handler.
    pub fn webhook_secret(&self) -> &str {
        WEBHOOK_SECRET
    }

    /// `event` with `payload`, wrapped and signed as this gateway sends it
    /// (see [`post_webhook`](Self::post_webhook)).
    pub fn webhook(&self, event: &str, payload: serde_json::Value) -> SignedWebhook {
        webhooks::sign(
            self.state.gateway.name,
            event,
            payload,
            &self.state.credentials,
            WEBHOOK_SECRET,
            std::time::SystemTime::now(),
        )
    }

    /// Posts `event` with `payload` to `url`, signed as this gateway signs
    /// its webhooks, and gives the status your handler answered.
    ///
    /// The payload is what goes inside the gateway's envelope: for Razorpay
    /// the `payload` object (`{"payment": {"entity": {...}}}`), for Cashfree
    /// the `data` object (`{"order": {...}, "payment": {...}}`).
    pub async fn post_webhook(
        &self,
        url: &str,
        event: &str,
        payload: serde_json::Value,
    ) -> Result<u16, paygen::reqwest::Error> {
        let signed = self.webhook(event, payload);
        let mut request = paygen::reqwest::Client::new().post(url).body(signed.body);
        for (name, value) in signed.headers {
            request = request.header(name, value);
        }
        Ok(request.send().await?.status().as_u16())
    }

    /// Makes `event` happen to the entity with id `id` (an order, a
    /// payment, a refund), as the gateway would when something happens
    /// outside the API, and gives the entity as it is now. With a webhook
    /// URL set ([`MockOptions::with_webhook_url`], [`send_webhooks_to`](Self::send_webhooks_to)),
    /// the webhooks the gateway sends for it are posted there, signed,
    /// before this returns. A test in another process does the same with
    /// `POST /__paygen/drive`.
    ///
    /// An id no call created, or an event the entity's lifecycle does not
    /// allow from its state (paying a paid order, settling a processed
    /// refund), is refused, and nothing changes.
    pub async fn drive(&self, id: &str, event: Happening) -> Result<serde_json::Value, Refused> {
        admin::drive_and_notify(&self.state, id, event)
            .await
            .map_err(|refusal| Refused(refusal.message()))
    }

    /// Posts the webhooks of later events to `url`.
    pub fn send_webhooks_to(&self, url: &str) {
        *state::lock(&self.state.webhook_url) = Some(url.to_owned());
    }

    /// Sets `fields` on every kept entity with id `id`, outside every rule:
    /// for a state the lifecycle cannot reach. Prefer [`drive`](Self::drive),
    /// which keeps the world consistent. Returns how many were changed.
    pub fn update(&self, id: &str, fields: serde_json::Value) -> usize {
        self.state.update(id, &fields)
    }
}

impl Drop for MockGateway {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
