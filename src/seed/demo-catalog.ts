/**
 * Demo catalogue: real, common matters of 杭州市西湖区 and 上海市黄浦区 across 户籍, 社保, 医保,
 * 公积金, 市场监管, 交通, 教育, 民政 and 出入境, including the common 跨省通办 ones, and two 一件事.
 * Their departments are the demo officials' departments (西湖区行政审批局 accepts for the whole
 * district, as a 行政审批局 does), so every matter can be handled end to end in the demo.
 * Time limits are working days; figures are typical published 办事指南 values, not law.
 */
import type { Executor } from '../platform/db/database.js';
import type { Services } from '../app.js';
import type { MatterBodyT } from '../modules/catalog/schemas.js';
import { DEPARTMENTS } from './demo-identity.js';

type Req = MatterBodyT['materials'][number];
type Result = NonNullable<MatterBodyT['resultLicence']>;
type Field = MatterBodyT['formFields'][number];

const Y = 365;
const M = {
  idCard: { key: 'id-card', name: '居民身份证', materialType: 'id-card-scan', required: true, licenceTypes: ['居民身份证'] },
  photo: (days: number) => ({ key: 'id-photo', name: '近期免冠证件照', materialType: 'id-photo', required: true, freshnessDays: days }),
  household: { key: 'household-register', name: '居民户口簿', materialType: 'household-register-scan', required: true, licenceTypes: ['居民户口簿'] },
  address: { key: 'address', name: '通讯地址', materialType: 'form-address', required: true },
  bank: { key: 'bank-account', name: '本人银行账户', materialType: 'form-bank-account', required: true },
  ssCard: { key: 'social-security-card', name: '社会保障卡', materialType: 'social-security-card', required: true, licenceTypes: ['社会保障卡'] },
  driving: { key: 'driving-licence', name: '机动车驾驶证', materialType: 'driving-licence-scan', required: true, licenceTypes: ['机动车驾驶证'] },
  medical: { key: 'medical-certificate', name: '县级以上医疗机构体检证明', materialType: 'medical-certificate', required: true, freshnessDays: 180 },
  birth: { key: 'birth-certificate', name: '出生医学证明', materialType: 'birth-certificate', required: true, licenceTypes: ['出生医学证明'] },
  marriage: { key: 'marriage-certificate', name: '结婚证', materialType: 'marriage-certificate', required: true, licenceTypes: ['结婚证'] },
  residence: { key: 'residence-proof', name: '居住证明（租赁合同或房产证）', materialType: 'residence-proof', required: true, freshnessDays: 180 },
  employment: { key: 'employment-proof', name: '劳动合同或就业证明', materialType: 'employment-proof', required: false },
  premises: { key: 'premises-proof', name: '经营场所使用证明', materialType: 'premises-proof', required: true },
  floorPlan: { key: 'floor-plan', name: '经营场所平面布局图', materialType: 'floor-plan', required: true },
  bizLicence: { key: 'business-licence', name: '营业执照', materialType: 'business-licence-scan', required: true, licenceTypes: ['营业执照'] },
  referral: { key: 'hospital-referral', name: '转诊证明', materialType: 'hospital-referral', required: false, freshnessDays: 90 },
  diploma: { key: 'diploma', name: '学历证书', materialType: 'diploma-scan', required: true },
  vehicle: { key: 'vehicle-documents', name: '机动车来历证明及合格证', materialType: 'vehicle-documents', required: true },
} satisfies Record<string, Req | ((d: number) => Req)>;

const PERSON: Field[] = [
  { key: 'name', label: '姓名', required: true, prefill: 'name', maxLength: 50 },
  { key: 'residentId', label: '公民身份号码', required: true, prefill: 'residentId', maxLength: 18 },
  { key: 'phone', label: '联系电话', required: true, prefill: 'phone', maxLength: 20 },
];
const COMPANY: Field[] = [
  { key: 'companyName', label: '单位名称', required: true, prefill: 'companyName', maxLength: 100 },
  { key: 'uscc', label: '统一社会信用代码', required: true, prefill: 'uscc', maxLength: 18 },
  { key: 'phone', label: '联系电话', required: true, prefill: 'phone', maxLength: 20 },
];
const field = (key: string, label: string, required = true): Field => ({ key, label, required, maxLength: 200 });

