-- Envelopes received from partner nodes, by sender and message id: the replay guard of the
-- trust layer (an id is remembered until forget_after, twice the freshness window after
-- signing), and the answer and receipt we sent, so that a duplicate request is answered from
-- here and never processed twice.
create table exchange_message (
    sender        text        not null,
    message_id    text        not null,
    forget_after  timestamptz not null,
    received_at   timestamptz not null,
    answer        bytea,          -- the sealed answer, once made
    receipt       bytea,          -- our signed receipt of the request, once made
    primary key (sender, message_id)
);

create index exchange_message_forget_after on exchange_message (forget_after);

-- Envelopes this node sent to partners, with the partner's signed receipt once verified:
-- our evidence that the partner received exactly these bytes (non-repudiation of receipt).
create table sent_exchange (
    message_id      text        primary key,
    recipient       text        not null,
    exchange_type   text        not null,
    sent_at         timestamptz not null,
    envelope_digest bytea       not null,
    receipt         bytea,
    outcome         text        not null    -- ANSWERED, or the error code the exchange ended with
);

create index sent_exchange_recipient on sent_exchange (recipient, sent_at);
