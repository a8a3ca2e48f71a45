/**
 * The supervision module's public face (互联网+监管): one object holding the parts, each in its
 * own file, and the two methods other modules call — the joint-discipline check at application
 * time and the scheduling of a 告知承诺 follow-up after an approval on commitment.
 */
import type { Executor } from '../../platform/db/database.js';
import { Catalogue } from './catalogue.js';
import { SupervisionConfig } from './config-admin.js';
import { Draws } from './draws.js';
import { EntityRegistry } from './entities.js';
import { Evidence } from './evidence.js';
import { FollowUps, type FollowUpSettings } from './followups.js';
import { Grading } from './grading.js';
import { Inspections } from './inspections.js';
import { Lists, type Applicant, type DisciplineRestriction, type FastTrack } from './lists.js';
import { CreditRepair } from './repair.js';
import { Schedules } from './schedules.js';
import type { SupervisionDeps } from './context.js';

export type { Applicant, DisciplineRestriction, FastTrack };

export class SupervisionService {
  readonly entities: EntityRegistry;
  readonly catalogue: Catalogue;
  readonly grading: Grading;
  readonly draws: Draws;
  readonly inspections: Inspections;
  readonly evidence: Evidence;
  readonly lists: Lists;
  readonly followUps: FollowUps;
  readonly repair: CreditRepair;
  readonly config: SupervisionConfig;
  readonly schedules: Schedules;

  constructor(deps: SupervisionDeps, settings: { followUp?: FollowUpSettings } = {}) {
    this.entities = new EntityRegistry(deps);
    this.catalogue = new Catalogue(deps);
    this.grading = new Grading(deps);
    this.draws = new Draws(deps, this.catalogue, this.grading);
    this.evidence = new Evidence(deps);
    this.inspections = new Inspections(deps, this.catalogue, this.grading, this.evidence);
    this.lists = new Lists(deps, this.grading);
    this.followUps = new FollowUps(deps, this.lists, this.grading, settings.followUp);
    this.repair = new CreditRepair(deps, this.lists, this.grading);
    this.config = new SupervisionConfig(deps, this.grading);
    this.schedules = new Schedules(deps, this.draws, this.grading);
  }

  /**
   * For the applications module at submit time: the restriction that refuses this fast track
   * (告知承诺 = 'commitment', 容缺受理 = 'tolerance') for this applicant, with the reason and
   * the list entry, or null. The caller answers 422 JOINT_DISCIPLINE — or calls
   * `assertFastTrackAllowed`, which throws exactly that.
   */
  fastTrackRestriction(applicant: Applicant, fastTrack: FastTrack, context?: { department?: string; matterCode?: string }, db?: Executor): Promise<DisciplineRestriction | null> {
    return this.lists.fastTrackRestriction(applicant, fastTrack, context, db);
  }

  assertFastTrackAllowed(applicant: Applicant, fastTrack: FastTrack, context?: { department?: string; matterCode?: string }, db?: Executor): Promise<void> {
    return this.lists.assertFastTrackAllowed(applicant, fastTrack, context, db);
  }

  /** Whether an application from this applicant needs extra review (a listed entity). */
  extraReviewRequired(applicant: Applicant, db?: Executor): Promise<boolean> {
    return this.lists.extraReviewRequired(applicant, db);
  }

  /** For the applications module when it approves on commitment: schedules the follow-up check. */
  scheduleCommitmentFollowUp(input: { applicant: Applicant; applicationId: string; matterCode: string; department: string; approvedAt: Date }) {
    return this.followUps.schedule(input);
  }
}
