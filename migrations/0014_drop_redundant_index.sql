-- alert_notifications_alert (alert_id, user_id) repeats the prefix of the UNIQUE index
-- (alert_id, round, pass, user_id, rule_id): every query by alert (and user) can use that one, and
-- each new alert's commit wrote one index fewer.
DROP INDEX alert_notifications_alert;
