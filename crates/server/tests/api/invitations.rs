//! Member invitations: an admin invites an email or phone number, gets a link, and only
//! the signed-in holder of the link who accepts it becomes a member. The invitation
//! reveals nothing about accounts and never grants staff rights.

use crate::helpers as common;

use chohtx_server::seed::{DEMO_BUYER_EMAIL, DEMO_STAFF_EMAIL, demo_member_email};
use common::{Session, invite, server, sign_up, two_cooperatives};
use domain::account::{MemberRole, SessionInfo};
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn token(a: &common::Answer) -> String {
    a.body["token"].as_str().unwrap_or_else(|| panic!("an invitation: {}", a.body)).to_owned()
}

async fn user_count(s: &chohtx_server::testing::TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&s.state.db).await.unwrap()
}

#[tokio::test]
async fn an_invited_person_who_signs_up_and_accepts_becomes_a_member() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let invited = invite(&s, &admin, &coop, "ba.lan@example.vn", "member").await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let link = invited.body["link"].as_str().unwrap();
    assert!(link.starts_with(&format!("http://{}/loi-moi/", s.addr)) && link.ends_with(&token(&invited)), "{link}");
    assert_eq!(invited.body["role"], "member");

    // Anyone with the link sees the cooperative and the role, nothing about the person.
    let info =
        Session::anonymous().send(&s, Method::GET, &format!("/api/v1/invitations/{}", token(&invited)), None).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    assert_eq!(info.body["cooperative"]["slug"], coop.as_str());
    assert_eq!(info.body["role"], "member");
    assert!(!info.body.to_string().contains("ba.lan"), "{}", info.body);
    // Not yet a member, and pending in the admin's list.
    let pending = admin.send(&s, Method::GET, &format!("/api/v1/cooperatives/{coop}/invitations"), None).await;
    assert_eq!(pending.body.as_array().unwrap().len(), 1, "{}", pending.body);
    assert_eq!(pending.body[0]["login"], "ba.lan@example.vn");

    let accept = format!("/api/v1/invitations/{}/accept", token(&invited));
    assert_eq!(Session::anonymous().send(&s, Method::POST, &accept, None).await.status, StatusCode::UNAUTHORIZED);
    let lan = sign_up(&s, "Phạm Thị Lan", "ba.lan@example.vn", "vườn cam sành Tam Bình").await;
    let accepted = lan.send(&s, Method::POST, &accept, None).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    assert_eq!(accepted.body["cooperative"]["slug"], coop.as_str());
    assert_eq!(accepted.body["role"], "member");
    let members = admin.send(&s, Method::GET, &format!("/api/v1/cooperatives/{coop}/members"), None).await;
    assert!(members.body.as_array().unwrap().iter().any(|m| m["user_id"] == lan.user_id.unwrap()), "{}", members.body);
    let info: SessionInfo =
        serde_json::from_value(lan.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    assert_eq!(info.user.unwrap().memberships[0].cooperative.slug, coop);
    // Used once: the link is spent and no longer pending.
    let again = sign_up(&s, "Người khác", "nguoi.khac@example.vn", "một mật khẩu dài hơn").await;
    let reused = again.send(&s, Method::POST, &accept, None).await;
    assert_eq!((reused.status, reused.code()), (StatusCode::NOT_FOUND, "invalid_token"));
    let pending = admin.send(&s, Method::GET, &format!("/api/v1/cooperatives/{coop}/invitations"), None).await;
    assert_eq!(pending.body.as_array().unwrap().len(), 0, "{}", pending.body);
}

