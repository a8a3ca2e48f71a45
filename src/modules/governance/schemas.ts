/** TypeBox schemas of the governance API (shared with web/). */
import { Type, type Static } from 'typebox';
import { DateTimeString, Nullable, Obj, PageQuery, RegionCode, Uuid, Version } from '../../platform/http/schemas.js';
import { EVENT_STATUSES } from './lifecycle.js';

const Lit = <const T extends readonly string[]>(values: T) => Type.Enum([...values] as T[number][]);
const Str = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const LimitUnit = Lit(['hours', 'working_days'] as const);
export const Status = Lit(EVENT_STATUSES);

export const Category = Obj({
  code: Type.String(), name: Type.String(), description: Type.String(), group: Type.String(),
  urgency: Lit(['urgent', 'ordinary', 'complex'] as const), public: Type.Boolean(),
  acceptLimit: Type.Integer(), acceptUnit: LimitUnit, resolveLimit: Type.Integer(), resolveUnit: LimitUnit,
  warnPercent: Type.Integer(), defaultDepartment: Nullable(Type.String()), version: Type.Integer(),
});
export const CategoryList = Obj({ items: Type.Array(Category) });
export const CategoryParams = Obj({ code: Type.String({ pattern: '^[a-z0-9_]{1,40}$' }) });
export const CategoryUpdate = Obj({
  version: Version,
  acceptLimit: Type.Integer({ minimum: 1, maximum: 1000 }), acceptUnit: LimitUnit,
  resolveLimit: Type.Integer({ minimum: 1, maximum: 1000 }), resolveUnit: LimitUnit,
  warnPercent: Type.Integer({ minimum: 1, maximum: 99 }),
  defaultDepartment: Type.Optional(Nullable(Str(100))),
});

const PhotoIds = Type.Array(Uuid, { maxItems: 9 });

export const ReportBody = Obj({
  categoryCode: Str(40), description: Str(2000, 2),
  regionCode: Type.Optional(RegionCode), lat: Type.Optional(Lat), lon: Type.Optional(Lon),
  address: Type.Optional(Str(200)), householdCode: Type.Optional(RegionCode), photoIds: Type.Optional(PhotoIds),
});

export const Step = Obj({
  id: Uuid, action: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Type.String(), actor: Type.String(),
  notes: Nullable(Type.String()), detail: Type.Object({}, { additionalProperties: true }), at: Type.String(),
});
export const Photo = Obj({ id: Uuid, mime: Type.String(), sizeBytes: Type.Integer(), createdAt: Type.String(), stepId: Nullable(Uuid) });

export const EventView = Obj({
  id: Uuid, categoryCode: Type.String(), description: Type.String(), status: Status, openClosed: Lit(['open', 'closed'] as const),
  regionCode: Type.String(), handlingRegion: Type.String(), householdCode: Nullable(Type.String()),
  lat: Nullable(Type.Number()), lon: Nullable(Type.Number()), address: Nullable(Type.String()),
  channel: Type.String(), department: Nullable(Type.String()),
  reportedAt: Type.String(), acceptDueAt: Type.String(), promisedBy: Type.String({ description: 'The time the resident is promised a resolution' }),
  deadlineState: Lit(['on_time', 'warning', 'overdue', 'done'] as const),
  acceptedAt: Nullable(Type.String()), closedAt: Nullable(Type.String()),
  overdueSince: Nullable(Type.String({ description: 'When the overdue sweep first found it past its deadline' })), reworkCount: Type.Integer(), escalations: Type.Integer(),
  rating: Nullable(Type.Integer()), ratingComment: Nullable(Type.String()), followUpDueAt: Nullable(Type.String()),
  mergedInto: Nullable(Uuid), version: Type.Integer(),
  steps: Type.Optional(Type.Array(Step)), photos: Type.Optional(Type.Array(Photo)),
});
export const EventList = Obj({ items: Type.Array(EventView), nextCursor: Type.Optional(Type.String()) });
export const EventQuery = Obj({
  ...PageQuery, region: Type.Optional(RegionCode), status: Type.Optional(Status), category: Type.Optional(Str(40)),
  overdue: Type.Optional(Type.Boolean()), warning: Type.Optional(Type.Boolean()), department: Type.Optional(Str(100)),
});

/** A warning pushed to a grid's or a department's inbox before an event's deadline. */
export const Notification = Obj({
  id: Uuid, kind: Lit(['warning'] as const), audience: Lit(['unit', 'department'] as const), recipient: Type.String(),
  eventId: Uuid, categoryCode: Type.String(), description: Type.String(), status: Type.String(), handlingRegion: Type.String(),
  department: Nullable(Type.String()), dueAt: Type.String(), createdAt: Type.String(), read: Type.Boolean(),
});
export const NotificationList = Obj({ items: Type.Array(Notification), nextCursor: Type.Optional(Type.String()) });
export const NotificationQuery = Obj({ ...PageQuery, unread: Type.Optional(Type.Boolean()) });

export const STEP_PATHS = ['accept', 'verify', 'file', 'dispatch', 'handle', 'check-pass', 'check-fail', 'close', 'rate', 'reject', 'merge'] as const;
export const StepParams = Obj({ id: Uuid, action: Lit(STEP_PATHS) });
export const StepBody = Obj({
  version: Version, notes: Type.Optional(Str(2000)), photoIds: Type.Optional(PhotoIds),
  department: Type.Optional(Str(100)), rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(Str(500)), intoEventId: Type.Optional(Uuid),
});
export const EscalateBody = Obj({ version: Version, notes: Str(2000, 2) });

