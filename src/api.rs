//! The typed client of the server's JSON API. Every call returns `Result<T, ApiError>`;
//! a request still in flight when its page goes away is aborted.

use crate::url::encode;
use domain::{
    account::{
        AddressRequest, CSRF_HEADER, CooperativeRegistration, InvitationCreated, InvitationInfo, InvitationRequest,
        Member, Membership, OrderSummary, PasswordResetConfirm, PasswordResetRequest, PendingInvitation, SavedAddress,
        SessionInfo, SignInRequest, SignUpRequest,
    },
    api::{CategoryCount, ErrorBody, ErrorCode, Page, ProductResults},
    catalog::{Cooperative, CooperativeSummary, Product, ProductSummary},
    query::ProductQuery,
};
use gloo_net::http::{Request, RequestBuilder};
#[cfg(not(feature = "ssr"))]
use leptos::prelude::on_cleanup;
#[cfg(not(feature = "ssr"))]
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use std::cell::RefCell;

thread_local! {
    /// The CSRF token of the current session: set from every `SessionInfo` the server
    /// sends, sent with every unsafe request (POST, DELETE…). The app's one copy.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers the session's CSRF token (and returns the session unchanged).
fn remember(session: SessionInfo) -> SessionInfo {
    CSRF_TOKEN.with(|t| *t.borrow_mut() = session.csrf_token.clone());
    session
}

/// Adds the session's CSRF token, if there is one, to an unsafe request.
fn with_csrf(request: RequestBuilder) -> RequestBuilder {
    match CSRF_TOKEN.with(|t| t.borrow().clone()) {
        Some(token) => request.header(CSRF_HEADER, &token),
        None => request,
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ApiError {
    /// No answer: offline, DNS, the server is down.
    #[error("network error")]
    Network,
    /// The server answered with an error status and (usually) its JSON error body.
    #[error("HTTP {status}")]
    Http { status: u16, detail: Option<Failure> },
    /// The answer was not what this version of the app understands.
    #[error("unexpected response")]
    Decode,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Http { status: 404, .. })
    }

    /// No usable answer for a reason of the server's, not the request's: worth a retry later.
    pub fn is_unavailable(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => *status >= 500,
            ApiError::Network | ApiError::Decode => true,
        }
    }

    /// The API's error code (`ErrorCode::InvalidCredentials`…), if it sent one this
    /// version knows.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Http { detail: Some(d), .. } => d.error_code(),
            _ => None,
        }
    }

    /// The per-field errors of a 4xx answer (empty for any other failure).
    pub fn fields(&self) -> domain::validate::Errors {
        match self {
            ApiError::Http { detail: Some(d), .. } => d.fields(),
            _ => domain::validate::Errors::new(),
        }
    }

    /// The error of an answer with status `status` and body `body` (the API's error shape,
    /// or anything else from a proxy on the way).
    pub fn from_answer(status: u16, body: &str) -> ApiError {
        ApiError::Http { status, detail: Failure::read(body) }
    }
}

/// The API's error body ([`ErrorBody`]) as the app keeps it: its code and message read,
/// its per-field errors left as JSON until a form asks for them ([`Failure::fields`]).
/// The storefront's islands have no forms, and the decoder of the field errors (an
/// internally tagged enum of thirty-odd variants) was a tenth of their bundle.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// Stable machine code ([`ErrorCode`]).
    pub code: String,
    /// An English sentence for developers; the app shows its own translations.
    pub message: String,
    /// The whole body, read again by [`Failure::fields`].
    body: String,
}

impl Failure {
    /// The code and message of an error body; `None` when it is not the API's shape.
    pub fn read(body: &str) -> Option<Failure> {
        // Only these two fields: serde skips `fields` without decoding it.
        #[derive(serde::Deserialize)]
        struct Head {
            code: String,
            message: String,
        }
        #[derive(serde::Deserialize)]
        struct Body {
            error: Head,
        }
        let Body { error: Head { code, message } } = serde_json::from_str(body).ok()?;
        Some(Failure { code, message, body: body.to_owned() })
    }

    /// The code as the enum (None for a code this version does not know).
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_code(&self.code)
    }

    /// The per-field errors (`{"variants.0.price": {"code": "too_long", …}}`), empty when
    /// there are none.
    pub fn fields(&self) -> domain::validate::Errors {
        serde_json::from_str::<ErrorBody>(&self.body).map(|b| b.error.fields).unwrap_or_default()
    }
}

/// GET `path` and decode its JSON. The future is `Send`, so a page's `Resource` can
/// await it on the server and in the browser alike: on the server (feature `ssr`) the
/// request goes to the API router in process, with the visitor's cookies; in the browser
/// it is a `fetch`, aborted when its page goes away.
pub fn get<T: DeserializeOwned + 'static>(path: &str) -> impl Future<Output = Result<T, ApiError>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        in_process::get(path)
    }
    #[cfg(not(feature = "ssr"))]
    {
        SendWrapper::new(browser_get(path.to_owned()))
    }
}

