-- Shared materials (非重复、可选择): each person's or company's library of what they gave once.
-- File contents are content-addressed by SM3 and stored once however often they are reused.
CREATE TABLE material_blobs (
  hash        text PRIMARY KEY,
  media_type  text NOT NULL,
  size_bytes  integer NOT NULL,
  content     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE materials (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_person_id  uuid,
  owner_company_id uuid,
  material_type    text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('file', 'form')),
  title            text NOT NULL,
  content_hash     text NOT NULL,
  media_type       text,
  size_bytes       integer NOT NULL,
  form_data        jsonb,
  produced_on      date NOT NULL,
  uploaded_by      uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_person_id IS NULL) <> (owner_company_id IS NULL)),
  CHECK ((kind = 'file') = (form_data IS NULL))
);
CREATE INDEX materials_person ON materials (owner_person_id, material_type) WHERE owner_person_id IS NOT NULL;
CREATE INDEX materials_company ON materials (owner_company_id, material_type) WHERE owner_company_id IS NOT NULL;
-- Giving the same thing twice (same owner, type, content and date) keeps one library entry.
CREATE UNIQUE INDEX materials_once ON materials (
  (COALESCE(owner_person_id, owner_company_id)), material_type, content_hash, produced_on
);
