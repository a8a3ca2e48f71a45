/**
 * Demo e-licences per CONTRACT.md: citizen1 (张三) holds 机动车驾驶证 and 社会保障卡, company1's
 * company holds 营业执照 and 食品经营许可证, all issued by issuer1's authority (杭州市, 330100).
 * The authority's USCC is made up for the demo (with valid check characters).
 */
import type { Executor } from '../platform/db/database.js';
import type { Services } from '../app.js';
import { DEMO_COMPANY, DEMO_PEOPLE, DEPARTMENTS } from './demo-identity.js';

export const DEMO_AUTHORITY = { uscc: '11330100002548969Q', name: '杭州市数据资源管理局', region_code: '330100', department: DEPARTMENTS.hangzhouData };
/** 西湖区行政审批局 issues the result licences of the district's approved applications (made-up USCC). */
export const DEMO_APPROVAL_AUTHORITY = { uscc: '11330106002500113H', name: '杭州市西湖区行政审批局', region_code: '330106', department: DEPARTMENTS.xihuApproval };

export async function seedLicencesDemo(services: Services, db: Executor): Promise<void> {
  const { licences } = services.licences;
  await licences.addAuthority(DEMO_AUTHORITY, db);
  await licences.addAuthority(DEMO_APPROVAL_AUTHORITY, db);
  const zhangsan = DEMO_PEOPLE.zhangsan;
  const person = { kind: 'person' as const, id: zhangsan.residentId };
  const company = { kind: 'company' as const, id: DEMO_COMPANY.uscc };
  const issue = (type: string, holder: typeof person | typeof company, fields: Record<string, unknown>, validFrom: string, validTo: string | null) =>
    licences.issueBySystem(DEMO_AUTHORITY.uscc, 'system:seed', { type, holder, fields, validFrom, validTo }, undefined, db);

  await issue('机动车驾驶证', person, {
    licenceNumber: zhangsan.residentId, name: zhangsan.name, sex: '男', nationality: '中国', address: '浙江省杭州市西湖区北山街道保俶路12号1幢0101室',
    birthDate: '1949-05-12', firstIssuedOn: '1995-03-20', vehicleClass: 'C1',
  }, '2025-05-12', '2031-05-12');
  await issue('社会保障卡', person, {
    name: zhangsan.name, socialSecurityNumber: zhangsan.residentId, cardNumber: 'A33010600001', issuedOn: '2020-06-01', bank: '中国工商银行杭州分行',
  }, '2020-06-01', '2030-06-01');
  await issue('营业执照', company, {
    name: DEMO_COMPANY.name, entityType: '有限责任公司（自然人投资或控股）', legalRepresentative: DEMO_COMPANY.legalRepresentative,
    registeredCapital: '100万元人民币', establishedOn: '2019-03-15', address: '浙江省杭州市西湖区文三路100号', businessScope: '餐饮服务；食品销售',
  }, '2019-03-15', null);
  await issue('食品经营许可证', company, {
    licenceNumber: 'JY13301060012345', operatorName: DEMO_COMPANY.name, legalRepresentative: DEMO_COMPANY.legalRepresentative,
    address: '浙江省杭州市西湖区文三路100号', premises: '浙江省杭州市西湖区文三路100号一层', businessForm: '餐饮服务经营者（中型餐馆）',
    items: ['热食类食品制售', '冷食类食品制售'],
  }, '2024-01-10', '2029-01-09');
}
