/**
 * Warnings before expiry, pushed: the job `governance.warnings` writes, once per event, a
 * notification to the level responsible for it (the grid, or where it was escalated) and to its
 * department when its warning time comes; staff read them in their inbox. Who reads which inbox
 * is decided here: a unit's inbox by staff whose account region is that unit or grid workers
 * assigned to it, a department's by its staff who handle events.
 */
import type { Executor } from '../../platform/db/database.js';
import type { Keyset } from '../../platform/db/keyset.js';
import { AppError } from '../../platform/errors.js';
import { hasPermission, requireActor, type Actor } from '../../platform/access/policy.js';
import { NotificationsRepository, type Inboxes, type NotificationRow } from './notifications-repository.js';

/** Events warned per statement: bounded so one run never holds many row locks at once. */
const WARN_BATCH = 1_000;

export class NotificationsService {
  private readonly repo = new NotificationsRepository();
  constructor(private readonly db: Executor) {}

  /** Writes every warning that is due; returns how many events were warned. Idempotent. */
  async pushWarnings(now = new Date()): Promise<number> {
    let warned = 0;
    for (;;) {
      const { events } = await this.repo.pushWarnings(this.db, now, WARN_BATCH);
      warned += events;
      if (events < WARN_BATCH) return warned;
    }
  }

  private async inboxes(a: Actor): Promise<Inboxes> {
    const handles = hasPermission(a, 'governance:handle');
    if (!handles && !hasPermission(a, 'governance:report')) throw new AppError('FORBIDDEN', 'Notifications are for grid workers and officials');
    const units = new Set<string>(a.regionCode ? [a.regionCode] : []);
    if (a.roles.includes('grid_worker')) for (const g of await this.repo.assignedGrids(this.db, a.userId)) units.add(g);
    return { units: [...units], department: handles ? a.department : undefined };
  }

  async inbox(actor: Actor | undefined, opts: { unread?: boolean; limit: number; before?: Keyset }): Promise<NotificationRow[]> {
    const a = requireActor(actor);
    return this.repo.list(this.db, a.userId, await this.inboxes(a), opts);
  }

  /** Marks one of the caller's notifications read; someone else's is 404, like one that does not exist. */
  async markRead(actor: Actor | undefined, id: string): Promise<NotificationRow> {
    const a = requireActor(actor);
    const inboxes = await this.inboxes(a);
    const [row] = await this.repo.list(this.db, a.userId, inboxes, { id, limit: 1 });
    if (!row) throw new AppError('NOT_FOUND');
    await this.repo.markRead(this.db, id, a.userId);
    return { ...row, read: true };
  }
}
