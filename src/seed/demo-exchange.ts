/**
 * Demo data sharing for a node: the 户籍 basic-info, 社保 contribution and 婚姻 status resources
 * published by this province's departments, with source records for the demo people.
 * Trust between the demo nodes is set up by scripts/demo-federation.ts (it needs both running).
 */
import type { Executor } from '../platform/db/database.js';
import type { Services } from '../app.js';
import { IDENTITY_RESOURCE } from '../modules/exchange/data-sharing.js';
import { DEMO_PEOPLE } from './demo-identity.js';

const PROVINCE_DEPARTMENTS: Record<string, { police: string; hrss: string; civil: string }> = {
  zj: { police: '浙江省公安厅户政管理处', hrss: '浙江省人力资源和社会保障厅', civil: '浙江省民政厅' },
  sh: { police: '上海市公安局人口管理办公室', hrss: '上海市人力资源和社会保障局', civil: '上海市民政局' },
};

export async function seedExchangeDemo(services: Services, db: Executor): Promise<void> {
  const { exchange } = services;
  const dept = PROVINCE_DEPARTMENTS[exchange.nodeId] ?? { police: `${exchange.nodeId} 公安户政部门`, hrss: `${exchange.nodeId} 人社部门`, civil: `${exchange.nodeId} 民政部门` };
  await exchange.sharing.publish({
    code: IDENTITY_RESOURCE, name: '户籍人口基本信息', owner_department: dept.police, sharing_class: 'unconditional',
    legal_basis: '《中华人民共和国户口登记条例》；《政务信息资源共享管理暂行办法》（国发〔2016〕51号）第九条',
    fields: [{ name: 'name', label: '姓名' }, { name: 'residentId', label: '公民身份号码' }, { name: 'sex', label: '性别' }, { name: 'birthDate', label: '出生日期' }, { name: 'regionCode', label: '户籍地行政区划' }],
    api: 'exchange:data.query',
  }, db);
  await exchange.sharing.publish({
    code: 'sb.contributions', name: '社会保险缴费记录', owner_department: dept.hrss, sharing_class: 'conditional',
    legal_basis: '《中华人民共和国社会保险法》第七十四条；《政务信息资源共享管理暂行办法》第九条（有条件共享）',
    fields: [{ name: 'insuranceType', label: '险种' }, { name: 'paidMonths', label: '累计缴费月数' }, { name: 'lastPaidMonth', label: '最近缴费年月' }, { name: 'monthlyBase', label: '缴费基数' }, { name: 'employer', label: '参保单位' }],
    api: 'exchange:data.query',
  }, db);
  await exchange.sharing.publish({
    code: 'hy.status', name: '婚姻登记状况', owner_department: dept.civil, sharing_class: 'conditional',
    legal_basis: '《婚姻登记条例》；《政务信息资源共享管理暂行办法》第九条（有条件共享）',
    fields: [{ name: 'maritalStatus', label: '婚姻状况' }, { name: 'registeredAt', label: '登记日期' }, { name: 'registryOffice', label: '登记机关' }],
    api: 'exchange:data.query',
  }, db);
  // Keyed by resident ID: no identity lookups here (PGlite has one connection, held by this seed's transaction).
  const lisi = DEMO_PEOPLE.lisi.residentId;
  const zhangsan = DEMO_PEOPLE.zhangsan.residentId;
  {
    await exchange.sharing.addSourceRecord('sb.contributions', lisi, { insuranceType: '城镇职工基本养老保险', paidMonths: 146, lastPaidMonth: '2026-10', monthlyBase: 12_300, employer: '上海黄浦某科技有限公司' }, db);
    await exchange.sharing.addSourceRecord('hy.status', lisi, { maritalStatus: '已婚', registeredAt: '2014-05-20', registryOffice: '上海市黄浦区民政局婚姻登记处' }, db);
  }
  {
    await exchange.sharing.addSourceRecord('sb.contributions', zhangsan, { insuranceType: '城镇职工基本养老保险（退休）', paidMonths: 420, lastPaidMonth: '2009-05', monthlyBase: 0, employer: '杭州某机械厂（已退休）' }, db);
    await exchange.sharing.addSourceRecord('hy.status', zhangsan, { maritalStatus: '丧偶', registeredAt: '1975-10-01', registryOffice: '杭州市西湖区民政局' }, db);
  }
}
