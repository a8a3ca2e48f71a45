/**
 * A throwaway PostgreSQL cluster of its own, for the one fault test that restarts PostgreSQL:
 * restarting the shared server at 127.0.0.1:5432 would break every other test file running in
 * parallel. The cluster is made with the installed server's initdb/pg_ctl
 * (/usr/lib/postgresql/<newest>/bin, or PG_BIN), in a temporary directory, listening on a free
 * loopback port only. PostgreSQL refuses to run as root, so as root the commands run as the
 * `postgres` system user (runuser), which owns the directory.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support.js';

export interface PrivateCluster {
  url: string;
  /** Fast shutdown (clients are disconnected), then back up; asynchronous, so load keeps running meanwhile. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  stop(): void;
}

function binDir(): string | undefined {
  if (process.env.PG_BIN) return fs.existsSync(path.join(process.env.PG_BIN, 'pg_ctl')) ? process.env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const newest = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin')).find((d) => fs.existsSync(path.join(d, 'pg_ctl')) && fs.existsSync(path.join(d, 'initdb')));
  return newest;
}

function osUser(name: string): { uid: number; gid: number } | undefined {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privateClusterUnavailable(): string | undefined {
  if (!binDir()) return 'no initdb/pg_ctl under /usr/lib/postgresql/*/bin (set PG_BIN)';
  if (process.getuid?.() === 0 && !osUser('postgres')) return 'running as root without a postgres system user to run the cluster as';
  return undefined;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = binDir()!;
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? osUser('postgres')! : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongban-pg-'));
  const data = path.join(dir, 'data');
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const command = (cmd: string, args: string[]): [string, string[]] =>
    (owner ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args]);
  const run = (cmd: string, args: string[]) => execFileSync(...command(cmd, args), { stdio: 'pipe', cwd: dir, timeout: 60_000 });
  const runAsync = async (cmd: string, args: string[]) => { await promisify(execFile)(...command(cmd, args), { cwd: dir, timeout: 60_000 }); };
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // Loopback only, socket in the private directory, small and without fsync: this cluster is
  // thrown away after one test, and a fast restart flushes everything anyway.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c shared_buffers=32MB -c max_connections=40`;
  const ctlArgs = (...args: string[]) => ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', ...args];
  run('pg_ctl', ctlArgs('-o', options, 'start'));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    down: () => runAsync('pg_ctl', ctlArgs('-m', 'fast', 'stop')),
    up: () => runAsync('pg_ctl', ctlArgs('-o', options, 'start')),
    stop: () => {
      try { run('pg_ctl', ctlArgs('-m', 'immediate', 'stop')); } catch { /* already down */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
