-- The status-list refresh (every status change of a licence) reads the not-valid licences of one
-- issuing authority; without this it scans every licence (bench:data plan check, 100,000 licences).
-- Partial: about 5% of licences are not valid, so the index stays small.
CREATE INDEX licences_not_valid ON licences (authority_uscc, status_index) WHERE status <> '01';
