/**
 * Demo identities per CONTRACT.md: real region names and codes, identifiers with valid check
 * characters (verified by the identity tests), one password for all: Tongban#2026.
 */
import type { Executor } from '../platform/db/database.js';
import type { Role } from '../platform/access/policy.js';
import type { Services } from '../app.js';
import { residentIdCheckChar } from '../modules/identity/resident-id.js';

export const DEMO_PASSWORD = 'Tongban#2026';
const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);

export const DEMO_PEOPLE = {
  zhangsan: { name: '张三', residentId: withCheck('33010619490512001'), phone: '13805710001', regionCode: '330106' },
  lisi: { name: '李四', residentId: withCheck('31010119860315003'), phone: '13916210002', regionCode: '310101' },
  wangwu: { name: '王五', residentId: withCheck('33010619801120003'), phone: '13606810003', regionCode: '330106' },
  zhaoliu: { name: '赵六', residentId: withCheck('33010619750708004'), phone: '13757110004', regionCode: '330106' },
} as const;

export const DEMO_COMPANY = {
  uscc: '91330106MA2H7Q3C2J', name: '杭州西湖味道餐饮有限公司', legalRepresentative: '王五',
};

/** 北山街道 (330106002) 上保社区, with one grid, one building and its households. */
export const DEMO_COMMUNITY = '330106002051';
export const DEMO_GRID = `${DEMO_COMMUNITY}G01`;
export const DEMO_BUILDING = `${DEMO_GRID}B01`;

export const DEPARTMENTS = {
  xihuApproval: '西湖区行政审批局',
  huangpuApproval: '黄浦区行政服务中心',
  hangzhouData: '杭州市数据资源管理局',
  xihuMarket: '西湖区市场监督管理局',
  xihuBeishan: '北山街道办事处',
  platform: '通办平台运营中心',
} as const;

interface DemoUser {
  username: string; displayName: string; roles: Role[]; person?: keyof typeof DEMO_PEOPLE;
  company?: boolean; regionCode?: string; department?: string;
}

const USERS: DemoUser[] = [
  { username: 'citizen1', displayName: '张三', roles: ['citizen'], person: 'zhangsan' },
  { username: 'citizen2', displayName: '李四', roles: ['citizen'], person: 'lisi' },
  { username: 'company1', displayName: '王五（杭州西湖味道餐饮有限公司）', roles: ['company_agent', 'citizen'], person: 'wangwu', company: true },
  { username: 'official1', displayName: '陈审批', roles: ['official'], regionCode: '330106', department: DEPARTMENTS.xihuApproval },
  { username: 'official2', displayName: '周审批', roles: ['official'], regionCode: '310101', department: DEPARTMENTS.huangpuApproval },
  { username: 'issuer1', displayName: '吴发证', roles: ['issuer'], regionCode: '330100', department: DEPARTMENTS.hangzhouData },
  { username: 'inspector1', displayName: '郑检查', roles: ['inspector'], regionCode: '330106', department: DEPARTMENTS.xihuMarket },
  { username: 'inspector2', displayName: '冯检查', roles: ['inspector'], regionCode: '330106', department: DEPARTMENTS.xihuMarket },
  { username: 'supervisor1', displayName: '何科长', roles: ['supervisor'], regionCode: '330106', department: DEPARTMENTS.xihuMarket },
  { username: 'grid1', displayName: '孙网格', roles: ['grid_worker'], regionCode: DEMO_GRID, department: DEPARTMENTS.xihuBeishan },
  { username: 'admin', displayName: '平台管理员', roles: ['admin'], regionCode: '330000', department: DEPARTMENTS.platform },
];

export async function seedIdentityDemo(services: Services, db: Executor): Promise<void> {
  const { identity } = services;
  const personIds: Record<string, string> = {};
  for (const [key, p] of Object.entries(DEMO_PEOPLE)) {
    const row = await identity.createPerson({ ...p, assuranceLevel: 2 }, db);
    personIds[key] = row.id;
  }
  const company = await identity.createCompany(DEMO_COMPANY, db);
  for (const u of USERS) {
    await identity.createUser({
      username: u.username, password: DEMO_PASSWORD, displayName: u.displayName, roles: u.roles,
      personId: u.person ? personIds[u.person] : undefined, companyId: u.company ? company.id : undefined,
      regionCode: u.regionCode, department: u.department,
    }, db);
  }
  await identity.addUnit(undefined, { code: DEMO_GRID, parentCode: DEMO_COMMUNITY, level: 'grid', name: '上保社区第一网格' }, db);
  await identity.addUnit(undefined, { code: DEMO_BUILDING, parentCode: DEMO_GRID, level: 'building', name: '保俶路12号1幢' }, db);
  for (const room of ['0101', '0102', '0201', '0202', '0301', '0302']) {
    await identity.addUnit(undefined, { code: `${DEMO_BUILDING}H${room}`, parentCode: DEMO_BUILDING, level: 'household', name: `${room}室` }, db);
  }
}
