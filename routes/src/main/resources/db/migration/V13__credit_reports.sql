-- The register of credit reports (信用报告) this node issued (docs/protocol.md, "Credit reports"): what the
-- public verification endpoint answers by report number, with the node's signed statement of the report's digest.
create table credit_report (
    number            text        primary key,         -- <node>-<yyyyMMdd>-<serial>, printed on the report and in its QR code
    issued_at         timestamptz not null,
    subject_key       text        not null,            -- U:<USCC> or P:<keyed hash>: never a resident ID number in the clear
    issued_to_kind    text        not null,            -- the caller's kind, as audit events name it
    issued_to         text        not null,
    purpose           text        not null,
    classes           text        not null,            -- the classes of record the report shows, e.g. 'A,B'
    alliance          boolean     not null,            -- the alliance partners' answers included
    format            text        not null check (format in ('PDF', 'JSON')),
    digest_algorithm  text        not null check (digest_algorithm in ('SM3', 'SHA-256')),
    digest            bytea       not null,            -- of the report's bytes as issued (the signed PDF, or the JSON answer)
    statement         bytea       not null             -- the node's signed statement of number, time and digest (CMS SignedData)
);

-- the serial of report numbers
create sequence credit_report_serial;
