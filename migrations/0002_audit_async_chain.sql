-- Decoupled audit chaining. Writers no longer lock the chain and read its head inside their own
-- transaction (that serialised every audited write of the node until commit); they insert the
-- entry with a sequence-generated id and queue it in audit_pending. One chainer at a time
-- (AuditService.chainPending, under an advisory lock) takes queued entries in id order, links
-- them into audit_chain (hash = SM3(prev_hash ‖ canonical entry with its chain_seq), the same
-- formula as before) and dequeues them in the same transaction.

-- Existing entries keep their place: their seq becomes both entry id and chain_seq.
CREATE TABLE audit_chain (
  chain_seq  bigint PRIMARY KEY,
  -- No foreign key to audit_log: only someone who can bypass the append-only triggers could
  -- break one, and `audit verify` names a chain row whose entry is gone.
  entry_id   bigint NOT NULL UNIQUE,
  prev_hash  text NOT NULL,
  hash       text NOT NULL
);
INSERT INTO audit_chain (chain_seq, entry_id, prev_hash, hash)
  SELECT seq, seq, prev_hash, hash FROM audit_log;

-- audit_log is now the entries alone: `id` orders arrival, audit_chain orders the chain.
ALTER TABLE audit_log RENAME COLUMN seq TO id;
ALTER TABLE audit_log DROP COLUMN prev_hash;
ALTER TABLE audit_log DROP COLUMN hash;
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
SELECT setval('audit_log_id_seq', COALESCE((SELECT max(id) FROM audit_log), 0) + 1, false);
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq');

-- Entries written but not yet chained. The only audit table rows may be deleted from (by the
-- chainer, in the transaction that chains them).
CREATE TABLE audit_pending (
  entry_id bigint PRIMARY KEY
);

CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
