-- The audit trail (docs/operations.md, "Audit trail"): every exchange, access decision, import,
-- configuration change, key operation, console login and export, as one hash chain.
--
-- An event is inserted by the action's own transaction (no action without its event), pending:
-- seq, prev_hash and hash null. The chainer, one at a time across replicas (an advisory lock),
-- takes pending events in insertion order in batches, gives each the next sequence number and
-- hash = H(canonical bytes || previous hash) (SM3 on GM nodes, SHA-256 on INTL nodes), and moves
-- the head. Nothing else writes seq, prev_hash or hash.
create table audit_event (
    id               bigint      generated always as identity primary key,  -- insertion order
    seq              bigint      unique,                                   -- chain position, from 1
    at               timestamptz not null default clock_timestamp(),
    actor_kind       text        not null,   -- OPERATOR, ANONYMOUS, PARTNER, PERSON, PLATFORM, DEPARTMENT
    actor            text        not null,   -- never a personal identifier
    partner          text,                   -- the partner node concerned, if any
    action           text        not null,   -- access, exchange.in, exchange.out, import, config, key, login, export
    subject_key      text,                   -- 'U:' || uscc, or 'P:' || keyed hash of a resident ID (pseudonym)
    classification   char(1),
    dataset          text,
    purpose          text,
    authorisation_id uuid,
    decision         text        check (decision in ('ALLOW', 'DENY')),
    reason           text,                   -- a deny's code, an allow's disclosure, an outcome's code
    message_ids      text[],
    outcome          text,
    latency_ms       integer,
    detail           text,
    prev_hash        bytea,
    hash             bytea,
    check (decision is null or (decision = 'DENY') = (reason like 'E\_%')),
    check ((seq is null) = (hash is null) and (seq is null) = (prev_hash is null))
);
create index audit_event_pending on audit_event (id) where seq is null;
create index audit_event_at on audit_event (at);
create index audit_event_subject on audit_event (subject_key, at) where subject_key is not null;

-- The chain's head: the last chained event, the node whose chain it is (every event's canonical
-- bytes name it) and the hash algorithm. One row, written by the chainer.
create table audit_chain_head (
    one       boolean primary key default true check (one),
    node      text    not null,
    algorithm text    not null check (algorithm in ('SM3', 'SHA-256')),
    seq       bigint  not null,
    hash      bytea   not null
);

-- Access decisions were recorded in access_event; they become the first events of the chain.
insert into audit_event (at, actor_kind, actor, action, subject_key, classification, dataset, purpose,
                         authorisation_id, decision, reason)
select at, actor_kind, actor, 'access', subject_key, classification, dataset, purpose, authorisation_id, decision, reason
from access_event order by id;
drop table access_event;

-- Signed checkpoints of the chain: the node's CMS signature over (node, algorithm, seq, head hash,
-- time). A checkpoint pins every event up to seq: a chain rewritten before it, hashes recomputed,
-- no longer ends in its hash.
create table audit_checkpoint (
    seq        bigint      primary key,
    head_hash  bytea       not null,
    at         timestamptz not null,
    signed     bytea       not null
);

-- Partners' countersignatures of our checkpoints: the same statement signed by the partner, so that
-- rewriting our history needs every partner's collusion.
create table audit_countersignature (
    seq          bigint      not null references audit_checkpoint (seq),
    partner      text        not null,
    signed       bytea       not null,
    received_at  timestamptz not null default now(),
    primary key (seq, partner)
);

-- Partners' checkpoints this node countersigned: what it witnessed of each partner's trail. A
-- partner presenting another hash for a sequence number it already had witnessed is refused.
create table audit_witnessed (
    partner        text        not null,
    seq            bigint      not null,
    head_hash      bytea       not null,
    signed         bytea       not null,   -- the partner's signed checkpoint
    countersigned  bytea       not null,   -- our countersignature, as returned
    witnessed_at   timestamptz not null default now(),
    primary key (partner, seq)
);
