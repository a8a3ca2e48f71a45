/**
 * Unified social credit code, GB 32100-2015: registration authority, entity type, 6-digit
 * region, 9-char organisation code (GB 11714, with its own check char) and a MOD 31 check char.
 */
import type { CheckResult } from './resident-id.js';
import { provinceName } from './regions.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const NATIONAL_REGION = '100000';

/** Registration authorities and the entity types each defines (GB 32100 annex). */
const AUTHORITIES: Record<string, { name: string; types: Record<string, string> }> = {
  '1': { name: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': { name: '司法行政', types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { name: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { name: '市场监督管理', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  'A': { name: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  'N': { name: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  'Y': { name: '其他', types: {} },
};

export interface UsccInfo {
  registrationAuthority: string;
  registrationAuthorityName: string;
  entityType: string;
  entityTypeName: string;
  regionCode: string;
  organizationCode: string;
}

export function organizationCodeCheckChar(first8: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = first8[i]!;
    const v = /\d/.test(ch) ? Number(ch) : /[A-Z]/.test(ch) ? ch.charCodeAt(0) - 55 : NaN;
    if (Number.isNaN(v)) return undefined;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return ALPHABET[c === 31 ? 0 : c]!;
}

export function checkUscc(input: string): CheckResult<UsccInfo> {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return { valid: false, errors: [`must be 18 characters, got ${value.length}`] };
  const bad = [...value].filter((ch) => !ALPHABET.includes(ch));
  if (bad.length) {
    return { valid: false, errors: [`contains characters outside the code alphabet (no I, O, S, V, Z): ${[...new Set(bad)].join(' ')}`] };
  }
  const errors: string[] = [];
  const authority = AUTHORITIES[value[0]!];
  if (!authority) errors.push(`registration authority ${value[0]} is not defined`);
  const typeName = authority?.types[value[1]!];
  if (authority && Object.keys(authority.types).length && !typeName) {
    errors.push(`entity type ${value[1]} is not defined for authority ${value[0]}`);
  }
  const regionCode = value.slice(2, 8);
  // 100000 is the country itself: bodies registered at national level (ministries, central
  // enterprises; the State Council General Office is 11100000000013338W) carry it instead of a
  // province's code.
  if (!/^\d{6}$/.test(regionCode) || (regionCode !== NATIONAL_REGION && !provinceName(regionCode.slice(0, 2)))) errors.push(`region code ${regionCode} is not valid`);
  const org = value.slice(8, 17);
  const orgCheck = organizationCodeCheckChar(org.slice(0, 8));
  if (orgCheck !== org[8]) errors.push(`organisation code ${org} has check character ${org[8]}, expected ${orgCheck ?? '?'}`);
  const expected = usccCheckChar(value);
  if (value[17] !== expected) errors.push(`check character is ${value[17]}, expected ${expected}`);
  if (errors.length) return { valid: false, errors };
  return {
    valid: true,
    errors: [],
    info: {
      registrationAuthority: value[0]!,
      registrationAuthorityName: authority!.name,
      entityType: value[1]!,
      entityTypeName: typeName ?? '其他',
      regionCode,
      organizationCode: org,
    },
  };
}
