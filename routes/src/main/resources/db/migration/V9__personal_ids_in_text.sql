-- Resident ID numbers a department put outside the ID columns (free text, another identifier's
-- column, a name) are stored masked in those columns; this holds them sealed (AES-256-GCM under
-- the node's sealing key, "COLUMN=number" a line) for the rare lawful need to recover them.
alter table credit_record add column personal_ids_sealed bytea;
