-- Push flows, delivering side and receiving side (docs/operations.md, "Outbox").

-- Where each delivery's evidence is: the message id of the exchange whose signed receipt covers
-- it (a pulled batch's answer, kept in pull_receipt; a push exchange, kept in sent_exchange).
alter table outbox add column receipt_ref text;

-- The attempts made before an operator's last replay of a DEAD delivery: a replay starts a new
-- round of the retry policy, while attempts (and outbox_attempt) keep counting the whole history.
alter table outbox add column retry_base int not null default 0;

-- The subject of the record a delivery carries, written with it: a pull keeps a subject's
-- deliveries in order by looking only at that subject's deliveries out at the partner
-- (outbox_pull_out), not at every earlier delivery.
alter table outbox add column subject_id bigint;
create index outbox_pull_out on outbox (destination, subject_id) where state = 'PULLED';

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
    record      json        not null,   -- exactly as received (json keeps the text; jsonb would re-encode it)
    received_at timestamptz not null default now(),
    primary key (sender, message_id)
);

-- Stored answers are sealed envelopes, which do not compress: keep them out of line without
-- PostgreSQL's attempt to compress them first (a pulled batch's answer is megabytes).
alter table exchange_message alter column answer set storage external;
