-- Routing rules of an integration key (issue 6): an ordered list, replaced whole by the API.
-- The rule itself (name, conditions, actions) is the JSON body in the API's shape; position
-- orders the list and the first rule whose conditions all hold decides.
CREATE TABLE routing_rules (
    integration_key_id  TEXT    NOT NULL REFERENCES integration_keys (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL CHECK (position >= 0),
    id                  TEXT    NOT NULL,                -- rr_… or the admin's own id
    body                TEXT    NOT NULL CHECK (json_valid(body)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (integration_key_id, position),
    UNIQUE (integration_key_id, id)
) STRICT;
