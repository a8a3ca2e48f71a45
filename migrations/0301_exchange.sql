-- 跨省通办 exchange: trusted peers and their keys, signed messages in and out (inbox for
-- exactly-once, outbox for durable delivery), the data-sharing catalogue with approvals and
-- personal consent, and forwarded cases. Valid on PostgreSQL 15 and PGlite (PostgreSQL 18).

-- Peers this node trusts, added by an administrator by URL with a pinned key fingerprint.
CREATE TABLE exchange_peers (
  node_id            text PRIMARY KEY,
  base_url           text NOT NULL,
  name               text NOT NULL,
  pinned_fingerprint text NOT NULL,
  -- Services on THIS node the peer may call (per-sender access rights).
  allowed_services   text[] NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'suspended')),
  added_by           text NOT NULL,
  added_at           timestamptz NOT NULL DEFAULT now(),
  keys_checked_at    timestamptz,
  version            integer NOT NULL DEFAULT 1
);

-- Node keys of each peer: the pinned one, and later ones endorsed by a key already trusted.
-- `superseded_at` starts the grace period during which the old key still verifies.
CREATE TABLE exchange_peer_keys (
  node_id        text NOT NULL REFERENCES exchange_peers (node_id),
  key_id         text NOT NULL,
  public_key     text NOT NULL,
  fingerprint    text NOT NULL,
  endorsed_by    text,
  superseded_at  timestamptz,
  revoked_at     timestamptz,
  learned_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node_id, key_id)
);

-- This node's own key rotations: the new node key signed by the one it replaces, so peers can
-- follow a rotation without an administrator re-pinning.
CREATE TABLE exchange_key_endorsements (
  key_id         text PRIMARY KEY,
  endorsed_by    text NOT NULL,
  signature      text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Every accepted inbound message, once per (sender, message id): the signed request and the
-- signed response, so a replay or retry gets the original answer and nothing is applied twice.
CREATE TABLE exchange_inbox (
  sender         text NOT NULL,
  message_id     uuid NOT NULL,
  service        text NOT NULL,
  content_hash   text NOT NULL,
  request        jsonb NOT NULL,
  response       jsonb NOT NULL,
  http_status    integer NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sender, message_id)
);

-- Refused inbound messages (bad signature, unknown sender, skew, no rights, malformed…),
-- with the signed error this node answered.
CREATE TABLE exchange_refusals (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  claimed_sender text,
  message_id     text,
  service        text,
  code           text NOT NULL,
  request_excerpt text NOT NULL,
  response       jsonb NOT NULL,
  refused_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exchange_refusals_at ON exchange_refusals (refused_at DESC);

-- Durable outbox: a message is committed with the change that caused it and delivered by the
-- outbox job with retries and exponential backoff until the peer answers with a signed response.
CREATE TABLE exchange_outbox (
  message_id     uuid PRIMARY KEY,
  receiver       text NOT NULL,
  service        text NOT NULL,
  payload        jsonb NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts       integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error     text,
  request        jsonb,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  delivered_at   timestamptz
);
CREATE INDEX exchange_outbox_due ON exchange_outbox (next_attempt_at) WHERE status = 'pending';

-- 政务数据共享 catalogue: resources this node's departments publish.
CREATE TABLE data_resources (
  code             text PRIMARY KEY,
  name             text NOT NULL,
  owner_department text NOT NULL,
  sharing_class    text NOT NULL CHECK (sharing_class IN ('unconditional', 'conditional', 'not_shared')),
  legal_basis      text NOT NULL,
  fields           jsonb NOT NULL,
  api              text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Requests for access, from a department of this or another node, and the owner's decision.
CREATE TABLE data_access_requests (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_code        text NOT NULL REFERENCES data_resources (code),
  requester_node       text NOT NULL,
  requester_department text NOT NULL,
  requester_label      text NOT NULL,
  purpose              text NOT NULL,
  fields               text[] NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
  approved_fields      text[],
  approved_purpose     text,
  expires_at           timestamptz,
  decided_by           text,
  decided_at           timestamptz,
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_access_requests_resource ON data_access_requests (resource_code, status);

-- A person's consent to one approved access (department, node, purpose, fields), revocable.
CREATE TABLE data_consents (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id         uuid NOT NULL,
  access_request_id uuid NOT NULL REFERENCES data_access_requests (id),
  granted_at        timestamptz NOT NULL DEFAULT now(),
  revoked_at        timestamptz,
  version           integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX data_consents_live ON data_consents (person_id, access_request_id) WHERE revoked_at IS NULL;

-- Every query answered, for the owning department and the auditor.
CREATE TABLE data_query_log (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  access_request_id    uuid NOT NULL REFERENCES data_access_requests (id),
  resource_code        text NOT NULL,
  subject_person_id    uuid NOT NULL,
  requester_node       text NOT NULL,
  requester_department text NOT NULL,
  requester_label      text NOT NULL,
  purpose              text NOT NULL,
  fields               text[] NOT NULL,
  message_id           uuid,
  queried_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_query_log_resource ON data_query_log (resource_code, queried_at DESC);

-- Source records of the departments' systems (社保, 婚姻) that resources publish, found by a
-- keyed HMAC-SM3 of the person's resident ID (never stored in clear here).
CREATE TABLE data_source_records (
  resource_code     text NOT NULL REFERENCES data_resources (code),
  subject_key       text NOT NULL,
  data              jsonb NOT NULL,
  PRIMARY KEY (resource_code, subject_key)
);

-- 跨省通办 cases crossing nodes. Until the applications module is wired through the CaseHandler
-- port, this table is the case store: outgoing forwards at the accepting node, incoming cases
-- at the owning node, with one timeline each.
CREATE TABLE exchange_cases (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  direction         text NOT NULL CHECK (direction IN ('out', 'in')),
  mode              text NOT NULL CHECK (mode IN ('全程网办', '异地代收代办', '多地联办')),
  peer_node         text NOT NULL,
  forward_message_id uuid NOT NULL,
  remote_case_id    uuid,
  matter_code       text NOT NULL,
  matter_name       text NOT NULL,
  -- Region whose officials handle the record here: the owning region for 'in', the accepting
  -- counter's (or the online applicant's) region for 'out'.
  region_code       text NOT NULL,
  applicant_person_id uuid,
  applicant_resident_id_masked text NOT NULL,
  applicant_name    text NOT NULL,
  form              jsonb NOT NULL,
  materials         jsonb NOT NULL,
  accepted_by       text NOT NULL,
  status            text NOT NULL,
  result            jsonb,
  timeline          jsonb NOT NULL,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX exchange_cases_forward ON exchange_cases (direction, peer_node, forward_message_id);
CREATE INDEX exchange_cases_applicant ON exchange_cases (applicant_person_id);
