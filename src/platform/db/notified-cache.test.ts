/** The rules by which a notified cache may answer from memory (the feed is a stand-in here; see session-cache.test.ts for PostgreSQL). */
import { describe, expect, it } from 'vitest';
import type { ChangeFeed } from './change-feed.js';
import { NotifiedCache } from './notified-cache.js';

function fakeFeed() {
  let version = 0;
  const notify: Array<(p: string) => void> = [];
  const lost: Array<() => void> = [];
  const feed = {
    live: true,
    mark: () => version,
    unchanged: (m: number) => feed.live && m === version,
    onNotify: (h: (p: string) => void) => { notify.push(h); },
    onLost: (h: () => void) => { lost.push(h); },
    waitFor: async () => true,
    barrier: async () => true,
    close: async () => {},
    /** A change committed elsewhere. */
    emit(payload: string) { version++; for (const h of notify) h(payload); },
    lose() { feed.live = false; version++; for (const h of lost) h(); },
  };
  return feed satisfies ChangeFeed & object;
}

const counting = (value: string, expiresAt?: number) => {
  const read = Object.assign(async () => { read.calls++; return { value, expiresAt }; }, { calls: 0 });
  return read;
};

describe('NotifiedCache', () => {
  it('answers from memory while the feed is live, until the key is notified', async () => {
    const feed = fakeFeed();
    const cache = new NotifiedCache<string>(feed, { maxEntries: 10, maxAgeMs: 60_000 });
    const read = counting('v1');
    expect(await cache.get('session:a', read)).toBe('v1');
    expect(await cache.get('session:a', read)).toBe('v1');
    expect(read.calls).toBe(1);
    feed.emit('session:a');
    await cache.get('session:a', read);
    expect(read.calls).toBe(2);
  });

  it('does not keep a value read while any change was notified (it may predate the change)', async () => {
    const feed = fakeFeed();
    const cache = new NotifiedCache<string>(feed, { maxEntries: 10, maxAgeMs: 60_000 });
    let calls = 0;
    const racing = async () => { calls++; feed.emit('session:a'); return { value: 'stale?' }; };
    expect(await cache.get('session:a', racing)).toBe('stale?');
    await cache.get('session:a', racing);
    expect(calls).toBe(2);
  });

  it('reads through while the feed is down, and forgets everything when it is lost', async () => {
    const feed = fakeFeed();
    const cache = new NotifiedCache<string>(feed, { maxEntries: 10, maxAgeMs: 60_000 });
    const read = counting('v');
    await cache.get('k', read);
    feed.lose();
    expect(cache.size).toBe(0);
    await cache.get('k', read);
    await cache.get('k', read);
    expect(read.calls).toBe(3);
    expect(cache.size).toBe(0);
  });

  it('keeps nothing past its expiry, and at most maxEntries', async () => {
    const feed = fakeFeed();
    const cache = new NotifiedCache<string>(feed, { maxEntries: 2, maxAgeMs: 60_000 });
    const expired = counting('old', Date.now() - 1);
    await cache.get('a', expired);
    await cache.get('a', expired);
    expect(expired.calls).toBe(2);
    for (const k of ['x', 'y', 'z']) await cache.get(k, counting(k));
    expect(cache.size).toBe(2);
  });

  it('drops the entries a notice names through staleOn, and only those', async () => {
    const feed = fakeFeed();
    const cache = new NotifiedCache<{ user: string }>(feed, {
      maxEntries: 10, maxAgeMs: 60_000,
      staleOn: (p) => (p.startsWith('user:') ? (_k, v) => `user:${v.user}` === p : undefined),
    });
    await cache.get('session:1', async () => ({ value: { user: 'u1' } }));
    await cache.get('session:2', async () => ({ value: { user: 'u2' } }));
    feed.emit('user:u1');
    expect(cache.size).toBe(1);
    const hits = await cache.getMany(['session:1', 'session:2'], async (missing) => new Map(missing.map((k) => [k, { user: 'again' }])));
    expect(hits.get('session:1')).toEqual({ user: 'again' });
    expect(hits.get('session:2')).toEqual({ user: 'u2' });
  });
});
