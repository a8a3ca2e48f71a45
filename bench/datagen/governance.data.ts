/**
 * Synthetic 基层治理 events (1,000,000 at scale 1; a tenth still open, some overdue) and the
 * listings a grid worker and the dashboard run, which must stay index-driven at that size.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { EventsRepository } from '../../src/modules/governance/events-repository.js';
import { NotificationsRepository } from '../../src/modules/governance/notifications-repository.js';
import { rollbackOnly } from './plans.js';
import { DEMO_GRID } from '../../src/seed/demo-identity.js';
import type { GenContext, PlanQuery, TableGenerator } from './registry.js';

const CATEGORIES = ['water_leak', 'street_light', 'road_damage', 'garbage'];
const CLOSED = ['closed', 'rated', 'rejected'];
const OPEN = ['reported', 'accepted', 'verified', 'filed', 'dispatched', 'handled', 'checked'];
const HOUR = 3600_000;

const pick = <T>(ctx: GenContext, items: readonly T[]): T => items[Math.floor(ctx.random() * items.length)]!;

const events: TableGenerator = {
  table: 'gov_events',
  columns: ['id', 'category_code', 'description', 'status', 'region_code', 'handling_region', 'channel', 'accept_due_at', 'resolve_due_at', 'warn_at',
    'accepted_at', 'closed_at', 'created_at', 'updated_at', 'lat', 'lon'],
  rowsAtScale1: 1_000_000,
  row(i, ctx) {
    const open = ctx.random() < 0.1;
    // Closed events over two years; open ones from the last fortnight (some past their deadline).
    const created = Date.now() - Math.floor(ctx.random() * (open ? 14 : 730) * 86400_000);
    // Grids under the demo street and a few others: handling regions are grid codes or region codes.
    const grid = `${DEMO_GRID.slice(0, -2)}${String(Math.floor(ctx.random() * 60)).padStart(2, '0')}`;
    const resolveDue = created + 7 * 24 * HOUR;
    return [
      randomUUID(), pick(ctx, CATEGORIES), `合成事件 ${i}`, open ? pick(ctx, OPEN) : pick(ctx, CLOSED), grid, grid, pick(ctx, ['app', 'grid', 'hotline', 'open311']),
      new Date(created + 24 * HOUR), new Date(resolveDue), new Date(resolveDue - 30 * HOUR),
      new Date(created + 2 * HOUR), open ? null : new Date(created + 3 * 24 * HOUR), new Date(created), new Date(created),
      // Points over a few square kilometres of 西湖区, so nearby-duplicate look-ups find neighbours.
      30.25 + ctx.random() * 0.03, 120.13 + ctx.random() * 0.04,
    ];
  },
};

export const tables: TableGenerator[] = [events];

const repo = new EventsRepository();
const notifications = new NotificationsRepository();

export const queries: PlanQuery[] = [
  { name: 'events.grid-list', largeTables: ['gov_events'], run: (db) => repo.listEvents(db, { handlingPrefix: DEMO_GRID, limit: 51 }) },
  { name: 'events.recent', largeTables: ['gov_events'], run: (db) => repo.listEvents(db, { limit: 51 }) },
  {
    name: 'events.next-page', largeTables: ['gov_events'],
    run: async (db, sample) => {
      const [micros, id] = (await sample(`SELECT (extract(epoch from created_at) * 1000000)::bigint::text || '|' || id FROM gov_events ORDER BY created_at DESC OFFSET 500 LIMIT 1`)).split('|');
      return repo.listEvents(db, { limit: 51, before: { micros: micros!, id: id! } });
    },
  },
  { name: 'events.overdue', largeTables: ['gov_events'], run: (db) => repo.listEvents(db, { overdue: true, limit: 51 }) },
  { name: 'events.warning', largeTables: ['gov_events'], run: (db) => repo.listEvents(db, { warning: true, limit: 51 }) },
  // The two jobs, which write: their statements are captured, then rolled back.
  { name: 'events.overdue-sweep', largeTables: ['gov_events'], run: (db) => rollbackOnly(db as Kysely<any>, (trx) => repo.sweepOverdueBatch(trx, new Date(), 10_000).execute()) },
  { name: 'events.warning-push', largeTables: ['gov_events'], run: (db) => rollbackOnly(db as Kysely<any>, (trx) => notifications.pushWarnings(trx, new Date(), 1_000)) },
  { name: 'events.duplicates-nearby', largeTables: ['gov_events'], run: async (db, sample) => {
    const [event] = await repo.listEvents(db, { ids: [await sample(`SELECT id::text FROM gov_events WHERE closed_at IS NULL AND lat IS NOT NULL LIMIT 1`)], limit: 1 });
    return repo.duplicateCandidates(db, event!, new Date(Date.now() - 7 * 86400_000), 200);
  } },
];
