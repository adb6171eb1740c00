//! The typed client of the server's JSON API. Every call returns `Result<T, ApiError>`;
//! a request still in flight when its page goes away is aborted.

use domain::{
    api::{CategoryCount, ErrorBody, ErrorDetail, Page},
    catalog::{Cooperative, CooperativeSummary, Product, ProductSummary},
    query::ProductQuery,
};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer: offline, DNS, the server is down.
    #[error("network error")]
    Network,
    /// The server answered with an error status and (usually) its JSON error body.
    #[error("HTTP {status}")]
    Http { status: u16, detail: Option<ErrorDetail> },
    /// The answer was not what this version of the app understands.
    #[error("unexpected response")]
    Decode,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Http { status: 404, .. })
    }
}

/// GET `path` and decode its JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let response = gloo_net::http::Request::get(path)
        .abort_signal(signal.as_ref())
        .header("Accept", "application/json")
        .send()
        .await;
    decode(response).await
}

/// The JSON of a successful answer, or the API's error shape as an `ApiError`.
async fn decode<T: DeserializeOwned>(response: Result<gloo_net::http::Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    if response.ok() {
        response.json::<T>().await.map_err(|_| ApiError::Decode)
    } else {
        let detail = response.json::<ErrorBody>().await.ok().map(|b| b.error);
        Err(ApiError::Http { status: response.status(), detail })
    }
}

pub async fn products(query: &ProductQuery) -> Result<Page<ProductSummary>, ApiError> {
    get(&format!("/api/v1/products?{}", query.to_query_string())).await
}

pub async fn product(slug: &str) -> Result<Product, ApiError> {
    get(&format!("/api/v1/products/{}", encode(slug))).await
}

pub async fn categories() -> Result<Vec<CategoryCount>, ApiError> {
    get("/api/v1/categories").await
}

pub async fn cooperatives(page: u32, per_page: u32) -> Result<Page<CooperativeSummary>, ApiError> {
    get(&format!("/api/v1/cooperatives?page={page}&per_page={per_page}")).await
}

pub async fn cooperative(slug: &str) -> Result<Cooperative, ApiError> {
    get(&format!("/api/v1/cooperatives/{}", encode(slug))).await
}

fn encode(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

pub async fn provinces_communes(province: u8) -> Result<Vec<domain::order::Commune>, ApiError> {
    get(&format!("/api/v1/provinces/{province}/communes")).await
}

pub async fn quote(lines: Vec<domain::order::LineRequest>) -> Result<domain::order::Quote, ApiError> {
    post("/api/v1/cart/quote", &domain::order::QuoteRequest { lines }, None).await
}

pub async fn place_order(
    request: &domain::order::OrderRequest,
    idempotency_key: &str,
) -> Result<domain::order::CreatedOrders, ApiError> {
    post("/api/v1/orders", request, Some(idempotency_key)).await
}

pub async fn order(number: &str, token: &str) -> Result<domain::order::Order, ApiError> {
    get(&format!("/api/v1/orders/{}?token={}", encode(number), encode(token))).await
}

/// The VietQR image of a bank-transfer order (an SVG drawn by the server).
pub fn order_qr_url(number: &str, token: &str) -> String {
    format!("/api/v1/orders/{}/vietqr.svg?token={}", encode(number), encode(token))
}

/// POST `body` as JSON and decode the JSON answer.
pub async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let mut request = gloo_net::http::Request::post(path).header("Accept", "application/json");
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.json(body).map_err(|_| ApiError::Decode)?.send().await;
    decode(response).await
}
