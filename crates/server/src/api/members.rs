//! Registering a cooperative (it stays pending until staff approve it) and managing its
//! members. The person who registers becomes the cooperative's admin; admins invite
//! people (a link; nobody joins without accepting it) and remove members. Admin actions
//! go to the audit log.

use crate::{
    AppState,
    auth::{SlugMember, Viewer, admin_of},
    clock::rfc3339,
    db::{
        audit::{self, Action},
        outbox,
        rates::{self, Limit},
    },
    http::error::{ApiError, ApiJson, ApiPath, ApiResult},
    secret::{new_token, sha256_hex},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api::ErrorCode;
use domain::{
    account::{
        CooperativeRegistration, INVITATION_DAYS, InvitationCreated, InvitationInfo, InvitationRequest, Login, Member,
        MemberRole, Membership, PendingInvitation,
    },
    api::ErrorBody,
    catalog::{CoopStatus, CooperativeRef},
    coop_status_sql,
    text::slugify,
    validate::{Errors, FieldError},
};
use sqlx::Row;
use time::Duration;

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
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Vec<Member>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn list_members(State(st): State<AppState>, SlugMember(member): SlugMember) -> ApiResult<Json<Vec<Member>>> {
    Ok(Json(members_of(&st, member.coop_id).await?))
}

/// Invitations a cooperative may send in a day (each one sends a message to the login).
pub const INVITATIONS_PER_DAY: i64 = 30;
const INVITATIONS: Limit = Limit { scope: "invitation", max: INVITATIONS_PER_DAY, window: Duration::DAY };

/// The audit trail's record of an invitation (no token, not even hashed).
#[derive(serde::Serialize)]
struct InvitationAudit<'a> {
    id: i64,
    login: &'a str,
    role: MemberRole,
}

