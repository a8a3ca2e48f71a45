-- Platform base: node keys, identity, sessions, 代办 grants, personal-data access log, audit chain.
-- Written for both PostgreSQL 15 and PGlite (PostgreSQL 18).

-- Keys this node holds (SM2). Private keys are SM4-encrypted with the node's master key.
CREATE TABLE node_keys (
  key_id          text PRIMARY KEY,
  node_id         text NOT NULL,
  purpose         text NOT NULL CHECK (purpose IN ('seal', 'node', 'audit')),
  alg             text NOT NULL DEFAULT 'SM2-SM3',
  public_key      text NOT NULL,
  private_key_enc text NOT NULL,
  status          text NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  valid_from      timestamptz NOT NULL DEFAULT now(),
  valid_to        timestamptz,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX node_keys_one_active ON node_keys (purpose) WHERE status = 'active';

-- Natural persons. The resident ID and phone are stored SM4-encrypted, found by a keyed SM3
-- blind index, and shown masked to anyone but the person.
CREATE TABLE persons (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL,
  resident_id_enc     text NOT NULL,
  resident_id_bidx    text NOT NULL UNIQUE,
  resident_id_masked  text NOT NULL,
  birth_date          date NOT NULL,
  sex                 char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  region_code         text NOT NULL,
  phone_enc           text,
  phone_bidx          text,
  phone_masked        text,
  assurance_level     smallint NOT NULL DEFAULT 1 CHECK (assurance_level IN (1, 2)),
  verified_at         timestamptz,
  verified_by         uuid,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_phone_bidx ON persons (phone_bidx);
CREATE INDEX persons_region ON persons (region_code text_pattern_ops);

-- Legal persons, identified by their unified social credit code (public by law).
CREATE TABLE companies (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  uscc                 text NOT NULL UNIQUE,
  name                 text NOT NULL,
  entity_type          text NOT NULL,
  region_code          text NOT NULL,
  legal_representative text NOT NULL,
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX companies_region ON companies (region_code text_pattern_ops);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  person_id     uuid REFERENCES persons (id),
  company_id    uuid REFERENCES companies (id),
  roles         text[] NOT NULL,
  region_code   text,
  department    text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_person ON users (person_id);

-- Bearer tokens are random; only their SM3 hash is stored, so a database leak yields no tokens.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per username and per address, counted in a sliding window across processes.
CREATE TABLE auth_failures (
  key          text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  failures     integer NOT NULL
);

-- 代办: a person lets another user act for them, with recorded consent, scope and expiry.
CREATE TABLE agent_grants (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grantor_person_id uuid NOT NULL REFERENCES persons (id),
  grantee_user_id   uuid NOT NULL REFERENCES users (id),
  relationship      text NOT NULL,
  matters           text[] NOT NULL,
  purpose           text NOT NULL,
  consent_statement text NOT NULL,
  consent_channel   text NOT NULL CHECK (consent_channel IN ('online', 'counter')),
  recorded_by       uuid NOT NULL REFERENCES users (id),
  consented_at      timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  revoked_at        timestamptz,
  version           integer NOT NULL DEFAULT 1
);
CREATE INDEX agent_grants_grantee ON agent_grants (grantee_user_id) WHERE revoked_at IS NULL;
CREATE INDEX agent_grants_grantor ON agent_grants (grantor_person_id);

-- Project-defined units below a 社区: 网格 (grid), 楼栋 (building), 户 (household).
CREATE TABLE region_units (
  code        text PRIMARY KEY,
  parent_code text NOT NULL,
  level       text NOT NULL CHECK (level IN ('grid', 'building', 'household')),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);
CREATE INDEX region_units_parent ON region_units (parent_code);

-- Every read of a person's data by someone else: who, when, why, which fields, from which node.
CREATE TABLE data_access_log (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_person_id uuid NOT NULL,
  actor_user_id     uuid,
  actor_label       text NOT NULL,
  actor_department  text,
  actor_node        text NOT NULL,
  purpose           text NOT NULL,
  fields            text[] NOT NULL,
  accessed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_access_log_subject ON data_access_log (subject_person_id, accessed_at DESC);

-- Append-only audit chain: hash = SM3(prev_hash ‖ canonical entry). Rows are never changed.
CREATE TABLE audit_log (
  seq          bigint PRIMARY KEY,
  at           timestamptz NOT NULL,
  node_id      text NOT NULL,
  actor        text NOT NULL,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  detail       jsonb NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- The node's SM2 signature over the chain head, taken at intervals.
CREATE TABLE audit_heads (
  seq        bigint PRIMARY KEY,
  hash       text NOT NULL,
  key_id     text NOT NULL,
  signature  text NOT NULL,
  signed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER data_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON data_access_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- Which demo/seed sets have been loaded, so each loads once and later modules can add theirs.
CREATE TABLE seed_runs (
  name       text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
