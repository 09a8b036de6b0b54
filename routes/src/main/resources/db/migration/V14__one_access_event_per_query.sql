-- One access event per query (issue 23): a query's decisions, one per dataset asked, travel inside
-- its one `access` event instead of one event each. Each entry is the dataset, the class (A, B, C),
-- ALLOW or DENY, and the reason (the disclosure shown, or the refusal's code), separated by single
-- spaces. They are part of the event's canonical bytes (form 2, security/audit AuditRecord), so
-- each decision is covered by the chain's hash as before. The event's own decision is DENY if any
-- entry is, with the first refusal's code as its reason; events written before keep form 1.
alter table audit_event add column decisions text[];
