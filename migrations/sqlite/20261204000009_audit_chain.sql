-- A tamper-evident audit log (issue 18). Each entry holds its place in the chain (seq), the hash
-- of the entry before it (prev_hash) and its own hash over both and its content, so changing,
-- removing or inserting an entry breaks the chain (`sentinel audit verify`). SQLite has no
-- sha256: the registry computes the hashes, and chains the entries written before this
-- migration when it applies it (crates/registry/src/tables/audit_chain.rs).
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);

-- Entries are written once. Only an entry not chained yet may be updated (to chain it).
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit log entries cannot be changed or deleted');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log entries cannot be changed or deleted');
END;
