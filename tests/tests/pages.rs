//! Paged lists: a `*_pages` method asks for one page after another, moving
//! `skip` by what it has read, and stops at a short page, the first error, or
//! a page the gateway answers twice; it is a `Stream` of items too.

use paygen::razorpay::{self, ListOrdersParams};
use paygen::RetryPolicy;
use paygen_tests::support::{self, order_answer};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A gateway holding `total` orders, answering `count`/`skip` like Razorpay;
/// the page starting at `fail_at` (if any) answers 500.
struct Orders {
    total: usize,
    fail_at: Option<usize>,
}

/// A gateway that ignores `skip`: every request gets the first two orders.
struct IgnoresSkip;

impl Respond for IgnoresSkip {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let items = [order_answer("order_0"), order_answer("order_1")];
        ResponseTemplate::new(200)
            .set_body_json(json!({"entity": "collection", "count": 2, "items": items}))
    }
}

impl Respond for Orders {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse::<usize>().ok())
        };
        let (count, skip) = (query("count").unwrap_or(10), query("skip").unwrap_or(0));
        if Some(skip) == self.fail_at {
            return ResponseTemplate::new(500)
                .set_body_json(json!({"error": {"code": "SERVER_ERROR", "description": "down"}}));
        }
        let items: Vec<_> = (skip..self.total.min(skip + count))
            .map(|n| order_answer(&format!("order_{n}")))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({"entity": "collection", "count": items.len(), "items": items}))
    }
}

async fn gateway(orders: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/orders"))
        .respond_with(orders)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> razorpay::Client {
    support::razorpay_client(&server.uri()).with_retry(RetryPolicy::never())
}

fn pages_of(count: i64) -> ListOrdersParams {
    ListOrdersParams {
        count: Some(count),
        ..Default::default()
    }
}

/// The `skip` of each request the server received, in order.
async fn skips(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn every_item_is_read_once_in_order_until_a_short_page() {
    let server = gateway(Orders {
        total: 5,
        fail_at: None,
    })
    .await;
    let orders = client(&server)
        .list_orders_pages(pages_of(2))
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = orders.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["order_0", "order_1", "order_2", "order_3", "order_4"]);
    assert_eq!(
        skips(&server).await,
        ["count=2&skip=0", "count=2&skip=2", "count=2&skip=4"]
    );
}

#[tokio::test]
async fn a_list_that_fills_its_last_page_ends_at_the_empty_page_after_it() {
    let server = gateway(Orders {
        total: 4,
        fail_at: None,
    })
    .await;
    let mut pages = client(&server).list_orders_pages(pages_of(2));
    let mut read = Vec::new();
    while let Some(order) = pages.next().await {
        read.push(order.unwrap().id);
    }
    assert_eq!(read, ["order_0", "order_1", "order_2", "order_3"]);
    assert_eq!(
        skips(&server).await.len(),
        3,
        "two full pages, then an empty one"
    );
    assert!(
        pages.next().await.is_none(),
        "a finished list stays finished"
    );
    assert_eq!(skips(&server).await.len(), 3, "and asks nothing more");
}

#[tokio::test]
async fn reading_starts_at_the_callers_skip_and_uses_the_documented_page_size() {
    let server = gateway(Orders {
        total: 13,
        fail_at: None,
    })
    .await;
    let params = ListOrdersParams {
        skip: Some(1),
        ..Default::default()
    };
    let orders = client(&server)
        .list_orders_pages(params)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(orders.len(), 12);
    assert_eq!(orders[0].id, "order_1");
    // No `count` given: the spec's default page size (10), so 10 then 2.
    assert_eq!(skips(&server).await, ["skip=1", "skip=11"]);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_reading() {
    let server = gateway(Orders {
        total: 9,
        fail_at: Some(2),
    })
    .await;
    let mut pages = client(&server).list_orders_pages(pages_of(2));
    assert_eq!(pages.next().await.unwrap().unwrap().id, "order_0");
    assert_eq!(pages.next().await.unwrap().unwrap().id, "order_1");
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(pages.next().await.is_none());
    assert_eq!(skips(&server).await.len(), 2);

    let all = client(&server)
        .list_orders_pages(pages_of(2))
        .collect_all()
        .await;
    assert!(
        all.is_err(),
        "collect_all gives the first error, not a partial list"
    );
}

#[tokio::test]
async fn a_gateway_that_ignores_the_offset_ends_the_reading_instead_of_looping() {
    let server = gateway(IgnoresSkip).await;
    let error = client(&server)
        .list_orders_pages(pages_of(2))
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(error, paygen::Error::RepeatedPage { skip: 2 }),
        "{error:?}"
    );
    assert_eq!(error.outcome(), paygen::Outcome::NotProcessed);
    assert_eq!(
        skips(&server).await,
        ["count=2&skip=0", "count=2&skip=2"],
        "the first page, then the same page again, and no more"
    );
}

#[tokio::test]
async fn pages_are_a_stream_of_items_for_stream_combinators() {
    use futures_util::StreamExt as _;
    let server = gateway(Orders {
        total: 5,
        fail_at: None,
    })
    .await;
    let ids: Vec<String> = client(&server)
        .list_orders_pages(pages_of(2))
        .map(|order| order.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["order_0", "order_1", "order_2", "order_3", "order_4"]);
    // Taking three reads two pages, and asks for no third.
    let server = gateway(Orders {
        total: 5,
        fail_at: None,
    })
    .await;
    let first: Vec<_> = client(&server)
        .list_orders_pages(pages_of(2))
        .take(3)
        .collect()
        .await;
    assert_eq!(first.len(), 3);
    assert_eq!(skips(&server).await.len(), 2);
}
