-- Microsoft Sentinel incidents mirrored from the playbook webhook and the poller (issue 6, "In").
-- One row per incident: the last version applied (last_modified with all 7 fractional digits as
-- text, then etag) and the alert it drives. Older or identical versions are ignored, so the Logic
-- App's retries and the poller's overlap change nothing.
CREATE TABLE sentinel_incidents (
    -- The ARM id lower-cased: ids arrive as …/Incidents/… and …/incidents/….
    incident_key          TEXT    PRIMARY KEY,
    arm_id                TEXT    NOT NULL,
    -- The alert this incident drives now (a reopened incident moves on to a new alert).
    alert_id              TEXT    REFERENCES alerts (id),
    -- The integration key it came in by, and the service its alerts go to (routing may choose another);
    -- no service: an incident the poller saw for a connection without a default integration key.
    integration_key_id    TEXT,
    service_id            TEXT,
    -- The connection whose workspace it belongs to (webhook: matched by workspace; poll: the
    -- connection polled) and that connection's Entra tenant: alerts with one are written back.
    connection_id         TEXT,
    tenant_id             TEXT,
    workspace             TEXT,
    incident_number       INTEGER,
    etag                  TEXT    NOT NULL,
    last_modified         TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('New', 'Active', 'Closed')),
    severity              TEXT    NOT NULL CHECK (severity IN ('High', 'Medium', 'Low', 'Informational')),
    owner_object_id       TEXT,
    owner_name            TEXT,
    classification        TEXT,
    classification_reason TEXT,
    title                 TEXT    NOT NULL,
    -- Etags our own writes got back (JSON list, newest last, bounded): versions we wrote never echo.
    own_etags             TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(own_etags)),
    -- When someone else (the portal, a playbook) last changed the owner or the severity, as the
    -- lastModifiedTimeUtc of the first version showing it; our writes do not move these. A write
    -- of ours made before that instant does not overwrite their change (last writer wins, by time).
    owner_changed_at      INTEGER,
    severity_changed_at   INTEGER,
    -- Comments we added (Sentinel allows 100 per incident).
    comment_count         INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX sentinel_incidents_alert ON sentinel_incidents (alert_id);
CREATE INDEX sentinel_incidents_connection ON sentinel_incidents (connection_id, last_modified);

-- Azure Monitor alerts are found by their alertId (an ARM id, unique across services) whichever
-- service routing sent them to.
CREATE INDEX alerts_dedup_key ON alerts (dedup_key, created_at);

-- Per integration key: what a Sentinel incident reopened after its alert was resolved does
-- (no row: new-alert, the default).
CREATE TABLE sentinel_key_settings (
    integration_key_id TEXT    PRIMARY KEY REFERENCES integration_keys (id) ON DELETE CASCADE,
    reopen_policy      TEXT    NOT NULL CHECK (reopen_policy IN ('new-alert', 'record-only')),
    updated_at         INTEGER NOT NULL
) STRICT;
