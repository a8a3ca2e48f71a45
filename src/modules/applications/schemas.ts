/** Request and response shapes of the applications API. */
import { Type } from 'typebox';
import { DateString, Nullable, Obj, PageQuery, RegionCode, Uuid, Version } from '../../platform/http/schemas.js';
import { MatterCode, MatterDefinition } from '../catalog/schemas.js';
import { MaterialView } from '../materials/schemas.js';
import { HeldLicence } from '../materials/schemas.js';
import { OFFICIAL_ACTIONS, STATUSES } from './transitions.js';

const Status = Type.Unsafe<(typeof STATUSES)[number]>({ type: 'string', enum: [...STATUSES] });
export const FormValues = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 60 });
export const MaterialChoice = Type.Union([
  Obj({ key: Type.String({ maxLength: 40 }), materialId: Uuid }, { description: 'Reuse (or use a just-uploaded) material of my library' }),
  Obj({ key: Type.String({ maxLength: 40 }), licenceId: Type.String({ minLength: 1, maxLength: 200 }) }, { description: 'Use one of my e-licences instead' }),
]);
const Choices = Type.Array(MaterialChoice, { maxItems: 40 });
const Applicant = {
  forCompany: Type.Optional(Type.Boolean({ description: 'Apply for my company (company agents)' })),
  onBehalfOf: Type.Optional(Type.String({ format: 'uuid', description: '代办: the person who granted me to act for them' })),
};

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,100}$', description: 'Required to submit: a retry with the same key returns the same application' })),
});
export const SubmitBody = Obj({
  matterCode: MatterCode, form: FormValues, materials: Choices, fastTrack: Type.Optional(Type.Boolean({ description: '告知承诺 where offered' })),
  draft: Type.Optional(Type.Boolean({ description: 'Save as a draft instead of submitting' })), ...Applicant,
});
export const ChangeBody = Obj({ version: Version, form: Type.Optional(FormValues), materials: Type.Optional(Choices) });
export const WithdrawBody = Obj({ version: Version, reason: Type.Optional(Type.String({ maxLength: 500 })) });
export const ActionBody = Obj({
  action: Type.Unsafe<(typeof OFFICIAL_ACTIONS)[number]>({ type: 'string', enum: [...OFFICIAL_ACTIONS] }), version: Version, reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
export const RatingBody = Obj({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) });
export const MaterialKeyParams = Obj({ id: Uuid, key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }) });
export const PrepareQuery = Obj({ matterCode: MatterCode, ...Applicant });
export const MineQuery = Obj({
  ...PageQuery, forCompany: Type.Optional(Type.Boolean()),
  filed: Type.Optional(Type.Literal('for-others', { description: 'The applications I filed for persons who authorised me (代办)' })),
});
export const QueueQuery = Obj({ ...PageQuery, status: Type.Optional(Status), due: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('near')])) });

export const QueueItem = Obj({
  id: Uuid, matterCode: Type.String(), matterName: Type.String(), status: Status, submittedAt: Nullable(Type.String()), dueOn: Nullable(Type.String()),
  workingDaysLeft: Nullable(Type.Integer()), paused: Type.Boolean(), bundleId: Nullable(Type.String()), version: Type.Integer(),
});
export const QueueList = Obj({ items: Type.Array(QueueItem), nextCursor: Type.Optional(Type.String()) });
export const MineList = Obj({
  items: Type.Array(Obj({
    ...QueueItem.properties, createdAt: Type.String(),
    filedBy: Nullable(Obj({ userId: Uuid, name: Type.String() }, { description: 'Who filed it, when not me (a relative under 代办, another agent of the company)' })),
    applicantName: Nullable(Type.String({ description: 'With filed=for-others: the person it was filed for' })),
  })),
  nextCursor: Type.Optional(Type.String()),
});

