-- Slack and Teams contact methods (issue 5): their address is the channel's incoming-webhook URL.
-- SQLite cannot change a CHECK constraint, so contact_methods is rebuilt with the same columns,
-- constraints and index, keeping every row and every row that references one.
--
-- Migrations run inside a transaction with foreign_keys ON (PRAGMA foreign_keys cannot change in
-- a transaction), and dropping a parent table deletes its rows first, which would cascade to the
-- verifications, notification rules and SMS reply codes that reference them. So the old rows'
-- ids are first moved aside (children keep their ids: ON UPDATE is NO ACTION, and with deferred
-- checks the orphans are only counted), the old table goes, and the same ids are inserted into the
-- new table, which settles the count before COMMIT. Any row left dangling fails the COMMIT: this
-- migration cannot silently lose a contact method's rules. This works for every table that
-- references contact_methods, whichever migration added it.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE contact_methods_copy AS SELECT rowid AS old_rowid, * FROM contact_methods;

UPDATE contact_methods SET id = '~' || id;
DROP TABLE contact_methods;

CREATE TABLE contact_methods (
    id              TEXT    PRIMARY KEY,                 -- cm_…
    user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type            TEXT    NOT NULL CHECK (type IN ('sms', 'voice', 'email', 'webhook', 'slack', 'teams')),
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

INSERT INTO contact_methods (rowid, id, user_id, type, name, address, status_updates, shift_notices, shift_reminders,
                             verified_at, disabled_at, created_at, updated_at)
SELECT old_rowid, id, user_id, type, name, address, status_updates, shift_notices, shift_reminders,
       verified_at, disabled_at, created_at, updated_at
FROM contact_methods_copy;

DROP TABLE contact_methods_copy;