#[cfg(not(feature = "ssr"))]
async fn browser_get<T: DeserializeOwned>(path: String) -> Result<T, ApiError> {
    let controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let response = Request::get(&path).abort_signal(signal.as_ref()).header("Accept", "application/json").send().await;
    decode(response).await
}

/// The server's side of [`get`]: the API router, called as a `tower::Service`.
#[cfg(feature = "ssr")]
pub mod in_process {
    use super::ApiError;
    use axum::body::Body;
    use leptos::prelude::use_context;
    use serde::de::DeserializeOwned;
    use tower::ServiceExt;

    /// The API router the server renders pages with, provided as context per request.
    #[derive(Clone)]
    pub struct Api(pub axum::Router);

    /// Largest API answer a page reads (a catalog page is a few tens of KB).
    const MAX_ANSWER: usize = 4 * 1024 * 1024;

    pub fn get<T: DeserializeOwned + 'static>(
        path: &str,
    ) -> impl Future<Output = Result<T, ApiError>> + Send + 'static {
        // Read the context now, while the page's owner is current.
        let api = use_context::<Api>();
        let parts = use_context::<http::request::Parts>();
        let mut request = http::Request::get(path).header(http::header::ACCEPT, "application/json");
        if let Some(parts) = &parts {
            // The visitor's session, so the API answers with the same authorisation, and
            // the connection's address for its rate limits.
            for name in [http::header::COOKIE, http::header::ACCEPT_LANGUAGE] {
                if let Some(value) = parts.headers.get(&name) {
                    request = request.header(name, value);
                }
            }
            if let Some(info) = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
                request = request.extension(*info);
            }
        }
        let request = request.body(Body::empty());
        async move {
            let (Some(Api(router)), Ok(request)) = (api, request) else { return Err(ApiError::Network) };
            let Ok(response) = router.oneshot(request).await;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), MAX_ANSWER).await.map_err(|_| ApiError::Network)?;
            if status.is_success() {
                let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &body };
                serde_json::from_slice(json).map_err(|_| ApiError::Decode)
            } else {
                Err(ApiError::from_answer(status.as_u16(), &String::from_utf8_lossy(&body)))
            }
        }
    }
}

/// The JSON of a successful answer, or the API's error shape as an `ApiError`. An empty
/// body (204, 202) decodes as JSON `null`, so `T = ()` reads it.
async fn decode<T: DeserializeOwned>(
    response: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    if response.ok() {
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        let json = if text.trim().is_empty() { "null" } else { text.as_str() };
        serde_json::from_str(json).map_err(|_| ApiError::Decode)
    } else {
        let body = response.text().await.unwrap_or_default();
        Err(ApiError::from_answer(response.status(), &body))
    }
}

pub async fn products(query: &ProductQuery) -> Result<Page<ProductSummary>, ApiError> {
    get(&format!("/api/v1/products?{}", query.to_query_string())).await
}

/// The catalog page's results: the page with its facet counts, a corrected search text or
/// suggestions when nothing matches.
pub async fn catalog_results(query: &ProductQuery) -> Result<ProductResults, ApiError> {
    let qs = query.to_query_string();
    get(&format!("/api/v1/products?{qs}{}facets=true", if qs.is_empty() { "" } else { "&" })).await
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

/// An order by its number and the buyer's phone ("Tra cứu đơn hàng").
pub async fn lookup_order(req: &domain::order::OrderLookup) -> Result<domain::order::Order, ApiError> {
    post("/api/v1/order-lookup", req, None).await
}

/// The VietQR image of a bank-transfer order (an SVG drawn by the server), or with
/// `png` the file to save into the phone's photos.
pub fn order_qr_url(number: &str, token: &str, png: bool) -> String {
    let ext = if png { "png" } else { "svg" };
    format!("/api/v1/orders/{}/vietqr.{ext}?token={}", encode(number), encode(token))
}

/// POST `body` as JSON and decode the JSON answer.
pub async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let mut request = with_csrf(Request::post(path).header("Accept", "application/json"));
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.json(body).map_err(|_| ApiError::Decode)?.send().await;
    decode(response).await
}

/// DELETE `path` (with the session's CSRF token); the answer has no body.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    let response = with_csrf(Request::delete(path).header("Accept", "application/json")).send().await;
    decode(response).await
}

/// PUT `body` as JSON (with the session's CSRF token) and decode the JSON answer.
pub async fn put<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let request = with_csrf(Request::put(path).header("Accept", "application/json"));
    let response = request.json(body).map_err(|_| ApiError::Decode)?.send().await;
    decode(response).await
}