/// Invites whoever holds an email or phone number to join with a role. Nothing is looked
/// up: the answer is the same whether or not an account has that login (no name, no
/// email, no hint), and no account is created. The answer carries the link — a random
/// token, only its hash is kept, valid [`INVITATION_DAYS`] days — for the admin to send;
/// it is also queued for delivery to the login ([`INVITATIONS_PER_DAY`] per cooperative,
/// then 429). Whoever opens the link, signed in, may
/// accept it: the link is the credential, like a reset link. Cooperative admins only.
#[utoipa::path(post, path = "/cooperatives/{slug}/invitations", tag = "accounts",
    params(("slug" = String, Path)), request_body = InvitationRequest,
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 201, body = InvitationCreated), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 429, description = "`rate_limited`: the cooperative's invitations for today are sent", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        crate::http::error::JsonRejections))]
pub async fn invite(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<InvitationRequest>,
) -> ApiResult<(StatusCode, Json<InvitationCreated>)> {
    let coop_id = admin_of(&st, &viewer, &slug).await?;
    let login = Login::parse(&req.login).map_err(|e| ApiError::field("login", e))?;
    let token = new_token()?;
    let now = st.clock.now();
    let now_text = rfc3339(now);
    let expires_at = rfc3339(now + Duration::days(INVITATION_DAYS));
    let link = format!("{}/loi-moi/{token}", st.config.link_origin());
    let mut tx = st.db.begin().await?;
    // Each invitation sends a message to someone who did not ask for it: counted per
    // cooperative (a refused one is not counted: the transaction rolls back).
    if let Err(refused) = rates::take(&mut tx, &[(INVITATIONS, &coop_id.to_string())], now).await? {
        st.metrics.rate_limited("invitation");
        return Err(ApiError::too_many(
            ErrorCode::RateLimited,
            "Too many invitations from this cooperative today. Please wait and try again.",
            refused.retry_after,
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invitations (cooperative_id, login, role, token_hash, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(coop_id)
    .bind(login.key())
    .bind(req.role)
    .bind(sha256_hex(token.as_bytes()))
    .bind(viewer.id)
    .bind(&now_text)
    .bind(&expires_at)
    .fetch_one(&mut *tx)
    .await?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "invitation.create",
        entity: "cooperative",
        entity_id: slug,
        before: None,
        after: audit::json(&InvitationAudit { id, login: &login.key(), role: req.role }),
    }
    .record(&mut tx, &now_text)
    .await?;
    let (coop, _) = coop_of(&mut tx, coop_id).await?;
    let role_vi = match req.role {
        MemberRole::Admin => "quản trị viên",
        MemberRole::Member => "thành viên",
    };
    outbox::enqueue(
        &mut tx,
        "invitation.created",
        &login.key(),
        &format!("Lời mời tham gia {0} / Invitation to join {0}", coop.name),
        &format!(
            "Bạn được mời tham gia {name} trên Chợ HTX với vai trò {role_vi}. Mở đường dẫn này, đăng nhập \
             (hoặc đăng ký) rồi chấp nhận lời mời (hiệu lực {INVITATION_DAYS} ngày):\n{link}\n\n\
             You are invited to join {name} on Chợ HTX as {role}. Open this link, sign in (or sign up) and \
             accept the invitation (valid for {INVITATION_DAYS} days):\n{link}\n\n— Chợ HTX",
            name = coop.name,
            role = req.role.code(),
        ),
        serde_json::json!({"invitation_id": id, "cooperative": coop.slug, "link": link}),
        &now_text,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(InvitationCreated { id, role: req.role, link, token, expires_at })))
}

/// The cooperative's pending invitations (not accepted, revoked or expired), newest
/// first. Cooperative admins only.
#[utoipa::path(get, path = "/cooperatives/{slug}/invitations", tag = "accounts",
    params(("slug" = String, Path)),
    responses((status = 404, description = "`not_found`: no such cooperative (or product, order, lot in it)", body = ErrorBody), (status = 200, body = Vec<PendingInvitation>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        crate::http::error::BadParameters))]
pub async fn list_invitations(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<PendingInvitation>>> {
    let coop_id = admin_of(&st, &viewer, &slug).await?;
    let rows = sqlx::query(
        "SELECT id, login, role, created_at, expires_at FROM invitations
         WHERE cooperative_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC, id DESC",
    )
    .bind(coop_id)
    .bind(st.clock.now_rfc3339())
    .fetch_all(&st.db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PendingInvitation {
                id: r.try_get("id")?,
                login: r.try_get("login")?,
                role: r.try_get("role")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

/// Revokes a pending invitation: its link stops working. Cooperative admins only.
#[utoipa::path(delete, path = "/cooperatives/{slug}/invitations/{id}", tag = "accounts",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn revoke_invitation(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    let coop_id = admin_of(&st, &viewer, &slug).await?;
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    let row = sqlx::query(
        "UPDATE invitations SET revoked_at = $1
         WHERE id = $2 AND cooperative_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL
         RETURNING login, role",
    )
    .bind(&now)
    .bind(id)
    .bind(coop_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("invitation"))?;
    let login: String = row.try_get("login")?;
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "invitation.revoke",
        entity: "cooperative",
        entity_id: slug,
        before: audit::json(&InvitationAudit { id, login: &login, role: row.try_get("role")? }),
        after: None,
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

fn invalid_invitation() -> ApiError {
    ApiError::status(
        StatusCode::NOT_FOUND,
        ErrorCode::InvalidToken,
        "This invitation is invalid, revoked, used or expired. Ask the cooperative for a new one.",
    )
}

/// The cooperative an invitation is for, and its status.
async fn coop_of(conn: &mut sqlx::SqliteConnection, coop_id: i64) -> ApiResult<(CooperativeRef, CoopStatus)> {
    let r = sqlx::query("SELECT slug, name, province_code, status FROM cooperatives WHERE id = $1")
        .bind(coop_id)
        .fetch_one(&mut *conn)
        .await?;
    let coop = CooperativeRef {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        province_code: crate::db::narrow("province_code", r.try_get("province_code")?)?,
    };
    Ok((coop, r.try_get("status")?))
}

/// What an invitation link invites to: the cooperative and the role, no personal data.
/// 404 `invalid_token` when it is unknown, revoked, used or expired. Public: the link is
/// the secret.
#[utoipa::path(get, path = "/invitations/{token}", tag = "accounts",
    params(("token" = String, Path)),
    responses((status = 200, body = InvitationInfo), (status = 404, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn invitation(
    State(st): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<InvitationInfo>> {
    let mut conn = st.db.acquire().await?;
    let r = sqlx::query(
        "SELECT cooperative_id, role, expires_at FROM invitations
         WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(sha256_hex(token.trim().as_bytes()))
    .bind(st.clock.now_rfc3339())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(invalid_invitation)?;
    let (cooperative, _) = coop_of(&mut conn, r.try_get("cooperative_id")?).await?;
    Ok(Json(InvitationInfo { cooperative, role: r.try_get("role")?, expires_at: r.try_get("expires_at")? }))
}

/// Accepts an invitation: the signed-in person who holds the link becomes a member with
/// the invited role (whatever login the invitation was sent to: the link is the
/// credential). Once only; 409 `already_member` for a member of the cooperative (the
/// invitation stays usable for someone else). Never grants staff rights.
#[utoipa::path(post, path = "/invitations/{token}/accept", tag = "accounts",
    params(("token" = String, Path)),
    responses((status = 201, body = Membership), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), crate::http::error::BadParameters))]
pub async fn accept_invitation(
    State(st): State<AppState>,
    viewer: Viewer,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<Membership>)> {
    let now = st.clock.now_rfc3339();
    let mut tx = st.db.begin().await?;
    // The write comes first: the transaction holds the lock before anything is read.
    let r = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2
         WHERE token_hash = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
         RETURNING id, cooperative_id, role",
    )
    .bind(&now)
    .bind(viewer.id)
    .bind(sha256_hex(token.trim().as_bytes()))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_invitation)?;
    let (id, coop_id): (i64, i64) = (r.try_get("id")?, r.try_get("cooperative_id")?);
    let role: MemberRole = r.try_get("role")?;
    let (cooperative, status) = coop_of(&mut tx, coop_id).await?;
    let added = sqlx::query(
        "INSERT INTO memberships (user_id, cooperative_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(viewer.id)
    .bind(coop_id)
    .bind(role)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        tx.rollback().await?;
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            ErrorCode::AlreadyMember,
            "You are already a member of this cooperative.",
        ));
    }
    Action {
        actor_id: viewer.id,
        actor_name: &viewer.name,
        action: "invitation.accept",
        entity: "cooperative",
        entity_id: cooperative.slug.clone(),
        before: None,
        after: audit::json(
            &serde_json::json!({"invitation_id": id, "user_id": viewer.id, "name": viewer.name, "role": role}),
        ),
    }
    .record(&mut tx, &now)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Membership { cooperative, status, role })))
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
        .routes(routes!(list_members))
        .routes(routes!(remove_member))
        .routes(routes!(invite, list_invitations))
        .routes(routes!(revoke_invitation))
        .routes(routes!(invitation))
        .routes(routes!(accept_invitation))
}