const Rectification = Obj({ id: Uuid, status: Type.String(), dueOn: Type.String(), reply: Nullable(Type.String()), repliedAt: Nullable(Type.String()) });
export const ApplicationDetail = Obj({
  ...QueueItem.properties,
  matterVersion: Type.Integer(), department: Type.String(), regionCode: Type.String(),
  applicant: Obj({ kind: Type.Union([Type.Literal('person'), Type.Literal('company')]), id: Uuid }),
  form: Type.Record(Type.String(), Type.String()),
  materials: Type.Array(Obj({
    key: Type.String(), name: Type.String(), source: Type.Union([Type.Literal('library'), Type.Literal('licence')]), materialId: Nullable(Type.String()),
    licenceId: Nullable(Type.String()), title: Type.String(), contentHash: Nullable(Type.String()), producedOn: Nullable(Type.String()),
  })),
  fastTrack: Type.Boolean(), acceptedOn: Nullable(Type.String()), pausedWorkingDays: Type.Integer(), calendarWarnings: Type.Array(Type.String()),
  result: Nullable(Type.String()), decidedAt: Nullable(Type.String()), createdAt: Type.String(),
  timeline: Type.Array(Obj({ at: Type.String(), action: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Type.String(), actor: Type.String(), reason: Nullable(Type.String()) })),
  rating: Nullable(Obj({ score: Type.Integer(), comment: Nullable(Type.String()), ratedAt: Type.String(), rectification: Nullable(Rectification) })),
});
export const SubmitResult = Obj({ application: ApplicationDetail, replayed: Type.Boolean() });

const Offer = Obj({
  key: Type.String(), name: Type.String(), required: Type.Boolean(), freshnessDays: Nullable(Type.Integer()),
  library: Type.Array(Obj({ ...MaterialView.properties, fresh: Type.Boolean(), usableUntil: Nullable(DateString) })),
  licences: Type.Array(HeldLicence),
});
export const PrepareResult = Obj({ matter: MatterDefinition, form: Type.Record(Type.String(), Type.String()), licencesAvailable: Type.Boolean(), materials: Type.Array(Offer) });

export const TaskQuery = Obj({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('replied')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
export const TaskView = Obj({
  id: Uuid, applicationId: Uuid, status: Type.String(), dueOn: Type.String(), overdue: Type.Boolean(), score: Type.Integer(),
  comment: Nullable(Type.String()), reply: Nullable(Type.String()), version: Type.Integer(),
});
export const TaskList = Obj({ items: Type.Array(TaskView) });
export const ReplyBody = Obj({ version: Version, reply: Type.String({ minLength: 2, maxLength: 2000 }) });
export const StatsQuery = Obj({ region: Type.Optional(RegionCode) });
export const StatsResult = Obj({
  items: Type.Array(Obj({
    department: Type.String(), regionCode: Type.String(), ratings: Type.Integer(), average: Type.Number(), satisfactionRate: Type.Number(),
    poor: Type.Integer(), rectified: Type.Integer(),
  })),
});

// ── 一件事 ───────────────────────────────────────────────────────────────────────────────────
export const BundleCodeParams = Obj({ code: MatterCode });
export const BundlePrepareQuery = Obj({ ...Applicant });
export const BundleSubmitBody = Obj({ form: FormValues, materials: Choices, ...Applicant });
export const BundleApplications = Obj({
  id: Uuid, code: Type.String(), name: Type.String(), createdAt: Type.String(),
  applications: Type.Array(Obj({ ...QueueItem.properties, department: Type.String() })),
});
export const BundleSubmitResult = Obj({ bundle: BundleApplications, replayed: Type.Boolean() });
export const BundlePrepareResult = Obj({
  bundle: Obj({ code: Type.String(), name: Type.String(), description: Type.String(), matterCodes: Type.Array(Type.String()) }),
  formFields: MatterDefinition.properties.formFields, form: Type.Record(Type.String(), Type.String()), materials: Type.Array(Offer),
});
