//! Runs independent per-file work (parsing a spec, formatting a module) on
//! every core, with results in input order so that output stays deterministic.
//!
//! Our own, not rayon: `std::thread::scope` does this in a few lines, and
//! rayon's pool would add to the cold build of every build script that
//! generates a gateway.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The stack of every thread that reads or lowers a spec. Parsing and
/// lowering recurse once per level of a spec's nesting (which serde_yaml
/// caps at 128) and once per `$ref` followed (capped at 64 links in
/// `lower`); an unoptimised build
/// needs a few megabytes for the deepest spec that passes those caps, more
/// than the 2 MiB a spawned thread (or a test) has. Only what is touched is
/// ever committed.
pub const STACK: usize = 64 << 20;

/// A thread builder with [`STACK`].
pub fn builder() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK)
}

/// Runs `f` on a thread with [`STACK`], or on this one where no thread can
/// be started.
pub fn on_large_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let task = Mutex::new(Some(f));
    let run = || {
        let f = task.lock().unwrap_or_else(|e| e.into_inner()).take();
        f.map(|f| f())
    };
    let ran = std::thread::scope(|scope| {
        builder()
            .spawn_scoped(scope, run)
            .ok()
            .map(|thread| thread.join())
    });
    match ran {
        Some(Ok(Some(out))) => out,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread: the task is still here.
        _ => run().expect("a task runs once"),
    }
}

/// `f` over `items`, in parallel, in the order of `items`. Each worker takes
/// the next unclaimed item, so one large item does not hold back the rest.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    let work = || loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(at) else { break };
        let result = f(item);
        done.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((at, result));
    };
    std::thread::scope(|scope| {
        let spawned = (0..workers)
            .filter(|_| builder().spawn_scoped(scope, work).is_ok())
            .count();
        // Where no thread can be started (a sandbox's limit), this one
        // does the work: slower, never a failure.
        if spawned == 0 {
            work();
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_input_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..64).collect();
        let out = super::map(&items, |&i| {
            // Early items take longest.
            std::thread::sleep(std::time::Duration::from_micros(64 - i));
            i * 10
        });
        assert_eq!(out, items.iter().map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn maps_no_items_and_one_item() {
        assert!(super::map(&[] as &[u8], |&b| b).is_empty());
        assert_eq!(super::map(&[7u8], |&b| b + 1), vec![8]);
    }
}
