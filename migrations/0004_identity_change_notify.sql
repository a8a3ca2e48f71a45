-- Each process keeps the actor of a bearer token and the identity of a person in memory
-- (src/platform/db/notified-cache.ts) so that a request need not read them every time. A
-- signed-out token, a suspended account, a changed role or 代办 grant, a re-verified person must
-- stop being answered from memory at once in every process: these triggers announce each such
-- change on the channel `tongban_identity` (delivered on commit, so never before the change can
-- be read), and every listening process drops what it holds for that key. Inserts of sessions
-- and persons need no notice: nothing can have cached them yet.
CREATE FUNCTION tongban_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('tongban_identity', tongban_identity_key(TG_TABLE_NAME, to_jsonb(OLD)));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('tongban_identity', tongban_identity_key(TG_TABLE_NAME, to_jsonb(NEW)));
  END IF;
  RETURN NULL;
END $$;

-- The cache key a changed row stands for: a session by its token hash, anything about a user
-- (their account or the grants they act under) by the user, a person by the person.
CREATE FUNCTION tongban_identity_key(tbl text, r jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE tbl
    WHEN 'sessions' THEN 'session:' || (r ->> 'token_hash')
    WHEN 'users' THEN 'user:' || (r ->> 'id')
    WHEN 'agent_grants' THEN 'user:' || (r ->> 'grantee_user_id')
    WHEN 'persons' THEN 'person:' || (r ->> 'id')
  END
$$;

CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION tongban_identity_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION tongban_identity_changed();
CREATE TRIGGER agent_grants_changed AFTER INSERT OR UPDATE OR DELETE ON agent_grants FOR EACH ROW EXECUTE FUNCTION tongban_identity_changed();
CREATE TRIGGER persons_changed AFTER UPDATE OR DELETE ON persons FOR EACH ROW EXECUTE FUNCTION tongban_identity_changed();