/// PATCH `body` as JSON (with the session's CSRF token) and decode the JSON answer.
pub async fn patch<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let request = with_csrf(Request::patch(path).header("Accept", "application/json"));
    let response = request.json(body).map_err(|_| ApiError::Decode)?.send().await;
    decode(response).await
}

/// The session's CSRF token, for requests these helpers do not make (photo uploads go
/// through XMLHttpRequest to report progress).
pub fn csrf_token() -> Option<String> {
    CSRF_TOKEN.with(|t| t.borrow().clone())
}

// ---- Accounts ----

/// Who is signed in (if anyone). Always answers; remembers the CSRF token.
pub async fn session() -> Result<SessionInfo, ApiError> {
    get("/api/v1/session").await.map(remember)
}

pub async fn sign_up(request: &SignUpRequest) -> Result<SessionInfo, ApiError> {
    post("/api/v1/auth/sign-up", request, None).await.map(remember)
}

pub async fn sign_in(request: &SignInRequest) -> Result<SessionInfo, ApiError> {
    post("/api/v1/auth/sign-in", request, None).await.map(remember)
}

pub async fn sign_out() -> Result<(), ApiError> {
    let result = post::<_, ()>("/api/v1/auth/sign-out", &serde_json::json!({}), None).await;
    if result.is_ok() {
        remember(SessionInfo::default());
    }
    result
}

pub async fn request_password_reset(login: &str) -> Result<(), ApiError> {
    post("/api/v1/auth/password-reset", &PasswordResetRequest { login: login.to_owned() }, None).await
}

pub async fn confirm_password_reset(request: &PasswordResetConfirm) -> Result<(), ApiError> {
    post("/api/v1/auth/password-reset/confirm", request, None).await
}

pub async fn my_orders() -> Result<Vec<OrderSummary>, ApiError> {
    get("/api/v1/me/orders").await
}

/// One of the signed-in buyer's orders (no tracking token needed).
pub async fn my_order(number: &str) -> Result<domain::order::Order, ApiError> {
    get(&format!("/api/v1/me/orders/{}", encode(number))).await
}

pub async fn my_addresses() -> Result<Vec<SavedAddress>, ApiError> {
    get("/api/v1/me/addresses").await
}

pub async fn save_address(request: &AddressRequest) -> Result<SavedAddress, ApiError> {
    post("/api/v1/me/addresses", request, None).await
}

pub async fn delete_address(id: i64) -> Result<(), ApiError> {
    delete(&format!("/api/v1/me/addresses/{id}")).await
}

pub async fn register_cooperative(request: &CooperativeRegistration) -> Result<Membership, ApiError> {
    post("/api/v1/cooperatives", request, None).await
}

pub async fn members(slug: &str) -> Result<Vec<Member>, ApiError> {
    get(&format!("/api/v1/cooperatives/{}/members", encode(slug))).await
}

pub async fn invite_member(slug: &str, request: &InvitationRequest) -> Result<InvitationCreated, ApiError> {
    post(&format!("/api/v1/cooperatives/{}/invitations", encode(slug)), request, None).await
}

pub async fn invitations(slug: &str) -> Result<Vec<PendingInvitation>, ApiError> {
    get(&format!("/api/v1/cooperatives/{}/invitations", encode(slug))).await
}

pub async fn revoke_invitation(slug: &str, id: i64) -> Result<(), ApiError> {
    delete(&format!("/api/v1/cooperatives/{}/invitations/{id}", encode(slug))).await
}

/// What an invitation link invites to (public: the token is the secret).
pub async fn invitation(token: &str) -> Result<InvitationInfo, ApiError> {
    get(&format!("/api/v1/invitations/{}", encode(token))).await
}

pub async fn accept_invitation(token: &str) -> Result<Membership, ApiError> {
    post(&format!("/api/v1/invitations/{}/accept", encode(token)), &(), None).await
}

pub async fn remove_member(slug: &str, user_id: i64) -> Result<(), ApiError> {
    delete(&format!("/api/v1/cooperatives/{}/members/{user_id}", encode(slug))).await
}

// ---- Trade promotion: the home page, campaigns, and the staff console ----

pub async fn home() -> Result<domain::curation::HomePage, ApiError> {
    get("/api/v1/home").await
}

pub async fn campaign(slug: &str) -> Result<domain::curation::Campaign, ApiError> {
    get(&format!("/api/v1/campaigns/{}", encode(slug))).await
}

pub async fn staff_queue() -> Result<domain::curation::ModerationQueue, ApiError> {
    get("/api/v1/staff/queue").await
}

/// The body of a moderation action: the reason when the action needs one.
fn reason_body(reason: Option<String>) -> serde_json::Value {
    match reason {
        Some(reason) => serde_json::json!({ "reason": reason }),
        None => serde_json::json!({}),
    }
}

