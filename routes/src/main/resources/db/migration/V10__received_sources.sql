-- Where each received record came from (docs/operations.md, "Received records"): the envelope that
-- carried it to this node and the receipt this node signed for that envelope. Numbered 10.1 so that
-- a migration 10 of another change can sit beside it.

-- One envelope of deliveries received: a pulled batch (the answer envelope of a pull) or a
-- double-publicity delivery (the request envelope), with this node's signed receipt of it.
create table received_batch (
    sender           text        not null,
    batch_id         text        not null,   -- the message id of the envelope that carried the deliveries
    receipt          bytea       not null,   -- this node's signed receipt of that envelope, as sent to the sender
    received_at      timestamptz not null default now(),
    acknowledged_at  timestamptz,            -- when the sender took the receipt (a pull's acknowledgement answered)
    primary key (sender, batch_id)
);

-- The envelope a delivery is held from: the first whose receipt its sender took. Null for
-- deliveries kept before this column, and for a batch whose receipt was never made.
alter table received_delivery add column batch_id text;

-- The received records of one legal person, as local queries ask for them.
create index received_delivery_uscc on received_delivery ((record -> 'subject' ->> 'uscc'));
