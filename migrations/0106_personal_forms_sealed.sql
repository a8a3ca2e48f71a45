-- Application forms and form-type materials carry personal data (names, resident ID numbers,
-- addresses, bank accounts). From now on the application seals them with SM4-GCM into
-- `form_sealed` (bound to table, column and row) and leaves `{}` in the jsonb column.
-- Rows written before this migration still hold plaintext in `form` / `form_data` with
-- `form_sealed` NULL: they are the legacy rows, found by the partial indexes below, and the job
-- `personal-data.seal-legacy` re-seals them in batches (the key lives only in the application).
ALTER TABLE applications ADD COLUMN form_sealed text;
ALTER TABLE materials ADD COLUMN form_sealed text;

CREATE INDEX applications_form_legacy ON applications (id) WHERE form_sealed IS NULL AND form <> '{}'::jsonb;
CREATE INDEX materials_form_legacy ON materials (id) WHERE form_sealed IS NULL AND form_data IS NOT NULL AND form_data <> '{}'::jsonb;

COMMENT ON COLUMN applications.form IS 'Legacy plaintext form of rows filed before 0106 and not yet re-sealed; {} once sealed into form_sealed';
COMMENT ON COLUMN materials.form_data IS 'Legacy plaintext form data of rows stored before 0106 and not yet re-sealed; {} once sealed into form_sealed';
