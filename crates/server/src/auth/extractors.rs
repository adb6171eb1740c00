//! Who is asking: the extractors handlers take ([`Viewer`], [`MaybeViewer`], [`Staff`],
//! [`Member`]), read from what [`guard`](super::guard) found, and the
//! membership checks.

use crate::{
    AppState,
    http::error::{ApiError, ApiPath, ApiResult},
};
use axum::{
    extract::FromRequestParts,
    http::{StatusCode, request::Parts},
};
use domain::account::MemberRole;
use domain::api::ErrorCode;
use sqlx::Row;

/// The signed-in person behind a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    pub is_staff: bool,
    pub(super) csrf_token: String,
    pub(super) session_hash: String,
}

/// The guard's verdict, stored in the request's extensions.
#[derive(Clone, Debug)]
pub(super) struct Authenticated(pub(super) Option<Viewer>);

fn unauthenticated() -> ApiError {
    ApiError::status(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "Please sign in first.")
}

pub fn forbidden() -> ApiError {
    ApiError::status(StatusCode::FORBIDDEN, ErrorCode::Forbidden, "You are not allowed to do this.")
}

fn viewer_of(parts: &Parts) -> Option<Viewer> {
    parts.extensions.get::<Authenticated>().and_then(|a| a.0.clone())
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        viewer_of(parts).ok_or_else(unauthenticated)
    }
}

/// The signed-in person, if any.
pub struct MaybeViewer(pub Option<Viewer>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(viewer_of(parts)))
    }
}

/// A signed-in trade-promotion officer.
pub struct Staff(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let v = viewer_of(parts).ok_or_else(unauthenticated)?;
        if v.is_staff { Ok(Staff(v)) } else { Err(forbidden()) }
    }
}

/// The cooperative `slug` and the viewer's role in it. 404 when there is no such
/// cooperative, 403 when the viewer is not a member (staff included: they act through
/// the staff routes).
pub async fn membership(st: &AppState, viewer: &Viewer, slug: &str) -> ApiResult<(i64, MemberRole)> {
    let row = sqlx::query(
        "SELECT c.id, m.role FROM cooperatives c
         LEFT JOIN memberships m ON m.cooperative_id = c.id AND m.user_id = $1
         WHERE c.slug = $2",
    )
    .bind(viewer.id)
    .bind(slug)
    .fetch_optional(&st.db)
    .await?
    .ok_or(ApiError::NotFound("cooperative"))?;
    let role: Option<String> = row.try_get("role")?;
    match role.as_deref().and_then(MemberRole::from_code) {
        Some(role) => Ok((row.try_get("id")?, role)),
        None => Err(forbidden()),
    }
}

/// A signed-in member of the cooperative named by the route's `{coop}` segment, checked by
/// [`membership`] before the handler runs: 401 when signed out, 404 when there is no such
/// cooperative, 403 when the viewer is not a member.
pub struct Member {
    pub coop_id: i64,
    pub role: MemberRole,
    pub viewer: Viewer,
}

impl Member {
    /// The member of the cooperative named by the route's `param` segment.
    async fn of_route(parts: &mut Parts, st: &AppState, param: &str) -> ApiResult<Member> {
        let viewer = viewer_of(parts).ok_or_else(unauthenticated)?;
        let ApiPath(params) =
            ApiPath::<std::collections::HashMap<String, String>>::from_request_parts(parts, st).await?;
        let coop = params.get(param).ok_or(ApiError::NotFound("cooperative"))?;
        let (coop_id, role) = membership(st, &viewer, coop).await?;
        Ok(Member { coop_id, role, viewer })
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Member::of_route(parts, st, "coop").await
    }
}

/// A [`Member`] for the routes under `/cooperatives/{slug}/…`, whose segment naming the
/// cooperative is `{slug}`; the same checks and answers.
pub struct SlugMember(pub Member);

impl FromRequestParts<AppState> for SlugMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Member::of_route(parts, st, "slug").await.map(SlugMember)
    }
}

/// Like [`membership`], but only a cooperative admin passes.
pub async fn admin_of(st: &AppState, viewer: &Viewer, slug: &str) -> ApiResult<i64> {
    match membership(st, viewer, slug).await? {
        (id, MemberRole::Admin) => Ok(id),
        _ => Err(forbidden()),
    }
}
