//! Reading a list that a gateway answers a page at a time: one item (or one
//! page) after another, asking for the next page once a page is read, until a
//! page comes back short, or the gateway answers the page it answered before.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::error::Error;

/// One page's response.
type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<Vec<T>, Error<E>>> + Send>>;

/// One page's request: the items of the page that starts after `skip` items.
type Fetch<T, E> = Box<dyn FnMut(i64) -> PageFuture<T, E> + Send>;

/// The items of a list, read page by page (`count`/`skip` pagination). A
/// generated `*_pages` method returns one. It is a
/// [`Stream`](futures_core::Stream) of items, so stream combinators work on
/// it, and it has its own `next` for a plain loop:
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
///
/// A gateway that ignores the page offset would answer the first page
/// forever: a page equal to the one before it ends the reading with
/// [`Error::RepeatedPage`], so that `collect_all` always ends.
pub struct Pages<T, E> {
    fetch: Fetch<T, E>,
    page_size: i64,
    skip: i64,
    page: std::vec::IntoIter<T>,
    /// The last page read, to tell a gateway that sends it again.
    previous: Option<Vec<T>>,
    /// The page being asked for.
    pending: Option<PageFuture<T, E>>,
    done: bool,
}

impl<T, E> Pages<T, E> {
    /// Pages of `page_size` items, starting after `skip`; `fetch(skip)` asks
    /// for one page.
    pub fn offset<F>(page_size: i64, skip: i64, fetch: F) -> Self
    where
        F: FnMut(i64) -> PageFuture<T, E> + Send + 'static,
    {
        Pages {
            fetch: Box::new(fetch),
            page_size: page_size.max(1),
            skip,
            page: Vec::new().into_iter(),
            previous: None,
            pending: None,
            done: false,
        }
    }
}

impl<T: PartialEq + Clone, E> Pages<T, E> {
    fn poll_next_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<T>, Error<E>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let (fetch, skip) = (&mut self.fetch, self.skip);
        let pending = self.pending.get_or_insert_with(|| fetch(skip));
        let answer = ready!(pending.as_mut().poll(cx));
        self.pending = None;
        let page = match answer {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Poll::Ready(Some(Err(error)));
            }
        };
        if !page.is_empty() && self.previous.as_ref() == Some(&page) {
            self.done = true;
            return Poll::Ready(Some(Err(Error::RepeatedPage { skip: self.skip })));
        }
        let read = i64::try_from(page.len()).unwrap_or(i64::MAX);
        self.skip = self.skip.saturating_add(read);
        self.done = read < self.page_size;
        if page.is_empty() {
            return Poll::Ready(None);
        }
        self.previous = Some(page.clone());
        Poll::Ready(Some(Ok(page)))
    }

    fn poll_next_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error<E>>>> {
        loop {
            if let Some(item) = self.page.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.poll_next_page(cx)) {
                Some(Ok(page)) => self.page = page.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }

    /// The next page, or `None` after the last one. A page shorter than the
    /// page size is the last; an error ends the reading.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error<E>>> {
        poll_fn(|cx| self.poll_next_page(cx)).await
    }

    /// The next item, asking for the next page when this one is read; `None`
    /// after the last item.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        poll_fn(|cx| self.poll_next_item(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all: Vec<T> = self.page.by_ref().collect();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }
}

impl<T: PartialEq + Clone + Unpin, E> futures_core::Stream for Pages<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_item(cx)
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
