/**
 * Liveness and readiness, the two questions an orchestrator or load balancer asks:
 * `/healthz` — is the process up (never touches the database, so a database outage does not
 * get a healthy process restarted in a loop); `/readyz` — can it serve requests now, i.e. does
 * the database answer within a short bound. While it does not, `/readyz` is 503 and the
 * balancer sends traffic elsewhere; the process keeps running and recovers by itself.
 */
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { Obj } from './schemas.js';
import type { HttpServer } from './server.js';

const DbKind = Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]);
const Health = Obj({ status: Type.Literal('ok'), db: DbKind, node: Type.String() });
const Ready = Obj({ status: Type.Literal('ready'), db: DbKind, node: Type.String() });

export interface HealthOptions {
  database: Database;
  nodeId: string;
  /** How long the readiness probe waits for the database before answering 503. */
  readyTimeoutMs?: number;
}

async function databaseAnswers(database: Database, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  const probe = sql`select 1`.execute(database.db).then(() => true, () => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: HttpServer, opts: HealthOptions): Promise<void> {
  const { database, nodeId } = opts;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 2000;
  app.get('/healthz', { schema: { tags: ['platform'], summary: 'Liveness: the process is up (does not touch the database)', response: { 200: Health } } }, async () => ({
    status: 'ok' as const, db: database.kind, node: nodeId,
  }));
  app.get('/readyz', { schema: { tags: ['platform'], summary: 'Readiness: the database answers; 503 while it does not', response: { 200: Ready } } }, async () => {
    if (!(await databaseAnswers(database, readyTimeoutMs))) throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer; not ready');
    return { status: 'ready' as const, db: database.kind, node: nodeId };
  });
}
