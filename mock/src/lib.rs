//! A mock payment gateway served from paygen's specs: the generated request
//! types decode and validate what it receives, the spec's examples are what
//! it answers (with the request's values carried over), and it fails on
//! request the ways real gateways do.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use paygen::razorpay;
//! use paygen_mock::{Fault, MockGateway};
//!
//! let mock = MockGateway::start("razorpay").await?;
//! let [key_id, key_secret] = [mock.credential(0), mock.credential(1)];
//! let client = razorpay::Client::new(mock.environment(), key_id, key_secret);
//!
//! let order = client.create_order(&razorpay::CreateOrderRequest::new(50_000, "INR")).await?;
//! assert_eq!(order.amount, 50_000);
//!
//! mock.fail_next(Fault::Status(502));
//! assert!(client.fetch_order(&razorpay::FetchOrderParams::new(&order.id)).await.is_err());
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(())
//! # }
//! ```

mod answers;
mod errors;
mod form;
mod gateways;
mod keys;
mod request;
mod routes;
mod server;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use routes::gateway_names;
pub use server::FAULT_HEADER;
pub use webhooks::SignedWebhook;

/// A fault to answer one call with, instead of the gateway's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The gateway's own error body, with this status.
    Status(u16),
    /// An HTML error page with this status, as a proxy in front of a gateway sends.
    Html(u16),
    /// The normal answer, after this long (past a client's timeout, to test it).
    Delay(Duration),
    /// An answer cut short: the connection closes halfway through the body.
    Truncated,
    /// The connection closed with no answer at all.
    Reset,
    /// 429 with `Retry-After`.
    RateLimited {
        /// The wait the gateway asks for.
        retry_after: Duration,
    },
}

impl Fault {
    /// Reads a fault from the text of the `x-paygen-mock-fault` header:
    /// `status:503`, `html:502`, `delay:1500` (milliseconds), `truncated`,
    /// `reset`, `rate-limited:2` (seconds).
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
            "delay" => number().map(|ms| Fault::Delay(Duration::from_millis(ms))),
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

/// Why a mock could not start.
#[derive(Debug)]
pub enum MockError {
    /// The specs have no gateway of that name.
    UnknownGateway(String),
    /// The address could not be bound.
    Bind(std::io::Error),
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
        }
    }
}

impl std::error::Error for MockError {}

/// The secret webhooks are signed with.
const WEBHOOK_SECRET: &str = "mock_webhook_secret";

/// A running mock of one gateway. It stops when dropped.
pub struct MockGateway {
    url: String,
    state: Arc<server::State>,
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
        Self::start_on(gateway, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves `gateway` at `addr`, accepting the credentials
    /// `mock_<argument>` (`mock_key_id`, `mock_key_secret`).
    pub async fn start_on(gateway: &str, addr: SocketAddr) -> Result<Self, MockError> {
        let routes = routes::gateway(gateway)
            .ok_or_else(|| MockError::UnknownGateway(gateway.to_owned()))?;
        let credentials: Vec<String> = routes
            .credential_names()
            .iter()
            .map(|name| format!("mock_{name}"))
            .collect();
        Self::serve(routes, credentials, addr).await
    }

    /// Serves `gateway` on a free loopback port, accepting `credentials` (in
    /// the order the gateway's client constructor takes them).
    pub async fn start_accepting(gateway: &str, credentials: &[&str]) -> Result<Self, MockError> {
        let routes = routes::gateway(gateway)
            .ok_or_else(|| MockError::UnknownGateway(gateway.to_owned()))?;
        let credentials = credentials.iter().map(|c| (*c).to_owned()).collect();
        Self::serve(routes, credentials, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    async fn serve(
        routes: &'static routes::GatewayRoutes,
        credentials: Vec<String>,
        addr: SocketAddr,
    ) -> Result<Self, MockError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(MockError::Bind)?;
        let local = listener.local_addr().map_err(MockError::Bind)?;
        let state = Arc::new(server::State::new(routes, credentials));
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        tokio::spawn(server::serve(listener, state.clone(), stop));
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

    /// Answers the next call with `fault` (faults queue up, one per call).
    pub fn fail_next(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// The public key (PEM) a client encrypts this gateway's `x-encrypted`
    /// fields with (Juspay's phone number): give it to `with_public_key_pem`.
    /// The mock decrypts each such field and refuses one that does not decrypt.
    pub fn public_key_pem(&self) -> &'static str {
        keys::public_key_pem()
    }

    /// Answers the next call with the spec's example answer named `name`
    /// (as the spec names it, `order_with_payment`) instead of the first.
    /// A name the operation does not have gives its first example.
    pub fn answer_next_with(&self, name: &str) {
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

    /// Sets `fields` on the kept entity with id `id` (an order, a payment),
    /// as the gateway would when something happens outside the API: a
    /// customer pays, a refund is processed. Returns how many were changed.
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