interface Spec {
  code: string; name: string; category: string; aliases: string[]; limits: [legal: number, promised: number];
  materials: Req[]; fields?: Field[]; cross?: MatterBodyT['crossProvince']; company?: boolean | 'both';
  fee?: string; commitment?: boolean; description?: string; result?: Result;
}

/**
 * 审批结果证照: what an approval of these matters issues to the applicant (by the licence
 * authority of the matter's department, 西湖区行政审批局 in the demo), and from which values.
 * 出生医学证明 is not among them: it is issued to the newborn by the 助产机构, not as the
 * result of an application in this catalogue.
 */
const RESULTS = {
  foodLicence: {
    type: '食品经营许可证', validYears: 5, fields: [
      { field: 'licenceNumber', value: 'JY1{region}{ref:7}' }, { field: 'operatorName', value: '{form.operatorName}' },
      { field: 'legalRepresentative', value: '{applicant.legalRepresentative}' }, { field: 'premises', value: '{form.premises}' },
      { field: 'businessForm', value: '餐饮服务经营者' }, { field: 'items', value: '{form.foodCategories}', as: 'list' },
    ],
  },
  businessLicence: {
    type: '营业执照', fields: [
      { field: 'name', value: '{applicant.name}' }, { field: 'entityType', value: '{applicant.entityType}' },
      { field: 'legalRepresentative', value: '{applicant.legalRepresentative}' }, { field: 'establishedOn', value: '{form.establishedOn}' },
      { field: 'address', value: '{form.address}' }, { field: 'businessScope', value: '{form.businessScope}' },
    ],
  },
  marriage: {
    type: '结婚证', fields: [
      { field: 'certificateNumber', value: 'J{region}-{approvedYear}-{ref:6}' }, { field: 'name', value: '{applicant.name}' },
      { field: 'spouseName', value: '{form.spouseName}' }, { field: 'spouseIdNumber', value: '{form.spouseResidentId}' },
      { field: 'registeredOn', value: '{approvedOn}' }, { field: 'registrationOffice', value: '杭州市西湖区民政局婚姻登记处' },
    ],
  },
  socialSecurityCard: {
    type: '社会保障卡', validYears: 10, fields: [
      { field: 'name', value: '{applicant.name}' }, { field: 'socialSecurityNumber', value: '{applicant.id}' },
      { field: 'cardNumber', value: 'A{region}{ref:6}' }, { field: 'issuedOn', value: '{approvedOn}' },
    ],
  },
} satisfies Record<string, Result>;

