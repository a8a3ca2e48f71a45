/** Request and response schemas of the supervision API (TypeBox; unknown properties rejected). */
import { Type, type TSchema } from 'typebox';
import { DateString, DateTimeString, Nullable, Obj, RegionCode, Uuid, Version } from '../../platform/http/schemas.js';

const Str = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
export const GradeLiteral = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')]);
export const EntityKind = Type.Union([Type.Literal('company'), Type.Literal('individual'), Type.Literal('micro_seller'), Type.Literal('sharing_economy'), Type.Literal('rental_apartment')]);
export const ListKind = Type.Union([Type.Literal('abnormal'), Type.Literal('serious')]);
export const Items = <T extends TSchema>(item: T) => Obj({ items: Type.Array(item) });
export const Limit = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) };

export const NewEntity = Obj({
  kind: EntityKind, name: Str(200), regionCode: RegionCode, uscc: Type.Optional(Str(18, 18)), address: Type.Optional(Str(300)),
  platformCode: Type.Optional(Str(64)), shopId: Type.Optional(Str(128)),
});
export const Entity = Obj({
  id: Uuid, kind: EntityKind, name: Type.String(), uscc: Nullable(Type.String()), regionCode: Type.String(), address: Nullable(Type.String()),
  platform: Nullable(Type.String()), shopId: Nullable(Type.String()), status: Type.String(), grade: Nullable(GradeLiteral), version: Type.Integer(),
});
export const EntityQuery = Obj({ ...Limit, regionCode: Type.Optional(RegionCode), kind: Type.Optional(EntityKind), grade: Type.Optional(GradeLiteral), after: Type.Optional(Uuid) });
export const GradeExplained = Obj({
  entityId: Uuid, grade: GradeLiteral, score: Type.Integer(), computedAt: Type.String(),
  fired: Type.Array(Obj({ code: Type.String(), ruleVersion: Type.Optional(Type.Integer({ description: 'Version of the rule when it fired (see config-history)' })), description: Type.String(), value: Type.Number(), points: Type.Integer() })),
});
export const GradePolicy = Obj({ grade: GradeLiteral, ratio: Type.Number({ minimum: 0, maximum: 1 }), perYear: Type.Integer({ minimum: 0, maximum: 365 }), minScore: Type.Integer({ minimum: 0 }) });
export const VersionedGradePolicy = Obj({ items: Type.Array(GradePolicy), version: Type.Integer(), updatedAt: Type.String() });

export const NewPlatform = Obj({ code: Type.String({ pattern: '^[a-z0-9-]{2,64}$' }), name: Str(200), regionCode: RegionCode });
export const PlatformCreated = Obj({ id: Uuid, code: Type.String(), name: Type.String(), apiKey: Type.String({ description: 'Shown once; only its SM3 is kept' }) });
export const PlatformBatch = Obj({
  batchId: Str(100), period: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
  reports: Type.Array(Obj({
    shopId: Str(128), listings: Type.Integer({ minimum: 0 }), complaints: Type.Integer({ minimum: 0 }), salesVolume: Type.Number({ minimum: 0 }),
  }), { minItems: 1, maxItems: 5000 }),
});
export const BatchAccepted = Obj({ batchId: Type.String(), platform: Type.String(), accepted: Type.Integer() });
export const Recusal = Obj({ reason: Str(500) });
export const RecusalView = Obj({ entityId: Uuid, inspectorId: Uuid, reason: Type.String() });

