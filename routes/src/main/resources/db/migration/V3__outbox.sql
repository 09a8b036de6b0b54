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

create table outbox (
    id              bigint generated always as identity primary key,
    message_id      uuid        not null unique default gen_random_uuid(),
    record_id       bigint      not null references credit_record (id),
    destination     text        not null,
    mode            text        not null check (mode in ('PULL', 'PUSH')),
    state           text        not null default 'READY'
                    check (state in ('READY', 'QUEUED', 'PULLED', 'DELIVERED', 'ACKNOWLEDGED', 'RETRY_WAIT', 'DEAD')),
    created_at      timestamptz not null default now(),
    deadline        date,                                          -- decision date + deadline days, if any
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,                                          -- error code of the last failed attempt
    finished_at     timestamptz                                    -- when it reached ACKNOWLEDGED or DELIVERED
);

create index outbox_due on outbox (destination, next_attempt_at) where state in ('READY', 'RETRY_WAIT');
create index outbox_state on outbox (state, destination);

-- Every delivery attempt, with its time and outcome (ok, or the error code).
create table outbox_attempt (
    outbox_id bigint      not null references outbox (id),
    attempt   int         not null,
    at        timestamptz not null,
    outcome   text        not null,
    primary key (outbox_id, attempt)
);
