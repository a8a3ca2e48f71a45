// Types of the officials' consoles (workbench, supervision, governance), derived from the
// server's own TypeBox schemas: a changed field on the server breaks `tsc -p web` here instead of
// a screen at run time. `import type` only, so nothing of the server reaches the browser bundle.
import type { Static } from 'typebox';
import type * as App from '../../../src/modules/applications/schemas';
import type * as Cat from '../../../src/modules/catalog/schemas';
import type * as Gov from '../../../src/modules/governance/schemas';
import type * as Id from '../../../src/modules/identity/schemas';
import type * as Lic from '../../../src/modules/licences/schemas';
import type * as Sup from '../../../src/modules/supervision/schemas';

export type Me = Static<typeof Id.MeResult>;

// ── applications and the workbench ──
export type QueueItem = Static<typeof App.QueueItem>;
export type QueueList = Static<typeof App.QueueList>;
export type QueueQuery = Static<typeof App.QueueQuery>;
export type ApplicationDetail = Static<typeof App.ApplicationDetail>;
export type ActionBody = Static<typeof App.ActionBody>;
export type OfficialAction = ActionBody['action'];

// ── catalogue ──
export type MatterBody = Static<typeof Cat.MatterBody>;
export type MatterDefinition = Static<typeof Cat.MatterDefinition>;
export type CreateMatterBody = Static<typeof Cat.CreateMatterBody>;
export type UpdateMatterBody = Static<typeof Cat.UpdateMatterBody>;
export type MatterList = Static<typeof Cat.MatterList>;
export type MatterSummary = Static<typeof Cat.MatterSummary>;

// ── licences ──
export type LicenceTypeList = Static<typeof Lic.LicenceTypeList>;
export type LicenceType = LicenceTypeList['items'][number];
export type IssueBody = Static<typeof Lic.IssueBody>;
export type SealedLicence = Static<typeof Lic.SealedLicence>;

// ── supervision ──
export type Entity = Static<typeof Sup.Entity>;
export type EntityQuery = Static<typeof Sup.EntityQuery>;
export type GradeExplained = Static<typeof Sup.GradeExplained>;
export type SupervisionItem = Static<typeof Sup.Item>;
export type NewTask = Static<typeof Sup.NewTask>;
export type Task = Static<typeof Sup.Task>;
export type PublicDraw = Static<typeof Sup.PublicDraw>;
export type DrawSummary = Static<typeof Sup.DrawSummary>;
export type DrawVerify = Static<typeof Sup.DrawVerify>;
export type Inspection = Static<typeof Sup.Inspection>;
export type InspectionResult = Static<typeof Sup.InspectionResult>;
export type PublicResult = Static<typeof Sup.PublicResult>;
export type ListEntry = Static<typeof Sup.ListEntry>;
export type Repair = Static<typeof Sup.Repair>;
export type RepairDecision = Static<typeof Sup.RepairDecision>;
export type GradeLetter = Entity['grade'] & string;
export type EvidenceItem = Static<typeof Sup.EvidenceItem>;

// ── supervision configuration (rules, grade policy, repair periods, restrictions, history) ──
// supervision/schemas.ts builds these unions with `.map(Type.Literal)`, which Static<> reads as
// `never`, so they are spelled out here (as SIGNALS, REPAIR_SUBJECTS and PERIODS_PER_YEAR in the
// server's config-admin.ts and schedules.ts; importing those would pull server code into this
// type-check). A value the server no longer knows is refused with 400, not silently stored.
export type GradeSignal = 'failed_inspections' | 'penalties' | 'serious_penalties' | 'abnormal_listed' | 'serious_listed' | 'complaints' | 'platform_complaints' | 'false_commitments';
export type RepairSubject = 'penalty:minor' | 'penalty:ordinary' | 'penalty:serious' | 'list:abnormal' | 'list:serious';
export type PeriodsPerYear = 1 | 2 | 3 | 4 | 6 | 12;
export type GradeRule = Static<typeof Sup.GradeRule>;
export type NewGradeRule = Omit<Static<typeof Sup.NewGradeRule>, 'signal'> & { signal: GradeSignal };
export type GradeRulePatch = Static<typeof Sup.GradeRulePatch>;
export type GradeRuleChanged = Static<typeof Sup.GradeRuleChanged>;
export type GradePolicy = Static<typeof Sup.GradePolicy>;
export type VersionedGradePolicy = Static<typeof Sup.VersionedGradePolicy>;
export type GradePolicySet = Static<typeof Sup.GradePolicySet>;
export type RepairPeriod = Static<typeof Sup.RepairPeriod>;
export type RepairPeriodSet = Static<typeof Sup.RepairPeriodSet>;
export type Restriction = Static<typeof Sup.Restriction>;
export type NewRestriction = Static<typeof Sup.NewRestriction>;
export type RestrictionPatch = Static<typeof Sup.RestrictionPatch>;
export type ConfigChange = Static<typeof Sup.ConfigChange>;
export type ConfigHistoryQuery = Static<typeof Sup.ConfigHistoryQuery>;
export type ConfigKind = ConfigChange['kind'];

// ── standing schedules ──
export type NewSchedule = Omit<Static<typeof Sup.NewSchedule>, 'periodsPerYear'> & { periodsPerYear: PeriodsPerYear };
export type Schedule = Static<typeof Sup.Schedule>;
export type SchedulePlan = Static<typeof Sup.SchedulePlan>;
export type ScheduleRun = Static<typeof Sup.ScheduleRun>;

// ── governance ──
export type EventCategory = Static<typeof Gov.Category>;
export type GovEvent = Static<typeof Gov.EventView>;
export type EventQuery = Static<typeof Gov.EventQuery>;
export type ReportBody = Static<typeof Gov.ReportBody>;
export type StepBody = Static<typeof Gov.StepBody>;
export type StepPath = Static<typeof Gov.StepParams>['action'];
export type Dashboard = Static<typeof Gov.DashboardView>;
export type HouseholdStats = Static<typeof Gov.HouseholdStats>;
export type OverdueGroups = Static<typeof Gov.OverdueGroups>;
export type RegionItem = Static<typeof Id.RegionItem>;

export interface Items<T> {
  items: T[];
}
