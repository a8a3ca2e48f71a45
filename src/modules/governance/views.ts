/** How governance records are shown over the API. */
import type { CategoryRow, EventRow, PhotoRow, StepRow } from './events-repository.js';
import type { NotificationRow } from './notifications-repository.js';
import { open311Status } from './lifecycle.js';
import type { EventViewT } from './schemas.js';
import { deadlineState } from './time-limits.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function categoryView(c: CategoryRow) {
  return {
    code: c.code, name: c.name, description: c.description, group: c.grp, urgency: c.urgency, public: c.public,
    acceptLimit: c.accept_limit, acceptUnit: c.accept_unit, resolveLimit: c.resolve_limit, resolveUnit: c.resolve_unit,
    warnPercent: c.warn_percent, defaultDepartment: c.default_department, version: c.version,
  };
}

export function eventView(e: EventRow, extra: { steps?: StepRow[]; photos?: PhotoRow[] } = {}, now = new Date()): EventViewT {
  return {
    id: e.id, categoryCode: e.category_code, description: e.description, status: e.status, openClosed: open311Status(e.status),
    regionCode: e.region_code, handlingRegion: e.handling_region, householdCode: e.household_code,
    lat: e.lat, lon: e.lon, address: e.address, channel: e.channel, department: e.department,
    reportedAt: e.created_at.toISOString(), acceptDueAt: e.accept_due_at.toISOString(), promisedBy: e.resolve_due_at.toISOString(),
    deadlineState: deadlineState({ closedAt: e.closed_at, acceptedAt: e.accepted_at, acceptDueAt: e.accept_due_at, resolveDueAt: e.resolve_due_at, warnAt: e.warn_at }, now),
    acceptedAt: iso(e.accepted_at), closedAt: iso(e.closed_at), overdueSince: iso(e.overdue_since), reworkCount: e.rework_count, escalations: e.escalations,
    rating: e.rating, ratingComment: e.rating_comment, followUpDueAt: iso(e.follow_up_due_at), mergedInto: e.merged_into, version: e.version,
    ...(extra.steps ? {
      steps: extra.steps.map((s) => ({
        id: s.id, action: s.action, fromStatus: s.from_status, toStatus: s.to_status, actor: s.actor_label, notes: s.notes,
        detail: s.detail, at: s.at.toISOString(),
      })),
    } : {}),
    ...(extra.photos ? { photos: extra.photos.map((p) => ({ id: p.id, mime: p.mime, sizeBytes: p.size_bytes, createdAt: p.created_at.toISOString(), stepId: p.step_id })) } : {}),
  };
}

export function notificationView(n: NotificationRow) {
  return {
    id: n.id, kind: n.kind, audience: n.audience, recipient: n.recipient, eventId: n.event_id, categoryCode: n.category_code,
    description: n.description, status: n.status, handlingRegion: n.handling_region, department: n.department,
    dueAt: n.due_at.toISOString(), createdAt: n.created_at.toISOString(), read: n.read,
  };
}
