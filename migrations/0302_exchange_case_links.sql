-- 跨省通办 cases received from another node are real applications (the applications module);
-- this links each one to the forward that created it, so that the origin node may follow it
-- (case.status) and its decision goes back to the origin (case.result) exactly once.
-- exchange_cases keeps only the origin's record of what it forwarded ('out').
CREATE TABLE exchange_case_links (
  application_id      uuid PRIMARY KEY,
  origin_node         text NOT NULL,
  forward_message_id  uuid NOT NULL,
  origin_case_id      uuid NOT NULL,
  mode                text NOT NULL CHECK (mode IN ('全程网办', '异地代收代办', '多地联办')),
  applicant_person_id uuid NOT NULL,
  -- The case.result message queued in the outbox once the application was decided.
  result_message_id   uuid,
  checked_at          timestamptz NOT NULL DEFAULT now(),
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (origin_node, forward_message_id)
);
CREATE INDEX exchange_case_links_open ON exchange_case_links (checked_at) WHERE result_message_id IS NULL;
