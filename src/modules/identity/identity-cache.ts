/**
 * The identity reads every request makes, kept in memory: the actor of a bearer token (one
 * query a request otherwise) and a person's verified identity (read on each application).
 * Correctness rests on the database's notifications (migration 0004): a signed-out token, a
 * suspended account, a changed role or 代办 grant, an edited person is dropped in every process
 * when the change commits; while the notification connection is down nothing is answered from
 * memory (see platform/db/notified-cache.ts). Entries also end with the session or the
 * earliest grant they rest on, and after a minute in any case.
 */
import type { Transaction } from 'kysely';
import { ROLES, type Actor, type Role } from '../../platform/access/policy.js';
import type { ChangeFeed } from '../../platform/db/change-feed.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { NotifiedCache } from '../../platform/db/notified-cache.js';
import type { SessionActorRow } from './repository.js';
import type { PersonView } from './service.js';

const MAX_AGE_MS = 60_000;
/** Longest a writer waits for every process to acknowledge its change (normally a millisecond or two). */
const BARRIER_WAIT_MS = 1000;

export const sessionKey = (tokenHash: string) => `session:${tokenHash}`;
export const userKey = (userId: string) => `user:${userId}`;
export const personKey = (personId: string) => `person:${personId}`;

export class IdentityCache {
  readonly actors: NotifiedCache<Actor>;
  readonly persons: NotifiedCache<PersonView>;

  constructor(private readonly feed: ChangeFeed | undefined) {
    this.actors = new NotifiedCache<Actor>(feed, {
      maxEntries: 50_000, maxAgeMs: MAX_AGE_MS,
      // A session's actor also rests on its user (status, roles, grants) and their person (assurance level).
      staleOn: (payload) => {
        if (payload.startsWith('user:')) return (_key, a) => payload === userKey(a.userId);
        if (payload.startsWith('person:')) return (_key, a) => !!a.personId && payload === personKey(a.personId);
        return undefined;
      },
    });
    this.persons = new NotifiedCache<PersonView>(feed, { maxEntries: 50_000, maxAgeMs: MAX_AGE_MS });
  }

  /**
   * A transaction changing cached identity data (`keys`: what it changes). It is answered only
   * once every process listening has handled the change's notification: after a sign-out is
   * answered, no process answers the token from memory, not even on the very next request.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async announcing<T>(db: Executor, keys: string[], work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
    const result = await inTransaction(db, work);
    for (const k of keys) { this.actors.invalidate(k); this.persons.invalidate(k); }
    // A process that has not acknowledged within the wait has lost its listener (its cache is
    // then dropped already) or is stalled; the latter is the one case left to chance.
    if (this.feed?.live) await this.feed.barrier(BARRIER_WAIT_MS);
    return result;
  }
}

/** The request's actor from its session row; frozen, as concurrent requests share a cached one. */
export function actorFromRow(row: SessionActorRow): Actor {
  return deepFreeze({
    userId: row.id,
    username: row.username,
    roles: row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    personId: row.person_id ?? undefined,
    companyId: row.company_id ?? undefined,
    regionCode: row.region_code ?? undefined,
    department: row.department ?? undefined,
    assuranceLevel: row.assurance_level ?? 1,
    grants: row.grants.map((g) => ({ grantId: g.id, grantorPersonId: g.grantor_person_id, matters: g.matters, expiresAt: new Date(g.expires_at) })),
    label: row.department ? `${row.department} · ${row.display_name}` : row.display_name,
  });
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object' && !Object.isFrozen(v)) deepFreeze(v as object);
  return Object.freeze(o);
}
