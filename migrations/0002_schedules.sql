-- Users, rotations and schedules. Each resource is one row: its id, an optimistic-concurrency
-- version (the ETag), timestamps, and its JSON body in the shape the API reads and writes.
-- Columns beside the body exist only where SQL must search or constrain.

CREATE TABLE users (
    id          TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    email       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

-- Azure AD / Entra identity of a user in each Sentinel tenant, for owner assignment.
CREATE TABLE user_identities (
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id   TEXT    NOT NULL COLLATE NOCASE,
    object_id   TEXT    NOT NULL COLLATE NOCASE,
    upn         TEXT,
    PRIMARY KEY (user_id, tenant_id)
) STRICT;

CREATE TABLE rotations (
    id          TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

-- Which users a rotation names, so a user still in a rotation cannot be deleted.
CREATE TABLE rotation_participants (
    rotation_id TEXT    NOT NULL REFERENCES rotations (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    user_id     TEXT    NOT NULL REFERENCES users (id),
    PRIMARY KEY (rotation_id, position)
) STRICT;
CREATE INDEX rotation_participants_user ON rotation_participants (user_id);

CREATE TABLE schedules (
    id          TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

-- Rules, overrides and temporary schedules belong to one schedule and are edited one by one.
-- kind: 'rule' | 'override' | 'temporary'. start_at/end_at bound overrides and temporary
-- schedules (Unix ms), so a range query reads only what overlaps it.
CREATE TABLE schedule_parts (
    id          TEXT    PRIMARY KEY,
    schedule_id TEXT    NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('rule', 'override', 'temporary')),
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    start_at    INTEGER,
    end_at      INTEGER,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;
CREATE INDEX schedule_parts_schedule ON schedule_parts (schedule_id, kind, id);

-- Every user or rotation a schedule part names, so referenced ones cannot be deleted.
CREATE TABLE schedule_part_references (
    part_id     TEXT    NOT NULL REFERENCES schedule_parts (id) ON DELETE CASCADE,
    user_id     TEXT    REFERENCES users (id),
    rotation_id TEXT    REFERENCES rotations (id),
    CHECK ((user_id IS NULL) != (rotation_id IS NULL))
) STRICT;
CREATE INDEX schedule_part_references_user ON schedule_part_references (user_id);
CREATE INDEX schedule_part_references_rotation ON schedule_part_references (rotation_id);

-- Secret tokens of iCalendar feeds (SHA-256 stored); subject_kind 'schedule' or 'user'.
CREATE TABLE calendar_feeds (
    subject_kind TEXT    NOT NULL CHECK (subject_kind IN ('schedule', 'user')),
    subject_id   TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
) STRICT;

-- Who actually was on call, recorded as the answer changed; later edits never rewrite it.
-- end_at is NULL while the person is still on call.
CREATE TABLE on_call_history (
    id          INTEGER PRIMARY KEY,
    schedule_id TEXT    NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    user_id     TEXT    NOT NULL,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER,
    CHECK (end_at IS NULL OR end_at > start_at)
) STRICT;
CREATE INDEX on_call_history_schedule ON on_call_history (schedule_id, start_at);
CREATE UNIQUE INDEX on_call_history_open ON on_call_history (schedule_id, user_id) WHERE end_at IS NULL;
