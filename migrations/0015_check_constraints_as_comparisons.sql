-- A CHECK (x IN ('a', 'b', 'c')) of three or more values builds a temporary B-tree of the values
-- every time a row is written (SQLite codes short IN lists as comparisons only up to two values):
-- a pager, a page cache and their frees per insert, several per new alert. The same constraints
-- as comparisons cost nothing extra. Rows on disk are unchanged, so the table definitions are
-- edited in place (sqlite.org/lang_altertable.html, "changes that do not affect the on-disk
-- content"); the helper table refuses the migration unless every rewrite happened.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''admin'', ''responder'', ''viewer''))',
    'CHECK (role = ''admin'' OR role = ''responder'' OR role = ''viewer'')')
    WHERE type = 'table' AND name = 'api_keys';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''rule'', ''override'', ''temporary''))',
    'CHECK (kind = ''rule'' OR kind = ''override'' OR kind = ''temporary'')')
    WHERE type = 'table' AND name = 'schedule_parts';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''triggered'', ''acknowledged'', ''resolved''))',
    'CHECK (status = ''triggered'' OR status = ''acknowledged'' OR status = ''resolved'')')
    WHERE type = 'table' AND name = 'alerts';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''pending'', ''queued'', ''cancelled'', ''skipped''))',
    'CHECK (state = ''pending'' OR state = ''queued'' OR state = ''cancelled'' OR state = ''skipped'')')
    WHERE type = 'table' AND name = 'alert_notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''alert'', ''status-update'', ''verification'', ''shift-notice'', ''test''))',
    'CHECK (kind = ''alert'' OR kind = ''status-update'' OR kind = ''verification'' OR kind = ''shift-notice'' OR kind = ''test'')')
    WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''queued'', ''sending'', ''sent'', ''delivered'', ''failed'', ''cancelled'', ''bundled''))',
    'CHECK (state = ''queued'' OR state = ''sending'' OR state = ''sent'' OR state = ''delivered'' OR state = ''failed'' OR state = ''cancelled'' OR state = ''bundled'')')
    WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (type IN (''sms'', ''voice'', ''email'', ''webhook'', ''slack'', ''teams''))',
    'CHECK (type = ''sms'' OR type = ''voice'' OR type = ''email'' OR type = ''webhook'' OR type = ''slack'' OR type = ''teams'')')
    WHERE type = 'table' AND name = 'contact_methods';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''New'', ''Active'', ''Closed''))',
    'CHECK (status = ''New'' OR status = ''Active'' OR status = ''Closed'')')
    WHERE type = 'table' AND name = 'sentinel_incidents';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (severity IN (''High'', ''Medium'', ''Low'', ''Informational''))',
    'CHECK (severity = ''High'' OR severity = ''Medium'' OR severity = ''Low'' OR severity = ''Informational'')')
    WHERE type = 'table' AND name = 'sentinel_incidents';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''acknowledge'', ''resolve'', ''severity'', ''note'', ''comment''))',
    'CHECK (kind = ''acknowledge'' OR kind = ''resolve'' OR kind = ''severity'' OR kind = ''note'' OR kind = ''comment'')')
    WHERE type = 'table' AND name = 'sentinel_writes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''queued'', ''sending'', ''done'', ''failed''))',
    'CHECK (state = ''queued'' OR state = ''sending'' OR state = ''done'' OR state = ''failed'')')
    WHERE type = 'table' AND name = 'sentinel_writes';
CREATE TABLE migration_0015_rewrites (done INTEGER NOT NULL CHECK (done = 11));
INSERT INTO migration_0015_rewrites SELECT
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'api_keys' AND instr(sql, 'CHECK (role = ''admin'' OR role = ''responder'' OR role = ''viewer'')') > 0 AND instr(sql, 'CHECK (role IN (''admin'', ''responder'', ''viewer''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schedule_parts' AND instr(sql, 'CHECK (kind = ''rule'' OR kind = ''override'' OR kind = ''temporary'')') > 0 AND instr(sql, 'CHECK (kind IN (''rule'', ''override'', ''temporary''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'alerts' AND instr(sql, 'CHECK (status = ''triggered'' OR status = ''acknowledged'' OR status = ''resolved'')') > 0 AND instr(sql, 'CHECK (status IN (''triggered'', ''acknowledged'', ''resolved''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'alert_notifications' AND instr(sql, 'CHECK (state = ''pending'' OR state = ''queued'' OR state = ''cancelled'' OR state = ''skipped'')') > 0 AND instr(sql, 'CHECK (state IN (''pending'', ''queued'', ''cancelled'', ''skipped''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'messages' AND instr(sql, 'CHECK (kind = ''alert'' OR kind = ''status-update'' OR kind = ''verification'' OR kind = ''shift-notice'' OR kind = ''test'')') > 0 AND instr(sql, 'CHECK (kind IN (''alert'', ''status-update'', ''verification'', ''shift-notice'', ''test''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'messages' AND instr(sql, 'CHECK (state = ''queued'' OR state = ''sending'' OR state = ''sent'' OR state = ''delivered'' OR state = ''failed'' OR state = ''cancelled'' OR state = ''bundled'')') > 0 AND instr(sql, 'CHECK (state IN (''queued'', ''sending'', ''sent'', ''delivered'', ''failed'', ''cancelled'', ''bundled''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'contact_methods' AND instr(sql, 'CHECK (type = ''sms'' OR type = ''voice'' OR type = ''email'' OR type = ''webhook'' OR type = ''slack'' OR type = ''teams'')') > 0 AND instr(sql, 'CHECK (type IN (''sms'', ''voice'', ''email'', ''webhook'', ''slack'', ''teams''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sentinel_incidents' AND instr(sql, 'CHECK (status = ''New'' OR status = ''Active'' OR status = ''Closed'')') > 0 AND instr(sql, 'CHECK (status IN (''New'', ''Active'', ''Closed''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sentinel_incidents' AND instr(sql, 'CHECK (severity = ''High'' OR severity = ''Medium'' OR severity = ''Low'' OR severity = ''Informational'')') > 0 AND instr(sql, 'CHECK (severity IN (''High'', ''Medium'', ''Low'', ''Informational''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sentinel_writes' AND instr(sql, 'CHECK (kind = ''acknowledge'' OR kind = ''resolve'' OR kind = ''severity'' OR kind = ''note'' OR kind = ''comment'')') > 0 AND instr(sql, 'CHECK (kind IN (''acknowledge'', ''resolve'', ''severity'', ''note'', ''comment''))') = 0) +
    (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sentinel_writes' AND instr(sql, 'CHECK (state = ''queued'' OR state = ''sending'' OR state = ''done'' OR state = ''failed'')') > 0 AND instr(sql, 'CHECK (state IN (''queued'', ''sending'', ''done'', ''failed''))') = 0);
-- Dropping it also bumps the schema version, so other connections read the new definitions.
DROP TABLE migration_0015_rewrites;
-- Off, and this connection reads the definitions again.
PRAGMA writable_schema = RESET;
