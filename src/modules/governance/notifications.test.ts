/**
 * Warnings before expiry are pushed: when an event's warning time comes, the grid responsible
 * and the department it goes to find a warning in their inbox — once, however often the job
 * runs — and nobody else does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING, DEMO_GRID } from '../../seed/demo-identity.js';
import { DEMO_HANDLER, DEMO_HOUSEHOLD } from '../../seed/demo-governance.js';
import { step } from './test-support.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const EVENTS = '/api/v1/governance/events';
const INBOX = '/api/v1/governance/notifications';
const leak = { categoryCode: 'water_leak', description: '楼道水管渗水，需检修', regionCode: DEMO_BUILDING, householdCode: DEMO_HOUSEHOLD };

const inbox = async (as: string, query = '') => {
  const res = await t.call('GET', `${INBOX}${query}`, { as });
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{ id: string; eventId: string; audience: string; recipient: string; read: boolean; dueAt: string }>;
};
const about = (items: Awaited<ReturnType<typeof inbox>>, eventId: string) => items.filter((n) => n.eventId === eventId);
const push = (at: Date) => t.services.governance.notifications.pushWarnings(at);

describe('warnings before expiry', () => {
  it('reach the grid and the department once, at warning time and not before', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: leak })).json();
    const reportedAt = new Date(ev.reportedAt).getTime();
    const dueAt = new Date(ev.promisedBy).getTime();

    // Just after the report nothing is due yet.
    await push(new Date(reportedAt + 60_000));
    expect(about(await inbox('grid1'), ev.id)).toEqual([]);

    // A minute before the deadline the warning time (the last 20 %) has long come. The job runs
    // twice, once more concurrently with itself: still one warning per inbox.
    const late = new Date(dueAt - 60_000);
    await push(late);
    await Promise.all([push(late), push(new Date(dueAt - 30_000))]);

    const forGrid = about(await inbox('grid1'), ev.id);
    expect(forGrid).toHaveLength(1);
    expect(forGrid[0]).toMatchObject({ audience: 'unit', recipient: DEMO_GRID, read: false, dueAt: ev.promisedBy });
    const forDepartment = about(await inbox('handler1'), ev.id);
    expect(forDepartment).toHaveLength(1);
    expect(forDepartment[0]).toMatchObject({ audience: 'department', recipient: DEMO_HANDLER.department });

    // Another district's official sees neither; a resident has no inbox.
    expect(about(await inbox('official2'), ev.id)).toEqual([]);
    expect((await t.call('GET', INBOX, { as: 'citizen1' })).statusCode).toBe(403);
    expect((await t.call('GET', INBOX)).statusCode).toBe(401);
  });

  it('is read per person: grid1 marking it read leaves it unread for the department', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, description: '二楼管井漏水' } })).json();
    await push(new Date(new Date(ev.promisedBy).getTime() - 60_000));
    const [mine] = about(await inbox('grid1', '?unread=true'), ev.id);
    expect(mine).toBeDefined();

    // Someone outside the inbox cannot touch it, nor learn that it exists.
    expect((await t.call('POST', `${INBOX}/${mine!.id}/read`, { as: 'official2' })).statusCode).toBe(404);
    const read = await t.call('POST', `${INBOX}/${mine!.id}/read`, { as: 'grid1' });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: mine!.id, read: true });
    expect(about(await inbox('grid1', '?unread=true'), ev.id)).toEqual([]);
    expect(about(await inbox('grid1'), ev.id)[0]!.read).toBe(true);
    expect(about(await inbox('handler1', '?unread=true'), ev.id)).toHaveLength(1);
  });

  it('skips events closed before their warning time', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, description: '误报：已自行修好' } })).json();
    expect((await step(t, 'grid1', ev.id, 'reject', { notes: '居民已自行修复' })).statusCode).toBe(200);
    await push(new Date(new Date(ev.promisedBy).getTime() - 60_000));
    expect(about(await inbox('grid1'), ev.id)).toEqual([]);
    expect(about(await inbox('handler1'), ev.id)).toEqual([]);
  });

  it('refuses a malformed id or cursor with 400', async () => {
    expect((await t.call('POST', `${INBOX}/not-a-uuid/read`, { as: 'grid1' })).statusCode).toBe(400);
    expect((await t.call('GET', `${INBOX}?after=%%%`, { as: 'grid1' })).statusCode).toBe(400);
    expect((await t.call('GET', `${INBOX}?unread=maybe`, { as: 'grid1' })).statusCode).toBe(400);
  });
});