const FormField = Obj({ key: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,63}$' }), label: Str(200), type: Type.Union([Type.Literal('boolean'), Type.Literal('text'), Type.Literal('number')]) });
const GradeRatio = Obj({ ratio: Type.Number({ minimum: 0, maximum: 1 }), perYear: Type.Integer({ minimum: 0, maximum: 365 }) });
const ItemGradePolicy = Obj({ A: Type.Optional(GradeRatio), B: Type.Optional(GradeRatio), C: Type.Optional(GradeRatio), D: Type.Optional(GradeRatio) });
export const NewItem = Obj({
  code: Type.String({ pattern: '^[A-Za-z0-9-]{2,64}$' }), name: Str(200), department: Str(200), regionCode: RegionCode, legalBasis: Str(1000), checks: Str(2000),
  form: Type.Array(FormField, { minItems: 1, maxItems: 100 }), gradePolicy: Type.Optional(ItemGradePolicy),
});
export const Item = Obj({
  id: Uuid, code: Type.String(), name: Type.String(), department: Type.String(), regionCode: Type.String(), legalBasis: Type.String(), checks: Type.String(),
  form: Type.Array(FormField), gradePolicy: Type.Optional(ItemGradePolicy), version: Type.Integer(),
});
export const ItemQuery = Obj({ department: Type.Optional(Str(200)), regionCode: Type.Optional(RegionCode) });

const Ratios = Obj({ A: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), B: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), C: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), D: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) });
export const NewTask = Obj({
  name: Str(200), regionCode: RegionCode, itemIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }), ratios: Type.Optional(Ratios),
  inspectorsPerEntity: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
});
export const Task = Obj({
  id: Uuid, name: Type.String(), regionCode: Type.String(), departments: Type.Array(Type.String()), itemIds: Type.Array(Uuid),
  ratios: Obj({ A: Type.Number(), B: Type.Number(), C: Type.Number(), D: Type.Number() }), inspectorsPerEntity: Type.Integer(), joint: Type.Boolean(),
  scheduleId: Type.Optional(Nullable(Uuid)), period: Type.Optional(Nullable(Type.String({ description: "A schedule's period, e.g. 2026-3/4" }))), version: Type.Integer(),
  draw: Nullable(Obj({ id: Uuid, status: Type.String(), seedCommitment: Type.String(), committedAt: Type.String(), revealedAt: Nullable(Type.String()) })),
});

/** The public draw record, exactly as the issue publishes it. */
export const PublicDraw = Obj({
  id: Uuid, seedCommitment: Type.String(), seed: Type.String(),
  strata: Type.Array(Obj({ name: Type.String(), count: Type.Integer(), candidates: Type.Array(Type.String()) })),
  inspectorPool: Type.Array(Type.String()),
  recused: Type.Array(Obj({ entityId: Type.String(), inspectorId: Type.String() })),
  selected: Type.Array(Obj({ entityId: Type.String(), stratum: Type.String(), inspectors: Type.Array(Type.String()) })),
});
export const DrawSummary = Obj({
  id: Uuid, taskName: Type.String(), regionCode: Type.String(), departments: Type.Array(Type.String()), seedCommitment: Type.String(),
  revealedAt: Type.String(), selectedCount: Type.Integer(),
});
export const DrawListQuery = Obj({ ...Limit, before: Type.Optional(DateTimeString) });
export const DrawVerify = Obj({ ok: Type.Boolean(), checks: Type.Array(Obj({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) })) });

const Answer = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()]);
/** Evidence travels inside the result: a phone photo (up to 8 MiB, base64 a third longer) each. */
export const EVIDENCE_FILE_BASE64_CHARS = Math.ceil((8 * 1_048_576) / 3) * 4;
/** The result route's body limit: several such photos with the result around them. */
export const INSPECTION_RESULT_BODY_LIMIT = 24 * 1_048_576;
export const InspectionResult = Obj({
  submissionId: Uuid, inspectedAt: DateTimeString, answers: Type.Record(Type.String({ maxLength: 64 }), Answer),
  outcome: Type.Union([Type.Literal('pass'), Type.Literal('rectify'), Type.Literal('penalty')]),
  rectifyBy: Type.Optional(DateString),
  penalty: Type.Optional(Obj({ severity: Type.Union([Type.Literal('minor'), Type.Literal('ordinary'), Type.Literal('serious')]), decision: Str(2000) })),
  summary: Str(2000),
  evidence: Type.Optional(Type.Array(Obj({ name: Str(200), mediaType: Type.String({ pattern: '^[a-z]+/[a-z0-9.+-]+$', maxLength: 100 }), contentBase64: Type.String({ maxLength: EVIDENCE_FILE_BASE64_CHARS, pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'At most 8 MiB a file (a phone photo)' }),
    personal: Type.Optional(Type.Boolean({ description: 'Whether the file shows personal data (faces, ID documents…); default true. Only non-personal evidence of a published result is public.' })) }), { maxItems: 10 })),
});
export const Inspection = Obj({
  id: Uuid, taskId: Uuid, drawId: Nullable(Uuid), entityId: Uuid, entityName: Type.String(),
  itemIds: Type.Array(Uuid, { description: "The task's supervision items: the result answers these items' forms" }),
  inspectors: Type.Array(Uuid), status: Type.String(),
  inspectedAt: Nullable(Type.String()), outcome: Nullable(Type.String()), rectifyBy: Nullable(Type.String()), summary: Nullable(Type.String()),
  answers: Nullable(Type.Record(Type.String(), Answer)), publishDue: Nullable(Type.String()), publishedAt: Nullable(Type.String()),
  overdue: Type.Boolean(), version: Type.Integer(),
});
export const InspectionQuery = Obj({ ...Limit, status: Type.Optional(Type.Union([Type.Literal('assigned'), Type.Literal('recorded'), Type.Literal('published')])), overdue: Type.Optional(Type.Boolean()) });
export const PublicResult = Obj({
  id: Uuid, entityId: Uuid, entityName: Type.String(), uscc: Nullable(Type.String()), task: Type.String(), departments: Type.Array(Type.String()), drawId: Nullable(Uuid),
  outcome: Type.String(), rectifyBy: Nullable(Type.String()), summary: Type.String(), inspectedAt: Type.String(), publishDue: Type.String(), publishedAt: Type.String(), late: Type.Boolean(),
});
export const ResultQuery = Obj({ ...Limit, entityId: Type.Optional(Uuid) });
export const VersionBody = Obj({ version: Version });

