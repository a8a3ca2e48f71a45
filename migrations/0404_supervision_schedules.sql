-- Standing inspection schedules: grades drive how often entities are drawn, not only how many.
-- A schedule covers a region and a set of supervision items and splits each year into periods;
-- for each period it creates one random-inspection task whose per-grade ratios put every grade's
-- draw rounds (sup_grade_policy.per_year, or the items' own frequency) into the right periods.
CREATE TABLE sup_schedules (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                  text NOT NULL,
  region_code           text NOT NULL,
  item_ids              uuid[] NOT NULL,
  periods_per_year      integer NOT NULL CHECK (periods_per_year IN (1, 2, 3, 4, 6, 12)),
  inspectors_per_entity integer NOT NULL CHECK (inspectors_per_entity >= 2),
  active                boolean NOT NULL DEFAULT true,
  created_by            uuid NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  version               integer NOT NULL DEFAULT 1
);
CREATE INDEX sup_schedules_active ON sup_schedules (region_code) WHERE active;

-- A task created by a schedule names it and its period ('2026-3/4' = third quarter of 2026);
-- one task per schedule and period, however often the job runs and in however many processes.
ALTER TABLE sup_tasks ADD COLUMN schedule_id uuid REFERENCES sup_schedules (id);
ALTER TABLE sup_tasks ADD COLUMN period text;
CREATE UNIQUE INDEX sup_tasks_schedule_period ON sup_tasks (schedule_id, period) WHERE schedule_id IS NOT NULL;
