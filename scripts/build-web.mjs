#!/usr/bin/env node
// Builds the web UI (web/ → web/dist) with Vite, but only when web/dist is missing or older
// than some source file in web/, so `npm start` stays fast after the first build.
// Wired as `prestart`; also imported by the browser tests. `--force` always rebuilds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(repoRoot, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
const SKIP = new Set(['dist', 'node_modules']);

/** Newest modification time (ms) of any file under `dir`, ignoring build output. */
function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtTime() {
  try {
    return statSync(distIndex).mtimeMs;
  } catch {
    return 0; // never built
  }
}

export function webBuildIsStale() {
  return builtTime() < newestSourceTime(webDir);
}

/** Builds when stale (or when forced); resolves to true if it built. */
export async function buildWebIfStale({ force = false, quiet = false } = {}) {
  if (!force && !webBuildIsStale()) return false;
  const { build } = await import('vite');
  // Always a production build: inside the test runner NODE_ENV is "test", which would make
  // Vite ship React's and antd's development builds (double effects, dev-only class names).
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webDir, 'vite.config.ts'), mode: 'production', logLevel: quiet ? 'warn' : 'info' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return true;
}

// Run directly (prestart): build if needed and say what happened in one line.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  buildWebIfStale({ force, quiet: true })
    .then((built) => console.log(built ? 'web UI built into web/dist' : 'web UI is up to date (web/dist)'))
    .catch((error) => {
      console.error(`web UI build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
