/**
 * A runaway statement is cancelled by the server after the configured bound and reaches the
 * caller as 503 SERVICE_UNAVAILABLE (the node is overloaded, the request was not wrong), and
 * the pooled connection is usable again at once.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { toErrorBody } from '../http/error-handler.js';
import { openPostgres, type Database } from './database.js';
import { PG_ADMIN_URL } from '../../../test/support/pg.js';

const opened: Database[] = [];
afterAll(async () => { for (const d of opened) await d.close(); });

describe('statement timeout', () => {
  it('cancels a statement that runs past the bound, as a 503, and the pool keeps serving', async () => {
    const database = await openPostgres(PG_ADMIN_URL, 1, { statementTimeoutMs: 200 });
    opened.push(database);
    const err = await sql`select pg_sleep(2)`.execute(database.db).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).toBe('57014');
    expect(toErrorBody(err).status).toBe(503);
    expect(toErrorBody(err).body.error.code).toBe('SERVICE_UNAVAILABLE');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows[0]?.one).toBe(1);
  });

  it('leaves statements alone when no bound is set', async () => {
    const database = await openPostgres(PG_ADMIN_URL, 1);
    opened.push(database);
    await expect(sql`select pg_sleep(0.3)`.execute(database.db)).resolves.toBeDefined();
  });

  it('is configured by TONGBAN_STATEMENT_TIMEOUT_MS, 30 s by default, and rejects nonsense', () => {
    expect(loadConfig({}).statementTimeoutMs).toBe(30_000);
    expect(loadConfig({ TONGBAN_STATEMENT_TIMEOUT_MS: '0' }).statementTimeoutMs).toBe(0);
    expect(() => loadConfig({ TONGBAN_STATEMENT_TIMEOUT_MS: '5s' })).toThrow(/TONGBAN_STATEMENT_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ TONGBAN_DB_POOL: '0' })).toThrow(/TONGBAN_DB_POOL must be between 1 and 500/);
  });
});
