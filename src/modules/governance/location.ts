/**
 * Where an event is: a known unit of the tree (by code), a point inside a unit's recorded area,
 * or both (then the point must lie in the unit's area, or in its nearest ancestor's that has one).
 */
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { IdentityService } from '../identity/service.js';
import { TreeRepository } from './tree-repository.js';
import { containsPoint, parentRegion, unitLevel, type AreaGeometry } from './units.js';

export interface Placed { regionCode: string; lat: number | null; lon: number | null }

export class LocationResolver {
  private readonly tree = new TreeRepository();
  constructor(private readonly identity: Pick<IdentityService, 'unitByCode'>) {}

  /** A live unit below a 社区 (grid, building or household). */
  async requireUnit(code: string, db?: Executor): Promise<{ code: string; name: string; level: string }> {
    const level = unitLevel(code);
    const unit = level && level !== 'community' ? await this.identity.unitByCode(code, db) : undefined;
    if (!unit || (unit as { retired_at?: Date | null }).retired_at) {
      throw new AppError('UNIT_UNKNOWN', `No live grid, building or household has code ${code}`, [{ path: '$.regionCode', message: 'unknown unit' }]);
    }
    return unit;
  }

  async place(db: Executor, input: { regionCode?: string; lat?: number; lon?: number }): Promise<Placed> {
    const hasPoint = input.lat !== undefined && input.lon !== undefined;
    if ((input.lat === undefined) !== (input.lon === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Give both latitude and longitude, or neither', [{ path: '$.lat', message: 'needs lon too' }]);
    }
    if (input.regionCode) {
      await this.requireUnit(input.regionCode, db);
      if (hasPoint) {
        const area = await this.nearestArea(db, input.regionCode);
        if (area && !containsPoint(area.geometry as AreaGeometry, input.lon!, input.lat!)) {
          throw new AppError('LOCATION_OUT_OF_AREA', `The point is outside the recorded area of ${area.code}`, [{ path: '$.lat', message: 'outside the unit' }]);
        }
      }
      return { regionCode: input.regionCode, lat: input.lat ?? null, lon: input.lon ?? null };
    }
    if (!hasPoint) throw new AppError('VALIDATION_FAILED', 'Give a unit code or a location', [{ path: '$.regionCode', message: 'or lat/lon is required' }]);
    const code = await this.unitAt(db, input.lon!, input.lat!);
    if (!code) throw new AppError('LOCATION_OUT_OF_AREA', 'The point is not inside any community or grid this node serves', [{ path: '$.lat', message: 'outside the served area' }]);
    return { regionCode: code, lat: input.lat!, lon: input.lon! };
  }

  /** The smallest unit whose area contains the point. */
  async unitAt(db: Executor, lon: number, lat: number): Promise<string | undefined> {
    const areas = await this.tree.areasAround(db, lon, lat);
    return areas.filter((a) => containsPoint(a.geometry as AreaGeometry, lon, lat))
      .map((a) => a.code).sort((a, b) => b.length - a.length)[0];
  }

  private async nearestArea(db: Executor, code: string) {
    for (let c: string | undefined = code; c; c = parentRegion(c)) {
      const area = await this.tree.area(db, c);
      if (area) return area;
    }
    return undefined;
  }
}
