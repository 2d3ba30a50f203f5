-- V6: marker presence (face checks). Every node reads and writes this state, so a cluster
-- agrees on who must answer a check. No photo or frame is ever stored in a table: enrolment
-- keeps only embeddings, and evidence frames of failed checks, both as encrypted blobs.

-- A marker's enrolled face templates (embeddings of one recognizer), sealed in the blob store.
-- Re-enrolling marks the old row deleted (kept for the audit trail) and adds a new one.
create table face_enrollments (
    id            uuid primary key,
    marker_id     uuid not null references users(id),
    template_ref  text not null references blobs(ref),
    model_id      text not null,
    photos        int  not null check (photos >= 1),
    accepted      int  not null check (accepted >= 1),
    enrolled_by   uuid not null references users(id),
    enrolled_at   timestamptz not null,
    deleted_at    timestamptz,
    deleted_by    uuid references users(id)
);
create unique index face_enrollments_current on face_enrollments (marker_id) where deleted_at is null;

-- Where one marker's presence stands (see PresenceRules for the transitions).
--   ok:        may be allocated work; next_check_at is when a random check falls due
--   check_due: a check was asked for (trigger says why) and must be passed by deadline
--   paused:    a check failed; one retry is due by deadline
--   suspended: two checks failed; a chief examiner decides
create table presence (
    marker_id       uuid primary key references users(id),
    state           text not null check (state in ('ok', 'check_due', 'paused', 'suspended')),
    trigger         text check (trigger in ('login', 'random', 'seed', 'retry', 'reinstated')),
    due_since       timestamptz,
    deadline        timestamptz,
    next_check_at   timestamptz,
    failures        int  not null default 0 check (failures between 0 and 2),
    last_passed_at  timestamptz,
    last_active_at  timestamptz,
    notified_at     timestamptz,
    suspended_at    timestamptz,
    hold_pending    boolean not null default false,
    updated_at      timestamptz not null
);
-- The sweeper's three questions, each on its own partial index.
create index presence_random_due on presence (next_check_at) where state = 'ok';
create index presence_deadline on presence (deadline) where state in ('check_due', 'paused');
create index presence_hold_pending on presence (marker_id) where hold_pending;

-- One issued challenge and its outcome. fingerprint holds per-frame hashes (no image) for
-- replay detection; evidence_ref the sealed frames of a failed burst.
create table face_checks (
    id            uuid primary key,
    marker_id     uuid not null references users(id),
    trigger       text not null,
    challenge     text not null check (challenge in ('TURN_LEFT', 'TURN_RIGHT')),
    issued_at     timestamptz not null,
    deadline      timestamptz not null,
    status        text not null default 'open' check (status in ('open', 'passed', 'failed')),
    reason        text,
    detail        text not null default '',
    similarity    double precision,
    threshold     double precision,
    yaw_change    double precision,
    frames        int,
    answered_at   timestamptz,
    fingerprint   bytea,
    evidence_ref  text references blobs(ref)
);
create index face_checks_marker on face_checks (marker_id, issued_at desc);
create unique index face_checks_one_open on face_checks (marker_id) where status = 'open';

-- What happened to a marker's presence, for the chief examiner (the audit log has it too).
create table presence_events (
    id         bigserial primary key,
    marker_id  uuid not null references users(id),
    at         timestamptz not null,
    kind       text not null,
    check_id   uuid references face_checks(id),
    reason     text,
    actor      uuid references users(id),
    detail     jsonb not null default '{}'::jsonb
);
create index presence_events_marker on presence_events (marker_id, at);
create index presence_events_at on presence_events (at);
