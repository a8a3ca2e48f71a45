/**
 * Unit codes below a 社区 and the geometry to place a point in a unit. Codes append to their
 * parent's: 330106002051 (社区) + G01 (网格) + B01 (楼栋) + H0101 (户), so level, parent and grid
 * are read off the code itself.
 */
export type UnitLevel = 'grid' | 'building' | 'household';

const UNIT_CODE = /^(\d{12})(G\d{2,3})?(B\d{2,4})?(H\d{2,6})?$/;

export function unitLevel(code: string): UnitLevel | 'community' | null {
  const m = UNIT_CODE.exec(code);
  if (!m) return null;
  if (m[4]) return m[3] && m[2] ? 'household' : null;
  if (m[3]) return m[2] ? 'building' : null;
  if (m[2]) return 'grid';
  return 'community';
}

/** The grid a unit belongs to (the unit itself for a grid), or undefined above grid level. */
export function gridOf(code: string): string | undefined {
  return /^\d{12}G\d{2,3}/.exec(code)?.[0];
}

export function buildingOf(code: string): string | undefined {
  return /^\d{12}G\d{2,3}B\d{2,4}/.exec(code)?.[0];
}

/** The next level up, following the region tree up to the province (12 → 9 → 6 digits → city → province). */
export function parentRegion(code: string): string | undefined {
  const m = /^(.*?)([GBH]\d+)$/.exec(code);
  if (m) return m[1];
  if (/^\d{12}$/.test(code)) return code.slice(0, 9);
  if (/^\d{9}$/.test(code)) return code.slice(0, 6);
  if (/^\d{6}$/.test(code)) {
    if (!code.endsWith('00')) return `${code.slice(0, 4)}00`;
    if (!code.endsWith('0000')) return `${code.slice(0, 2)}0000`;
  }
  return undefined;
}

/** The code at `level` that contains `code`, or undefined if `code` is coarser. */
export function ancestorAt(code: string, level: 'household' | 'building' | 'grid' | 'community'): string | undefined {
  switch (level) {
    case 'household': return unitLevel(code) === 'household' ? code : undefined;
    case 'building': return buildingOf(code);
    case 'grid': return gridOf(code);
    case 'community': return /^\d{12}/.exec(code)?.[0];
  }
}

// ── Geometry (GeoJSON, WGS-84 lon/lat) ──────────────────────────────────────────────────────

export type Ring = [number, number][];
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Ring[][] }
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd test: inside the outer ring and not inside any hole. */
export function containsPoint(g: AreaGeometry, lon: number, lat: number): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.some(([outer, ...holes]) => !!outer && inRing(outer, lon, lat) && !holes.some((h) => inRing(h, lon, lat)));
}

export function boundingBox(g: AreaGeometry): { min_lon: number; min_lat: number; max_lon: number; max_lat: number } {
  const points = (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()).flat();
  return {
    min_lon: Math.min(...points.map((p) => p[0])), max_lon: Math.max(...points.map((p) => p[0])),
    min_lat: Math.min(...points.map((p) => p[1])), max_lat: Math.max(...points.map((p) => p[1])),
  };
}

/** A GeoJSON polygon or multipolygon with closed rings of valid lon/lat, or an error message. */
export function checkGeometry(g: unknown): AreaGeometry | string {
  const geo = g as { type?: unknown; coordinates?: unknown };
  if (!geo || (geo.type !== 'Polygon' && geo.type !== 'MultiPolygon')) return 'geometry must be a Polygon or MultiPolygon';
  const polygons = (geo.type === 'Polygon' ? [geo.coordinates] : geo.coordinates) as unknown[];
  if (!Array.isArray(polygons) || polygons.length === 0) return 'geometry has no coordinates';
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) return 'a polygon has no rings';
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          return 'a position is not [lon, lat] in range';
        }
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) return 'a ring is not closed';
    }
  }
  return geo as AreaGeometry;
}