export const OverdueQuery = Obj({ region: Type.Optional(RegionCode), groupBy: Lit(['department', 'grid'] as const) });
export const OverdueGroups = Obj({
  asOf: DateTimeString, groupBy: Type.String(),
  groups: Type.Array(Obj({ key: Type.String(), overdue: Type.Integer(), warning: Type.Integer(), open: Type.Integer() })),
});

export const PhotoCreated = Obj({ id: Uuid, mime: Type.String(), sizeBytes: Type.Integer() });

export type ReportBodyT = Static<typeof ReportBody>;
export type EventViewT = Static<typeof EventView>;

const MinUnit = Lit(['household', 'building', 'grid', 'community', 'excluded'] as const);
export const HouseholdPrivacy = Obj({
  householdCode: Type.String(), minUnit: MinUnit, elderlyCareVisits: Type.Boolean(), phoneCalls: Type.Boolean(),
  doorVisits: Type.Boolean(), note: Nullable(Type.String()), version: Type.Integer(), updatedAt: Type.String(),
});
export const HouseholdList = Obj({ items: Type.Array(HouseholdPrivacy) });
export const HouseholdParams = Obj({ code: RegionCode });
export const PrivacyBody = Obj({
  version: Version, minUnit: MinUnit, elderlyCareVisits: Type.Boolean(), phoneCalls: Type.Boolean(), doorVisits: Type.Boolean(),
  note: Type.Optional(Str(200)),
});
export const PurposeQuery = Obj({ purpose: Str(200, 2) });
export const HouseholdForGrid = Obj({ privacy: HouseholdPrivacy, memberCount: Type.Integer() });
export const MemberBody = Obj({ residentId: Str(32) });

export const StatsQuery = Obj({ region: RegionCode, by: Lit(['household', 'building', 'grid', 'community'] as const) });
export const HouseholdStats = Obj({
  region: Type.String(), by: Type.String(), k: Type.Integer(), excludedByChoice: Nullable(Type.Integer()),
  cells: Type.Array(Obj({
    unit: Type.String(), suppressed: Type.Boolean(), households: Nullable(Type.Integer()),
    measures: Obj({ elderlyCareVisits: Nullable(Type.Integer()) }),
  })),
});

const KeyCount = Obj({ key: Type.String(), count: Type.Integer() });
export const DashboardQuery = Obj({ region: Type.Optional(RegionCode), from: Type.Optional(DateTimeString), to: Type.Optional(DateTimeString) });
export const DashboardView = Obj({
  region: Type.String(), from: Nullable(Type.String()), to: Nullable(Type.String()), total: Type.Integer(),
  byCategory: Type.Array(KeyCount), byStatus: Type.Array(KeyCount), byGrid: Type.Array(KeyCount),
  open: Type.Integer(), overdue: Type.Integer(), overdueRate: Nullable(Type.Number()), closed: Type.Integer(),
  averageHoursToClose: Nullable(Type.Number()),
  satisfaction: Obj({ ratings: Type.Integer(), average: Nullable(Type.Number()), distribution: Type.Array(Obj({ rating: Type.Integer(), count: Type.Integer() })) }),
});

const UnitLevelLit = Lit(['grid', 'building', 'household'] as const);
export const UnitBody = Obj({ parentCode: RegionCode, level: UnitLevelLit, name: Str(100), code: Type.Optional(RegionCode) });
export const UnitCreated = Obj({ code: Type.String() });
export const MoveBody = Obj({ code: RegionCode, newParentCode: RegionCode, note: Type.Optional(Str(500)) });
export const MergeBody = Obj({ sources: Type.Array(RegionCode, { minItems: 1, maxItems: 50 }), target: RegionCode, note: Type.Optional(Str(500)) });
export const SplitBody = Obj({
  code: RegionCode, note: Type.Optional(Str(500)),
  parts: Type.Array(Obj({ name: Str(100), children: Type.Array(RegionCode, { maxItems: 500 }) }), { minItems: 2, maxItems: 20 }),
});
export const CodeMap = Obj({ codeMap: Type.Record(Type.String(), Type.String()) });
export const ImportBody = Obj({ within: RegionCode, format: Lit(['csv', 'geojson'] as const), content: Type.String({ minLength: 1, maxLength: 900_000 }) });
export const ImportResult = Obj({ created: Type.Array(Type.String()), areas: Type.Array(Type.String()), unchanged: Type.Array(Type.String()) });
export const HistoryQuery = Obj({ code: RegionCode, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
export const HistoryList = Obj({
  items: Type.Array(Obj({ id: Uuid, action: Type.String(), codeMap: Type.Record(Type.String(), Type.String()), note: Nullable(Type.String()), actorUserId: Nullable(Type.String()), at: Type.String() })),
});
export const GridParams = Obj({ code: RegionCode });
export const WorkerParams = Obj({ code: RegionCode, username: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) });
export const WorkerBody = Obj({ username: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) });
export const WorkerList = Obj({ items: Type.Array(Obj({ userId: Uuid, gridCode: Type.String(), assignedAt: Type.String() })) });
