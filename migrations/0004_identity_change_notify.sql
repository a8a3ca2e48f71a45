-- Each process keeps the actor of a bearer token and the identity of a person in memory
-- (src/platform/db/notified-cache.ts) so that a request need not read them every time. A
-- signed-out token, a suspended account, a changed role or 代办 grant, a re-verified person must
-- stop being answered from memory at once in every process: these triggers announce each such
-- change on the channel `tongban_changes` (delivered on commit, so never before the change can
-- be read), and every listening process drops what it holds for that key. Inserts of sessions
-- and persons need no notice: nothing can have cached them yet.
--
-- tongban_row_changed(kind, column): notifies '<kind>:<the row's column>' for the old and the
-- new row (a change of the key itself reaches both keys).
CREATE FUNCTION tongban_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('tongban_changes', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('tongban_changes', TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION tongban_row_changed('session', 'token_hash');
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION tongban_row_changed('user', 'id');
-- A grant given, revoked or edited changes what its grantee may do.
CREATE TRIGGER agent_grants_changed AFTER INSERT OR UPDATE OR DELETE ON agent_grants FOR EACH ROW EXECUTE FUNCTION tongban_row_changed('user', 'grantee_user_id');
CREATE TRIGGER persons_changed AFTER UPDATE OR DELETE ON persons FOR EACH ROW EXECUTE FUNCTION tongban_row_changed('person', 'id');
