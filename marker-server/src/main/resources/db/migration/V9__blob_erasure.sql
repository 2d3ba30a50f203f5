-- A blob erased for good (personal data whose purpose has ended, such as a deleted face
-- enrolment's templates) keeps its row, so what referenced it still resolves and the audit trail
-- stays whole, with the time its bytes were removed. A row with erased_at set and the bytes
-- still present is an erasure a crash interrupted; every node finishes those when it starts.
alter table blobs add column erased_at timestamptz;
