-- Escalation policies (issue 4, second slice), in the shape of the generic resource layer (see 0002).
CREATE TABLE escalation_policies (
    id          TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body))
) STRICT;

-- Every user, rotation and schedule a policy's steps name (one of the three per row), so one
-- still paged by a policy cannot be deleted.
CREATE TABLE escalation_policy_targets (
    policy_id   TEXT    NOT NULL REFERENCES escalation_policies (id) ON DELETE CASCADE,
    user_id     TEXT    REFERENCES users (id),
    rotation_id TEXT    REFERENCES rotations (id),
    schedule_id TEXT    REFERENCES schedules (id),
    CHECK ((user_id IS NOT NULL) + (rotation_id IS NOT NULL) + (schedule_id IS NOT NULL) = 1)
) STRICT;
CREATE INDEX escalation_policy_targets_policy ON escalation_policy_targets (policy_id);
CREATE INDEX escalation_policy_targets_user ON escalation_policy_targets (user_id);
CREATE INDEX escalation_policy_targets_rotation ON escalation_policy_targets (rotation_id);
CREATE INDEX escalation_policy_targets_schedule ON escalation_policy_targets (schedule_id);
