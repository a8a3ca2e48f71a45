/** Builds this run's template databases once; every test file clones one in milliseconds. */
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/platform/config.js';
import { openPostgres } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { adminQuery, dbUrl, dropDatabase, TEST_MASTER_KEY, uniqueName } from './pg.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateBare: string;
    templateDemo: string;
  }
}

async function buildTemplate(name: string, demo: boolean): Promise<void> {
  await adminQuery(`CREATE DATABASE "${name}"`);
  const config = { ...loadConfig({ DATABASE_URL: dbUrl(name), TONGBAN_MASTER_KEY: TEST_MASTER_KEY, TONGBAN_DEMO: demo ? '1' : '0' }) };
  const database = await openPostgres(config.databaseUrl!, 2);
  try {
    await prepareNode(config, database);
  } finally {
    await database.close();
  }
}

export default async function setup(project: TestProject) {
  const bare = uniqueName('tb_tpl_bare');
  const demo = uniqueName('tb_tpl_demo');
  await Promise.all([buildTemplate(bare, false), buildTemplate(demo, true)]);
  project.provide('templateBare', bare);
  project.provide('templateDemo', demo);
  return async () => {
    await dropDatabase(bare);
    await dropDatabase(demo);
  };
}
