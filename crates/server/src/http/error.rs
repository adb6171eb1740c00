//! One error type for every API failure, mapped to a status and the one JSON shape
//! `{"error":{"code":"…","message":"…","fields":{…}}}`.

use axum::{
    Json,
    extract::{
        FromRequest, FromRequestParts,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::api::ErrorCode;
use domain::{
    api::{ErrorBody, ErrorDetail},
    validate::Errors,
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("some fields are invalid")]
    Validation(Errors),
    /// A refusal that names fields but is not plain bad input (e.g. 409 `cart_changed`).
    #[error("{code}")]
    Fields { status: StatusCode, code: ErrorCode, fields: Errors },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest { status: StatusCode, code: ErrorCode, message: String },
    /// 429: a rate limit is reached; answered with `Retry-After` (whole seconds, rounded up).
    #[error("{message}")]
    TooMany { code: ErrorCode, message: String, retry_after: time::Duration },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<crate::secret::RandomError> for ApiError {
    fn from(e: crate::secret::RandomError) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<crate::divisions::Unavailable> for ApiError {
    fn from(_: crate::divisions::Unavailable) -> Self {
        ApiError::status(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DivisionsUnavailable,
            "The list of communes is not available on this server; addresses cannot be checked.",
        )
    }
}

impl From<Errors> for ApiError {
    fn from(e: Errors) -> Self {
        ApiError::Validation(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            _ => ErrorCode::InvalidJson,
        };
        ApiError::BadRequest { status, code, message: r.body_text() }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest { status: StatusCode::BAD_REQUEST, code: ErrorCode::InvalidQuery, message: r.body_text() }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest { status: StatusCode::BAD_REQUEST, code: ErrorCode::InvalidPath, message: r.body_text() }
    }
}

impl ApiError {
    /// A refusal without field errors.
    pub fn status(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest { status, code, message: message.into() }
    }

    /// 429 `code` with `Retry-After`: try again after `retry_after`.
    pub fn too_many(code: ErrorCode, message: impl Into<String>, retry_after: time::Duration) -> ApiError {
        ApiError::TooMany { code, message: message.into(), retry_after }
    }

    /// Bad input in one field.
    pub fn field(field: impl Into<String>, error: domain::validate::FieldError) -> ApiError {
        let mut e = Errors::new();
        e.add(field, error);
        ApiError::Validation(e)
    }
}

/// An optional code from a query (`?status=pending`): absent or empty is `None`, an
/// unknown code is a field error.
pub fn optional_choice<T>(field: &str, value: Option<&str>, from_code: fn(&str) -> Option<T>) -> ApiResult<Option<T>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            from_code(v).map(Some).ok_or_else(|| ApiError::field(field, domain::validate::FieldError::UnknownChoice))
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `axum::Json` whose rejections (malformed JSON, wrong content type, a body over
/// [`crate::MAX_BODY_BYTES`]) answer in the API's error shape.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Query` whose rejection answers in the API's error shape.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// The raw request body (an upload) whose rejection (over the route's size limit)
/// answers in the API's error shape.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state).await.map(ApiBytes).map_err(|r| {
            let status = r.status();
            let (code, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
                (ErrorCode::PayloadTooLarge, "The file is too large.".to_owned())
            } else {
                (ErrorCode::InvalidBody, r.body_text())
            };
            ApiError::BadRequest { status, code, message }
        })
    }
}

/// `axum::extract::Path` whose rejection answers in the API's error shape.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

fn fields_message(fields: &Errors) -> String {
    fields.0.iter().map(|(f, e)| format!("{f}: {}", e.message())).collect::<Vec<_>>().join(" ")
}

fn body(status: StatusCode, code: ErrorCode, message: String, fields: Errors) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: code.as_str().to_owned(), message, fields } };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Validation(fields) => {
                body(StatusCode::BAD_REQUEST, ErrorCode::Validation, fields_message(&fields), fields)
            }
            ApiError::Fields { status, code, fields } => body(status, code, fields_message(&fields), fields),
            ApiError::NotFound(what) => {
                body(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("No such {what}."), Errors::new())
            }
            ApiError::BadRequest { status, code, message } => body(status, code, message, Errors::new()),
            ApiError::TooMany { code, message, retry_after } => {
                let mut r = body(StatusCode::TOO_MANY_REQUESTS, code, message, Errors::new());
                let seconds = retry_after_secs(retry_after);
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
                r
            }
            ApiError::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "Something went wrong on our side. Please try again.".into(),
                    Errors::new(),
                )
            }
        }
    }
}

/// A wait as the whole seconds of a `Retry-After` header: rounded up, at least 1.
fn retry_after_secs(wait: time::Duration) -> i64 {
    (wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0)).max(1)
}

/// Unknown `/api/...` paths answer in the API's error shape, not with the app.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound("route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: ErrorCode::MethodNotAllowed,
        message: "This method is not allowed here.".into(),
    }
}

/// A handler that panicked still answers with the JSON shape.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// In the OpenAPI document, the answers of any route that reads a path or a query beside
/// its own (`responses(…, BadParameters)`).
#[derive(utoipa::IntoResponses)]
pub enum BadParameters {
    #[response(status = 400, description = "`invalid_path` or `invalid_query`: a parameter that cannot be read")]
    Unreadable(ErrorBody),
}

/// In the OpenAPI document, the answers of any route that takes a JSON body ([`ApiJson`]'s
/// rejections) beside its own (`responses(…, JsonRejections)`).
#[derive(utoipa::IntoResponses)]
pub enum JsonRejections {
    #[response(status = 413, description = "`payload_too_large`: the body is too large")]
    TooLarge(ErrorBody),
    #[response(status = 415, description = "`unsupported_media_type`: the body is not `application/json`")]
    NotJson(ErrorBody),
    #[response(status = 422, description = "`invalid_json`: JSON that is not of the expected shape")]
    WrongShape(ErrorBody),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_answers_429_with_retry_after_in_whole_seconds_rounded_up() {
        let r =
            ApiError::too_many(ErrorCode::RateLimited, "wait", time::Duration::milliseconds(60_001)).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()["retry-after"], "61");
        assert_eq!(retry_after_secs(time::Duration::ZERO), 1);
        assert_eq!(retry_after_secs(time::Duration::seconds(60)), 60);
    }
}
