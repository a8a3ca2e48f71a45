/**
 * The one configuration loader. Every setting is read from the environment here, validated
 * once at start, and passed down explicitly; nothing else reads process.env.
 */
import path from 'node:path';

export class ConfigError extends Error {}

export interface Config {
  host: string;
  port: number;
  /** Undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  nodeId: string;
  /** Load the demo data set (always on for a fresh embedded database). */
  demo: boolean;
  /** 32 hex chars (SM4-128) or undefined: then a key file in dataDir is used/created. */
  masterKeyHex?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  tokenTtlSeconds: number;
  /** Login failures allowed per username or address within `loginWindowSeconds`. */
  loginMaxFailures: number;
  /** Per address the allowance is larger: many people may share one counter or NAT address. */
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  /** Requests per minute per address on public and auth endpoints. */
  publicRateLimitPerMinute: number;
  /** How often the node signs the audit chain head. */
  auditSignIntervalSeconds: number;
  webDistDir: string;
  /** PostgreSQL connections per process (the embedded database has one). */
  dbPoolSize: number;
  /**
   * A statement running longer is cancelled by the server (→ 503), so one runaway query
   * cannot hold a pooled connection and starve every other request. 0 turns it off.
   */
  statementTimeoutMs: number;
  /**
   * The address people reach this node's web pages at (e.g. https://zwfw.zj.gov.cn), with no
   * trailing slash: a licence QR code carries it so that a phone that scans it opens a page.
   * Undefined: the address the request came in on is used.
   */
  publicUrl?: string;
}

type Env = Record<string, string | undefined>;

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An absolute http(s) address with no path, query or fragment; the trailing slash dropped. */
function publicUrlSetting(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`TONGBAN_PUBLIC_URL must be an absolute address such as https://zwfw.example.gov.cn, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`TONGBAN_PUBLIC_URL must be http(s)://host[:port] with nothing after it, got "${raw}"`);
  }
  return url.origin;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const scheme = databaseUrl.split(':')[0];
    throw new ConfigError(
      `DATABASE_URL has unsupported scheme "${scheme}": use postgres://user@host:port/db, or unset it for the embedded database`,
    );
  }
  const nodeId = env.TONGBAN_NODE_ID || 'zj';
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(nodeId)) {
    throw new ConfigError(`TONGBAN_NODE_ID must be 2-32 lowercase letters, digits or '-', got "${nodeId}"`);
  }
  const masterKeyHex = env.TONGBAN_MASTER_KEY || undefined;
  if (masterKeyHex !== undefined && !/^[0-9a-fA-F]{32}$/.test(masterKeyHex)) {
    throw new ConfigError('TONGBAN_MASTER_KEY must be 32 hex characters (a 128-bit SM4 key)');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const demoFlag = env.TONGBAN_DEMO;
  if (demoFlag !== undefined && demoFlag !== '' && demoFlag !== '0' && demoFlag !== '1') {
    throw new ConfigError(`TONGBAN_DEMO must be 0 or 1, got "${demoFlag}"`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: intSetting(env, 'PORT', 8080, 0, 65535),
    databaseUrl,
    dataDir: path.resolve(cwd, env.TONGBAN_DATA_DIR || 'data'),
    nodeId,
    // The embedded database is the demo set-up, so it always gets the demo data on first start.
    demo: databaseUrl === undefined || demoFlag === '1',
    masterKeyHex: masterKeyHex?.toLowerCase(),
    logLevel,
    bodyLimitBytes: intSetting(env, 'TONGBAN_BODY_LIMIT', 1_048_576, 1024, 64 * 1_048_576),
    tokenTtlSeconds: intSetting(env, 'TONGBAN_TOKEN_TTL', 12 * 3600, 60, 30 * 24 * 3600),
    loginMaxFailures: intSetting(env, 'TONGBAN_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginMaxFailuresPerAddress: intSetting(env, 'TONGBAN_LOGIN_MAX_FAILURES_PER_ADDRESS', 30, 1, 100000),
    loginWindowSeconds: intSetting(env, 'TONGBAN_LOGIN_WINDOW', 15 * 60, 1, 24 * 3600),
    publicRateLimitPerMinute: intSetting(env, 'TONGBAN_PUBLIC_RATE_LIMIT', 300, 1, 1_000_000),
    auditSignIntervalSeconds: intSetting(env, 'TONGBAN_AUDIT_SIGN_INTERVAL', 300, 1, 86400),
    webDistDir: path.resolve(cwd, 'web/dist'),
    dbPoolSize: intSetting(env, 'TONGBAN_DB_POOL', 10, 1, 500),
    statementTimeoutMs: intSetting(env, 'TONGBAN_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    publicUrl: publicUrlSetting(env.TONGBAN_PUBLIC_URL),
  };
}
