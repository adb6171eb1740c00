-- Member invitations: an admin invites an email or phone number with a role; whoever holds
-- the link (a random token, stored hashed) and is signed in accepts it and becomes a member.
CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives (id) ON DELETE CASCADE,
    login          TEXT NOT NULL,               -- the invited email (lower case) or phone (E.164)
    role           TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash     TEXT NOT NULL UNIQUE,        -- SHA-256 of the link's token, hex
    invited_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    accepted_at    TEXT,
    accepted_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    revoked_at     TEXT
);
CREATE INDEX invitations_cooperative ON invitations (cooperative_id, created_at);
