/**
 * Parsing tree imports: CSV (`code,parent_code,level,name` with a header row; RFC 4180 quoting)
 * and GeoJSON (a FeatureCollection whose features carry `code`, `parentCode`, `level`, `name` in
 * their properties and, optionally, a Polygon/MultiPolygon outline). Every bad row is named.
 */
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import type { UnitInput } from './tree-service.js';
import { unitLevel, type UnitLevel } from './units.js';

export type ImportRow = UnitInput & { line: number; code: string };

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i += 1; continue; }
      field += ch; i += 1; continue;
    }
    if (ch === '"' && field === '') { quoted = true; i += 1; continue; }
    if (ch === ',') { row.push(field); field = ''; i += 1; continue; }
    if (ch === '\r' || ch === '\n') {
      row.push(field); field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch; i += 1;
  }
  if (quoted) throw new AppError('VALIDATION_FAILED', 'The CSV ends inside a quoted field', [{ path: '$.content', message: 'unterminated quote' }]);
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const LEVELS: UnitLevel[] = ['grid', 'building', 'household'];

function checkRow(line: number, code: string, parentCode: string, level: string, name: string, errors: ErrorDetail[]): ImportRow | undefined {
  const shape = unitLevel(code);
  const isArea = shape === 'community';
  if (!shape) { errors.push({ path: `$[${line}]`, message: `${code} is not a unit code` }); return undefined; }
  if (!isArea && (!LEVELS.includes(level as UnitLevel) || shape !== level)) { errors.push({ path: `$[${line}]`, message: `level must match the code (${shape})` }); return undefined; }
  if (!isArea && !name.trim()) { errors.push({ path: `$[${line}]`, message: 'name is required' }); return undefined; }
  if (!isArea && (!code.startsWith(parentCode) || code === parentCode)) { errors.push({ path: `$[${line}]`, message: `code must extend parent_code ${parentCode}` }); return undefined; }
  return { line, code, parentCode, level: (isArea ? 'grid' : level) as UnitLevel, name: name.trim() };
}

export function rowsFromCsv(text: string): ImportRow[] {
  const [header, ...body] = parseCsv(text);
  const cols = header?.map((h) => h.trim().toLowerCase()) ?? [];
  const at = (name: string) => cols.indexOf(name);
  if (['code', 'parent_code', 'level', 'name'].some((c) => at(c) < 0)) {
    throw new AppError('VALIDATION_FAILED', 'The CSV header must name code, parent_code, level and name', [{ path: '$.content', message: 'bad header' }]);
  }
  const errors: ErrorDetail[] = [];
  const rows = body.map((r, i) => checkRow(i + 2, (r[at('code')] ?? '').trim(), (r[at('parent_code')] ?? '').trim(), (r[at('level')] ?? '').trim(), r[at('name')] ?? '', errors));
  if (errors.length) throw new AppError('VALIDATION_FAILED', 'Some CSV rows are not valid (paths are line numbers)', errors);
  return rows as ImportRow[];
}

export function rowsFromGeoJson(text: string): ImportRow[] {
  let doc: { type?: unknown; features?: unknown };
  try { doc = JSON.parse(text); } catch { throw new AppError('VALIDATION_FAILED', 'The GeoJSON is not well-formed JSON', [{ path: '$.content', message: 'not JSON' }]); }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new AppError('VALIDATION_FAILED', 'The GeoJSON must be a FeatureCollection', [{ path: '$.content', message: 'not a FeatureCollection' }]);
  }
  const errors: ErrorDetail[] = [];
  const rows = doc.features.map((f: { properties?: Record<string, unknown>; geometry?: unknown }, i: number) => {
    const p = f?.properties ?? {};
    const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string).trim() : '');
    const row = checkRow(i, str('code'), str('parentCode'), str('level'), str('name'), errors);
    return row && f.geometry ? { ...row, geometry: f.geometry } : row;
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', 'Some features are not valid (paths are feature indexes)', errors);
  return rows as ImportRow[];
}
