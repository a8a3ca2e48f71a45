-- Grading rules, credit-repair minimum publication periods and joint-discipline restrictions
-- become editable through the API. Each carries a version (stale edits get 409) and every change
-- is kept in sup_config_history with its before/after values and reason, so that a grade or a
-- refusal can be explained by the rule as it stood when it was applied.
ALTER TABLE sup_grade_rules ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE sup_grade_rules ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE sup_repair_periods ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE sup_repair_periods ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- region_code: who may manage it ('' = nationwide rows, administrators only); a department's
-- officials manage their own department's restrictions within their region.
ALTER TABLE sup_restrictions ADD COLUMN region_code text NOT NULL DEFAULT '';
ALTER TABLE sup_restrictions ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE sup_restrictions ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE sup_restrictions ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE sup_config_history (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('grade_rule', 'repair_period', 'restriction')),
  key        text NOT NULL,                -- rule code, period subject, restriction id
  version    integer NOT NULL,             -- the version this change produced
  before     jsonb,                        -- null when created
  after      jsonb NOT NULL,
  reason     text NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, key, version)
);

-- Version 1 of what 0401 shipped, so every rule's history starts somewhere.
INSERT INTO sup_config_history (kind, key, version, after, reason, changed_by)
SELECT 'grade_rule', code, 1, jsonb_build_object('signal', signal, 'threshold', threshold, 'points', points, 'description', description, 'enabled', enabled),
       'project default (migration 0401)', 'system:migration' FROM sup_grade_rules;
INSERT INTO sup_config_history (kind, key, version, after, reason, changed_by)
SELECT 'repair_period', subject, 1, jsonb_build_object('months', months), 'project default (migration 0401)', 'system:migration' FROM sup_repair_periods;
INSERT INTO sup_config_history (kind, key, version, after, reason, changed_by)
SELECT 'restriction', id::text, 1, jsonb_build_object('list', list, 'department', department, 'matterCode', matter_code, 'restriction', restriction, 'regionCode', region_code, 'active', active),
       'project default (migration 0401)', 'system:migration' FROM sup_restrictions;
