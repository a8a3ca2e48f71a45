-- The signed envelopes an exchange keeps (inbox, outbox, refusals, batch headers) are records:
-- written once, read back whole, never searched inside. `json` stores the text as received after
-- checking it is JSON; `jsonb` also decomposed every document into its binary form on the way in,
-- which was a sizeable part of PostgreSQL's work per exchanged message. Their signatures are over
-- the RFC 8785 form, so nothing that proves a message depends on how the text is stored.
ALTER TABLE exchange_inbox
  ALTER COLUMN request TYPE json USING request::json,
  ALTER COLUMN response TYPE json USING response::json;
ALTER TABLE exchange_outbox
  ALTER COLUMN payload TYPE json USING payload::json,
  ALTER COLUMN request TYPE json USING request::json,
  ALTER COLUMN response TYPE json USING response::json;
ALTER TABLE exchange_refusals ALTER COLUMN response TYPE json USING response::json;
ALTER TABLE exchange_batches
  ALTER COLUMN request TYPE json USING request::json,
  ALTER COLUMN response TYPE json USING response::json;
