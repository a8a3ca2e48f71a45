// Whose application this is, seen by the person looking at it: one I filed for someone who
// granted me 代办 ("您替 张三 办理"), one filed in my company's name, or one of mine that a
// relative or a counter clerk filed for me ("由 李四 代办"). The API gives the applicant's id
// and who did each step (the timeline's actor); the applicant's name is their verified value
// in the filed form, found through the matter's prefill fields.
import type { Application, Matter, MeResponse } from '../api/types';

export type Party =
  | { kind: 'filed-by'; name: string }
  | { kind: 'filed-for'; name?: string }
  | { kind: 'company'; name: string };

function formValue(app: Application, matter: Matter | undefined, source: string): string | undefined {
  const field = matter?.formFields.find((f) => f.prefill === source);
  return field ? app.form[field.key] || undefined : undefined;
}

export function applicationParty(app: Application, me: MeResponse, matter: Matter | undefined): Party | null {
  if (app.applicant.kind === 'company') {
    const name = me.company?.id === app.applicant.id ? me.company.name : formValue(app, matter, 'companyName');
    return name ? { kind: 'company', name } : null;
  }
  if (me.person?.id !== app.applicant.id) return { kind: 'filed-for', name: formValue(app, matter, 'name') };
  // Mine: who created it? Its first step (submit or draft) names them.
  const created = app.timeline.find((e) => e.fromStatus === null);
  return created && created.actor !== me.user.displayName ? { kind: 'filed-by', name: created.actor } : null;
}
