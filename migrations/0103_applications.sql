-- Applications (办件): one per matter, fixed to the matter version it was filed under, with every
-- transition recorded; 一件事 bundles that fan out to several; 好差评 ratings and the
-- rectification task a poor rating opens.
CREATE TABLE application_bundles (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bundle_code          text NOT NULL,
  bundle_name          text NOT NULL,
  applicant_person_id  uuid,
  applicant_company_id uuid,
  submitted_by         uuid NOT NULL,
  idempotency_key      text NOT NULL,
  request_hash         text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (submitted_by, idempotency_key)
);

CREATE TABLE applications (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  matter_code          text NOT NULL,
  matter_version       integer NOT NULL,
  matter_name          text NOT NULL,
  matter_snapshot      jsonb NOT NULL,
  applicant_person_id  uuid,
  applicant_company_id uuid,
  submitted_by         uuid NOT NULL,
  region_code          text NOT NULL,
  department           text NOT NULL,
  status               text NOT NULL CHECK (status IN ('draft', 'submitted', 'correction_requested', 'accepted', 'not_accepted', 'approved', 'refused', 'delivered', 'withdrawn')),
  form                 jsonb NOT NULL,
  materials            jsonb NOT NULL,
  fast_track           boolean NOT NULL DEFAULT false,
  bundle_id            uuid REFERENCES application_bundles (id),
  idempotency_key      text,
  request_hash         text,
  submitted_at         timestamptz,
  accepted_on          date,
  due_on               date,
  paused_since         date,
  paused_working_days  integer NOT NULL DEFAULT 0,
  resume_status        text,
  decided_at           timestamptz,
  result               text,
  calendar_warnings    text[] NOT NULL DEFAULT '{}',
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((applicant_person_id IS NULL) <> (applicant_company_id IS NULL))
);
CREATE UNIQUE INDEX applications_idempotency ON applications (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX applications_queue ON applications (department, region_code text_pattern_ops, status, submitted_at, id);
CREATE INDEX applications_due ON applications (department, due_on) WHERE status = 'accepted';
CREATE INDEX applications_person ON applications (applicant_person_id, created_at DESC) WHERE applicant_person_id IS NOT NULL;
CREATE INDEX applications_company ON applications (applicant_company_id, created_at DESC) WHERE applicant_company_id IS NOT NULL;
CREATE INDEX applications_bundle ON applications (bundle_id) WHERE bundle_id IS NOT NULL;

CREATE TABLE application_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL REFERENCES applications (id),
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  action         text NOT NULL,
  from_status    text,
  to_status      text NOT NULL,
  actor_user_id  uuid,
  actor_label    text NOT NULL,
  reason         text
);
CREATE INDEX application_events_app ON application_events (application_id, at);

CREATE TABLE application_ratings (
  application_id uuid PRIMARY KEY REFERENCES applications (id),
  score          smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment        text,
  rated_by       uuid NOT NULL,
  department     text NOT NULL,
  region_code    text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_ratings_dept ON application_ratings (department, region_code);

CREATE TABLE rectification_tasks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL UNIQUE REFERENCES application_ratings (application_id),
  department     text NOT NULL,
  region_code    text NOT NULL,
  due_on         date NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replied')),
  reply          text,
  replied_by     uuid,
  replied_at     timestamptz,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rectification_tasks_open ON rectification_tasks (department, status, due_on);
