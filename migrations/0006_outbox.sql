-- The outbox sender finds the members of a bundle by the message they were folded into: to put
-- them back in the queue when that message is retried or was interrupted by a restart.
CREATE INDEX messages_bundle ON messages (bundle_id) WHERE bundle_id IS NOT NULL;
