//! An outbox worker on SQLite: each Cashfree order to create is stored as the
//! request paygen prepared, before anything is sent; a worker sends what is
//! pending, records the decoded response, and may be killed at any step and
//! started again without creating an order twice (the stored request carries
//! its idempotency key, so a resend is answered with the first order). Each
//! webhook is handled once: its dedup key (`Event::dedup_key`, from signed
//! content) and its effect are written in one transaction.
//!
//! On a workflow engine (Temporal, Step Functions) or a queue consumer, the
//! engine replaces the worker loop: the stored `PreparedRequest` is the
//! activity's input, sending it and `decode_create_order` are the activity,
//! and the engine's own retries replace `send_pending`'s next run.

use std::path::Path;

use paygen::cashfree;
use paygen::reqwest::header::HeaderMap;
use paygen::webhooks::cashfree as hooks;
use paygen::{Outcome, PreparedRequest};
use rusqlite::{params, Connection, OptionalExtension};

/// A failure of the worker: the store, the gateway's client, or a webhook.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Where a worker may be killed: the crash-restart test kills it at each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The order is stored, nothing sent.
    Enqueued,
    /// The gateway answered; the response is not recorded.
    Sent,
    /// The response is recorded.
    Recorded,
    /// A webhook is verified; its effect is not committed.
    Verified,
    /// A webhook's effect is committed; the delivery is not acknowledged.
    Handled,
}

impl Step {
    /// The step named `name` (`sent`), as the worker's `--crash-at` takes it.
    pub fn parse(name: &str) -> Option<Step> {
        Some(match name {
            "enqueued" => Step::Enqueued,
            "sent" => Step::Sent,
            "recorded" => Step::Recorded,
            "verified" => Step::Verified,
            "handled" => Step::Handled,
            _ => return None,
        })
    }
}

/// The outbox and what the worker has done, in one SQLite file.
pub struct Outbox {
    db: Connection,
}

