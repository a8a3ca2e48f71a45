/** How applications look from outside: the applicant's timeline and the official's queue item. */
import type { WorkingDayCalendar } from '../../platform/calendar/working-days.js';
import type { ApplicationRow, EventRow, QueueRow, RatingRow, TaskRow } from './repository.js';
import { workingDaysLeft } from './transitions.js';

export function queueItem(r: QueueRow, today: string, calendar: WorkingDayCalendar) {
  return {
    id: r.id, matterCode: r.matter_code, matterName: r.matter_name, status: r.status, submittedAt: r.submitted_at?.toISOString() ?? null,
    dueOn: r.due_on, workingDaysLeft: workingDaysLeft({ dueOn: r.due_on, pausedSince: r.paused_since, status: r.status }, today, calendar),
    paused: !!r.paused_since, bundleId: r.bundle_id, version: r.version,
  };
}

export function ratingView(rating: RatingRow | undefined, task: TaskRow | undefined) {
  if (!rating) return null;
  return {
    score: rating.score, comment: rating.comment, ratedAt: rating.created_at.toISOString(),
    rectification: task ? { id: task.id, status: task.status, dueOn: task.due_on, reply: task.reply, repliedAt: task.replied_at?.toISOString() ?? null } : null,
  };
}

export function detail(r: ApplicationRow, events: EventRow[], rating: ReturnType<typeof ratingView>, today: string, calendar: WorkingDayCalendar) {
  return {
    ...queueItem(r, today, calendar),
    matterVersion: r.matter_version, department: r.department, regionCode: r.region_code,
    applicant: r.applicant_person_id ? { kind: 'person' as const, id: r.applicant_person_id } : { kind: 'company' as const, id: r.applicant_company_id! },
    form: r.form,
    materials: r.materials.map((m) => ({ key: m.key, name: m.name, source: m.source, materialId: m.materialId, licenceId: m.licenceId, title: m.title, contentHash: m.contentHash, producedOn: m.producedOn })),
    fastTrack: r.fast_track, acceptedOn: r.accepted_on, pausedWorkingDays: r.paused_working_days, calendarWarnings: r.calendar_warnings,
    result: r.result, decidedAt: r.decided_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
    timeline: events.map((e) => ({ at: e.at.toISOString(), action: e.action, fromStatus: e.from_status, toStatus: e.to_status, actor: e.actor_label, reason: e.reason })),
    rating,
  };
}
export type ApplicationDetail = ReturnType<typeof detail>;
