-- A mark's resolution reads every counted mark of its response, valid or held (see
-- MarkService.FACTS: status <> 'withdrawn'). The partial index of V1 covers valid marks
-- only, so that read scanned the whole marks table on every submission: one index on
-- response_id serves both.
create index marks_response_any on marks (response_id);
drop index marks_response;
