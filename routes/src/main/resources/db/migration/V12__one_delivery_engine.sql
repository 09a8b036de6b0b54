-- One partner-delivery engine (docs/RELIABILITY.md, "Partner deliveries"): the outbox carries
-- every kind of delivery to a partner, not only records. A delivery's kind names what its attempt
-- sends, payload_ref which one (a PUBLICITY delivery keeps its record in record_id, as before).
alter table outbox add column kind text not null default 'PUBLICITY'
    check (kind in ('PUBLICITY', 'NOTICE', 'CHECKPOINT', 'PULL'));
alter table outbox add column payload_ref text;
alter table outbox alter column record_id drop not null;
alter table outbox add constraint outbox_carries_something
    check ((kind = 'PUBLICITY') = (record_id is not null) and (kind = 'PUBLICITY' or payload_ref is not null));

-- Enqueueing a notice, a checkpoint or a partner's pulls is idempotent: one delivery per kind,
-- destination and payload.
create unique index outbox_payload on outbox (kind, destination, payload_ref) where kind <> 'PUBLICITY';

-- A partner's answer to a notice, kept with the notice (the delivery's state is the outbox's).
create table alliance_notice_answer (
    notice_id   uuid        not null references alliance_notice (id),
    partner     text        not null,
    answered_at timestamptz not null,
    answer      jsonb       not null,   -- {"accepted": …} or {"refused": "<code>", "message": …}
    primary key (notice_id, partner)
);

-- The notices' own delivery table moves into the outbox: PENDING deliveries wait as READY (never
-- tried) or RETRY_WAIT; ANSWERED and REFUSED ones are DELIVERED, their answers kept apart.
insert into outbox (kind, payload_ref, destination, mode, state, created_at, attempts, next_attempt_at, last_error, finished_at)
    select 'NOTICE', d.notice_id::text, d.partner, 'PUSH',
           case when d.state <> 'PENDING' then 'DELIVERED' when d.attempts = 0 then 'READY' else 'RETRY_WAIT' end,
           n.created_at, d.attempts, d.next_attempt_at, case when d.state = 'PENDING' then d.last_error end, d.answered_at
    from alliance_delivery d join alliance_notice n on n.id = d.notice_id;
insert into alliance_notice_answer (notice_id, partner, answered_at, answer)
    select notice_id, partner, answered_at, answer from alliance_delivery where answer is not null;
drop table alliance_delivery;
