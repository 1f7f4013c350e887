-- Write-back to Microsoft Sentinel (issue 6): the durable queue of our changes to incidents,
-- sent one at a time per incident by the sentinel-sync engine step (docs/SENTINEL-SYNC.md).
CREATE TABLE sentinel_writes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The incident's ARM id, lower-cased (the dedup key of its alert).
    incident_key    TEXT    NOT NULL,
    alert_id        TEXT    NOT NULL,
    connection_id   TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('acknowledge', 'resolve', 'severity', 'note', 'comment')),
    -- SentinelWriteChange as JSON: the fields we change and the comment we add.
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    state           TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- The comment's id in Sentinel, fixed when queued, so a repeated PUT never adds a second one.
    comment_id      TEXT,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- One write at a time per incident: the oldest unfinished one goes first.
CREATE INDEX sentinel_writes_incident ON sentinel_writes (incident_key, id) WHERE state IN ('queued', 'sending');
CREATE INDEX sentinel_writes_due ON sentinel_writes (next_attempt_at) WHERE state = 'queued';

-- Our own etags, the comment count and the owner/severity dating live in sentinel_incidents
-- (the one apply function's state, shared by the webhook, the poller and the write-back).

-- The poller's state per connection.
CREATE TABLE sentinel_poll_cursors (
    connection_id   TEXT    PRIMARY KEY,
    cursor          INTEGER,
    last_poll_at    INTEGER,
    last_error      TEXT,
    throttled_until INTEGER,
    throttle_count  INTEGER NOT NULL DEFAULT 0
) STRICT;
