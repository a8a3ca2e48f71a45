/**
 * Periodic background jobs (signing the audit head, deadline sweeps, outbox delivery…).
 * Each run takes a PostgreSQL advisory lock named after the job, so with several server
 * processes on one database a job runs in one of them at a time, never twice at once.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { sm3Hex } from '../crypto/sm.js';

export interface JobLogger { error(obj: unknown, msg?: string): void }

interface Job { name: string; intervalMs: number; run: () => Promise<unknown>; timer?: NodeJS.Timeout; running?: Promise<void> }

export class Scheduler {
  private jobs: Job[] = [];
  private stopped = false;

  constructor(private readonly database: Database, private readonly log: JobLogger) {}

  every(name: string, intervalMs: number, run: () => Promise<unknown>): void {
    this.jobs.push({ name, intervalMs, run });
  }

  /** Advisory-lock key derived from the job name (first 52 bits of its SM3, fits a bigint). */
  private lockKey(name: string): number {
    return parseInt(sm3Hex(`job:${name}`).slice(0, 13), 16);
  }

  /** Runs a job once now, under its lock; returns false if another process holds it. */
  async runOnce(job: Pick<Job, 'name' | 'run'>): Promise<boolean> {
    if (this.database.kind === 'pglite') {
      await job.run();
      return true;
    }
    return this.database.db.connection().execute(async (conn) => {
      const key = this.lockKey(job.name);
      const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${key}) AS ok`.execute(conn);
      if (!got.rows[0]?.ok) return false;
      try {
        await job.run();
      } finally {
        await sql`SELECT pg_advisory_unlock(${key})`.execute(conn);
      }
      return true;
    });
  }

  start(): void {
    for (const job of this.jobs) {
      const tick = () => {
        if (this.stopped) return;
        job.running = this.runOnce(job)
          .then(() => undefined)
          .catch((err) => this.log.error({ err, job: job.name }, 'background job failed'))
          .finally(() => {
            job.running = undefined;
            if (!this.stopped) job.timer = setTimeout(tick, job.intervalMs);
          });
      };
      job.timer = setTimeout(tick, job.intervalMs);
      job.timer.unref();
    }
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs) clearTimeout(job.timer);
    await Promise.all(this.jobs.map((j) => j.running));
  }
}
