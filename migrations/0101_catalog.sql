-- 一网通办 catalogue: service matters (事项) with every version kept, and 一件事 bundles.
-- An application records the matter version it was filed under, so editing a matter never
-- changes an application already filed.
CREATE TABLE catalog_matters (
  code        text PRIMARY KEY,
  version     integer NOT NULL DEFAULT 1,
  name        text NOT NULL,
  category    text NOT NULL,
  region_code text NOT NULL,
  department  text NOT NULL,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  definition  jsonb NOT NULL,
  updated_by  uuid,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_matters_region ON catalog_matters (region_code text_pattern_ops);

CREATE TABLE catalog_matter_versions (
  code        text NOT NULL REFERENCES catalog_matters (code),
  version     integer NOT NULL,
  definition  jsonb NOT NULL,
  change_note text NOT NULL,
  changed_by  uuid,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, version)
);

CREATE TABLE catalog_bundles (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  description  text NOT NULL,
  region_code  text NOT NULL,
  matter_codes text[] NOT NULL,
  aliases      text[] NOT NULL DEFAULT '{}',
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now()
);
