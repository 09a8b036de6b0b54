-- Archived ranges purged from the database (docs/operations.md, "Purging archived ranges"). A purge
-- removes the events up to a signed checkpoint, after an evidence bundle of them was written and
-- verified. The chain then starts after through_seq, from through_hash, which the signed checkpoint
-- at through_seq (kept, with its countersignatures) pins: the rest of the trail stays verifiable,
-- and the archive verifies on its own, offline.
create table audit_purge (
    through_seq     bigint      primary key references audit_checkpoint (seq),
    through_hash    bytea       not null,
    archive         text        not null,   -- the evidence bundle's file name
    archive_sha256  text        not null,
    purged_at       timestamptz not null default now(),
    purged_by       text        not null
);
