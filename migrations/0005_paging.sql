-- The paging engine (issue 4): contact methods, notification rules, escalation state per alert,
-- the notifications each step starts, the outbox of messages, ack-link tokens, shift notices.
-- Every timer is a column here (next_step_at, retrigger_at, due_at, next_attempt_at), so a
-- restart finds all due work in the database; nothing lives only in memory.

-- How a user is reached. Pages go only to verified methods that are not disabled.
CREATE TABLE contact_methods (
    id              TEXT    PRIMARY KEY,                 -- cm_…
    user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type            TEXT    NOT NULL CHECK (type IN ('sms', 'voice', 'email', 'webhook')),
    name            TEXT    NOT NULL,
    address         TEXT    NOT NULL,                    -- E.164 number, e-mail address or https URL
    status_updates  INTEGER NOT NULL DEFAULT 0 CHECK (status_updates IN (0, 1)),
    shift_notices   INTEGER NOT NULL DEFAULT 1 CHECK (shift_notices IN (0, 1)),
    shift_reminders INTEGER NOT NULL DEFAULT 0 CHECK (shift_reminders IN (0, 1)),
    verified_at     INTEGER,
    disabled_at     INTEGER,                             -- STOP by the recipient (issue 5)
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (user_id, type, address)
) STRICT;
CREATE INDEX contact_methods_user ON contact_methods (user_id, created_at, id);

-- One pending verification per contact method; only the code's SHA-256 is kept.
CREATE TABLE contact_method_verifications (
    contact_method_id TEXT    PRIMARY KEY REFERENCES contact_methods (id) ON DELETE CASCADE,
    code_hash         BLOB    NOT NULL,
    expires_at        INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    sent_at           INTEGER NOT NULL
) STRICT;

-- Contact method M is used `delay_seconds` after the user is paged.
CREATE TABLE notification_rules (
    id                TEXT    PRIMARY KEY,               -- nr_…
    user_id           TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_method_id TEXT    NOT NULL REFERENCES contact_methods (id) ON DELETE CASCADE,
    delay_seconds     INTEGER NOT NULL CHECK (delay_seconds BETWEEN 0 AND 86400),
    created_at        INTEGER NOT NULL,
    UNIQUE (contact_method_id, delay_seconds)
) STRICT;
CREATE INDEX notification_rules_user ON notification_rules (user_id, delay_seconds, id);

-- Where an open alert is in its escalation policy. `started_at` is the timeline's start (moved
-- earlier by skipped empty steps and manual escalations); `round` counts restarts (ack timeout,
-- escalate after the last step) so a restarted run pages people again.
CREATE TABLE alert_escalations (
    alert_id     TEXT    PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    policy_id    TEXT,
    round        INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER NOT NULL,
    last_pass    INTEGER,
    last_step    INTEGER,
    next_step_at INTEGER,                                -- NULL: nothing left to fire, or stopped
    retrigger_at INTEGER                                 -- ack timeout; NULL: none pending
) STRICT;
CREATE INDEX alert_escalations_next ON alert_escalations (next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX alert_escalations_retrigger ON alert_escalations (retrigger_at) WHERE retrigger_at IS NOT NULL;

-- One row per (alert, round, pass, user, rule): a user paged again by a later step of the same
-- pass gets nothing twice. `due_at` = when the step paged them + the rule's delay.
CREATE TABLE alert_notifications (
    id                INTEGER PRIMARY KEY,
    alert_id          TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    round             INTEGER NOT NULL,
    pass              INTEGER NOT NULL,
    user_id           TEXT    NOT NULL,
    rule_id           TEXT    NOT NULL,
    contact_method_id TEXT    NOT NULL,
    due_at            INTEGER NOT NULL,
    state             TEXT    NOT NULL CHECK (state IN ('pending', 'queued', 'cancelled', 'skipped')),
    UNIQUE (alert_id, round, pass, user_id, rule_id)
) STRICT;
CREATE INDEX alert_notifications_due ON alert_notifications (due_at) WHERE state = 'pending';
CREATE INDEX alert_notifications_alert ON alert_notifications (alert_id, user_id);

-- The outbox. A message is sent by claiming it (queued → sending, attempts + 1) in one commit and
-- recording the provider's answer in the next; a crash between the two leaves it 'sending', and
-- the restart sends it again: at most that one message can be repeated, none is lost.
CREATE TABLE messages (
    id                  TEXT    PRIMARY KEY,             -- msg_…
    alert_id            TEXT    REFERENCES alerts (id) ON DELETE CASCADE,
    service_id          TEXT,
    user_id             TEXT    NOT NULL,
    contact_method_id   TEXT    NOT NULL,
    kind                TEXT    NOT NULL CHECK (kind IN ('alert', 'status-update', 'verification', 'shift-notice', 'test')),
    subject             TEXT    NOT NULL,
    body                TEXT    NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled', 'bundled')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    bundle_id           TEXT,                            -- the message this one was folded into
    provider            TEXT,
    provider_message_id TEXT,
    last_error          TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    sent_at             INTEGER
) STRICT;
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX messages_contact_method ON messages (contact_method_id, sent_at);
CREATE INDEX messages_alert ON messages (alert_id, state);
CREATE INDEX messages_created ON messages (created_at, id);

-- Ack-link tokens: the SHA-256 of ≥128 random bits, bound to one alert and one user. Valid until
-- the alert is resolved + 24 h (read from the alert, so nothing here needs updating).
CREATE TABLE ack_tokens (
    token_hash BLOB    PRIMARY KEY,
    alert_id   TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX ack_tokens_alert ON ack_tokens (alert_id);

-- What the console message provider "delivered": the fake phone and inbox of `make run` and tests.
CREATE TABLE console_messages (
    id                INTEGER PRIMARY KEY,
    message_id        TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    contact_method_id TEXT    NOT NULL,
    type              TEXT    NOT NULL,
    address           TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    alert_ids         TEXT    NOT NULL CHECK (json_valid(alert_ids)),
    subject           TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    at                INTEGER NOT NULL
) STRICT;
CREATE INDEX console_messages_user ON console_messages (user_id, id);

-- Shift notices sent, one per (schedule, user, shift start, kind), so each goes out once.
CREATE TABLE shift_notices (
    schedule_id TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    shift_start INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('started', 'reminder')),
    sent_at     INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, user_id, shift_start, kind)
) STRICT, WITHOUT ROWID;
