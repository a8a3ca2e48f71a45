-- 电子证照: issuing authorities, sealed licences, status history, signed status lists,
-- the trust list of other nodes' keys, QR presentations (亮证) and consented loans (用证).

-- Authorities on this node that issue licences, with the counters for serials and status bits.
CREATE TABLE licence_authorities (
  uscc              text PRIMARY KEY,
  name              text NOT NULL,
  region_code       text NOT NULL,
  department        text NOT NULL UNIQUE,
  next_serial       integer NOT NULL DEFAULT 1,
  next_status_index integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- The licence as sealed is kept SM4-encrypted (it holds the holder's ID number); the columns
-- beside it are what lookups and access decisions need.
CREATE TABLE licences (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  identifier         text NOT NULL UNIQUE,
  type_code          text NOT NULL,
  authority_uscc     text NOT NULL REFERENCES licence_authorities (uscc),
  holder_kind        text NOT NULL CHECK (holder_kind IN ('person', 'company')),
  holder_person_id   uuid REFERENCES persons (id),
  holder_company_id  uuid REFERENCES companies (id),
  region_code        text NOT NULL,
  status             char(2) NOT NULL DEFAULT '01' CHECK (status IN ('01', '02', '03', '04', '05', '06', '07', '99')),
  status_reason      text,
  status_index       integer NOT NULL,
  valid_from         date NOT NULL,
  valid_to           date,
  payload_enc        text NOT NULL,
  key_id             text NOT NULL,
  signature          text NOT NULL,
  issued_at          timestamptz NOT NULL,
  issued_by          text NOT NULL,
  source_application text,
  version            integer NOT NULL DEFAULT 1,
  CHECK ((holder_kind = 'person') = (holder_person_id IS NOT NULL)),
  CHECK ((holder_kind = 'company') = (holder_company_id IS NOT NULL)),
  UNIQUE (authority_uscc, status_index)
);
CREATE INDEX licences_holder_person ON licences (holder_person_id, type_code);
CREATE INDEX licences_holder_company ON licences (holder_company_id, type_code);

CREATE TABLE licence_status_history (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  licence_id  uuid NOT NULL REFERENCES licences (id),
  from_status char(2),
  to_status   char(2) NOT NULL,
  reason      text NOT NULL,
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX licence_status_history_licence ON licence_status_history (licence_id, at);

-- Signed status lists: this node's own (one per authority, re-signed on every change) and those
-- imported from trusted nodes for offline checks.
CREATE TABLE licence_status_lists (
  node_id        text NOT NULL,
  authority_uscc text NOT NULL,
  list_json      text NOT NULL,
  key_id         text NOT NULL,
  signature      text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node_id, authority_uscc)
);

-- Other nodes' sealing keys this node recognises (互通互认), each pinned by its fingerprint.
CREATE TABLE trusted_keys (
  key_id      text PRIMARY KEY,
  node_id     text NOT NULL,
  public_key  text NOT NULL,
  fingerprint text NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  valid_from  timestamptz NOT NULL,
  valid_to    timestamptz,
  revoked_at  timestamptz,
  source      text NOT NULL,
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trusted_keys_node ON trusted_keys (node_id);

-- 亮证: what the holder chose to show, for how long. The QR token names the row and is MAC'd.
CREATE TABLE licence_presentations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  licence_id    uuid NOT NULL REFERENCES licences (id),
  created_by    uuid NOT NULL,
  fields        text[] NOT NULL,
  age_at_least  smallint,
  purpose       text NOT NULL,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX licence_presentations_licence ON licence_presentations (licence_id);

-- 用证: the holder's consent to one application's use, with the sealed 加注件 it produced.
CREATE TABLE licence_loans (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  licence_id            uuid NOT NULL REFERENCES licences (id),
  application_ref       text NOT NULL,
  matter_code           text NOT NULL,
  matter_name           text NOT NULL,
  purpose               text NOT NULL,
  recipient_region_code text NOT NULL,
  recipient_department  text,
  consent_statement     text NOT NULL,
  consented_by          uuid NOT NULL,
  consented_at          timestamptz NOT NULL DEFAULT now(),
  expires_at            timestamptz NOT NULL,
  revoked_at            timestamptz,
  copy_enc              text NOT NULL,
  key_id                text NOT NULL,
  signature             text NOT NULL,
  version               integer NOT NULL DEFAULT 1
);
CREATE INDEX licence_loans_licence ON licence_loans (licence_id);
CREATE INDEX licence_loans_recipient ON licence_loans (recipient_region_code text_pattern_ops) WHERE revoked_at IS NULL;
