/**
 * A bounded in-process cache of database reads that every process drops the moment the row
 * changes anywhere (see change-feed.ts). It answers from memory only while its feed is live;
 * without a feed (PGlite, or caching turned off) it is a pass-through. A value read while a
 * change or a loss was notified is returned to its caller but not kept.
 */
import type { ChangeFeed } from './change-feed.js';

export interface NotifiedCacheOptions<V> {
  /** Most entries kept; the oldest-used go first. */
  maxEntries: number;
  /** Longest an entry is kept whatever happens (bounds the harm of any gap not foreseen here). */
  maxAgeMs: number;
  /**
   * For a notification that makes more than the entry keyed by its payload stale: which entries
   * (undefined for any other payload, so that no scan is made).
   */
  staleOn?(payload: string): ((key: string, value: V) => boolean) | undefined;
}

interface Entry<V> { value: V; until: number }

export class NotifiedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly feed: ChangeFeed | undefined, private readonly opts: NotifiedCacheOptions<V>) {
    feed?.onLost(() => this.entries.clear());
    feed?.onNotify((payload) => this.invalidate(payload));
  }

  /** Drops what `payload` makes stale (also called by a writer in this process right after its commit). */
  invalidate(payload: string): void {
    this.entries.delete(payload);
    const stale = this.entries.size ? this.opts.staleOn?.(payload) : undefined;
    if (!stale) return;
    for (const [key, e] of this.entries) if (stale(key, e.value)) this.entries.delete(key);
  }

  get size(): number { return this.entries.size; }

  /**
   * The cached value of `key`, or `read()`'s, kept until `expiresAt` (epoch ms; capped by
   * maxAgeMs) unless something changed while it was read. `undefined` is never cached.
   */
  async get(key: string, read: () => Promise<{ value: V; expiresAt?: number } | undefined>): Promise<V | undefined> {
    const feed = this.feed;
    if (!feed?.live) return (await read())?.value;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (hit.until > now) {
        this.entries.set(key, hit); // most recently used last
        return hit.value;
      }
    }
    const mark = feed.mark();
    const found = await read();
    if (!found) return undefined;
    if (feed.unchanged(mark)) {
      const until = Math.min(found.expiresAt ?? Infinity, Date.now() + this.opts.maxAgeMs);
      if (until > Date.now()) this.store(key, found.value, until);
    }
    return found.value;
  }

  /** Like `get` for several keys, with one `read` of those not in memory (absent keys: no entry). */
  async getMany(keys: readonly string[], read: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
    const feed = this.feed;
    if (!feed?.live) return read([...keys]);
    const now = Date.now();
    const out = new Map<string, V>();
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.entries.get(key);
      if (hit && hit.until > now) {
        this.entries.delete(key);
        this.entries.set(key, hit);
        out.set(key, hit.value);
      } else missing.push(key);
    }
    if (missing.length === 0) return out;
    const mark = feed.mark();
    const found = await read(missing);
    const keep = feed.unchanged(mark);
    for (const [key, value] of found) {
      out.set(key, value);
      if (keep) this.store(key, value, Date.now() + this.opts.maxAgeMs);
    }
    return out;
  }

  private store(key: string, value: V, until: number): void {
    this.entries.set(key, { value, until });
    if (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void { this.entries.clear(); }
}
