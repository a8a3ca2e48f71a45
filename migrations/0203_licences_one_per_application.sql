-- An approved application issues its result licence automatically (in the approval's own
-- transaction). At most one licence per application: a retried or racing approval finds the
-- licence already issued (or loses on this index and is told the application changed) instead
-- of sealing a second one.
CREATE UNIQUE INDEX licences_source_application ON licences (source_application) WHERE source_application IS NOT NULL;
