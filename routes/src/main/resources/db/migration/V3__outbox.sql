-- Push flows (provincial pull, national double-publicity push): which partner receives which
-- record categories, and the transactional outbox. A new record version and its outbox rows are
-- written by one statement in one transaction; the database holds every delivery's state, as in
-- Domibus: docs/operations.md, "Outbox", describes the states.

-- Written by the node from the partner configurations (their "push" section) at start and on
-- every change, so that an import (by the node or by the CLI) routes in SQL.
create table push_subscription (
    destination   text not null,                                   -- partner node id
    category      text not null references record_category (code),
    mode          text not null check (mode in ('PULL', 'PUSH')),  -- the partner pulls, or we deliver
    deadline_days int,                                             -- publication deadline after the decision date
    primary key (destination, category)
);

-- A delivery's message id is its id (the envelope names it "<node>:outbox:<id>"): no second
-- unique index. record_id has no foreign key: the import's own statement writes both rows, and a
-- per-row key check would cost the import a fifth of its throughput (docs/PERFORMANCE.md).
create table outbox (
    id              bigint generated always as identity primary key,
    record_id       bigint      not null,
    destination     text        not null,
    mode            text        not null check (mode in ('PULL', 'PUSH')),
    state           text        not null default 'READY'
                    check (state in ('READY', 'QUEUED', 'PULLED', 'DELIVERED', 'ACKNOWLEDGED', 'RETRY_WAIT', 'DEAD')),
    created_at      timestamptz not null default now(),
    deadline        date,                                          -- decision date + deadline days, if any
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    visible_after   timestamptz,                                   -- PULLED: pullable again from then on, unless acknowledged
    last_error      text,                                          -- error code of the last failed attempt
    finished_at     timestamptz                                    -- when it reached ACKNOWLEDGED or DELIVERED
);

-- READY rows are appended in id order: the relay walks them by primary key from its position.
-- Only the few rows waiting for a retry need an index of their own, which an import never touches.
create index outbox_retry_due on outbox (next_attempt_at) where state = 'RETRY_WAIT';

-- Every delivery attempt, with its time and outcome (ok, or the error code).
create table outbox_attempt (
    outbox_id bigint      not null references outbox (id),
    attempt   int         not null,
    at        timestamptz not null,
    outcome   text        not null,
    primary key (outbox_id, attempt)
);
