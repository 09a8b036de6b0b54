-- The alliance's joint work (docs/protocol.md §13, docs/operations.md "Alliance workflows").

-- Red and black lists (红黑名单) this node keeps: who listed whom, on what basis, until when.
-- Severity sets how long a black-list entry is published under the repair rules: minor 3 months,
-- general 1 year, serious 3 years.
create table credit_list_entry (
    id               uuid        primary key,
    list_type        text        not null check (list_type in ('RED', 'BLACK')),
    uscc             text        not null,
    party_name       text        not null,
    legal_basis      text        not null,
    authority        text        not null,
    document_number  text        not null,
    listed_on        date        not null,
    publication_end  date        not null,
    severity         text        not null check (severity in ('MINOR', 'GENERAL', 'SERIOUS')),
    status           text        not null default 'ACTIVE' check (status in ('ACTIVE', 'REPAIRED', 'EXPIRED', 'WITHDRAWN')),
    recorded_at      timestamptz not null default now(),
    recorded_by      text        not null,
    unique (authority, document_number)
);
create index credit_list_entry_uscc on credit_list_entry (uscc);

-- Notices this node starts (a joint-punishment notice, a response to one, …): the notice, and one
-- delivery per partner it goes to. Deliveries are retried from this state until the partner
-- answers: a partner offline during propagation receives the notice when it returns.
create table alliance_notice (
    id          uuid        primary key,
    kind        text        not null,
    subject     text        not null,            -- the enterprise's USCC
    body        jsonb       not null,
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    respond_by  timestamptz                      -- when the partners' responses are due (joint punishment)
);
create index alliance_notice_subject on alliance_notice (subject);

create table alliance_delivery (
    notice_id        uuid        not null references alliance_notice (id),
    partner          text        not null,
    state            text        not null default 'PENDING' check (state in ('PENDING', 'ANSWERED', 'REFUSED')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_error       text,
    answered_at      timestamptz,
    answer           jsonb,
    primary key (notice_id, partner)
);
create index alliance_delivery_due on alliance_delivery (next_attempt_at) where state = 'PENDING';

-- Notices received from partners, each kept once by (sender, notice id) with the answer given, so
-- that a notice sent again (a retry) gets the same answer and is applied once.
create table alliance_received (
    sender       text        not null,
    notice_id    uuid        not null,
    kind         text        not null,
    subject      text        not null,
    body         jsonb       not null,
    received_at  timestamptz not null default now(),
    answer       jsonb       not null,
    primary key (sender, notice_id)
);
create index alliance_received_subject on alliance_received (subject);

-- Trusted-enterprise mutual recognition (诚信企业互认): a recognition of an enterprise is withdrawn
-- everywhere once it enters a black list at any node; each node keeps the withdrawals it made or
-- was told of.
create table recognition_withdrawal (
    uscc          text        not null,
    withdrawn_at  timestamptz not null default now(),
    by_node       text        not null,
    reason        text        not null,
    primary key (uscc, by_node, withdrawn_at)
);

-- Credit repair (信用修复): a record repaired, withdrawn or past its publication end is no longer
-- served (its status), and every partner it was handed to is told so by a repair notice.
create table credit_repair (
    id                 uuid        primary key,
    category           text        not null,
    source_department  text        not null,
    document_number    text        not null,
    uscc               text,
    reason             text        not null check (reason in ('REPAIRED', 'WITHDRAWN', 'EXPIRED')),
    basis              text        not null,
    repaired_at        timestamptz not null default now(),
    repaired_by        text        not null,
    notice_id          uuid        references alliance_notice (id)
);

-- At a holder: the records a sender withdrew, by the message id they were delivered under. A
-- record whose delivery arrives after its withdrawal is withdrawn on arrival.
create table withdrawn_message (
    sender        text        not null,
    message_id    text        not null,
    reason        text        not null,
    withdrawn_at  timestamptz not null default now(),
    primary key (sender, message_id)
);

-- Objections (异议处理): a subject's objection marks a record's document UNDER_OBJECTION here and
-- at every holder; rejected, the flag is cleared everywhere; upheld, the department's corrected
-- version replaces it and the objected versions are withdrawn everywhere.
create table credit_objection (
    id                 uuid        primary key,
    category           text        not null,
    source_department  text        not null,
    document_number    text        not null,
    uscc               text        not null,
    objected_version   integer     not null,
    basis              text        not null,
    state              text        not null default 'OPEN' check (state in ('OPEN', 'UPHELD', 'REJECTED')),
    resolution         text,
    opened_at          timestamptz not null default now(),
    opened_by          text        not null,
    resolved_at        timestamptz,
    resolved_by        text,
    notice_id          uuid        references alliance_notice (id)
);

-- At a holder: the sender's deliveries under objection, while the objection is open.
create table objected_message (
    sender        text        not null,
    message_id    text        not null,
    objection_id  uuid        not null,
    flagged_at    timestamptz not null default now(),
    primary key (sender, message_id, objection_id)
);

-- Credit service institution filings (信用服务机构备案): an institution filed at this node, which the
-- alliance partners see and recognise (or decline, with reasons) through a filing notice.
create table credit_service_filing (
    id           uuid        primary key,
    uscc         text        not null,
    name         text        not null,
    services     text[]      not null,
    authority    text        not null,
    filed_on     date        not null,
    valid_until  date        not null,
    recorded_at  timestamptz not null default now(),
    recorded_by  text        not null,
    notice_id    uuid        references alliance_notice (id),
    unique (uscc, authority, filed_on)
);