export const NewListEntry = Obj({ entityId: Uuid, list: ListKind, reason: Str(1000), legalBasis: Str(1000) });
export const ListExit = Obj({ reason: Str(1000), version: Version });
export const ListEntry = Obj({
  id: Uuid, entityId: Uuid, entityName: Type.String(), uscc: Nullable(Type.String()), list: ListKind, listName: Type.String(), reason: Type.String(),
  legalBasis: Type.String(), department: Type.String(), enteredAt: Type.String(), exitedAt: Nullable(Type.String()), exitReason: Nullable(Type.String()), version: Type.Integer(),
});
export const ListQuery = Obj({ ...Limit, list: Type.Optional(ListKind) });
export const DisciplineCheck = Obj({
  applicant: Obj({ companyId: Type.Optional(Uuid), uscc: Type.Optional(Str(18, 18)), personId: Type.Optional(Uuid) }, { minProperties: 1 }),
  fastTrack: Type.Union([Type.Literal('commitment'), Type.Literal('tolerance')]),
  department: Type.Optional(Str(200)), matterCode: Type.Optional(Str(100)),
});
export const DisciplineAnswer = Obj({ restricted: Type.Boolean(), restriction: Type.Optional(Type.String()), reason: Type.Optional(Type.String()), listEntry: Type.Optional(ListEntry) });

export const FollowUp = Obj({
  id: Uuid, entityId: Uuid, applicationId: Type.String(), matterCode: Type.String(), department: Type.String(), approvedAt: Type.String(), dueDate: Type.String(),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('truthful'), Type.Literal('false')]), finding: Nullable(Type.String()), version: Type.Integer(),
});
export const FollowUpQuery = Obj({ ...Limit, status: Type.Optional(Type.Union([Type.Literal('scheduled'), Type.Literal('truthful'), Type.Literal('false')])) });
export const FollowUpResult = Obj({ truthful: Type.Boolean(), finding: Str(2000), version: Version });

export const RepairApply = Obj({ targetKind: Type.Union([Type.Literal('penalty'), Type.Literal('list')]), targetId: Uuid, correction: Str(2000) });
export const RepairDecision = Obj({ approve: Type.Boolean(), note: Str(1000), version: Version });
export const Repair = Obj({
  id: Uuid, entityId: Uuid, targetKind: Type.String(), targetId: Uuid, department: Type.String(), correction: Type.String(), status: Type.String(),
  appliedAt: Type.String(), decidedAt: Nullable(Type.String()), decisionNote: Nullable(Type.String()), version: Type.Integer(),
});
export const PublicPenalty = Obj({
  id: Uuid, entityId: Uuid, entityName: Type.String(), uscc: Nullable(Type.String()), severity: Type.String(), decision: Type.String(), department: Type.String(), decidedAt: Type.String(),
});
export const EvidenceItem = Obj({
  id: Uuid, name: Type.String(), mediaType: Type.String(), sm3: Type.String({ description: 'SM3 of the file as uploaded, lowercase hex' }), size: Type.Integer(),
  personal: Type.Boolean(), createdAt: Type.String(),
});

