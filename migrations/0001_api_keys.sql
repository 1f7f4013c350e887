-- API keys: only a SHA-256 hash of the key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'responder', 'viewer')),
    key_prefix    TEXT    NOT NULL,              -- first characters, to tell keys apart in listings
    key_hash      BLOB    NOT NULL UNIQUE,       -- SHA-256 of the whole key
    created_at    INTEGER NOT NULL,              -- Unix milliseconds, UTC
    revoked_at    INTEGER
) STRICT;
