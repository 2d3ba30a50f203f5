-- Foundation schema. Marks are stored in sixths (0, 2, 3, 4, 6), never as floating point.
-- Candidate identity lives only in the "identity" schema, which no marking code reads.

create schema if not exists identity;

-- Exams, subjects, items: a copy of the exam's scheme as loaded from configuration.
create table exams (
    id          text primary key,
    name        text not null,
    scheme_id   text not null,
    sat_on      date,
    created_at  timestamptz not null default now()
);

create table subjects (
    exam_id     text not null references exams(id),
    id          text not null,
    name        text not null,
    primary key (exam_id, id)
);

create table items (
    exam_id     text not null,
    subject_id  text not null,
    number      int  not null check (number >= 1),
    type        text not null check (type in ('closed', 'coded', 'written')),
    section     text not null default '',
    primary key (exam_id, subject_id, number),
    foreign key (exam_id, subject_id) references subjects(exam_id, id)
);

-- A marking task is one written item; markers calibrate and mark per task.
create table tasks (
    id              text primary key,
    exam_id         text not null,
    subject_id      text not null,
    item_number     int  not null,
    title           text not null,
    marks_required  int  not null default 2 check (marks_required between 1 and 5),
    settings        jsonb not null default '{}'::jsonb,
    created_at      timestamptz not null default now(),
    unique (exam_id, subject_id, item_number),
    foreign key (exam_id, subject_id, item_number) references items(exam_id, subject_id, number)
);

create table criteria_versions (
    task_id                 text not null references tasks(id),
    version                 int  not null check (version >= 1),
    published_at            timestamptz not null default now(),
    published_by            uuid,
    note                    text not null default '',
    clauses                 jsonb not null,
    requires_recalibration  boolean not null default false,
    primary key (task_id, version)
);

-- Identity: who the candidates are, and which booklet and response belong to whom.
create table identity.candidates (
    id           uuid primary key,
    exam_id      text not null references exams(id),
    fin          text not null,
    work_number  text not null,
    full_name    text not null,
    school_code  text,
    region_code  text,
    status       text not null default 'present' check (status in ('present', 'absent', 'annulled')),
    status_note  text not null default '',
    unique (exam_id, work_number),
    unique (exam_id, fin)
);

create table booklets (
    id           text primary key,
    exam_id      text not null references exams(id),
    subject_id   text not null,
    template_id  text not null,
    page_count   int  not null check (page_count >= 1),
    created_at   timestamptz not null default now(),
    foreign key (exam_id, subject_id) references subjects(exam_id, id)
);

create table identity.booklet_owners (
    booklet_id    text primary key references booklets(id),
    candidate_id  uuid not null references identity.candidates(id)
);

-- Encrypted blobs (answer images, page scans, face templates) are referenced, never inlined.
create table blobs (
    ref         text primary key,
    kind        text not null check (kind in ('response', 'page', 'quarantine', 'face-template', 'face-evidence')),
    key_id      text not null,
    size_bytes  bigint not null,
    created_at  timestamptz not null default now()
);

create table scan_files (
    sha256       text primary key,
    file_name    text not null,
    received_at  timestamptz not null default now(),
    received_by  uuid
);

-- Every scan of a page is kept; "in_use" says which one the responses were cut from.
create table pages (
    id            bigserial primary key,
    booklet_id    text not null references booklets(id),
    page_number   int  not null check (page_number >= 1),
    file_sha256   text not null references scan_files(sha256),
    file_page     int  not null default 0,
    blob_ref      text not null references blobs(ref),
    in_use        boolean not null default true,
    ingested_at   timestamptz not null default now()
);
create unique index pages_one_in_use on pages (booklet_id, page_number) where in_use;
create unique index pages_file_page on pages (file_sha256, file_page);

create table quarantine (
    id           bigserial primary key,
    file_sha256  text not null,
    file_page    int  not null default 0,
    reason       text not null,
    detail       text not null default '',
    blob_ref     text references blobs(ref),
    status       text not null default 'open' check (status in ('open', 'resolved', 'rejected')),
    created_at   timestamptz not null default now(),
    resolved_by  uuid,
    resolved_at  timestamptz,
    resolution   text,
    unique (file_sha256, file_page)
);

-- A response is one written answer, known to markers only by its opaque random id.
-- school_code and region_code serve allocation exclusions and are never sent to markers.
create table responses (
    id              text primary key,
    task_id         text not null references tasks(id),
    blob_ref        text not null references blobs(ref),
    likely_blank    boolean not null default false,
    ink_ratio       real,
    school_code     text,
    region_code     text,
    random_key      double precision not null default random(),
    status          text not null default 'open'
                    check (status in ('open', 'escalated', 'adjudication', 'final', 'withdrawn')),
    marks_needed    int not null default 2,
    final_sixths    smallint check (final_sixths in (0, 2, 3, 4, 6)),
    created_at      timestamptz not null default now()
);
-- The allocation query picks a random open response of a task: index on (task, random key).
create index responses_allocation on responses (task_id, random_key) where status = 'open';

