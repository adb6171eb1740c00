//! One error type for every API failure, mapped to a status and the one JSON shape
//! `{"error":{"code":"…","message":"…","fields":{…}}}`.

use axum::{
    Json,
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::{
    api::{ErrorBody, ErrorDetail},
    validate::Errors,
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("some fields are invalid")]
    Validation(Errors),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest { status: StatusCode, code: &'static str, message: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
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
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_json",
        };
        ApiError::BadRequest { status, code, message: r.body_text() }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest { status: StatusCode::BAD_REQUEST, code: "invalid_query", message: r.body_text() }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest { status: StatusCode::BAD_REQUEST, code: "invalid_path", message: r.body_text() }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

fn body(status: StatusCode, code: &str, message: String, fields: Errors) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message, fields } };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Validation(fields) => {
                let message = fields
                    .0
                    .iter()
                    .map(|(f, e)| format!("{f}: {}", e.message()))
                    .collect::<Vec<_>>()
                    .join(" ");
                body(StatusCode::BAD_REQUEST, "validation", message, fields)
            }
            ApiError::NotFound(what) => body(StatusCode::NOT_FOUND, "not_found", format!("No such {what}."), Errors::new()),
            ApiError::BadRequest { status, code, message } => body(status, code, message, Errors::new()),
            ApiError::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side. Please try again.".into(),
                    Errors::new(),
                )
            }
        }
    }
}

/// Unknown `/api/...` paths answer in the API's error shape, not with the app.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound("route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "This method is not allowed here.".into(),
    }
}

/// A handler that panicked still answers with the JSON shape.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}
