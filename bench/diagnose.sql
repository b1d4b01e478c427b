-- What an on-call DBA would paste into psql for the same questions dbtool answers in its
-- blocking, idle-in-transaction, lock-waits, long-queries, connection-headroom and wraparound
-- checks: the peer for "time to diagnosis".
\pset pager off
SELECT a.pid, pg_blocking_pids(a.pid) AS blocked_by, a.state, a.wait_event_type, a.wait_event,
       now() - a.xact_start AS xact_age, left(a.query, 120) AS query
FROM pg_stat_activity a WHERE cardinality(pg_blocking_pids(a.pid)) > 0;
SELECT pid, usename, application_name, now() - state_change AS idle_for
FROM pg_stat_activity WHERE state LIKE 'idle in transaction%';
SELECT coalesce(l.relation::regclass::text, l.locktype) AS object, l.mode, count(*)
FROM pg_locks l WHERE NOT l.granted GROUP BY 1, 2;
SELECT pid, now() - query_start AS running_for, wait_event_type, left(query, 120)
FROM pg_stat_activity WHERE state = 'active' AND query_start < now() - interval '1 second' AND pid <> pg_backend_pid();
SELECT count(*), current_setting('max_connections') FROM pg_stat_activity;
SELECT datname, age(datfrozenxid) FROM pg_database ORDER BY 2 DESC;
