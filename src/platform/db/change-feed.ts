/**
 * Change notifications from PostgreSQL (LISTEN/NOTIFY) for in-process caches that must never
 * answer with something another process has changed: a signed-out token, a suspended account.
 * Triggers in the database send a notification when a cached row changes, on commit; every
 * process listening drops what it holds for that row.
 *
 * A notification missed is a stale answer, so a cache may answer from memory only while the
 * feed is `live`: the LISTEN connection is up and answered its last heartbeat. When the
 * connection is lost (or a heartbeat goes unanswered) the feed tells its caches to drop
 * everything and is not live until it listens again; meanwhile they read the database.
 * `mark()`/`unchanged()` close the last gap: a value read while a notification (or a loss)
 * arrived may predate the change it announces, and is not kept.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface ChangeFeed {
  /** Listening, with the last heartbeat answered: only then may a cache answer from memory. */
  readonly live: boolean;
  /** A mark to take before reading what will be cached. */
  mark(): number;
  /** True while live and nothing was notified or lost since `mark` was taken. */
  unchanged(mark: number): boolean;
  /** Calls `handler` with each notification's payload. */
  onNotify(handler: (payload: string) => void): void;
  /** Calls `handler` when the connection is lost (everything cached may be stale). */
  onLost(handler: () => void): void;
  /** Resolves true when a notification with `payload` arrives, false after `timeoutMs` or when not live. */
  waitFor(payload: string, timeoutMs?: number): Promise<boolean>;
  /**
   * Resolves true once every process listening on this database has handled every notification
   * committed before the call (false after `timeoutMs`, or when not live).
   */
  barrier(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface PgChangeFeedOptions {
  /** First delay before listening again after a loss; doubles up to `maxReconnectMs`. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** How often the connection is checked with a query, and how long an answer may take. */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

const BARRIER = 'barrier:';

/** The channel the triggers of migrations 0004 and 0107 notify on: payloads '<kind>:<key>'. */
export const CHANGES_CHANNEL = 'tongban_changes';

/**
 * Shown in pg_stat_activity (`tongban-listener:<channel>`), so an operator can tell the listening
 * connections, and a barrier knows whose acknowledgement to wait for.
 */
export const listenerApplicationName = (channel: string) => `tongban-listener:${channel}`;

export class PgChangeFeed implements ChangeFeed {
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private version = 0;
  private readonly notifyHandlers: Array<(payload: string) => void> = [];
  private readonly lostHandlers: Array<() => void> = [];
  private readonly waiters = new Map<string, Set<(seen: boolean) => void>>();
  /** Barriers this process awaits: nonce → processes (listening backends' pids) that acknowledged it. */
  private readonly barriers = new Map<string, { acked: Set<number>; check(): void }>();
  private reconnectDelay: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<PgChangeFeedOptions>;

  constructor(private readonly connectionString: string, private readonly channel: string, opts: PgChangeFeedOptions = {}) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.opts = { reconnectMs: 100, maxReconnectMs: 5000, heartbeatMs: 2000, heartbeatTimeoutMs: 1000, ...opts };
    this.reconnectDelay = this.opts.reconnectMs;
    void this.connect();
  }

  get live(): boolean { return this.listening && !this.closed; }
  /** The server process of the listening connection (pg_stat_activity.pid), while connected. */
  get backendPid(): number | undefined { return this.listening && this.client ? pidOf(this.client) : undefined; }
  mark(): number { return this.version; }
  unchanged(mark: number): boolean { return this.live && this.version === mark; }
  onNotify(handler: (payload: string) => void): void { this.notifyHandlers.push(handler); }
  onLost(handler: () => void): void { this.lostHandlers.push(handler); }

  waitFor(payload: string, timeoutMs = 2000): Promise<boolean> {
    if (!this.live) return Promise.resolve(false);
    return new Promise((resolve) => {
      const set = this.waiters.get(payload) ?? new Set();
      this.waiters.set(payload, set);
      const settle = (seen: boolean) => {
        clearTimeout(timer);
        set.delete(settle);
        if (!set.size && this.waiters.get(payload) === set) this.waiters.delete(payload);
        resolve(seen);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      set.add(settle);
    });
  }

  private get ackChannel(): string { return `${this.channel}_ack`; }

  async barrier(timeoutMs = 1000): Promise<boolean> {
    const client = this.client;
    if (!client || !this.live) return false;
    const nonce = randomUUID();
    let resolveAll!: (ok: boolean) => void;
    const done = new Promise<boolean>((r) => { resolveAll = r; });
    let listeners: number[] | undefined;
    const entry = { acked: new Set<number>(), check: () => { if (listeners?.every((pid) => entry.acked.has(pid))) resolveAll(true); } };
    this.barriers.set(nonce, entry);
    const timer = setTimeout(() => resolveAll(false), timeoutMs);
    try {
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [listenerApplicationName(this.channel)]);
      await client.query('SELECT pg_notify($1, $2)', [this.channel, `${BARRIER}${nonce}`]);
      listeners = rows.map((r) => r.pid);
      entry.check();
      return await done;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.barriers.delete(nonce);
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: listenerApplicationName(this.channel), keepAlive: true });
    this.client = client;
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (client !== this.client) return;
      const payload = msg.payload ?? '';
      if (msg.channel === this.ackChannel) {
        const [nonce, pid] = payload.split(' ');
        const b = this.barriers.get(nonce!);
        if (b) { b.acked.add(Number(pid)); b.check(); }
        return;
      }
      if (msg.channel !== this.channel) return;
      this.version++;
      if (payload.startsWith(BARRIER)) {
        // Every notification committed before the barrier has been handled (one queue, commit order).
        void client.query('SELECT pg_notify($1, $2)', [this.ackChannel, `${payload.slice(BARRIER.length)} ${pidOf(client)}`]).catch(() => {});
        return;
      }
      for (const h of this.notifyHandlers) h(payload);
      for (const settle of [...(this.waiters.get(payload) ?? [])]) settle(true);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}; LISTEN ${this.ackChannel}`);
    } catch {
      this.lost(client);
      return;
    }
    if (client !== this.client || this.closed) return;
    // Anything cached before this point was dropped when the last connection was lost.
    this.version++;
    this.listening = true;
    this.reconnectDelay = this.opts.reconnectMs;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(client), this.opts.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** A connection that silently stopped answering is as good as lost. */
  private async heartbeat(client: pg.Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('heartbeat unanswered')), this.opts.heartbeatTimeoutMs); });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch {
      this.lost(client);
    } finally {
      clearTimeout(timer);
    }
  }

  private lost(client: pg.Client): void {
    if (client !== this.client) return;
    this.client = undefined;
    const wasListening = this.listening;
    this.listening = false;
    this.version++;
    clearInterval(this.heartbeatTimer);
    client.removeAllListeners('notification');
    client.on('error', () => {});
    void client.end().catch(() => {});
    if (wasListening) for (const h of this.lostHandlers) h();
    for (const set of [...this.waiters.values()]) for (const settle of [...set]) settle(false);
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.opts.maxReconnectMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}

/** The server process a connection talks to (node-postgres knows it from the start-up). */
const pidOf = (client: pg.Client): number | undefined => (client as unknown as { processID?: number }).processID;
