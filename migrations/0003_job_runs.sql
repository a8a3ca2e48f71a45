-- When each cluster-wide periodic job last ran, so that with several server processes on one
-- database a job marked "once per interval" runs once per interval in all of them together,
-- not once per process (signing the audit head N times, sweeping N times a minute).
CREATE TABLE platform_job_runs (
  name text PRIMARY KEY,
  last_run_at timestamptz NOT NULL
);
