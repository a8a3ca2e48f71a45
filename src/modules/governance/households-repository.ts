/** SQL for households' privacy choices and membership, and the counts statistics are built from. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type MinUnit = 'household' | 'building' | 'grid' | 'community' | 'excluded';
export interface PrivacyRow {
  household_code: string; min_unit: MinUnit; elderly_care_visits: boolean; phone_calls: boolean; door_visits: boolean;
  note: string | null; version: number; updated_by: string | null; updated_at: Date;
}

export class HouseholdsRepository {
  privacy(db: Executor, code: string) {
    return db.selectFrom('gov_household_privacy').selectAll().where('household_code', '=', code).executeTakeFirst() as Promise<PrivacyRow | undefined>;
  }
  insertPrivacy(db: Executor, row: Omit<PrivacyRow, 'version' | 'updated_at'>) {
    return db.insertInto('gov_household_privacy').values(row).returningAll().executeTakeFirstOrThrow() as Promise<PrivacyRow>;
  }
  updatePrivacy(db: Executor, code: string, version: number, changes: Partial<PrivacyRow>) {
    return db.updateTable('gov_household_privacy').set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('household_code', '=', code).where('version', '=', version).returningAll().executeTakeFirst() as Promise<PrivacyRow | undefined>;
  }
  /** Privacy rows of every household under a prefix (the statistics input). */
  privacyUnder(db: Executor, prefix: string) {
    return db.selectFrom('gov_household_privacy').selectAll().where('household_code', 'like', `${prefix}%`)
      .orderBy('household_code').execute() as Promise<PrivacyRow[]>;
  }

  addMember(db: Executor, householdCode: string, personId: string) {
    return db.insertInto('gov_household_members').values({ household_code: householdCode, person_id: personId }).onConflict((oc) => oc.doNothing()).execute();
  }
  members(db: Executor, householdCode: string) {
    return db.selectFrom('gov_household_members').select('person_id').where('household_code', '=', householdCode)
      .execute().then((rows) => rows.map((r) => r.person_id as string));
  }
  householdsOf(db: Executor, personId: string) {
    return db.selectFrom('gov_household_members').select('household_code').where('person_id', '=', personId)
      .execute().then((rows) => rows.map((r) => r.household_code as string));
  }
}
