-- An index every mark paid for and no query needs: marks_marker_task (marker_id, task_id,
-- made_at) beside marks_marker_kind (marker_id, task_id, kind, made_at), which serves every
-- lookup by marker and task. Each mark inserted an entry in it, and every statement on marks
-- locked one relation more. Dropping an index rebuilds nothing, but its exclusive lock waits for
-- the transactions running on marks and holds the next ones back meanwhile: upgrade between
-- marking sessions, as with V7.
-- (allocations_response stays: the resolution's count of a response's running leases reads it,
-- and allocations_once, its apparent twin, is not what the planner picks while the table is new.)
drop index if exists marks_marker_task;