#[tokio::test]
async fn an_invitation_answers_the_same_for_unknown_and_existing_logins_and_echoes_no_personal_data() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let users = user_count(&s).await;
    let buyer: Value =
        Session::sign_in(&s, DEMO_BUYER_EMAIL).await.send(&s, Method::GET, "/api/v1/session", None).await.body;
    let buyer_name = buyer["user"]["name"].as_str().unwrap().to_owned();
    let buyer_phone = buyer["user"]["phone"].as_str().map(str::to_owned);

    let known = invite(&s, &admin, &coop, DEMO_BUYER_EMAIL, "member").await;
    let unknown = invite(&s, &admin, &coop, "chua.co.ai@example.vn", "member").await;
    assert_eq!(known.status, StatusCode::CREATED, "{}", known.body);
    assert_eq!(known.status, unknown.status);
    let shape = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(shape(&known.body), shape(&unknown.body));
    assert_eq!(shape(&known.body), ["expires_at", "id", "link", "role", "token"]);
    for answer in [&known, &unknown] {
        let text = answer.body.to_string();
        for personal in [buyer_name.as_str(), DEMO_BUYER_EMAIL, "chua.co.ai"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }
    // A phone number of an existing account does not give its name or email away either.
    if let Some(phone) = buyer_phone {
        let by_phone = invite(&s, &admin, &coop, &phone, "member").await;
        assert_eq!(by_phone.status, StatusCode::CREATED);
        let text = by_phone.body.to_string();
        assert!(!text.contains(&buyer_name) && !text.contains(DEMO_BUYER_EMAIL), "{text}");
    }
    // Nobody was added and no account was made.
    assert_eq!(user_count(&s).await, users);
    let members = admin.send(&s, Method::GET, &format!("/api/v1/cooperatives/{coop}/members"), None).await;
    assert!(!members.body.to_string().contains(DEMO_BUYER_EMAIL));
    // The old way in (add an account by its login, or create one with a password) is gone.
    let old = admin
        .send(
            &s,
            Method::POST,
            &format!("/api/v1/cooperatives/{coop}/members"),
            Some(serde_json::json!({"login": "x@example.vn", "name": "X", "password": "mật khẩu của admin", "role": "member"})),
        )
        .await;
    assert_eq!(old.status, StatusCode::METHOD_NOT_ALLOWED, "{}", old.body);
    assert_eq!(user_count(&s).await, users);
}

