/**
 * Whether staff cover a unit: by the region on their account (policy.ts's prefix test), or, for
 * a grid worker, by a live assignment to the unit's grid — so an official can put a worker on a
 * second grid (cover for a colleague, a merged grid) without changing the worker's account.
 */
import type { Executor } from '../../platform/db/database.js';
import { hasPermission, type Actor, type Permission } from '../../platform/access/policy.js';
import { isWithinRegion } from '../../platform/access/region-scope.js';
import { TreeRepository } from './tree-repository.js';
import { gridOf } from './units.js';

export class GridScope {
  private readonly repo = new TreeRepository();
  constructor(private readonly db: Executor) {}

  async covers(a: Actor, code: string, permission: Permission, db: Executor = this.db): Promise<boolean> {
    if (!hasPermission(a, permission)) return false;
    if (a.roles.includes('admin') || isWithinRegion(code, a.regionCode)) return true;
    const grid = gridOf(code);
    if (!grid || !a.roles.includes('grid_worker')) return false;
    return this.repo.isAssigned(db, grid, a.userId);
  }
}
