-- Microsoft Sentinel connections (issue 6): one per workspace, each with the service principal
-- of the workspace's tenant. The client secret is stored only sealed (AES-256-GCM under the key
-- from WATCHKEEPER_SECRET_KEY / --secret-key-file, which is never stored here), bound to the
-- connection id so a sealed secret copied to another row does not open.
CREATE TABLE connections (
    id                   TEXT    NOT NULL PRIMARY KEY,
    customer             TEXT    NOT NULL,
    tenant_id            TEXT    NOT NULL,
    client_id            TEXT    NOT NULL,
    client_secret_sealed BLOB    NOT NULL,
    subscription_id      TEXT    NOT NULL,
    resource_group       TEXT    NOT NULL,
    workspace_name       TEXT    NOT NULL,
    workspace_id         TEXT    NOT NULL,
    authority_url        TEXT    NOT NULL DEFAULT 'https://login.microsoftonline.com',
    arm_url              TEXT    NOT NULL DEFAULT 'https://management.azure.com',
    -- The integration key new incidents seen by the poller go through (its service and routing
    -- rules), as if the playbook had sent them; nil: the poller records them without an alert.
    integration_key_id   TEXT    REFERENCES integration_keys (id) ON DELETE SET NULL,
    -- Filled by the poller: the last poll that finished, how far it got (lastModifiedTimeUtc of
    -- the newest incident fully applied, as ARM wrote it), the last failure, throttling seen.
    last_poll_at         INTEGER,
    poll_cursor          TEXT,
    last_error           TEXT,
    last_error_at        INTEGER,
    throttled_until      INTEGER,
    throttle_count       INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;
-- One connection per workspace: two would poll and write back the same incidents twice.
CREATE UNIQUE INDEX connections_workspace ON connections (lower(subscription_id), lower(resource_group), lower(workspace_name));
