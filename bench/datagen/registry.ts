/**
 * What a module plugs into `npm run bench:data`: `bench/datagen/<area>.data.ts` exporting
 *   tables: TableGenerator[]   — synthetic rows streamed into PostgreSQL with COPY
 *   queries: PlanQuery[]       — the module's list/search/queue queries, run through its real
 *                                repository code; their plans must not scan a large table.
 */
import type { Executor } from '../../src/platform/db/database.js';
import type { NodeSecrets } from '../../src/platform/crypto/master-key.js';

/** One COPY value: null → \N, arrays → PostgreSQL array literal, Date → ISO text. */
export type CopyValue = string | number | boolean | null | Date | string[];

export interface GenContext {
  scale: number;
  /** The node's derived secrets, so encrypted and blind-indexed columns are the real thing. */
  secrets: NodeSecrets;
  /** Deterministic pseudo-random source for this run (seeded). */
  random(): number;
  /** Values one generator leaves for another (e.g. person ids for users), by name. */
  shared: Map<string, unknown>;
  /** Runs SQL on the target database (for prepare steps: reading a chain head, parent ids…). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface TableGenerator {
  table: string;
  columns: string[];
  /** Rows at `--scale 1`; the run generates round(rowsAtScale1 × scale), at least 1. */
  rowsAtScale1: number;
  /** Tables whose generators must run first (foreign keys, shared values). */
  after?: string[];
  /** Called once before the first row. */
  prepare?(ctx: GenContext, rows: number): Promise<void>;
  /** Row `i` (0-based) as values in `columns` order. */
  row(i: number, ctx: GenContext): CopyValue[];
}

export interface PlanQuery {
  name: string;
  /** Tables that are large at scale: a Seq Scan on one of them fails the check. */
  largeTables: string[];
  /**
   * Runs the real repository/service code once on `db`; every SELECT it issues is captured and
   * EXPLAINed. `sample` gives values that exist in the generated data (an id, a code…).
   */
  run(db: Executor, sample: (name: string) => Promise<string>): Promise<unknown>;
}

export interface DataModule { tables?: TableGenerator[]; queries?: PlanQuery[] }
