-- A blob erased for good (personal data whose purpose has ended, such as a deleted face
-- enrolment's templates) keeps its row, so what referenced it still resolves and the audit trail
-- stays whole, with the time its bytes were removed. A row with erased_at set and the bytes
-- still present is an erasure not finished (a crash, a refusing file system); every node
-- finishes those when it starts and hourly.
alter table blobs add column erased_at timestamptz;

-- Enrolments deleted before erasure existed: their templates are erased by the first node that
-- starts on this version.
update blobs b set erased_at = e.deleted_at
from face_enrollments e
where e.template_ref = b.ref and e.deleted_at is not null;
