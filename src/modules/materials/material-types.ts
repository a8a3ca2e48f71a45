/**
 * The kinds of material a matter may ask for, with what the platform accepts for each. A photo
 * must be a real image (sniffed from its bytes, not its name), scans may also be PDF, and form
 * data (an address, say) is structured JSON. Sizes are per kind: a passport photo is small.
 */
export type MaterialKind = 'file' | 'form';

export interface MaterialType {
  name: string;
  kind: MaterialKind;
  /** Accepted media types, as sniffed from the content (files only). */
  mediaTypes?: string[];
  maxBytes: number;
}

const IMAGES = ['image/jpeg', 'image/png'];
const SCANS = [...IMAGES, 'application/pdf'];
const MB = 1_048_576;

export const MATERIAL_TYPES = {
  'id-photo': { name: '证件照', kind: 'file', mediaTypes: IMAGES, maxBytes: 2 * MB },
  'id-card-scan': { name: '居民身份证正反面', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'household-register-scan': { name: '户口簿', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'social-security-card': { name: '社会保障卡', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'driving-licence-scan': { name: '机动车驾驶证', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'medical-certificate': { name: '体检证明', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'birth-certificate': { name: '出生医学证明', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'marriage-certificate': { name: '结婚证', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'business-licence-scan': { name: '营业执照', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'premises-proof': { name: '经营场所使用证明', kind: 'file', mediaTypes: SCANS, maxBytes: 10 * MB },
  'floor-plan': { name: '经营场所平面图', kind: 'file', mediaTypes: SCANS, maxBytes: 10 * MB },
  'employment-proof': { name: '劳动合同或就业证明', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'residence-proof': { name: '居住证明', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'diploma-scan': { name: '学历证书', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'hospital-referral': { name: '转诊证明', kind: 'file', mediaTypes: SCANS, maxBytes: 5 * MB },
  'vehicle-documents': { name: '机动车登记证书及行驶证', kind: 'file', mediaTypes: SCANS, maxBytes: 10 * MB },
  'other-document': { name: '其他材料', kind: 'file', mediaTypes: SCANS, maxBytes: 10 * MB },
  'form-address': { name: '住址信息', kind: 'form', maxBytes: 4096 },
  'form-bank-account': { name: '银行账户信息', kind: 'form', maxBytes: 4096 },
  'form-contact': { name: '联系人信息', kind: 'form', maxBytes: 4096 },
} as const satisfies Record<string, MaterialType>;

export type MaterialTypeCode = keyof typeof MATERIAL_TYPES;

export function materialType(code: string): MaterialType | undefined {
  return (MATERIAL_TYPES as Record<string, MaterialType>)[code];
}
