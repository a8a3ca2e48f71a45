/**
 * Dashboard data per region or grid: events by category and status, overdue rate, average
 * time to close, satisfaction; and the overdue/warning counts per department or grid. Event
 * counts are never broken down below the grid, so they cannot point at a household.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { unitLevel } from './units.js';

const OPEN = sql`closed_at IS NULL AND status NOT IN ('rejected', 'merged')`;
const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface Dashboard {
  region: string; from: string | null; to: string | null; total: number;
  byCategory: { key: string; count: number }[]; byStatus: { key: string; count: number }[];
  byGrid: { key: string; count: number }[];
  open: number; overdue: number; overdueRate: number | null; closed: number; averageHoursToClose: number | null;
  satisfaction: { ratings: number; average: number | null; distribution: { rating: number; count: number }[] };
}

export class DashboardService {
  constructor(private readonly db: Executor) {}

  private scope(actor: Actor | undefined, region: string | undefined): string {
    const a = requirePermission(actor, 'governance:handle');
    const r = region ?? a.regionCode;
    if (!r) throw new AppError('VALIDATION_FAILED', 'Name a region', [{ in: 'querystring', path: '$.region', message: 'is required' }]);
    const level = unitLevel(r);
    if (level === 'building' || level === 'household') throw new AppError('STATISTICS_TOO_FINE', 'Dashboards stop at the grid');
    authorize(a, { regionCode: r }, { permission: 'governance:handle', allowAgent: false });
    return r;
  }

  async dashboard(actor: Actor | undefined, q: { region?: string; from?: string; to?: string }, now = new Date()): Promise<Dashboard> {
    const region = this.scope(actor, q.region);
    const where = sql.join([
      sql`region_code LIKE ${likePrefix(scopePrefix(region))}`,
      ...(q.from ? [sql`created_at >= ${new Date(q.from)}`] : []),
      ...(q.to ? [sql`created_at < ${new Date(q.to)}`] : []),
    ], sql` AND `);
    const group = (expr: ReturnType<typeof sql>) => sql<{ key: string; count: number }>`
      SELECT ${expr} AS key, count(*)::int AS count FROM gov_events WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1`.execute(this.db).then((r) => r.rows);
    const [byCategory, byStatus, byGrid, totals, ratings] = await Promise.all([
      group(sql`category_code`), group(sql`status`),
      group(sql`coalesce(substring(region_code from '^[0-9]{12}G[0-9]+'), region_code)`),
      sql<{ total: number; open: number; overdue: number; closed: number; avg_hours: number | null }>`
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE ${OPEN})::int AS open,
               count(*) FILTER (WHERE ${OPEN} AND (resolve_due_at < ${now} OR (accepted_at IS NULL AND accept_due_at < ${now})))::int AS overdue,
               count(*) FILTER (WHERE status IN ('closed', 'rated'))::int AS closed,
               avg(extract(epoch FROM closed_at - created_at) / 3600) FILTER (WHERE status IN ('closed', 'rated'))::float8 AS avg_hours
        FROM gov_events WHERE ${where}`.execute(this.db).then((r) => r.rows[0]!),
      sql<{ rating: number; count: number }>`SELECT rating, count(*)::int AS count FROM gov_events WHERE ${where} AND rating IS NOT NULL GROUP BY 1 ORDER BY 1`
        .execute(this.db).then((r) => r.rows),
    ]);
    const rated = ratings.reduce((s, r) => s + r.count, 0);
    return {
      region, from: q.from ?? null, to: q.to ?? null, total: totals.total, byCategory, byStatus, byGrid,
      open: totals.open, overdue: totals.overdue, overdueRate: totals.open ? round(totals.overdue / totals.open) : null,
      closed: totals.closed, averageHoursToClose: totals.avg_hours === null ? null : round(totals.avg_hours),
      satisfaction: { ratings: rated, average: rated ? round(ratings.reduce((s, r) => s + r.rating * r.count, 0) / rated) : null, distribution: ratings },
    };
  }

  /** Open, warning and overdue counts per department or grid. */
  async overdueGroups(actor: Actor | undefined, q: { region?: string; groupBy: 'department' | 'grid' }, now = new Date()) {
    const region = this.scope(actor, q.region);
    const key = q.groupBy === 'department' ? sql`coalesce(department, '(none)')` : sql`coalesce(substring(handling_region from '^[0-9]{12}G[0-9]+'), handling_region)`;
    const rows = await sql<{ key: string; overdue: number; warning: number; open: number }>`
      SELECT ${key} AS key,
             count(*) FILTER (WHERE resolve_due_at < ${now} OR (accepted_at IS NULL AND accept_due_at < ${now}))::int AS overdue,
             count(*) FILTER (WHERE warn_at <= ${now} AND resolve_due_at >= ${now} AND NOT (accepted_at IS NULL AND accept_due_at < ${now}))::int AS warning,
             count(*)::int AS open
      FROM gov_events WHERE ${OPEN} AND region_code LIKE ${likePrefix(scopePrefix(region))}
      GROUP BY 1 ORDER BY 2 DESC, 1`.execute(this.db);
    return { asOf: now.toISOString(), groupBy: q.groupBy, groups: rows.rows };
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
