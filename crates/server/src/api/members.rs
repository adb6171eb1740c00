//! Registering a cooperative (it stays pending until staff approve it) and managing its
//! members. The person who registers becomes the cooperative's admin; admins add and
//! remove members. Admin actions go to the audit log.

use crate::{
    AppState,
    auth::{self, SlugMember, Viewer, admin_of},
    db::audit::{self, Action},
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    account::{
        AddMemberRequest, CooperativeRegistration, Login, Member, MemberRole, Membership, NAME_MAX, check_password,
    },
    api::ErrorBody,
    catalog::{CoopStatus, CooperativeRef},
    coop_status_sql,
    text::slugify,
    validate::{Errors, FieldError},
};
use sqlx::Row;

/// Registers a cooperative for the signed-in person, who becomes its admin. It is
/// pending (not shown, cannot publish) until staff approve it.
#[utoipa::path(post, path = "/cooperatives", tag = "accounts", request_body = CooperativeRegistration,
    responses((status = 201, body = Membership), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn register(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<CooperativeRegistration>,
) -> ApiResult<(StatusCode, Json<Membership>)> {
    let divisions = st.divisions.require()?;
    let (valid, mut errors) = match req.validate() {
        Ok(v) => (Some(v), Errors::new()),
        Err(e) => (None, e),
    };
    if req.commune_code == 0 {
        errors.add("commune_code", FieldError::Required);
    }
    let commune = divisions.check_commune(req.province_code, req.commune_code, "commune_code", &mut errors);
    let (Some(valid), Some(commune), true) = (valid, commune, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let now = st.clock.now_rfc3339();
    let base = match slugify(&valid.name) {
        s if s.is_empty() => "htx".to_owned(),
        s => s.chars().take(60).collect::<String>().trim_end_matches('-').to_owned(),
    };
    let mut tx = st.db.begin().await?;
    let mut slug = base.clone();
    let mut n = 1;
    let id: i64 = loop {
        let id: Option<i64> = sqlx::query_scalar(concat!(
            "INSERT INTO cooperatives (slug, name, kind, province_code, commune_code, commune_name, street, phone,
                bank_bin, bank_account, bank_account_name, registration_number, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, ",
            coop_status_sql!(Pending),
            ", $13)
             ON CONFLICT (slug) DO NOTHING RETURNING id"
        ))
        .bind(&slug)
        .bind(&valid.name)
        .bind(req.kind)
        .bind(req.province_code as i64)
        .bind(commune.code as i64)
        .bind(&commune.name)
        .bind(&valid.street)
        .bind(valid.phone.e164())
        .bind(req.bank_bin.trim())
        .bind(&valid.bank_account)
        .bind(&valid.bank_account_name)
        .bind(&valid.registration_number)
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        match id {
            Some(id) => break id,
            None => {
                n += 1;
                slug = format!("{base}-{n}");
            }
        }
    };
    sqlx::query("INSERT INTO memberships (user_id, cooperative_id, role, created_at) VALUES ($1, $2, 'admin', $3)")
        .bind(viewer.id)
        .bind(id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    let membership = Membership {
        cooperative: CooperativeRef { slug: slug.clone(), name: valid.name.clone(), province_code: req.province_code },
        status: CoopStatus::Pending,
        role: MemberRole::Admin,
    };
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "cooperative.register",
        entity: "cooperative",
        entity_id: slug,
        before: None,
        after: audit::json(&req),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(membership)))
}

/// A member row, read by [`member_from_row`].
const MEMBER_SQL: &str = "SELECT u.id, u.name, COALESCE(u.email, u.phone) AS login, m.role FROM memberships m JOIN users u ON u.id = m.user_id";

async fn members_of(st: &AppState, coop_id: i64) -> ApiResult<Vec<Member>> {
    sqlx::query(&format!("{MEMBER_SQL} WHERE m.cooperative_id = $1 ORDER BY m.role, u.name"))
        .bind(coop_id)
        .fetch_all(&st.db)
        .await?
        .iter()
        .map(member_from_row)
        .collect()
}

fn member_from_row(r: &sqlx::sqlite::SqliteRow) -> ApiResult<Member> {
    let role: MemberRole = r.try_get("role")?;
    Ok(Member { user_id: r.try_get("id")?, name: r.try_get("name")?, login: r.try_get("login")?, role })
}

/// The cooperative's members. Members only.
#[utoipa::path(get, path = "/cooperatives/{slug}/members", tag = "accounts",
    params(("slug" = String, Path)),
    responses((status = 200, body = Vec<Member>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list_members(State(st): State<AppState>, SlugMember(member): SlugMember) -> ApiResult<Json<Vec<Member>>> {
    Ok(Json(members_of(&st, member.coop_id).await?))
}

/// Adds a member: the account with this login, or a new account (with `name` and a first
/// `password`). Cooperative admins only.
#[utoipa::path(post, path = "/cooperatives/{slug}/members", tag = "accounts",
    params(("slug" = String, Path)), request_body = AddMemberRequest,
    responses((status = 201, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), crate::http::error::JsonRejections))]
pub async fn add_member(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<AddMemberRequest>,
) -> ApiResult<(StatusCode, Json<Member>)> {
    let coop_id = admin_of(&st, &viewer, &slug).await?;
    let login = Login::parse(&req.login).map_err(|e| ApiError::field("login", e))?;
    let now = st.clock.now_rfc3339();
    let mut conn = st.db.acquire().await?;
    let existing = auth::find_user(&mut conn, &login).await?;
    drop(conn);
    // A new account needs a name and a first password that meets the rules.
    let new_account = match &existing {
        Some(_) => None,
        None => {
            let mut e = Errors::new();
            let name = e.text("name", &req.name, NAME_MAX);
            if let Err(err) = check_password(&req.password, Some(&login), &name) {
                e.add("password", err);
            }
            let name = e.into_result(name)?;
            Some((name, auth::hash_password(req.password.clone()).await?))
        }
    };
    let mut tx = st.db.begin().await?;
    let user_id = match (&existing, &new_account) {
        (Some(account), _) => account.id,
        (None, Some((name, hash))) => auth::create_user(&mut tx, name, &login, hash, false, &now).await?,
        (None, None) => unreachable!("a new account was prepared above"),
    };
    let added = sqlx::query(
        "INSERT INTO memberships (user_id, cooperative_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(coop_id)
    .bind(req.role)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Err(ApiError::field("login", FieldError::AlreadyMember));
    }
    let row = sqlx::query(&format!("{MEMBER_SQL} WHERE m.cooperative_id = $1 AND m.user_id = $2"))
        .bind(coop_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let member = member_from_row(&row)?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: if new_account.is_some() { "member.create" } else { "member.add" },
        entity: "cooperative",
        entity_id: slug,
        before: None,
        after: audit::json(&member),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Removes a member (the account stays). The last admin cannot be removed. Cooperative
/// admins only.
#[utoipa::path(delete, path = "/cooperatives/{slug}/members/{user_id}", tag = "accounts",
    params(("slug" = String, Path), ("user_id" = i64, Path)),
    responses((status = 204, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn remove_member(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath((slug, user_id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    let coop_id = admin_of(&st, &viewer, &slug).await?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let row = sqlx::query(&format!("{MEMBER_SQL} WHERE m.cooperative_id = $1 AND m.user_id = $2"))
        .bind(coop_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    let member = member_from_row(&row)?;
    if member.role == MemberRole::Admin {
        let admins: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE cooperative_id = $1 AND role = 'admin'")
                .bind(coop_id)
                .fetch_one(&mut *tx)
                .await?;
        if admins <= 1 {
            return Err(ApiError::status(
                StatusCode::CONFLICT,
                ErrorCode::LastAdmin,
                "A cooperative needs at least one admin: make someone else admin first.",
            ));
        }
    }
    sqlx::query("DELETE FROM memberships WHERE cooperative_id = $1 AND user_id = $2")
        .bind(coop_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "member.remove",
        entity: "cooperative",
        entity_id: slug,
        before: audit::json(&member),
        after: None,
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

use utoipa_axum::routes;

/// This feature's routes, under `/api/v1`.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member))
}
