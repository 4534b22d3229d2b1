//! Calling the async clients from synchronous code (feature `blocking`): one
//! runtime per wrapper, each call run to completion on it.

use std::future::Future;

/// A gateway client for synchronous code: `call` runs one of the client's
/// async methods to completion and gives its result.
///
/// ```no_run
/// use paygen::blocking::Blocking;
/// use paygen::{razorpay, Environment};
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Blocking::new(razorpay::Client::new(Environment::Sandbox, "rzp_test_key", "secret"))?;
/// let request = razorpay::CreateOrderRequest::new(50_000, "INR");
/// let order = client.call(|c| c.create_order(&request))?;
/// println!("{}", order.id);
/// # Ok(())
/// # }
/// ```
///
/// Do not use it from inside an async runtime (a `#[tokio::main]` function,
/// a task): blocking a runtime's thread on another runtime panics. There,
/// call the client's async methods.
#[derive(Debug)]
pub struct Blocking<C> {
    client: C,
    runtime: tokio::runtime::Runtime,
}

impl<C> Blocking<C> {
    /// Wraps `client`, with a runtime of its own (one thread: the caller's).
    pub fn new(client: C) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Blocking { client, runtime })
    }

    /// Runs `call` on the client and waits for it.
    pub fn call<'c, F, T>(&'c self, call: impl FnOnce(&'c C) -> F) -> T
    where
        F: Future<Output = T>,
    {
        self.runtime.block_on(call(&self.client))
    }

    /// The wrapped client, for its settings and configuration.
    pub fn client(&self) -> &C {
        &self.client
    }
}