const XIHU: Spec[] = [
  { code: '330106-HJ-001', name: '户口迁移（跨省迁入）', category: '户籍', aliases: ['迁户口', '户口迁入', '落户', '户籍迁移'], limits: [20, 5], cross: 'multi-site', materials: [M.idCard, M.household, M.residence], fields: [field('fromAddress', '迁出地详细地址'), field('reason', '迁移原因')] },
  { code: '330106-HJ-002', name: '出生登记（新生儿入户）', category: '户籍', aliases: ['新生儿上户口', '出生入户', '报户口', '宝宝落户'], limits: [20, 3], cross: 'full-online', materials: [M.birth, M.household, M.marriage], fields: [field('childName', '新生儿姓名'), field('childBirthDate', '出生日期')] },
  { code: '330106-HJ-003', name: '居民身份证换领', category: '户籍', aliases: ['身份证到期换证', '换身份证', '身份证过期'], limits: [60, 20], cross: 'proxy', fee: '20元', materials: [M.household, M.photo(180)] },
  { code: '330106-HJ-004', name: '居住证申领', category: '户籍', aliases: ['办居住证', '暂住证'], limits: [15, 7], materials: [M.idCard, M.photo(3 * Y), M.residence, M.employment] },
  { code: '330106-HJ-005', name: '户籍类证明开具', category: '户籍', aliases: ['户籍证明', '亲属关系证明'], limits: [5, 1], cross: 'full-online', materials: [M.idCard], fields: [field('purpose', '证明用途')] },
  { code: '330106-SB-001', name: '基本养老保险关系转移接续', category: '社保', aliases: ['社保转移', '社保关系转移', '养老保险转移', '社保跨省转移'], limits: [45, 15], cross: 'full-online', materials: [M.idCard, M.address, M.employment], fields: [field('fromRegion', '原参保地'), field('fromAgency', '原参保经办机构')] },
  { code: '330106-SB-002', name: '社会保障卡申领', category: '社保', aliases: ['办社保卡', '社保卡办理', '市民卡'], limits: [20, 10], cross: 'proxy', materials: [M.idCard, M.photo(3 * Y), M.address], result: RESULTS.socialSecurityCard },
  { code: '330106-SB-003', name: '社会保障卡挂失与补换', category: '社保', aliases: ['社保卡丢了', '补办社保卡'], limits: [20, 5], cross: 'full-online', fee: '补卡工本费按规定收取', materials: [M.idCard, M.photo(3 * Y)] },
  { code: '330106-SB-004', name: '失业保险金申领', category: '社保', aliases: ['领失业金', '失业补助', '失业金'], limits: [20, 10], cross: 'full-online', materials: [M.idCard, M.bank], fields: [field('lastEmployer', '原工作单位')] },
  { code: '330106-SB-005', name: '养老保险待遇领取资格认证', category: '社保', aliases: ['退休认证', '养老金资格认证', '生存认证'], limits: [5, 1], cross: 'full-online', materials: [M.idCard] },
  { code: '330106-SB-006', name: '个人参保证明查询打印', category: '社保', aliases: ['社保证明', '参保证明', '社保缴费记录'], limits: [1, 0], cross: 'full-online', materials: [] },
  { code: '330106-YB-001', name: '异地就医备案', category: '医保', aliases: ['异地就医', '跨省就医备案', '外地看病报销', '异地安置备案'], limits: [10, 1], cross: 'full-online', materials: [M.ssCard, M.referral], fields: [field('targetRegion', '就医地'), field('kind', '备案类型（异地安置/异地长期居住/转诊）')] },
  { code: '330106-YB-002', name: '基本医疗保险关系转移接续', category: '医保', aliases: ['医保转移', '医保关系转移'], limits: [45, 15], cross: 'full-online', materials: [M.idCard, M.address], fields: [field('fromRegion', '原参保地')] },
  { code: '330106-YB-003', name: '门诊慢特病待遇认定', category: '医保', aliases: ['慢性病认定', '慢病申请', '特殊病种'], limits: [20, 10], materials: [M.ssCard, M.medical], fields: [field('disease', '病种')] },
  { code: '330106-YB-004', name: '生育保险待遇核准', category: '医保', aliases: ['生育津贴', '生育报销', '生孩子报销'], limits: [20, 10], cross: 'full-online', materials: [M.idCard, M.birth, M.bank] },
  { code: '330106-YB-005', name: '城乡居民基本医疗保险参保登记', category: '医保', aliases: ['新生儿医保', '居民医保参保', '办医保'], limits: [10, 3], cross: 'full-online', materials: [M.household], fields: [field('insuredName', '参保人姓名')] },
  { code: '330106-GJJ-001', name: '住房公积金个人账户转移接续', category: '公积金', aliases: ['公积金转移', '公积金异地转移'], limits: [15, 5], cross: 'full-online', materials: [M.idCard], fields: [field('fromCentre', '转出地公积金中心')] },
  { code: '330106-GJJ-002', name: '住房公积金提取（租房）', category: '公积金', aliases: ['提取公积金', '租房提公积金', '提公积金'], limits: [5, 3], cross: 'full-online', materials: [M.idCard, M.bank, M.residence] },
  { code: '330106-GJJ-003', name: '住房公积金缴存证明出具', category: '公积金', aliases: ['公积金证明', '公积金缴存证明'], limits: [3, 0], cross: 'full-online', materials: [] },
  { code: '330106-SC-001', name: '企业设立登记', category: '市场监管', aliases: ['开公司', '注册公司', '办营业执照', '开办企业'], limits: [15, 1], cross: 'full-online', materials: [M.idCard, M.premises], fields: [field('proposedName', '拟设企业名称'), field('businessScope', '经营范围'), field('registeredCapital', '注册资本（万元）')] },
  { code: '330106-SC-002', name: '个体工商户注册登记', category: '市场监管', aliases: ['开店', '个体户营业执照', '个体户注册'], limits: [15, 1], cross: 'full-online', materials: [M.idCard, M.premises], fields: [field('shopName', '字号名称'), field('businessScope', '经营范围')] },
  { code: '330106-SC-003', name: '食品经营许可', category: '市场监管', aliases: ['开饭店', '餐饮许可证', '食品经营许可证', '开餐馆'], limits: [20, 5], company: 'both', commitment: true, materials: [M.premises, M.floorPlan], fields: [field('operatorName', '经营者名称'), field('foodCategories', '经营项目'), field('premises', '经营场所', false)], result: RESULTS.foodLicence },
  { code: '330106-SC-004', name: '企业变更登记', category: '市场监管', aliases: ['变更营业执照', '公司变更', '法人变更'], limits: [15, 1], company: true, materials: [M.bizLicence], fields: [field('changeItems', '变更事项'), field('address', '住所（变更后）', false), field('establishedOn', '成立日期（YYYY-MM-DD）', false), field('businessScope', '经营范围（变更后）', false)], result: RESULTS.businessLicence },
  { code: '330106-SC-005', name: '企业注销登记', category: '市场监管', aliases: ['公司注销', '简易注销'], limits: [20, 3], company: true, materials: [M.bizLicence], fields: [field('reason', '注销原因')] },
  { code: '330106-JT-001', name: '机动车驾驶证期满换证', category: '交通', aliases: ['驾照到期换证', '换驾照', '驾驶证到期'], limits: [10, 1], cross: 'full-online', fee: '10元', materials: [M.driving, M.photo(180), M.medical, M.address] },
  { code: '330106-JT-002', name: '机动车驾驶证补领', category: '交通', aliases: ['驾照丢了', '补办驾照', '驾驶证遗失'], limits: [10, 1], cross: 'full-online', fee: '10元', materials: [M.idCard, M.photo(180), M.address] },
  { code: '330106-JT-003', name: '机动车注册登记', category: '交通', aliases: ['新车上牌', '汽车上牌', '车辆登记'], limits: [5, 2], materials: [M.idCard, M.vehicle], fields: [field('vin', '车辆识别代号')] },
  { code: '330106-JT-004', name: '道路运输从业人员从业资格证换证', category: '交通', aliases: ['从业资格证换证', '网约车资格证'], limits: [10, 5], cross: 'full-online', materials: [M.idCard, M.photo(180)] },
  { code: '330106-JY-001', name: '义务教育阶段入学登记', category: '教育', aliases: ['小学入学', '上学报名', '初中入学', '新生入学'], limits: [30, 15], materials: [M.household, M.residence], fields: [field('childName', '学生姓名'), field('school', '意向学校', false)] },
  { code: '330106-JY-002', name: '教师资格认定', category: '教育', aliases: ['教师资格证', '认定教师资格'], limits: [60, 30], materials: [M.idCard, M.diploma, M.medical, M.photo(180)], fields: [field('subject', '任教学科')] },
  { code: '330106-JY-003', name: '义务教育阶段学生转学', category: '教育', aliases: ['转学', '转学籍'], limits: [20, 10], cross: 'multi-site', materials: [M.household, M.residence], fields: [field('fromSchool', '原就读学校'), field('toSchool', '转入学校')] },
  { code: '330106-MZ-001', name: '内地居民结婚登记', category: '民政', aliases: ['结婚登记', '领结婚证', '结婚'], limits: [1, 0], cross: 'multi-site', fee: '不收费', materials: [M.household, M.photo(180)], fields: [field('spouseName', '对方姓名'), field('spouseResidentId', '对方公民身份号码')], result: RESULTS.marriage },
  { code: '330106-MZ-002', name: '最低生活保障申请', category: '民政', aliases: ['低保申请', '申请低保', '困难补助'], limits: [30, 20], materials: [M.idCard, M.household, M.bank], fields: [field('householdIncome', '家庭月收入（元）')] },
  { code: '330106-MZ-003', name: '残疾人证办理', category: '民政', aliases: ['办残疾证', '残疾证申请'], limits: [30, 15], cross: 'full-online', materials: [M.idCard, M.photo(180), M.medical] },
  { code: '330106-MZ-004', name: '高龄津贴申领', category: '民政', aliases: ['老年人补贴', '高龄补贴', '老人津贴'], limits: [20, 10], materials: [M.idCard, M.bank] },
  { code: '330106-CRJ-001', name: '普通护照签发', category: '出入境', aliases: ['办护照', '护照办理'], limits: [7, 7], cross: 'proxy', fee: '120元', materials: [M.idCard, { ...M.photo(Y), name: '出入境证件照（一年内）' }] },
  { code: '330106-CRJ-002', name: '往来港澳通行证签发', category: '出入境', aliases: ['港澳通行证', '去香港', '去澳门'], limits: [7, 7], cross: 'proxy', fee: '60元', materials: [M.idCard, { ...M.photo(Y), name: '出入境证件照（一年内）' }] },
];

