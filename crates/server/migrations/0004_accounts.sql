-- Accounts: people, their roles in cooperatives, server-side sessions, saved
-- addresses, password resets, failed sign-ins (rate limit) and the audit log.
-- Portable SQL as in 0001; booleans are INTEGER 0/1 (BOOLEAN on PostgreSQL).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    -- At least one of email (lower case) and phone (E.164) is set: what people sign in with.
    email         TEXT UNIQUE,
    phone         TEXT UNIQUE,
    -- PHC string of argon2id.
    password_hash TEXT NOT NULL,
    is_staff      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE memberships (
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, cooperative_id)
);
CREATE INDEX memberships_cooperative ON memberships (cooperative_id);

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked table
-- cannot be replayed. Each session has its own CSRF token.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE addresses (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_name TEXT NOT NULL,
    phone          TEXT NOT NULL,
    province_code  INTEGER NOT NULL,
    commune_code   INTEGER NOT NULL,
    commune_name   TEXT NOT NULL,
    street         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- One row per failed sign-in, by scope ('account' with the normalised login, or 'ip');
-- rows older than the window are deleted as new ones arrive.
CREATE TABLE sign_in_failures (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    key   TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (scope, key, at);

-- Who did what, when: staff and cooperative-admin actions, with the record before and
-- after (JSON text). Never updated or deleted by the application.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Registration details that staff check before approving, and why a cooperative was
-- refused or suspended (shown to it).
ALTER TABLE cooperatives ADD COLUMN registration_number TEXT NOT NULL DEFAULT '';
ALTER TABLE cooperatives ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
