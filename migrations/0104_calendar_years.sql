-- Holiday schedules an administrator loaded for years the shipped calendar does not cover yet
-- (the State Council publishes each year's schedule late in the year before).
CREATE TABLE calendar_years (
  year      integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 2999),
  holidays  text[] NOT NULL,
  workdays  text[] NOT NULL,
  loaded_by text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
