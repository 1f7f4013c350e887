-- The poller's state per connection lived twice: in sentinel_poll_cursors and in the connections
-- row's status columns, written in the same transactions. The connections row is the one the
-- status route shows, so it is the one kept (docs/SENTINEL-SYNC.md).
DROP TABLE sentinel_poll_cursors;
