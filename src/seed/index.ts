/**
 * Loads each demo data set once (recorded in seed_runs), in dependency order. A module adds its
 * demo data by adding an entry here; a database seeded before that entry existed gets it on the
 * next start.
 */
import { sql } from 'kysely';
import type { Services } from '../app.js';
import type { Database, Executor } from '../platform/db/database.js';
import { seedIdentityDemo } from './demo-identity.js';
import { seedSupervisionDemo } from './demo-supervision.js';

type Seed = { name: string; run: (services: Services, db: Executor) => Promise<void> };

const DEMO_SEEDS: Seed[] = [
  { name: 'demo.identity', run: seedIdentityDemo },
  { name: 'demo.supervision', run: seedSupervisionDemo },
];

export async function seedDemo(database: Database, services: Services): Promise<string[]> {
  const done = new Set((await sql<{ name: string }>`SELECT name FROM seed_runs`.execute(database.db)).rows.map((r) => r.name));
  const applied: string[] = [];
  for (const seed of DEMO_SEEDS) {
    if (done.has(seed.name)) continue;
    await database.db.transaction().execute(async (trx) => {
      await seed.run(services, trx);
      await trx.insertInto('seed_runs').values({ name: seed.name }).execute();
    });
    applied.push(seed.name);
  }
  return applied;
}