const HUANGPU: Spec[] = [
  { code: '310101-SB-001', name: '基本养老保险关系转移接续', category: '社保', aliases: ['社保转移', '社保关系转移', '养老保险转移'], limits: [45, 15], cross: 'full-online', materials: [M.idCard, M.address], fields: [field('fromRegion', '原参保地')] },
  { code: '310101-YB-001', name: '异地就医备案', category: '医保', aliases: ['异地就医', '跨省就医备案', '外地看病报销'], limits: [10, 1], cross: 'full-online', materials: [M.ssCard, M.referral], fields: [field('targetRegion', '就医地')] },
  { code: '310101-HJ-001', name: '户口迁移（跨省迁入）', category: '户籍', aliases: ['迁户口', '户口迁入', '落户'], limits: [20, 5], cross: 'multi-site', materials: [M.idCard, M.household, M.residence], fields: [field('fromAddress', '迁出地详细地址')] },
];

function body(s: Spec, regionCode: string, department: string): MatterBodyT {
  const kinds: MatterBodyT['applicantKinds'] = s.company === true ? ['company'] : s.company === 'both' ? ['person', 'company'] : ['person'];
  return {
    name: s.name, category: s.category, department, regionCode,
    description: s.description ?? `${s.name}：网上申请、材料共享复用，办理进度可随时查询。`,
    legalLimitDays: s.limits[0], promisedLimitDays: s.limits[1], fee: s.fee ?? '不收费',
    channels: ['online', 'counter'], crossProvince: s.cross ?? null, applicantKinds: kinds,
    commitmentAllowed: s.commitment ?? false, aliases: s.aliases,
    formFields: [...(s.company === true ? COMPANY : PERSON), ...(s.fields ?? [])], materials: s.materials,
    ...(s.result ? { resultLicence: s.result } : {}),
  };
}