pub async fn moderate_cooperative(
    slug: &str,
    action: domain::curation::ModerationAction,
    reason: Option<String>,
) -> Result<domain::curation::CooperativeDecision, ApiError> {
    post(&format!("/api/v1/staff/cooperatives/{}/{action}", encode(slug)), &reason_body(reason), None).await
}

pub async fn moderate_product(
    slug: &str,
    action: domain::curation::ModerationAction,
    reason: Option<String>,
) -> Result<domain::curation::ProductDecision, ApiError> {
    post(&format!("/api/v1/staff/products/{}/{action}", encode(slug)), &reason_body(reason), None).await
}

pub async fn staff_cooperatives(status: &str, q: &str) -> Result<Vec<domain::curation::StaffCooperative>, ApiError> {
    get(&format!("/api/v1/staff/cooperatives?status={}&q={}", encode(status), encode(q))).await
}

pub async fn staff_products(
    status: &str,
    q: &str,
    page: u32,
) -> Result<Page<domain::curation::StaffProduct>, ApiError> {
    get(&format!("/api/v1/staff/products?status={}&q={}&page={page}", encode(status), encode(q))).await
}

pub async fn featured() -> Result<Vec<domain::curation::FeaturedItem>, ApiError> {
    get("/api/v1/staff/featured").await
}

pub async fn save_featured(
    update: &domain::curation::FeaturedUpdate,
) -> Result<Vec<domain::curation::FeaturedItem>, ApiError> {
    put("/api/v1/staff/featured", update).await
}

pub async fn staff_campaigns() -> Result<Vec<domain::curation::CampaignSummary>, ApiError> {
    get("/api/v1/staff/campaigns").await
}

pub async fn staff_campaign(slug: &str) -> Result<domain::curation::Campaign, ApiError> {
    get(&format!("/api/v1/staff/campaigns/{}", encode(slug))).await
}

pub async fn create_campaign(
    request: &domain::curation::CampaignRequest,
) -> Result<domain::curation::Campaign, ApiError> {
    post("/api/v1/staff/campaigns", request, None).await
}

pub async fn update_campaign(
    slug: &str,
    request: &domain::curation::CampaignRequest,
) -> Result<domain::curation::Campaign, ApiError> {
    put(&format!("/api/v1/staff/campaigns/{}", encode(slug)), request).await
}

pub async fn delete_campaign(slug: &str) -> Result<(), ApiError> {
    delete(&format!("/api/v1/staff/campaigns/{}", encode(slug))).await
}

fn stats_range(from: &str, to: &str) -> String {
    format!("from={}&to={}", encode(from), encode(to))
}

pub async fn stats(from: &str, to: &str) -> Result<domain::curation::Stats, ApiError> {
    get(&format!("/api/v1/staff/stats?{}", stats_range(from, to))).await
}

/// A statistics table as a CSV download (the browser sends the session cookie).
pub fn stats_csv_url(table: domain::curation::StatsTable, from: &str, to: &str) -> String {
    format!("/api/v1/staff/stats/csv/{table}?{}", stats_range(from, to))
}

pub async fn cooperative_review(slug: &str) -> Result<domain::curation::CooperativeReview, ApiError> {
    get(&format!("/api/v1/cooperatives/{}/review", encode(slug))).await
}

pub async fn resubmit_cooperative(slug: &str) -> Result<domain::curation::CooperativeReview, ApiError> {
    post(&format!("/api/v1/cooperatives/{}/resubmit", encode(slug)), &serde_json::json!({}), None).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::validate::FieldError;

    #[test]
    fn an_error_answer_keeps_its_field_errors_for_the_form_that_asks() {
        let body = r#"{"error":{"code":"validation","message":"Some fields are invalid.","fields":{"variants.0.price":{"code":"too_long","max":9},"phone":{"code":"invalid_phone"}}}}"#;
        let error = ApiError::from_answer(422, body);
        assert_eq!(error.code(), Some(ErrorCode::Validation));
        let fields = error.fields();
        assert_eq!(fields.get("variants.0.price"), Some(&FieldError::TooLong { max: 9 }));
        assert_eq!(fields.get("phone"), Some(&FieldError::InvalidPhone));
        // A proxy's page instead of the API's error shape: the status alone.
        let error = ApiError::from_answer(502, "<html>Bad gateway</html>");
        assert_eq!(error, ApiError::Http { status: 502, detail: None });
        assert!(error.fields().is_empty());
        // Worth a retry later (a page rendered with it answers 503): the server's trouble,
        // not the request's.
        assert!(error.is_unavailable() && ApiError::Network.is_unavailable());
        assert!(!ApiError::from_answer(422, body).is_unavailable());
    }
}