create table identity.response_origins (
    response_id   text primary key references responses(id),
    candidate_id  uuid not null references identity.candidates(id),
    booklet_id    text not null references booklets(id),
    page_number   int  not null
);

-- Accounts.
create table users (
    id             uuid primary key,
    username       text not null unique,
    display_name   text not null,
    password_hash  text not null,
    school_code    text,
    region_code    text,
    disabled       boolean not null default false,
    created_at     timestamptz not null default now()
);

-- scope is '*' or a subject or task id: a chief examiner acts only within their scope.
create table user_roles (
    user_id  uuid not null references users(id),
    role     text not null check (role in ('admin', 'chief_examiner', 'marker', 'appeal_expert')),
    scope    text not null default '*',
    primary key (user_id, role, scope)
);

-- Sessions live in the database so that any node can serve any request.
create table sessions (
    token_hash    bytea primary key,
    user_id       uuid not null references users(id),
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked       boolean not null default false
);
create index sessions_user on sessions (user_id);

create table login_failures (
    id        bigserial primary key,
    username  text not null,
    remote    text not null,
    at        timestamptz not null default now()
);
create index login_failures_recent on login_failures (username, at);

-- Markers' standing per task: calibration, qualification, suspension.
create table marker_tasks (
    marker_id   uuid not null references users(id),
    task_id     text not null references tasks(id),
    state       text not null default 'calibrating'
                check (state in ('calibrating', 'qualified', 'held', 'suspended')),
    updated_at  timestamptz not null default now(),
    primary key (marker_id, task_id)
);

create table calibration_sets (
    id          bigserial primary key,
    task_id     text not null references tasks(id),
    ordinal     int  not null check (ordinal >= 1),
    created_by  uuid references users(id),
    created_at  timestamptz not null default now(),
    unique (task_id, ordinal)
);

create table calibration_items (
    set_id             bigint not null references calibration_sets(id),
    position           int    not null,
    response_id        text   not null references responses(id),
    definitive_sixths  smallint not null check (definitive_sixths in (0, 2, 3, 4, 6)),
    rationale          text not null,
    primary key (set_id, position)
);

create table calibration_attempts (
    id           bigserial primary key,
    marker_id    uuid not null references users(id),
    task_id      text not null references tasks(id),
    set_id       bigint not null references calibration_sets(id),
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    passed       boolean
);

create table calibration_marks (
    attempt_id   bigint not null references calibration_attempts(id),
    response_id  text   not null references responses(id),
    sixths       smallint not null check (sixths in (0, 2, 3, 4, 6)),
    made_at      timestamptz not null default now(),
    primary key (attempt_id, response_id)
);

create table seeds (
    id                 bigserial primary key,
    task_id            text not null references tasks(id),
    response_id        text not null references responses(id),
    definitive_sixths  smallint not null check (definitive_sixths in (0, 2, 3, 4, 6)),
    rationale          text not null default '',
    active             boolean not null default true,
    created_by         uuid references users(id),
    created_at         timestamptz not null default now(),
    unique (task_id, response_id)
);

-- An allocation is a lease of one response to one marker.
create table allocations (
    id           bigserial primary key,
    response_id  text not null references responses(id),
    marker_id    uuid not null references users(id),
    task_id      text not null references tasks(id),
    kind         text not null check (kind in ('live', 'seed', 'senior')),
    leased_at    timestamptz not null default now(),
    expires_at   timestamptz not null,
    state        text not null default 'leased' check (state in ('leased', 'marked', 'expired', 'released', 'escalated'))
);
-- A marker never sees the same response twice.
create unique index allocations_once on allocations (response_id, marker_id);
create index allocations_live on allocations (marker_id, state) where state = 'leased';
create index allocations_expiry on allocations (expires_at) where state = 'leased';

-- Marks: the client chooses the id, which makes a resubmission idempotent.
create table marks (
    id               uuid primary key,
    allocation_id    bigint not null unique references allocations(id),
    response_id      text not null references responses(id),
    marker_id        uuid not null references users(id),
    task_id          text not null references tasks(id),
    sixths           smallint not null check (sixths in (0, 2, 3, 4, 6)),
    criteria_version int not null,
    kind             text not null check (kind in ('live', 'seed', 'senior', 'adjudication')),
    made_at          timestamptz not null default now(),
    status           text not null default 'valid' check (status in ('valid', 'withdrawn', 'held')),
    status_reason    text not null default ''
);
create index marks_response on marks (response_id) where status = 'valid';
create index marks_marker_task on marks (marker_id, task_id, made_at);

create table audit_log (
    id       bigserial primary key,
    at       timestamptz not null default now(),
    actor    uuid,
    action   text not null,
    subject  text not null default '',
    detail   jsonb not null default '{}'::jsonb
);
create index audit_log_action on audit_log (action, at);
