-- Ingest: booklet layouts, what each scan page became, and the identity side of responses.
-- Ingested pages live in "pages", quarantined ones in "quarantine"; together they are the
-- ingest ledger, keyed by (file_sha256, file_page) in both (V1's unique indexes).

-- The printed layout of one subject's answer booklet (BookletTemplate JSON), uploaded by the
-- board before printing. Booklets name their layout; a layout cannot change once issued.
create table booklet_templates (
    id          text primary key,
    exam_id     text not null references exams(id),
    subject_id  text not null,
    layout      jsonb not null,
    page_count  int  not null check (page_count >= 1),
    created_at  timestamptz not null default now(),
    foreign key (exam_id, subject_id) references subjects(exam_id, id)
);
create index booklet_templates_exam on booklet_templates (exam_id);

alter table booklets add constraint booklets_template_fk foreign key (template_id) references booklet_templates(id);
create index booklets_exam on booklets (exam_id);

-- What the page code said (if it was read) and the file's name, so an admin can resolve a
-- quarantined page by hand.
alter table quarantine add column read_exam text;
alter table quarantine add column read_booklet text;
alter table quarantine add column read_page int;
create index quarantine_open on quarantine (created_at) where status = 'open';

-- Identity crops (name and work number area of a page) are blobs too, of their own kind.
alter table blobs drop constraint blobs_kind_check;
alter table blobs add constraint blobs_kind_check
    check (kind in ('response', 'page', 'quarantine', 'face-template', 'face-evidence', 'identity'));

-- Which scanned page a response was cut from, so a rescan can withdraw exactly the responses
-- of the page it replaces. Identity schema: the page leads to the booklet and so to the candidate.
alter table identity.response_origins add column page_id bigint references pages(id);
create index response_origins_page on identity.response_origins (page_id);

create table identity.page_identity_images (
    blob_ref      text primary key references blobs(ref),
    candidate_id  uuid not null references identity.candidates(id),
    page_id       bigint not null references pages(id)
);
