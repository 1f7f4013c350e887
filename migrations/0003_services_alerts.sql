-- Services, their integration keys, alerts and alert timelines (issue 4, first slice).

-- A service in the shape of the generic resource layer (see 0002).
CREATE TABLE services (
    id          TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

-- Only the SHA-256 of an integration key's secret is stored; the secret is shown once.
CREATE TABLE integration_keys (
    id          TEXT    PRIMARY KEY,
    service_id  TEXT    NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    format      TEXT    NOT NULL CHECK (format IN ('events-v2', 'generic')),
    key_prefix  TEXT    NOT NULL,
    key_hash    BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;
CREATE INDEX integration_keys_service ON integration_keys (service_id, id);

CREATE TABLE alerts (
    id               TEXT    PRIMARY KEY,
    service_id       TEXT    NOT NULL REFERENCES services (id),
    dedup_key        TEXT    NOT NULL,
    summary          TEXT    NOT NULL,
    details          TEXT    NOT NULL CHECK (json_valid(details)),
    links            TEXT    NOT NULL CHECK (json_valid(links)),
    source           TEXT,
    severity         TEXT,
    urgency          TEXT    NOT NULL CHECK (urgency IN ('high', 'low')),
    status           TEXT    NOT NULL CHECK (status IN ('triggered', 'acknowledged', 'resolved')),
    acknowledged_by  TEXT,
    acknowledged_via TEXT,
    acknowledged_at  INTEGER,
    resolved_by      TEXT,
    resolved_via     TEXT,
    resolved_at      INTEGER,
    created_at       INTEGER NOT NULL,
    last_event_at    INTEGER NOT NULL,
    event_count      INTEGER NOT NULL
) STRICT;
-- One open alert per (service, dedup key): a second insert fails even if two writers raced.
CREATE UNIQUE INDEX alerts_open_dedup ON alerts (service_id, dedup_key) WHERE status != 'resolved';
-- Lists are newest first, keyset-paginated on (created_at, id).
CREATE INDEX alerts_created ON alerts (created_at, id);
CREATE INDEX alerts_service_created ON alerts (service_id, created_at, id);

CREATE TABLE alert_timeline (
    id        INTEGER PRIMARY KEY,
    alert_id  TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    actor     TEXT,
    method    TEXT,
    message   TEXT    NOT NULL
) STRICT;
CREATE INDEX alert_timeline_alert ON alert_timeline (alert_id, id);
