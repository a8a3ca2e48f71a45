/** HTTP for the notification inbox of grid workers and departments (warnings before expiry). */
import { decodeKeyset, encodeKeyset } from '../../platform/db/keyset.js';
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { GovernanceService } from './service.js';
import * as S from './schemas.js';
import { notificationView } from './views.js';

const BASE = '/api/v1/governance/notifications';
const tags = ['governance'];

export async function governanceNotificationRoutes(app: HttpServer, { governance }: { governance: GovernanceService }) {
  const { notifications } = governance;

  app.get(BASE, {
    schema: { tags, summary: "My grid's and department's notifications (warnings before expiry), newest first", querystring: S.NotificationQuery, response: { 200: S.NotificationList } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const before = decodeKeyset(req.query.after);
    const rows = await notifications.inbox(req.actor, { unread: req.query.unread, limit: limit + 1, before });
    const page = rows.slice(0, limit);
    return { items: page.map(notificationView), ...(rows.length > limit ? { nextCursor: encodeKeyset({ micros: page[page.length - 1]!.keyset_us!, id: page[page.length - 1]!.id }) } : {}) };
  });

  app.post(`${BASE}/:id/read`, {
    schema: { tags, summary: 'Mark a notification read (for me; others sharing the inbox still see it unread)', params: IdParams, response: { 200: S.Notification } },
  }, async (req) => notificationView(await notifications.markRead(req.actor, req.params.id)));
}
