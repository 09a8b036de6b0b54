-- Access (docs/operations.md, "Access"): the data subjects' authorisations that class B queries
-- rely on, and every access decision, allow or deny (the audit trail builds its chain on it).

-- A data subject's authorisation (授权): the subject as the store keys it ('U:' || uscc, or
-- 'P:' || the keyed hash of a resident ID number: never the number), who may read, why, what, when.
create table subject_authorisation (
    id             uuid        primary key,
    subject_key    text        not null,
    grantee        text        not null,      -- a partner's node id, a department's USCC, a platform's client id
    purpose        text        not null,
    datasets       text[]      not null check (cardinality(datasets) > 0),
    valid_from     timestamptz not null,
    valid_until    timestamptz not null check (valid_until > valid_from),
    evidence       text,                      -- reference to the signed paper or electronic consent
    subject_signature bytea,                  -- or the consent signed with the subject's certificate (CMS)
    registered_by  text        not null,
    registered_at  timestamptz not null default now(),
    revoked_at     timestamptz,
    revoked_by     text,
    check (evidence is not null or subject_signature is not null)
);
create index subject_authorisation_subject on subject_authorisation (subject_key);

-- Every access decision: who (caller kind and name; never a personal identifier), about whom (the
-- subject key), which class and dataset, for what purpose, relying on which authorisation, and the
-- decision with its reason code.
create table access_event (
    id               bigint      generated always as identity primary key,
    at               timestamptz not null default now(),
    actor_kind       text        not null,
    actor            text        not null,
    subject_key      text,
    classification   char(1)     not null,
    dataset          text        not null,
    purpose          text,
    authorisation_id uuid,
    decision         text        not null check (decision in ('ALLOW', 'DENY')),
    reason           text,                    -- the deny code, or the disclosure allowed
    check ((decision = 'DENY') = (reason like 'E\_%'))
);
create index access_event_at on access_event (at);
