-- Notifications, written in the transaction of the event they tell about; a worker sends
-- the due ones and retries failures with exponential backoff.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,              -- order.placed, order.confirmed, invitation.created…
    recipient       TEXT NOT NULL,              -- an email (contains '@') or an E.164 phone number
    payload         TEXT NOT NULL,              -- JSON: subject, text and the event's data
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;