impl Outbox {
    /// Opens (or creates) the outbox in `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS outbox (
                 order_id TEXT PRIMARY KEY,
                 prepared TEXT NOT NULL,
                 response TEXT
             );
             CREATE TABLE IF NOT EXISTS webhooks (dedup_key TEXT PRIMARY KEY);
             CREATE TABLE IF NOT EXISTS paid (
                 order_id TEXT PRIMARY KEY,
                 payments INTEGER NOT NULL
             );",
        )?;
        Ok(Outbox { db })
    }

    /// Stores the request that creates `order_id`, once: an order already
    /// stored keeps its first request. Whether it was stored now.
    pub fn enqueue(&self, order_id: &str, prepared: &PreparedRequest) -> Result<bool, Failure> {
        let stored = self.db.execute(
            "INSERT OR IGNORE INTO outbox (order_id, prepared) VALUES (?1, ?2)",
            params![order_id, serde_json::to_string(prepared)?],
        )?;
        Ok(stored == 1)
    }

    /// The orders stored and not yet answered, in the order stored.
    pub fn pending(&self) -> Result<Vec<(String, PreparedRequest)>, Failure> {
        let mut query = self.db.prepare(
            "SELECT order_id, prepared FROM outbox WHERE response IS NULL ORDER BY rowid",
        )?;
        let rows = query.query_map([], |row| Ok((row.get(0)?, row.get::<_, String>(1)?)))?;
        let mut pending = Vec::new();
        for row in rows {
            let (order_id, prepared) = row?;
            pending.push((order_id, serde_json::from_str(&prepared)?));
        }
        Ok(pending)
    }

    /// Records the gateway's response for `order_id`.
    pub fn record(&self, order_id: &str, response: &cashfree::Order) -> Result<(), Failure> {
        self.db.execute(
            "UPDATE outbox SET response = ?2 WHERE order_id = ?1",
            params![order_id, serde_json::to_string(response)?],
        )?;
        Ok(())
    }

    /// The response recorded for `order_id`, if any.
    pub fn response(&self, order_id: &str) -> Result<Option<cashfree::Order>, Failure> {
        let response: Option<Option<String>> = self
            .db
            .query_row(
                "SELECT response FROM outbox WHERE order_id = ?1",
                [order_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(match response.flatten() {
            Some(text) => Some(serde_json::from_str(&text)?),
            None => None,
        })
    }

    /// How many successful payments of `order_id` were handled.
    pub fn payments(&self, order_id: &str) -> Result<i64, Failure> {
        let count = self
            .db
            .query_row(
                "SELECT payments FROM paid WHERE order_id = ?1",
                [order_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(count.unwrap_or(0))
    }

    /// How many webhooks were handled.
    pub fn webhooks_handled(&self) -> Result<i64, Failure> {
        Ok(self
            .db
            .query_row("SELECT COUNT(*) FROM webhooks", [], |row| row.get(0))?)
    }

    /// Applies a verified webhook's effect, once: its dedup key and its
    /// effect commit together, so a redelivery (or a replay under a fresh
    /// delivery id) changes nothing. Whether it was applied now; `crash` is
    /// called before the commit.
    pub fn handle(&mut self, event: &hooks::Event, crash: &dyn Fn(Step)) -> Result<bool, Failure> {
        let tx = self.db.transaction()?;
        let new = tx.execute(
            "INSERT OR IGNORE INTO webhooks (dedup_key) VALUES (?1)",
            [event.dedup_key()],
        )? == 1;
        if new {
            if let hooks::Event::PaymentSuccess(paid) = event {
                tx.execute(
                    "INSERT INTO paid (order_id, payments) VALUES (?1, 1)
                     ON CONFLICT (order_id) DO UPDATE SET payments = payments + 1",
                    [&paid.order.order_id],
                )?;
            }
        }
        crash(Step::Verified);
        tx.commit()?;
        Ok(new)
    }
}

/// Sends every pending order and records each response. A request that did
/// not reach the gateway, or that the gateway asks for again later, stays
/// pending for the next run; so does one whose response is unknown, when its
/// request carries an idempotency key (sending it again gets the first
/// response). How many were recorded.
pub async fn send_pending(
    outbox: &Outbox,
    client: &cashfree::Client,
    crash: &dyn Fn(Step),
) -> Result<usize, Failure> {
    let http = paygen::reqwest::Client::new();
    let mut recorded = 0;
    for (order_id, prepared) in outbox.pending()? {
        let credentials = client.credentials_for(&prepared).await?;
        let (status, headers, body) = match send(&http, &prepared, credentials).await {
            Ok(response) => response,
            Err(error) if prepared.is_idempotent() || error.is_connect() => continue,
            Err(error) => return Err(error.into()),
        };
        crash(Step::Sent);
        match cashfree::Client::decode_create_order(status, &headers, &body) {
            Ok(order) => {
                outbox.record(&order_id, &order)?;
                recorded += 1;
                crash(Step::Recorded);
            }
            Err(error) => match error.outcome() {
                Outcome::NotSent | Outcome::RetryLater => continue,
                Outcome::MaybeProcessed if prepared.is_idempotent() => continue,
                _ => return Err(error.to_string().into()),
            },
        }
    }
    Ok(recorded)
}

/// Sends `prepared` with `credentials`, as any HTTP client would.
async fn send(
    http: &paygen::reqwest::Client,
    prepared: &PreparedRequest,
    credentials: HeaderMap,
) -> Result<(paygen::reqwest::StatusCode, HeaderMap, Vec<u8>), paygen::reqwest::Error> {
    let method = prepared
        .method()
        .parse()
        .unwrap_or(paygen::reqwest::Method::POST);
    let mut request = http.request(method, prepared.url()).headers(credentials);
    for header in prepared.headers() {
        request = request.header(header.name(), header.value());
    }
    if let Some(body) = prepared.body() {
        request = request.body(body.to_vec());
    }
    let response = request.send().await?;
    let (status, headers) = (response.status(), response.headers().clone());
    Ok((status, headers, response.bytes().await?.to_vec()))
}

/// A Cashfree webhook delivery: its headers and raw body, as received.
pub struct Delivery {
    /// The headers, lower case.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl Delivery {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }

    /// Verifies the delivery with `client_secret` and decodes its event.
    pub fn verify(&self, client_secret: &str) -> Result<hooks::Event, Failure> {
        Ok(hooks::verify_webhook(
            &self.body,
            self.header("x-webhook-timestamp"),
            self.header("x-webhook-signature"),
            client_secret,
            hooks::DEFAULT_TOLERANCE,
            std::time::SystemTime::now(),
        )?)
    }
}
