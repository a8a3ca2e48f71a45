-- 城乡社区治理: grid tree history and areas, grid worker assignments, household privacy,
-- events with their steps and photos, per-category time limits, Open311 API keys.
-- The units themselves (网格/楼栋/户) live in identity's region_units; governance owns what it adds.

-- Event categories with their time limits (DOMAIN.md defaults, changed by administrators).
CREATE TABLE gov_categories (
  code             text PRIMARY KEY,
  name             text NOT NULL,
  description      text NOT NULL,
  grp              text NOT NULL,
  urgency          text NOT NULL CHECK (urgency IN ('urgent', 'ordinary', 'complex')),
  -- Open311 lists only public categories; sensitive ones (elderly checks, disputes) stay internal.
  public           boolean NOT NULL DEFAULT true,
  accept_limit     integer NOT NULL CHECK (accept_limit > 0),
  accept_unit      text NOT NULL CHECK (accept_unit IN ('hours', 'working_days')),
  resolve_limit    integer NOT NULL CHECK (resolve_limit > 0),
  resolve_unit     text NOT NULL CHECK (resolve_unit IN ('hours', 'working_days')),
  -- Warn when this share of the allowed time is left (e.g. 20 = the last fifth).
  warn_percent     integer NOT NULL DEFAULT 20 CHECK (warn_percent BETWEEN 1 AND 99),
  default_department text,
  version          integer NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gov_events (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_code     text NOT NULL REFERENCES gov_categories (code),
  description       text NOT NULL,
  status            text NOT NULL CHECK (status IN ('reported', 'accepted', 'verified', 'filed', 'dispatched',
                      'handled', 'checked', 'closed', 'rated', 'rejected', 'merged')),
  -- Where it happened: a unit code (grid/building/household) or an official region code.
  region_code       text NOT NULL,
  -- Which level is responsible now: starts at the grid (or the unit's nearest grid) and moves up on escalation.
  handling_region   text NOT NULL,
  lat               double precision,
  lon               double precision,
  address           text,
  channel           text NOT NULL CHECK (channel IN ('app', 'grid', 'hotline', 'open311')),
  reporter_user_id  uuid,
  resident_person_id uuid,
  -- The household affected, when there is one: its members may follow and rate the event.
  household_code    text,
  open311_client    text,
  department        text,
  accept_due_at     timestamptz NOT NULL,
  resolve_due_at    timestamptz NOT NULL,
  warn_at           timestamptz NOT NULL,
  accepted_at       timestamptz,
  closed_at         timestamptz,
  -- Set once by the overdue sweep; open events past their deadline.
  overdue_since     timestamptz,
  rework_count      integer NOT NULL DEFAULT 0,
  escalations       integer NOT NULL DEFAULT 0,
  rating            smallint CHECK (rating BETWEEN 1 AND 5),
  rating_comment    text,
  follow_up_due_at  timestamptz,
  merged_into       uuid REFERENCES gov_events (id),
  media_url         text,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_events_region ON gov_events (region_code text_pattern_ops);
CREATE INDEX gov_events_handling ON gov_events (handling_region text_pattern_ops);
CREATE INDEX gov_events_created ON gov_events (created_at DESC, id);
CREATE INDEX gov_events_resident ON gov_events (resident_person_id);
CREATE INDEX gov_events_dup ON gov_events (category_code, created_at) WHERE closed_at IS NULL;
-- The overdue sweep reads only open, not-yet-flagged events by deadline.
CREATE INDEX gov_events_overdue_sweep ON gov_events (resolve_due_at) WHERE closed_at IS NULL AND overdue_since IS NULL;
CREATE INDEX gov_events_open_due ON gov_events (warn_at) WHERE closed_at IS NULL;

-- Every step of an event: who, when, what, notes, photos.
CREATE TABLE gov_event_steps (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id      uuid NOT NULL REFERENCES gov_events (id),
  action        text NOT NULL,
  from_status   text,
  to_status     text NOT NULL,
  actor_user_id uuid,
  actor_label   text NOT NULL,
  notes         text,
  detail        jsonb NOT NULL DEFAULT '{}',
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_event_steps_event ON gov_event_steps (event_id, at);

-- Photos are uploaded first (validated as real images), then attached to a report or a step.
CREATE TABLE gov_photos (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  uploader_user_id uuid NOT NULL,
  mime          text NOT NULL,
  size_bytes    integer NOT NULL,
  sha           text NOT NULL,
  content       bytea NOT NULL,
  event_id      uuid REFERENCES gov_events (id),
  step_id       uuid REFERENCES gov_event_steps (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_photos_event ON gov_photos (event_id);

-- Households' own choices: the smallest unit their data may be shown at, and how they may be contacted.
CREATE TABLE gov_household_privacy (
  household_code text PRIMARY KEY,
  -- 'household' | 'building' | 'grid' | 'community' | 'excluded' (not counted at all)
  min_unit       text NOT NULL CHECK (min_unit IN ('household', 'building', 'grid', 'community', 'excluded')),
  elderly_care_visits boolean NOT NULL DEFAULT false,
  phone_calls    boolean NOT NULL DEFAULT true,
  door_visits    boolean NOT NULL DEFAULT true,
  note           text,
  version        integer NOT NULL DEFAULT 1,
  updated_by     uuid,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gov_household_members (
  household_code text NOT NULL,
  person_id      uuid NOT NULL,
  added_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_code, person_id)
);
CREATE INDEX gov_household_members_person ON gov_household_members (person_id);

CREATE TABLE gov_grid_assignments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grid_code   text NOT NULL,
  user_id     uuid NOT NULL,
  assigned_by uuid,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);
CREATE UNIQUE INDEX gov_grid_assignments_live ON gov_grid_assignments (grid_code, user_id) WHERE ended_at IS NULL;

-- Area outlines of units (GeoJSON polygons, WGS-84) with a bounding box for a quick first test.
CREATE TABLE gov_unit_areas (
  code      text PRIMARY KEY,
  geometry  jsonb NOT NULL,
  min_lon   double precision NOT NULL,
  min_lat   double precision NOT NULL,
  max_lon   double precision NOT NULL,
  max_lat   double precision NOT NULL
);
CREATE INDEX gov_unit_areas_bbox ON gov_unit_areas (min_lon, max_lon, min_lat, max_lat);

-- Tree changes: create, move, merge, split, retire, with the code mapping old → new.
CREATE TABLE gov_tree_history (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action      text NOT NULL CHECK (action IN ('create', 'move', 'merge', 'split', 'import')),
  code_map    jsonb NOT NULL,
  note        text,
  actor_user_id uuid,
  at          timestamptz NOT NULL DEFAULT now()
);

-- Open311 API keys: only the SM3 hash is stored.
CREATE TABLE gov_open311_keys (
  key_hash    text PRIMARY KEY,
  client_name text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

INSERT INTO gov_categories (code, name, description, grp, urgency, public, accept_limit, accept_unit, resolve_limit, resolve_unit, default_department) VALUES
  ('water_leak', '漏水', 'Water leaking between floors or from pipes', '房屋设施', 'ordinary', true, 24, 'hours', 5, 'working_days', '西湖区住房和城乡建设局'),
  ('street_light', '路灯损坏', 'A broken or dark street light', '市政设施', 'ordinary', true, 24, 'hours', 5, 'working_days', '西湖区城市管理局'),
  ('road_damage', '道路破损', 'Potholes or broken paving', '市政设施', 'ordinary', true, 24, 'hours', 5, 'working_days', '西湖区城市管理局'),
  ('garbage', '垃圾堆放', 'Uncollected or dumped garbage', '环境卫生', 'ordinary', true, 24, 'hours', 5, 'working_days', '西湖区城市管理局'),
  ('gas_smell', '燃气异味', 'Smell of gas: possible leak', '安全隐患', 'urgent', true, 2, 'hours', 24, 'hours', '西湖区应急管理局'),
  ('neighbour_dispute', '邻里纠纷', 'A dispute between neighbours needing mediation', '矛盾调解', 'complex', false, 24, 'hours', 15, 'working_days', '北山街道办事处'),
  ('elderly_check', '独居老人探访', 'An elderly person living alone who needs checking on', '民生服务', 'urgent', false, 2, 'hours', 24, 'hours', '北山街道办事处');
