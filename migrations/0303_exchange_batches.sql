-- Batch envelopes (docs/exchange.md §2.1): one signature covers several messages to the same
-- peer. Each batch's signed headers (the request header, which lists the SM3 digest of every
-- member, and the response header) are kept once here; an inbox, outbox or refusal row of a
-- batched message names its batch, so the stored message plus its batch's header is a proof a
-- third party can check with the signer's public key alone.
CREATE TABLE exchange_batches (
  direction   text NOT NULL CHECK (direction IN ('in', 'out')),
  peer        text NOT NULL,
  batch_id    uuid NOT NULL,
  request     jsonb NOT NULL,
  -- NULL only while a batch is being handled one member at a time (the slow path).
  response    jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (direction, peer, batch_id)
);

ALTER TABLE exchange_inbox ADD COLUMN batch_id uuid;
ALTER TABLE exchange_outbox ADD COLUMN batch_id uuid;
ALTER TABLE exchange_refusals ADD COLUMN batch_id uuid;

-- What a peer said it accepts in its signed node description: batches of at most this many
-- messages and bytes. NULL: single envelopes only (a peer that does not speak batches).
ALTER TABLE exchange_peers ADD COLUMN batch_max_messages integer;
ALTER TABLE exchange_peers ADD COLUMN batch_max_bytes integer;
