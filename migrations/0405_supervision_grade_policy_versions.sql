-- The grade policy (ratio, rounds a year and score band per grade) is edited as one whole: it
-- carries a version, so a stale PUT gets 409 instead of silently overwriting another
-- administrator's change, and every change joins the other supervision settings in
-- sup_config_history (before, after, reason, who).
ALTER TABLE sup_grade_policy ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE sup_grade_policy ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE sup_config_history DROP CONSTRAINT sup_config_history_kind_check;
ALTER TABLE sup_config_history ADD CONSTRAINT sup_config_history_kind_check
  CHECK (kind IN ('grade_rule', 'repair_period', 'restriction', 'grade_policy'));

-- Version 1 is the policy as it stands now (the project default, or what SQL made of it).
INSERT INTO sup_config_history (kind, key, version, after, reason, changed_by)
SELECT 'grade_policy', 'all', 1,
       jsonb_build_object('items', jsonb_agg(jsonb_build_object('grade', grade, 'ratio', ratio, 'perYear', per_year, 'minScore', min_score) ORDER BY grade)),
       'policy in force when versioning began (migration 0405)', 'system:migration'
FROM sup_grade_policy;
