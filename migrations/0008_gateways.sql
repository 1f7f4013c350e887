-- Provider gateways (issue 5): failover between gateways, SMS reply codes, replays of provider
-- callbacks, and the cap on help replies to unknown SMS.

-- Which gateway of its route a message is on (0 = the first) and how many attempts it has had
-- there: after a gateway's temporary failures use up its retries, the message moves on to the next.
ALTER TABLE messages ADD COLUMN gateway_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN gateway_attempts INTEGER NOT NULL DEFAULT 0;
-- Delivery reports find their message by the provider's id.
CREATE INDEX messages_provider_id ON messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;

-- SMS reply codes: each alert sent to an SMS contact method gets a small number there ("1a"
-- acknowledges alert 1), given out in turn 1, 2, … and reused cyclically, like GoAlert's.
CREATE TABLE sms_reply_codes (
    contact_method_id TEXT    NOT NULL REFERENCES contact_methods (id) ON DELETE CASCADE,
    code              INTEGER NOT NULL CHECK (code > 0),
    alert_id          TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    serial            INTEGER NOT NULL,                  -- order of assignment per method: the next code follows the last one
    assigned_at       INTEGER NOT NULL,
    PRIMARY KEY (contact_method_id, code)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX sms_reply_codes_alert ON sms_reply_codes (contact_method_id, alert_id);
CREATE INDEX sms_reply_codes_serial ON sms_reply_codes (contact_method_id, serial);

-- Provider callbacks already handled, by (gateway, provider id, kind), with the answer given:
-- a provider's retry of the same request gets the same answer and has no second effect.
CREATE TABLE provider_events (
    gateway     TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('sms', 'key')),
    answer      TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (gateway, provider_id, kind)
) STRICT, WITHOUT ROWID;

-- Help replies sent to a number that texted something we did not understand; at most 5 until a
-- real message to it succeeds (the counter is then dropped), so two robots cannot loop forever.
CREATE TABLE sms_help_replies (
    address TEXT    PRIMARY KEY,
    count   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- Providers retry for at most a day; older events are pruned as new ones arrive.
CREATE INDEX provider_events_received ON provider_events (received_at);