export const DEMO_MATTER_CODES = { socialSecurityTransfer: '330106-SB-001', passport: '330106-CRJ-001', foodLicence: '330106-SC-003' } as const;
export const DEMO_BUNDLES = { newborn: '330106-YJS-001', restaurant: '330106-YJS-002' } as const;

export async function seedCatalogDemo(services: Services, db: Executor): Promise<void> {
  for (const s of XIHU) await services.catalog.createMatter(undefined, s.code, body(s, '330106', DEPARTMENTS.xihuApproval), db);
  for (const s of HUANGPU) await services.catalog.createMatter(undefined, s.code, body(s, '310101', DEPARTMENTS.huangpuApproval), db);
  await services.catalog.createBundle({
    code: DEMO_BUNDLES.newborn, name: '新生儿出生一件事', region_code: '330106', aliases: ['生孩子', '宝宝出生', '新生儿'],
    description: '出生医学证明、户口登记、医保参保、社保卡申领一次申请、一次提交，各部门并联办理。',
    matter_codes: ['330106-HJ-002', '330106-YB-005', '330106-SB-002'],
  }, db);
  await services.catalog.createBundle({
    code: DEMO_BUNDLES.restaurant, name: '开办餐饮店一件事', region_code: '330106', aliases: ['开饭店', '开餐馆', '开餐饮店'],
    description: '个体工商户登记与食品经营许可一表申请、材料只交一次。',
    matter_codes: ['330106-SC-002', '330106-SC-003'],
  }, db);
}
