-- Inspection evidence can be downloaded: by the drawn inspectors and the region's supervisors,
-- and by anyone once the result is published — but only evidence marked as holding no personal
-- data (faces, ID cards, 个体户 home addresses stay non-public). Existing evidence was uploaded
-- without that declaration, so it is treated as personal.
ALTER TABLE sup_evidence ADD COLUMN personal boolean NOT NULL DEFAULT true;
ALTER TABLE sup_evidence ADD COLUMN size_bytes integer;
-- Files of one result share its transaction's timestamp: keep the order they were uploaded in.
ALTER TABLE sup_evidence ADD COLUMN position smallint NOT NULL DEFAULT 0;
UPDATE sup_evidence SET size_bytes = octet_length(content);
ALTER TABLE sup_evidence ALTER COLUMN size_bytes SET NOT NULL;
CREATE INDEX sup_evidence_inspection ON sup_evidence (inspection_id, created_at, position);
