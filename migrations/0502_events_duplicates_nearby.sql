-- Duplicate candidates of an event (same category, open, recent, same unit or within a few
-- hundred metres) were found through (category_code, created_at): every open event of the
-- category in the window was read and its distance computed — 100,000 open leaks meant 100,000
-- distance computations per look-up. Two narrower indexes let the planner OR a unit match with
-- a latitude band (the query adds a bounding box before the exact distance).
CREATE INDEX gov_events_dup_unit ON gov_events (category_code, region_code, created_at) WHERE closed_at IS NULL;
CREATE INDEX gov_events_dup_near ON gov_events (category_code, lat, lon) WHERE closed_at IS NULL AND lat IS NOT NULL;
-- Superseded by gov_events_dup_unit (same leading column, same predicate); one index fewer to
-- maintain on every report.
DROP INDEX gov_events_dup;
