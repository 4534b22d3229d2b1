//! Reading a list that a gateway answers a page at a time: one item (or one
//! page) after another, asking for the next page once a page is read, until a
//! page comes back short.

use std::future::Future;
use std::pin::Pin;

use super::error::Error;

/// One page's request: the items of the page that starts after `skip` items.
type Fetch<T, E> =
    Box<dyn FnMut(i64) -> Pin<Box<dyn Future<Output = Result<Vec<T>, Error<E>>> + Send>> + Send>;

/// The items of a list, read page by page (`count`/`skip` pagination). A
/// generated `*_pages` method returns one:
///
/// ```no_run
/// # async fn demo(client: paygen::razorpay::Client) -> Result<(), paygen::Error<paygen::razorpay::ErrorResponse>> {
/// let mut orders = client.list_orders_pages(Default::default());
/// while let Some(order) = orders.next().await {
///     let order = order?;
///     println!("{} {:?}", order.id, order.status);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Pages<T, E> {
    fetch: Fetch<T, E>,
    page_size: i64,
    skip: i64,
    page: std::vec::IntoIter<T>,
    done: bool,
}

impl<T, E> Pages<T, E> {
    /// Pages of `page_size` items, starting after `skip`; `fetch(skip)` asks
    /// for one page.
    pub fn offset<F>(page_size: i64, skip: i64, fetch: F) -> Self
    where
        F: FnMut(i64) -> Pin<Box<dyn Future<Output = Result<Vec<T>, Error<E>>> + Send>>
            + Send
            + 'static,
    {
        Pages {
            fetch: Box::new(fetch),
            page_size: page_size.max(1),
            skip,
            page: Vec::new().into_iter(),
            done: false,
        }
    }

    /// The next page, or `None` after the last one. A page shorter than the
    /// page size is the last; an error ends the reading.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error<E>>> {
        if self.done {
            return None;
        }
        match (self.fetch)(self.skip).await {
            Ok(page) => {
                let read = i64::try_from(page.len()).unwrap_or(i64::MAX);
                self.skip = self.skip.saturating_add(read);
                self.done = read < self.page_size;
                if page.is_empty() {
                    return None;
                }
                Some(Ok(page))
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }

    /// The next item, asking for the next page when this one is read; `None`
    /// after the last item.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            match self.next_page().await? {
                Ok(page) => self.page = page.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }

    /// Every remaining item, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        all.extend(self.page);
        Ok(all)
    }
}

impl<T, E> std::fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("page_size", &self.page_size)
            .field("skip", &self.skip)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