// ── configuration (grading rules, repair periods, restrictions) ──
const Reason = Type.String({ minLength: 2, maxLength: 1000, description: 'Why the change is made; kept in the history' });
const Signal = Type.Union(['failed_inspections', 'penalties', 'serious_penalties', 'abnormal_listed', 'serious_listed', 'complaints', 'platform_complaints', 'false_commitments'].map((s) => Type.Literal(s)));
export const RuleCode = Obj({ code: Type.String({ pattern: '^[a-z0-9-]{2,64}$' }) });
export const GradeRule = Obj({
  code: Type.String(), signal: Type.String(), threshold: Type.Number(), points: Type.Integer(), description: Type.String(), enabled: Type.Boolean(),
  version: Type.Integer(), updatedAt: Type.String(),
});
export const NewGradeRule = Obj({
  code: Type.String({ pattern: '^[a-z0-9-]{2,64}$' }), signal: Signal, threshold: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  points: Type.Integer({ minimum: -1000, maximum: 1000 }), description: Str(500), enabled: Type.Optional(Type.Boolean()), reason: Reason,
});
export const GradeRulePatch = Obj({
  threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })), points: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
  description: Type.Optional(Str(500)), enabled: Type.Optional(Type.Boolean()), version: Version, reason: Reason,
});
export const GradeRuleChanged = Obj({ rule: GradeRule, regraded: Type.Integer({ description: 'Entities whose grade was recomputed with the change' }) });
export const RepairSubject = Type.Union(['penalty:minor', 'penalty:ordinary', 'penalty:serious', 'list:abnormal', 'list:serious'].map((s) => Type.Literal(s)));
export const RepairPeriod = Obj({ subject: Type.String(), months: Type.Integer(), version: Type.Integer(), updatedAt: Type.String() });
export const RepairPeriodParams = Obj({ subject: RepairSubject });
export const RepairPeriodSet = Obj({ months: Type.Integer({ minimum: 0, maximum: 36 }), version: Version, reason: Reason });
export const GradePolicySet = Obj({ items: Type.Array(GradePolicy, { minItems: 4, maxItems: 4 }), version: Version, reason: Reason });
const RestrictionKind = Type.Union([Type.Literal('no_commitment'), Type.Literal('no_tolerance'), Type.Literal('extra_review')]);
export const Restriction = Obj({
  id: Uuid, list: Type.String(), department: Type.String(), matterCode: Type.String(), restriction: Type.String(), regionCode: Nullable(Type.String()),
  active: Type.Boolean(), version: Type.Integer(), updatedAt: Type.String(),
});
export const NewRestriction = Obj({
  list: ListKind, department: Str(200), matterCode: Str(100), restriction: RestrictionKind, regionCode: Type.Optional(RegionCode), reason: Reason,
});
export const RestrictionPatch = Obj({ active: Type.Boolean(), version: Version, reason: Reason });
export const RestrictionQuery = Obj({ department: Type.Optional(Str(200)), active: Type.Optional(Type.Boolean()) });
const ConfigKind = Type.Union([Type.Literal('grade_rule'), Type.Literal('repair_period'), Type.Literal('restriction'), Type.Literal('grade_policy')]);
export const ConfigHistoryQuery = Obj({ ...Limit, kind: Type.Optional(ConfigKind), key: Type.Optional(Str(100)) });
export const ConfigChange = Obj({
  kind: ConfigKind, key: Type.String(), version: Type.Integer(), before: Nullable(Type.Record(Type.String(), Type.Unknown())), after: Type.Record(Type.String(), Type.Unknown()),
  reason: Type.String(), changedBy: Type.String({ description: "The user's id, or system:… for a project default" }),
  changedByName: Nullable(Type.String({ description: 'Their display name (null for the system)' })), changedAt: Type.String(),
});

// ── standing schedules (grade-driven frequency) ──
const GradeCounts = Obj({ A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), D: Type.Integer() });
export const NewSchedule = Obj({
  name: Str(200), regionCode: RegionCode, itemIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }),
  periodsPerYear: Type.Union([1, 2, 3, 4, 6, 12].map((n) => Type.Literal(n)), { description: 'Periods a year, each with one task' }),
  inspectorsPerEntity: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
});
export const Schedule = Obj({
  id: Uuid, name: Type.String(), regionCode: Type.String(), itemIds: Type.Array(Uuid), periodsPerYear: Type.Integer(), inspectorsPerEntity: Type.Integer(),
  active: Type.Boolean(), version: Type.Integer(),
});
export const SchedulePlanQuery = Obj({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2999 })) });
export const SchedulePlan = Obj({
  schedule: Schedule, year: Type.Integer(),
  grades: Type.Array(Obj({ grade: GradeLiteral, entities: Type.Integer(), ratio: Type.Number(), perYear: Type.Integer(), inspectionsPerYear: Type.Integer() })),
  periods: Type.Array(Obj({
    period: Type.String(), startsOn: Type.String(), ratios: Obj({ A: Type.Number(), B: Type.Number(), C: Type.Number(), D: Type.Number() }),
    expected: GradeCounts, taskId: Nullable(Uuid),
  })),
});
export const ScheduleRun = Obj({ period: Type.String(), created: Type.Boolean(), taskId: Nullable(Uuid) });
