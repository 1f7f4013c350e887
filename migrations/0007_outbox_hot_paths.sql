-- A storm to one person leaves thousands of pages queued behind the throttle. The claim runs on
-- every ingest and every pass, so its lookups must not scan them: which contact methods have a
-- message at a provider, and which queued pages of one method and service fold into a bundle.
CREATE INDEX messages_sending ON messages (contact_method_id) WHERE state = 'sending';
CREATE INDEX messages_queued_by_method ON messages (contact_method_id, service_id, created_at) WHERE state = 'queued';
