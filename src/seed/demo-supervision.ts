/**
 * Demo data for 互联网+监管 in 西湖区 (330106): company1's company and ~30 more market entities
 * with valid USCCs (incl. a 微商 on a demo platform, a sharing-economy operator and a 长租公寓),
 * the supervision item catalogue of two departments, the inspector pool (inspector1, inspector2
 * and inspector3), one entity on the 经营异常名录, and one joint task by supervisor1 whose
 * 双随机 draw is revealed and public, with a first result already published.
 * Everything runs on the seed's transaction (a SupervisionService bound to it): PGlite has one connection.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../platform/db/database.js';
import type { Actor } from '../platform/access/policy.js';
import type { Services } from '../app.js';
import { SupervisionService } from '../modules/supervision/service.js';
import { organizationCodeCheckChar, usccCheckChar } from '../modules/identity/uscc.js';
import { DEMO_COMPANY, DEMO_PASSWORD, DEPARTMENTS } from './demo-identity.js';
import type { EntityKind } from '../modules/supervision/entities.js';

export const DEMO_PLATFORM = { code: 'demo-mall', name: '西湖优选电商平台', apiKey: 'demo-platform-key' };
export const DEMO_FIRE_DEPARTMENT = '西湖区消防救援大队';

/** A valid USCC for a 西湖区 entity: 9 + type, region 330106, numbered organisation code. */
export function demoUscc(n: number, type: '1' | '2' = '1'): string {
  const org8 = `3301${String(n).padStart(4, '0')}`;
  const first17 = `9${type}330106${org8}${organizationCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}

const NAMES = [
  '杭州龙井茶韵茶叶有限公司', '杭州西溪湿地餐饮管理有限公司', '杭州保俶山房民宿有限公司', '杭州文三数码科技有限公司', '杭州北山街咖啡有限公司',
  '杭州灵隐素食餐厅有限公司', '杭州黄龙体育用品有限公司', '杭州紫金港生鲜超市有限公司', '杭州蒋村烘焙坊有限公司', '杭州翠苑药房有限公司',
  '杭州古荡五金建材有限公司', '杭州留下小吃店有限公司', '杭州转塘美术用品有限公司', '杭州三墩粮油批发有限公司', '杭州双浦农家乐有限公司',
  '杭州西湖眼镜有限公司', '杭州曙光路面馆有限公司', '杭州教工路文具有限公司', '杭州玉泉烟酒商行有限公司', '杭州天目山路洗衣有限公司',
  '杭州求是路母婴用品有限公司', '杭州莫干山路汽车维修有限公司', '杭州文一路水果有限公司', '杭州学院路书店有限公司',
];

interface DemoEntity { kind: EntityKind; name: string; uscc?: string; shopId?: string }

function demoEntities(): DemoEntity[] {
  const list: DemoEntity[] = NAMES.map((name, i) => ({ kind: 'company', name, uscc: demoUscc(i + 1) }));
  list.push(
    { kind: 'individual', name: '西湖区王记馄饨店', uscc: demoUscc(101, '2') },
    { kind: 'individual', name: '西湖区李师傅修鞋铺', uscc: demoUscc(102, '2') },
    { kind: 'individual', name: '西湖区陈家水果摊', uscc: demoUscc(103, '2') },
    { kind: 'sharing_economy', name: '杭州小绿共享单车运营有限公司', uscc: demoUscc(201) },
    { kind: 'rental_apartment', name: '杭州安居长租公寓管理有限公司', uscc: demoUscc(202) },
    { kind: 'micro_seller', name: '小周家的手作饰品（微商）', shopId: 'shop-0001' },
    { kind: 'micro_seller', name: '西湖藕粉直供（微商）', uscc: demoUscc(203, '2'), shopId: 'shop-0002' },
  );
  return list;
}

const FOOD_FORM = [
  { key: 'licenceDisplayed', label: '食品经营许可证是否公示', type: 'boolean' as const },
  { key: 'healthCertificates', label: '从业人员健康证是否齐全', type: 'boolean' as const },
  { key: 'storageTemperature', label: '冷藏温度（℃）', type: 'number' as const },
];
const PRICE_FORM = [{ key: 'pricesMarked', label: '是否明码标价', type: 'boolean' as const }];
const FIRE_FORM = [
  { key: 'extinguishersValid', label: '灭火器是否在有效期内', type: 'boolean' as const },
  { key: 'exitsClear', label: '疏散通道是否畅通', type: 'boolean' as const },
];

export async function seedSupervisionDemo(services: Services, db: Executor): Promise<void> {
  // Identity rows are read on this transaction (not through IdentityService, whose queries use
  // the base handle and would wait for this very transaction on PGlite).
  const companyByUscc = async (uscc: string) => db.selectFrom('companies').select(['id', 'uscc', 'name']).where('uscc', '=', uscc).executeTakeFirst();
  const sv = new SupervisionService({ db, audit: services.audit, identity: { companyByUscc, companyById: async () => undefined, displayNames: async () => new Map() }, calendar: services.calendar.calendar });
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'person_id', 'region_code', 'department']).execute();
  const user = (name: string) => users.find((u) => u.username === name)!;

  // A third inspector so that the draw really chooses among inspectors.
  if (!users.some((u) => u.username === 'inspector3')) {
    const created = await services.identity.createUser({ username: 'inspector3', password: DEMO_PASSWORD, displayName: '钱检查', roles: ['inspector'], regionCode: '330106', department: DEPARTMENTS.xihuMarket }, db);
    users.push({ id: created.id, username: 'inspector3', display_name: '钱检查', person_id: null, region_code: '330106', department: DEPARTMENTS.xihuMarket });
  }
  for (const name of ['inspector1', 'inspector2', 'inspector3']) {
    const u = user(name);
    await sv.entities.addInspector({ userId: u.id, username: u.username, name: u.display_name, personId: u.person_id, regionCode: u.region_code!, department: u.department! }, db);
  }

  const supervisor = user('supervisor1');
  const actor: Actor = {
    userId: supervisor.id, username: 'supervisor1', roles: ['supervisor'], regionCode: '330106', department: DEPARTMENTS.xihuMarket,
    assuranceLevel: 2, grants: [], label: `${DEPARTMENTS.xihuMarket} · supervisor1`,
  };
  await sv.entities.createPlatform(actor, { code: DEMO_PLATFORM.code, name: DEMO_PLATFORM.name, regionCode: '330106' }, db, DEMO_PLATFORM.apiKey);

  const company = await sv.entities.insert(supervisor.id, { kind: 'company', name: DEMO_COMPANY.name, uscc: DEMO_COMPANY.uscc, regionCode: '330106', address: '杭州市西湖区保俶路12号' }, db);
  const entities = [company];
  for (const e of demoEntities()) {
    entities.push(await sv.entities.insert(supervisor.id, { ...e, regionCode: '330106', ...(e.shopId ? { platformCode: DEMO_PLATFORM.code } : {}) }, db));
  }

  const food = await sv.catalogue.insert(supervisor.id, {
    code: 'SJ-330106-SP-001', name: '食品经营者日常监督检查', department: DEPARTMENTS.xihuMarket, regionCode: '330106',
    legalBasis: '《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》', checks: '许可证公示、从业人员健康管理、贮存条件', form: FOOD_FORM,
  }, db);
  const price = await sv.catalogue.insert(supervisor.id, {
    code: 'SJ-330106-JG-001', name: '明码标价检查', department: DEPARTMENTS.xihuMarket, regionCode: '330106',
    legalBasis: '《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》', checks: '商品和服务是否明码标价', form: PRICE_FORM,
  }, db);
  const fire = await sv.catalogue.insert(supervisor.id, {
    code: 'SJ-330106-XF-001', name: '消防安全检查', department: DEMO_FIRE_DEPARTMENT, regionCode: '330106',
    legalBasis: '《中华人民共和国消防法》第五十三条', checks: '消防器材有效、疏散通道畅通', form: FIRE_FORM,
    gradePolicy: { D: { ratio: 1, perYear: 4 } },
  }, db);

  // One entity already on the 经营异常名录 (so joint discipline is visible in the demo).
  const listed = entities.find((e) => e.name === '杭州古荡五金建材有限公司')!;
  const listedRow = await db.selectFrom('sup_entities').selectAll().where('id', '=', listed.id).executeTakeFirstOrThrow();
  await sv.lists.enterIn(db, supervisor.id, DEPARTMENTS.xihuMarket, listedRow as never, {
    list: 'abnormal', reason: '通过登记的住所或者经营场所无法联系', legalBasis: '《市场监督管理严重违法失信名单管理办法》；《企业经营异常名录管理暂行办法》第四条',
  });
  const recusedEntity = entities.find((e) => e.name === '杭州北山街咖啡有限公司')!;
  await db.insertInto('sup_recusals').values({ entity_id: recusedEntity.id, inspector_id: user('inspector3').id, reason: '检查人员亲属系该企业股东' }).execute();

  const task = await sv.draws.planTask(actor, { name: '2026年西湖区餐饮及消防联合双随机抽查', regionCode: '330106', itemIds: [food.id, price.id, fire.id], ratios: { A: 0.1 } });
  const committed = await sv.draws.commit(actor, task.id);
  const draw = await sv.draws.reveal(actor, committed.draw!.id);

  // The first drawn inspection already has a published result.
  const first = draw.selected[0];
  if (first) {
    const inspection = await db.selectFrom('sup_inspections').select('id').where('draw_id', '=', draw.id).where('entity_id', '=', first.entityId).executeTakeFirstOrThrow();
    const by = users.find((u) => u.id === first.inspectors[0])!;
    await sv.inspections.submit({ ...actor, userId: by.id, username: by.username, roles: ['inspector'], label: by.username }, inspection.id, {
      submissionId: randomUUID(), inspectedAt: new Date().toISOString(), outcome: 'pass', summary: '现场检查未发现问题',
      answers: { licenceDisplayed: true, healthCertificates: true, storageTemperature: 4, pricesMarked: true, extinguishersValid: true, exitsClear: true },
    });
  }
}