#[tokio::test]
async fn a_revoked_or_expired_invitation_cannot_be_accepted() {
    let s = server().await;
    let (coop, _) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    let buyer = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;

    let revoked = invite(&s, &admin, &coop, DEMO_BUYER_EMAIL, "member").await;
    let path = format!("/api/v1/cooperatives/{coop}/invitations/{}", revoked.body["id"]);
    assert_eq!(admin.send(&s, Method::DELETE, &path, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(admin.send(&s, Method::DELETE, &path, None).await.status, StatusCode::NOT_FOUND);
    let tried = buyer.send(&s, Method::POST, &format!("/api/v1/invitations/{}/accept", token(&revoked)), None).await;
    assert_eq!((tried.status, tried.code()), (StatusCode::NOT_FOUND, "invalid_token"));
    let info = buyer.send(&s, Method::GET, &format!("/api/v1/invitations/{}", token(&revoked)), None).await;
    assert_eq!(info.status, StatusCode::NOT_FOUND);
    // Another cooperative's admin cannot revoke this one's invitations.
    let other = invite(&s, &admin, &coop, DEMO_BUYER_EMAIL, "member").await;
    let (_, coop_b) = two_cooperatives(&s).await;
    let admin_b = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop_b)).await;
    let cross = format!("/api/v1/cooperatives/{coop_b}/invitations/{}", other.body["id"]);
    assert_eq!(admin_b.send(&s, Method::DELETE, &cross, None).await.status, StatusCode::NOT_FOUND);

    // Seven days later the link has expired.
    let expiring = invite(&s, &admin, &coop, DEMO_BUYER_EMAIL, "member").await;
    s.state
        .clock
        .set(s.state.clock.now() + time::Duration::days(domain::account::INVITATION_DAYS) + time::Duration::minutes(1));
    let late = buyer.send(&s, Method::POST, &format!("/api/v1/invitations/{}/accept", token(&expiring)), None).await;
    assert_eq!((late.status, late.code()), (StatusCode::NOT_FOUND, "invalid_token"));
    let pending = admin.send(&s, Method::GET, &format!("/api/v1/cooperatives/{coop}/invitations"), None).await;
    assert_eq!(pending.body.as_array().unwrap().len(), 0, "{}", pending.body);
    let info: SessionInfo =
        serde_json::from_value(buyer.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    assert!(info.user.unwrap().memberships.is_empty());
}

#[tokio::test]
async fn only_a_cooperative_admin_invites_and_lists_invitations() {
    let s = server().await;
    let (coop, other) = two_cooperatives(&s).await;
    let path = format!("/api/v1/cooperatives/{coop}/invitations");
    for who in [
        demo_member_email(MemberRole::Member, &coop),
        demo_member_email(MemberRole::Admin, &other),
        DEMO_BUYER_EMAIL.to_owned(),
        DEMO_STAFF_EMAIL.to_owned(),
    ] {
        let session = Session::sign_in(&s, &who).await;
        let a = invite(&s, &session, &coop, "ai.do@example.vn", "admin").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}: {}", a.body);
        assert_eq!(session.send(&s, Method::GET, &path, None).await.status, StatusCode::FORBIDDEN, "{who}");
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations").fetch_one(&s.state.db).await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn invitations_never_grant_staff_rights() {
    let s = server().await;
    // The admin of a pending cooperative (anyone may register one) invites someone.
    let me = Session::sign_in(&s, DEMO_BUYER_EMAIL).await;
    let (province, commune) = common::some_address(&s);
    let reg = serde_json::json!({"name": "HTX Mới Lập", "kind": "htx", "province_code": province, "commune_code": commune,
        "street": "Ấp 1", "registration_number": "2201234568", "phone": "0299 3612 346", "bank_bin": "970405",
        "bank_account": "7100 2050 12346", "bank_account_name": "HTX Moi Lap"});
    let coop = me.send(&s, Method::POST, "/api/v1/cooperatives", Some(reg)).await;
    let slug = coop.body["cooperative"]["slug"].as_str().unwrap().to_owned();
    // There is no staff role to invite to.
    let staff = invite(&s, &me, &slug, "x@example.vn", "staff").await;
    assert_eq!(staff.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", staff.body);
    let a = invite(&s, &me, &slug, "moi.vao@example.vn", "admin").await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let newcomer = sign_up(&s, "Người Mới", "moi.vao@example.vn", "lúa nước đồng bằng").await;
    let accepted = newcomer.send(&s, Method::POST, &format!("/api/v1/invitations/{}/accept", token(&a)), None).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    assert_eq!(accepted.body["status"], "pending");
    let info: SessionInfo =
        serde_json::from_value(newcomer.send(&s, Method::GET, "/api/v1/session", None).await.body).unwrap();
    assert!(!info.user.unwrap().is_staff);
    for path in ["/api/v1/staff/queue", "/api/v1/staff/audit", "/api/v1/staff/cooperatives"] {
        assert_eq!(newcomer.send(&s, Method::GET, path, None).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A member already is told so; the link stays for whoever it was meant for.
    let twice = invite(&s, &me, &slug, "moi.vao@example.vn", "member").await;
    let dup = newcomer.send(&s, Method::POST, &format!("/api/v1/invitations/{}/accept", token(&twice)), None).await;
    assert_eq!((dup.status, dup.code()), (StatusCode::CONFLICT, "already_member"));
    let info =
        Session::anonymous().send(&s, Method::GET, &format!("/api/v1/invitations/{}", token(&twice)), None).await;
    assert_eq!(info.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cooperative_sends_a_limited_number_of_invitations_a_day() {
    let s = server().await;
    let (coop, other) = two_cooperatives(&s).await;
    let admin = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &coop)).await;
    for n in 0..chohtx_server::api::members::INVITATIONS_PER_DAY {
        let a = invite(&s, &admin, &coop, &format!("nguoi{n}@example.vn"), "member").await;
        assert_eq!(a.status, StatusCode::CREATED, "{n}: {}", a.body);
    }
    let refused = invite(&s, &admin, &coop, "mot.nguoi.nua@example.vn", "member").await;
    assert_eq!((refused.status, refused.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(refused.headers.get("retry-after").is_some());
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation.created'")
        .fetch_one(&s.state.db)
        .await
        .unwrap();
    assert_eq!(queued, chohtx_server::api::members::INVITATIONS_PER_DAY);
    // Another cooperative has its own count; a day later this one may invite again.
    let admin_b = Session::sign_in(&s, &demo_member_email(MemberRole::Admin, &other)).await;
    assert_eq!(invite(&s, &admin_b, &other, "ai.do@example.vn", "member").await.status, StatusCode::CREATED);
    s.state.clock.set(s.state.clock.now() + time::Duration::days(1) + time::Duration::minutes(1));
    assert_eq!(invite(&s, &admin, &coop, "mot.nguoi.nua@example.vn", "member").await.status, StatusCode::CREATED);
}
