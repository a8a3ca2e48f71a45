-- 互联网+监管: market entities (incl. new business forms and their platforms), the supervision item
-- catalogue, configurable credit/risk grading, 双随机 draws, inspections, discipline lists,
-- 告知承诺 follow-ups and credit repair. Valid on PostgreSQL 15 and PGlite (PostgreSQL 18).

-- Platforms (e-commerce, sharing economy, rental) that report data on the entities they host.
CREATE TABLE sup_platforms (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  key_hash    text NOT NULL UNIQUE,          -- SM3 of the API key; the key itself is shown once
  region_code text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sup_entities (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL CHECK (kind IN ('company', 'individual', 'micro_seller', 'sharing_economy', 'rental_apartment')),
  name        text NOT NULL,
  uscc        text UNIQUE,
  company_id  uuid,                          -- identity's company, when the entity has an account
  person_id   uuid,                          -- identity's person (individual businesses, 微商)
  platform_id uuid REFERENCES sup_platforms (id),
  shop_id     text,
  region_code text NOT NULL,
  address     text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'micro_seller' OR (platform_id IS NOT NULL AND shop_id IS NOT NULL)),
  CHECK (kind = 'micro_seller' OR uscc IS NOT NULL),
  UNIQUE (platform_id, shop_id)
);
CREATE INDEX sup_entities_region ON sup_entities (region_code text_pattern_ops);
CREATE INDEX sup_entities_company ON sup_entities (company_id);
CREATE INDEX sup_entities_person ON sup_entities (person_id);

CREATE TABLE sup_platform_reports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  platform_id  uuid NOT NULL REFERENCES sup_platforms (id),
  batch_id     text NOT NULL,
  entity_id    uuid NOT NULL REFERENCES sup_entities (id),
  period       text NOT NULL,               -- YYYY-MM
  listings     integer NOT NULL,
  complaints   integer NOT NULL,
  sales_volume numeric(18, 2) NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform_id, batch_id, entity_id)
);
CREATE INDEX sup_platform_reports_entity ON sup_platform_reports (entity_id, received_at);

