-- Push flows, delivering side and receiving side (docs/operations.md, "Outbox").

-- Where each delivery's evidence is: the message id of the exchange whose signed receipt covers
-- it (a pulled batch's answer, kept in pull_receipt; a push exchange, kept in sent_exchange).
alter table outbox add column receipt_ref text;

-- The attempts made before an operator's last replay of a DEAD delivery: a replay starts a new
-- round of the retry policy, while attempts (and outbox_attempt) keep counting the whole history.
alter table outbox add column retry_base int not null default 0;

-- Pull mode: a partner's open deliveries, oldest first. Push mode: the open deliveries by when
-- they are due (READY at once, QUEUED when their trigger is overdue, RETRY_WAIT after backoff).
-- Finished deliveries leave both indexes, so their size is the backlog, not the history.
drop index outbox_retry_due;
create index outbox_pull_open on outbox (destination, id) where mode = 'PULL' and finished_at is null;
create index outbox_push_due on outbox (next_attempt_at) where mode = 'PUSH' and finished_at is null;

-- A pulling partner's signed receipt of one batch (the answer envelope it pulled), given with
-- its acknowledgement: our evidence that it received exactly those bytes.
create table pull_receipt (
    destination text        not null,
    batch_id    text        not null,   -- the message id of the answer envelope that carried the batch
    receipt     bytea       not null,
    received_at timestamptz not null default now(),
    primary key (destination, batch_id)
);

-- Records other nodes handed to this one (pulled from a city's outbox, or delivered as double
-- publicity), once per message id however often they arrive.
create table received_delivery (
    sender      text        not null,
    message_id  text        not null,   -- "<sender>:outbox:<n>"
    category    text        not null,
    record      jsonb       not null,
    received_at timestamptz not null default now(),
    primary key (sender, message_id)
);
