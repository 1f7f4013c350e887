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

-- The etags Sentinel answered to our own PUTs (the last 20 per incident), so the poller and the
-- webhook recognise our writes and never take them for changes made in the portal.
CREATE TABLE sentinel_own_etags (
    incident_key    TEXT    NOT NULL,
    etag            TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    PRIMARY KEY (incident_key, etag)
) STRICT;

-- Comments we added per incident (Sentinel allows 100), and the poller's state per connection.
CREATE TABLE sentinel_comment_counts (
    incident_key    TEXT    PRIMARY KEY,
    count           INTEGER NOT NULL
) STRICT;

CREATE TABLE sentinel_poll_cursors (
    connection_id   TEXT    PRIMARY KEY,
    cursor          INTEGER,
    last_poll_at    INTEGER,
    last_error      TEXT,
    throttled_until INTEGER,
    throttle_count  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- What we last knew of each linked incident: which alert and connection it belongs to and the
-- fields both sides write. Filled when an incident is linked (ingest, poll); until the incident
-- table of the ingest work is merged, this is the link the write-back and the poller use.
CREATE TABLE sentinel_sync_mirror (
    incident_key          TEXT    PRIMARY KEY,
    alert_id              TEXT    NOT NULL,
    connection_id         TEXT    NOT NULL,
    -- The connection's Entra tenant, where the acknowledging user's object id is looked up.
    tenant_id             TEXT    NOT NULL,
    arm_id                TEXT    NOT NULL,
    etag                  TEXT,
    last_modified         INTEGER,
    status                TEXT,
    owner_object_id       TEXT,
    severity              TEXT,
    classification        TEXT,
    classification_reason TEXT,
    -- When someone else (the portal, a playbook) last changed the owner or the severity, as
    -- Sentinel's lastModifiedTimeUtc; our writes do not move these. A write of ours made before
    -- that instant does not overwrite their change (last writer wins, by time).
    owner_changed_at      INTEGER,
    severity_changed_at   INTEGER
) STRICT;
CREATE INDEX sentinel_sync_mirror_alert ON sentinel_sync_mirror (alert_id);