-- 监管事项目录: what a department checks, on what legal basis, with which form.
CREATE TABLE sup_items (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  department  text NOT NULL,
  region_code text NOT NULL,
  legal_basis text NOT NULL,
  checks      text NOT NULL,
  form        jsonb NOT NULL,               -- [{"key","label","type":"boolean"|"text"|"number"}]
  grade_policy jsonb,                       -- per-item override of {"A":{"ratio","perYear"},…}
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Default ratio and frequency of random inspection per grade (configurable).
CREATE TABLE sup_grade_policy (
  grade    char(1) PRIMARY KEY CHECK (grade IN ('A', 'B', 'C', 'D')),
  ratio    numeric(5, 4) NOT NULL CHECK (ratio >= 0 AND ratio <= 1),
  per_year integer NOT NULL CHECK (per_year >= 0),
  min_score integer NOT NULL                 -- an entity with score >= min_score gets at least this grade
);
INSERT INTO sup_grade_policy VALUES ('A', 0.03, 1, 0), ('B', 0.05, 1, 10), ('C', 0.20, 2, 30), ('D', 1.00, 4, 60);

-- Grading rules: each compares one signal with a threshold and adds points when it fires.
CREATE TABLE sup_grade_rules (
  code        text PRIMARY KEY,
  signal      text NOT NULL CHECK (signal IN ('failed_inspections', 'penalties', 'serious_penalties', 'abnormal_listed',
                                              'serious_listed', 'complaints', 'platform_complaints', 'false_commitments')),
  threshold   numeric NOT NULL,
  points      integer NOT NULL,
  description text NOT NULL,
  enabled     boolean NOT NULL DEFAULT true
);
INSERT INTO sup_grade_rules (code, signal, threshold, points, description) VALUES
  ('failed-inspection', 'failed_inspections', 1, 15, '近一年检查结果为责令整改或处罚'),
  ('repeat-failures', 'failed_inspections', 3, 20, '近一年三次以上检查不合格'),
  ('penalty', 'penalties', 1, 20, '有未撤下公示的行政处罚'),
  ('serious-penalty', 'serious_penalties', 1, 40, '有严重行政处罚'),
  ('abnormal-list', 'abnormal_listed', 1, 30, '列入经营异常名录'),
  ('serious-list', 'serious_listed', 1, 100, '列入严重违法失信名单'),
  ('complaints', 'complaints', 5, 10, '近一年投诉五件以上'),
  ('platform-complaints', 'platform_complaints', 10, 10, '平台报送投诉近一年十件以上'),
  ('false-commitment', 'false_commitments', 1, 40, '告知承诺核查发现虚假承诺');

CREATE TABLE sup_grades (
  entity_id   uuid PRIMARY KEY REFERENCES sup_entities (id),
  grade       char(1) NOT NULL,
  score       integer NOT NULL,
  fired       jsonb NOT NULL,               -- [{"code","description","value","points"}]
  computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sup_grades_grade ON sup_grades (grade);

-- Complaints counted by grading (12345, consumer complaints) other than platform reports.
CREATE TABLE sup_complaints (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_id   uuid NOT NULL REFERENCES sup_entities (id),
  source      text NOT NULL,
  summary     text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sup_complaints_entity ON sup_complaints (entity_id, received_at);

CREATE TABLE sup_inspectors (
  user_id     uuid PRIMARY KEY,
  username    text NOT NULL,
  name        text NOT NULL,
  person_id   uuid,
  region_code text NOT NULL,
  department  text NOT NULL,
  active      boolean NOT NULL DEFAULT true
);

-- Declared conflicts of interest: the inspector is never drawn for this entity.
CREATE TABLE sup_recusals (
  entity_id    uuid NOT NULL REFERENCES sup_entities (id),
  inspector_id uuid NOT NULL REFERENCES sup_inspectors (user_id),
  reason       text NOT NULL,
  declared_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_id, inspector_id)
);

CREATE TABLE sup_tasks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  region_code text NOT NULL,
  departments text[] NOT NULL,
  item_ids    uuid[] NOT NULL,
  ratios      jsonb NOT NULL,               -- {"A":0.03,…} frozen at planning
  inspectors_per_entity integer NOT NULL CHECK (inspectors_per_entity >= 2),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);

CREATE TABLE sup_draws (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id         uuid NOT NULL UNIQUE REFERENCES sup_tasks (id),
  region_code     text NOT NULL,
  status          text NOT NULL CHECK (status IN ('committed', 'revealed')),
  seed_commitment text NOT NULL,
  seed            text NOT NULL,            -- secret until revealed; never served before
  strata          jsonb NOT NULL,           -- [{"name","count","candidates":[…]}]
  inspector_pool  jsonb NOT NULL,
  recused         jsonb NOT NULL,
  inspectors_per_entity integer NOT NULL,
  selected        jsonb,
  committed_at    timestamptz NOT NULL DEFAULT now(),
  revealed_at     timestamptz
);
CREATE INDEX sup_draws_revealed ON sup_draws (revealed_at) WHERE status = 'revealed';

CREATE TABLE sup_inspections (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draw_id       uuid REFERENCES sup_draws (id),
  task_id       uuid NOT NULL REFERENCES sup_tasks (id),
  entity_id     uuid NOT NULL REFERENCES sup_entities (id),
  inspectors    uuid[] NOT NULL,
  status        text NOT NULL CHECK (status IN ('assigned', 'recorded', 'published')),
  submission_id uuid UNIQUE,
  submitted_by  uuid,
  inspected_at  timestamptz,               -- the device's own time, for offline capture
  received_at   timestamptz,
  answers       jsonb,
  outcome       text CHECK (outcome IN ('pass', 'rectify', 'penalty')),
  rectify_by    date,
  penalty       jsonb,
  summary       text,
  publish_due   date,
  published_at  timestamptz,
  version       integer NOT NULL DEFAULT 1
);
CREATE INDEX sup_inspections_entity ON sup_inspections (entity_id);
CREATE INDEX sup_inspections_pub ON sup_inspections (published_at) WHERE status = 'published';

CREATE TABLE sup_evidence (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  inspection_id uuid NOT NULL REFERENCES sup_inspections (id),
  name          text NOT NULL,
  media_type    text NOT NULL,
  sm3           text NOT NULL,
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Administrative penalties (public record until withdrawn by credit repair).
CREATE TABLE sup_penalties (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_id     uuid NOT NULL REFERENCES sup_entities (id),
  inspection_id uuid REFERENCES sup_inspections (id),
  severity      text NOT NULL CHECK (severity IN ('minor', 'ordinary', 'serious')),
  decision      text NOT NULL,
  department    text NOT NULL,
  decided_at    date NOT NULL,
  withdrawn_at  timestamptz
);
CREATE INDEX sup_penalties_entity ON sup_penalties (entity_id);

CREATE TABLE sup_list_entries (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_id   uuid NOT NULL REFERENCES sup_entities (id),
  list        text NOT NULL CHECK (list IN ('abnormal', 'serious')),
  reason      text NOT NULL,
  legal_basis text NOT NULL,
  department  text NOT NULL,
  entered_by  uuid,
  entered_at  timestamptz NOT NULL DEFAULT now(),
  exited_at   timestamptz,
  exit_reason text,
  version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX sup_list_entries_active ON sup_list_entries (entity_id, list) WHERE exited_at IS NULL;

-- Joint discipline: what a listed entity may not do. department/matter '*' = every one.
CREATE TABLE sup_restrictions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  list        text NOT NULL CHECK (list IN ('abnormal', 'serious')),
  department  text NOT NULL DEFAULT '*',
  matter_code text NOT NULL DEFAULT '*',
  restriction text NOT NULL CHECK (restriction IN ('no_commitment', 'no_tolerance', 'extra_review')),
  UNIQUE (list, department, matter_code, restriction)
);
INSERT INTO sup_restrictions (list, restriction) VALUES
  ('abnormal', 'no_commitment'), ('serious', 'no_commitment'), ('serious', 'no_tolerance'), ('serious', 'extra_review');

-- 告知承诺 follow-up checks.
CREATE TABLE sup_followups (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_id      uuid NOT NULL REFERENCES sup_entities (id),
  application_id text NOT NULL UNIQUE,
  matter_code    text NOT NULL,
  department     text NOT NULL,
  approved_at    timestamptz NOT NULL,
  due_date       date NOT NULL,
  status         text NOT NULL CHECK (status IN ('scheduled', 'truthful', 'false')),
  finding        text,
  checked_by     uuid,
  checked_at     timestamptz,
  version        integer NOT NULL DEFAULT 1
);

-- Minimum publication periods before credit repair, in months (configurable).
CREATE TABLE sup_repair_periods (
  subject text PRIMARY KEY,                -- penalty:minor|ordinary|serious, list:abnormal|serious
  months  integer NOT NULL CHECK (months >= 0 AND months <= 36)
);
INSERT INTO sup_repair_periods VALUES
  ('penalty:minor', 0), ('penalty:ordinary', 3), ('penalty:serious', 12), ('list:abnormal', 0), ('list:serious', 36);

CREATE TABLE sup_repairs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_id    uuid NOT NULL REFERENCES sup_entities (id),
  target_kind  text NOT NULL CHECK (target_kind IN ('penalty', 'list')),
  target_id    uuid NOT NULL,
  department   text NOT NULL,              -- the listing/penalising authority it is routed to
  correction   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  applied_by   uuid NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  decided_by   uuid,
  decided_at   timestamptz,
  decision_note text,
  version      integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX sup_repairs_open ON sup_repairs (target_id) WHERE status = 'pending';
