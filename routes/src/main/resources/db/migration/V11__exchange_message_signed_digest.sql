-- Replay semantics (docs/protocol.md §9): with each received message id, the digest of what its sender
-- signed (SHA-256 of the DER of the signed attributes, which bind the content). The same signed message
-- sent again gets the kept answer; another message under an answered id is refused E_REPLAY.
-- Rows of earlier versions have none, and are answered as before until forgotten.
alter table exchange_message add column signed_digest bytea;
