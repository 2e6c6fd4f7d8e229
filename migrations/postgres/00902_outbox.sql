-- +goose Up
-- Messages to people (text messages and e-mail) waiting for delivery. A
-- message is written in the transaction of the change that causes it, so
-- it is sent if and only if that change committed; a dispatcher delivers
-- it afterwards, retrying with back-off. The body may hold a one-time code
-- in clear, so it is wiped as soon as the message leaves the pending state
-- (sent, expired or given up); finished rows are deleted after a while.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'expired', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_finished_idx ON outbox (finished_at) WHERE state <> 'pending';

-- +goose Down
DROP TABLE outbox;
