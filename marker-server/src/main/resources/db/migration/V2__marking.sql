-- The marking engine: leases, marks, calibration history, seeding state, escalations.
--
-- Response statuses (who may be given the response next):
--   open            needs more independent markers (assigned < marks_needed)
--   marking         every independent marker is assigned (leased, marked or held); waiting for them
--   senior          the independent marks disagree: waits for a blind senior marking
--   senior-marking  leased to a senior marker
--   adjudication    the senior mark settled nothing: waits for the chief examiner
--   escalated       a marker escalated it (illegible, blank, ...): waits for the chief examiner
--   final           final_sixths holds the final mark
--   withdrawn       taken out of marking by the board
--   reference       a seed or calibration item only: never allocated as live work
alter table responses drop constraint responses_status_check;
alter table responses add constraint responses_status_check check (status in
    ('open', 'marking', 'senior', 'senior-marking', 'adjudication', 'escalated', 'final', 'withdrawn', 'reference'));
-- Independent markers assigned: live leases running plus live marks valid or held.
alter table responses add column assigned int not null default 0 check (assigned >= 0);
create index responses_senior on responses (task_id, random_key) where status = 'senior';
create index responses_task_status on responses (task_id, status);

-- A marker's standing on a task, beside the state column of V1:
--   senior           does the blind third markings of the task
--   live_since_seed  the seeding state's counter (the seeds seen are the marker's seed allocations)
--   seed_epoch       seed results before it are not evaluated: a reinstatement starts a new history
--   state_reason     why the state is what it is, for the chief examiner
alter table marker_tasks add column senior boolean not null default false;
alter table marker_tasks add column live_since_seed int not null default 0;
alter table marker_tasks add column seed_epoch timestamptz not null default '-infinity';
alter table marker_tasks add column state_reason text not null default '';
create index marker_tasks_task on marker_tasks (task_id);

-- The calibration gate's history per marker and task (CalibrationGate's events), never edited.
create table calibration_events (
    id           bigserial primary key,
    marker_id    uuid not null references users(id),
    task_id      text not null references tasks(id),
    at           timestamptz not null,
    kind         text not null check (kind in ('attempted', 'chief-decision', 'criteria-revised')),
    after_state  text not null check (after_state in ('NOT_STARTED', 'FAILED_ONCE', 'PASSED', 'HELD', 'APPROVED')),
    detail       jsonb not null default '{}'::jsonb
);
create index calibration_events_marker on calibration_events (marker_id, task_id, id);
-- A calibration mark is submitted like a live one, with a client-chosen id.
alter table calibration_marks add column mark_id uuid unique;
create unique index calibration_attempts_open on calibration_attempts (marker_id, task_id) where finished_at is null;

-- Warnings, suspensions and reinstatements, kept whole.
create table marker_standing_events (
    id         bigserial primary key,
    marker_id  uuid not null references users(id),
    task_id    text not null references tasks(id),
    at         timestamptz not null default now(),
    kind       text not null check (kind in ('warned', 'suspended', 'reinstated')),
    reason     text not null default '',
    actor      uuid,
    detail     jsonb not null default '{}'::jsonb
);
create index marker_standing_events_task on marker_standing_events (task_id, at);

-- Escalations: a marker sent a response to the chief examiner instead of marking it.
create table escalations (
    id             bigserial primary key,
    client_id      uuid not null unique,
    response_id    text not null references responses(id),
    task_id        text not null references tasks(id),
    marker_id      uuid not null references users(id),
    allocation_id  bigint not null unique references allocations(id),
    reason         text not null check (reason in ('illegible', 'blank', 'other-question', 'concerning', 'malpractice')),
    note           text not null default '',
    created_at     timestamptz not null default now(),
    status         text not null default 'open' check (status in ('open', 'resolved')),
    resolution     text check (resolution in ('marked', 'returned')),
    resolved_sixths smallint check (resolved_sixths in (0, 2, 3, 4, 6)),
    resolution_note text not null default '',
    resolved_by    uuid references users(id),
    resolved_at    timestamptz
);
create index escalations_open on escalations (task_id) where status = 'open';

-- Lookups on every submission and allocation.
create index allocations_marker_task on allocations (marker_id, task_id, kind);
create index allocations_response on allocations (response_id) where state = 'leased';
create index marks_marker_kind on marks (marker_id, task_id, kind, made_at);
create index marks_task on marks (task_id, made_at);
-- The time the client says the mark was made (its clock), beside made_at (the server's).
alter table marks add column client_marked_at timestamptz;

-- An adjudication (or an escalation settled with a mark) is the chief examiner's own mark,
-- made without a lease.
alter table marks alter column allocation_id drop not null;
