/**
 * Periodic background jobs (signing the audit head, deadline sweeps, outbox delivery…).
 * Three scopes, because "several server processes on one database" asks different things of
 * different jobs:
 *  - `cluster` (default): each run takes a PostgreSQL advisory lock named after the job, so it
 *    runs in one process at a time, never twice at once; every process still ticks on its own
 *    timer (right for cheap idempotent drains such as the audit chainer or the outbox, where a
 *    second process picking up the slack is the point).
 *  - `once-per-interval`: as `cluster`, and a run is skipped unless the job's last run anywhere
 *    (`platform_job_runs`) is at least one interval ago — the audit head is signed, the overdue
 *    sweep done, once per interval for the whole cluster.
 *  - `process`: no lock at all; each process must run it itself (reloading its own caches).
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { sm3Hex } from '../crypto/sm.js';

export interface JobLogger { error(obj: unknown, msg?: string): void }

export type JobScope = 'cluster' | 'once-per-interval' | 'process';

interface Job { name: string; intervalMs: number; scope: JobScope; run: () => Promise<unknown>; timer?: NodeJS.Timeout; running?: Promise<void> }

export class Scheduler {
  private jobs: Job[] = [];
  private stopped = false;

  constructor(private readonly database: Database, private readonly log: JobLogger) {}

  every(name: string, intervalMs: number, run: () => Promise<unknown>, scope: JobScope = 'cluster'): void {
    this.jobs.push({ name, intervalMs, run, scope });
  }

  /** Advisory-lock key derived from the job name (first 52 bits of its SM3, fits a bigint). */
  private lockKey(name: string): number {
    return parseInt(sm3Hex(`job:${name}`).slice(0, 13), 16);
  }

  /**
   * Runs a job once now, as its scope allows; returns false if it did not run (another process
   * holds its lock, or — once per interval — it already ran within the interval).
   */
  async runOnce(job: Pick<Job, 'name' | 'run'> & { scope?: JobScope; intervalMs?: number }): Promise<boolean> {
    // The embedded database belongs to exactly one process (it is locked), so no coordination.
    if (this.database.kind === 'pglite' || job.scope === 'process') {
      await job.run();
      return true;
    }
    return this.database.db.connection().execute(async (conn) => {
      const key = this.lockKey(job.name);
      const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${key}) AS ok`.execute(conn);
      if (!got.rows[0]?.ok) return false;
      try {
        if (job.scope === 'once-per-interval') {
          // Under the lock, so the check-and-claim cannot race with another process.
          const seconds = (job.intervalMs ?? 0) / 1000;
          const claimed = await sql<{ name: string }>`
            INSERT INTO platform_job_runs (name, last_run_at) VALUES (${job.name}, now())
            ON CONFLICT (name) DO UPDATE SET last_run_at = now()
              WHERE platform_job_runs.last_run_at <= now() - make_interval(secs => ${seconds})
            RETURNING name`.execute(conn);
          if (claimed.rows.length === 0) return false;
        }
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
