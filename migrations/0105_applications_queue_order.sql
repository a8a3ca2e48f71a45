-- An official's queue pages through the department's applications oldest first. The queue index
-- (department, region_code, status, submitted_at, id) cannot give that order when the filter is a
-- region prefix and "status <> 'draft'": every page sorted all the department's applications
-- (bench: p99 in the hundreds of ms with 5,000 of them). This one is read in order and stops at
-- the page size.
CREATE INDEX applications_queue_order ON applications (department, submitted_at, id) WHERE status <> 'draft';
