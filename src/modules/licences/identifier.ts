/**
 * E-licence identifier, GB/T 36904-2018:
 *   1.2.156.3005.2 . <licence-type code, 21> . <issuer USCC, 18> . <serial> . <version, 3> . <check>
 * The licence-type code is the defining body's USCC plus a 3-digit sequence. The check
 * character is ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) over type code, issuer,
 * serial and version concatenated — the root and the dots are not part of it.
 */
import { usccCheckChar } from '../identity/uscc.js';

export const LICENCE_ID_ROOT = '1.2.156.3005.2';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const USCC_CHARS = '[0-9ABCDEFGHJKLMNPQRTUWXY]';
const TYPE_CODE = new RegExp(`^${USCC_CHARS}{18}\\d{3}$`);
const USCC = new RegExp(`^${USCC_CHARS}{18}$`);
const SERIAL = /^[0-9A-Z]{1,40}$/;
const VERSION = /^\d{3}$/;

/** ISO/IEC 7064 MOD 37,36: returns the check character, or undefined for a char outside 0-9A-Z. */
export function mod3736CheckChar(data: string): string | undefined {
  let p = 36;
  for (const ch of data) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    let s = (p + v) % 36;
    if (s === 0) s = 36;
    p = (2 * s) % 37;
  }
  return ALPHABET[(37 - p) % 36];
}

export interface LicenceIdentifierParts {
  typeCode: string;
  issuerUscc: string;
  serial: string;
  version: string;
}

export interface ParsedIdentifier extends LicenceIdentifierParts {
  checkChar: string;
}

export function buildIdentifier(parts: LicenceIdentifierParts): string {
  const errors = partErrors(parts);
  if (errors.length) throw new Error(`cannot build a licence identifier: ${errors.join('; ')}`);
  const check = mod3736CheckChar(parts.typeCode + parts.issuerUscc + parts.serial + parts.version)!;
  return [LICENCE_ID_ROOT, parts.typeCode, parts.issuerUscc, parts.serial, parts.version, check].join('.');
}

function partErrors(p: LicenceIdentifierParts): string[] {
  const errors: string[] = [];
  if (!TYPE_CODE.test(p.typeCode)) errors.push(`licence-type code "${p.typeCode}" must be a USCC followed by 3 digits`);
  else if (usccCheckChar(p.typeCode.slice(0, 18)) !== p.typeCode[17]) errors.push(`licence-type code "${p.typeCode}" names a defining body whose USCC check character is wrong`);
  if (!USCC.test(p.issuerUscc)) errors.push(`issuer "${p.issuerUscc}" must be an 18-character USCC`);
  else if (usccCheckChar(p.issuerUscc) !== p.issuerUscc[17]) errors.push(`issuer USCC "${p.issuerUscc}" has a wrong check character`);
  if (!SERIAL.test(p.serial)) errors.push(`serial "${p.serial}" must be 1-40 characters of 0-9A-Z`);
  if (!VERSION.test(p.version)) errors.push(`version "${p.version}" must be 3 digits`);
  return errors;
}

export type IdentifierCheck = { valid: true; parts: ParsedIdentifier; errors: [] } | { valid: false; errors: string[] };

/** Parses and validates an identifier; every problem found is named. Never throws. */
export function parseIdentifier(input: string): IdentifierCheck {
  const value = String(input).trim().toUpperCase();
  if (!value.startsWith(`${LICENCE_ID_ROOT}.`)) return { valid: false, errors: [`must start with the root ${LICENCE_ID_ROOT}.`] };
  const segments = value.slice(LICENCE_ID_ROOT.length + 1).split('.');
  if (segments.length !== 5) {
    return { valid: false, errors: [`must have 5 parts after the root (type code, issuer, serial, version, check), got ${segments.length}`] };
  }
  const [typeCode, issuerUscc, serial, version, checkChar] = segments as [string, string, string, string, string];
  const parts = { typeCode, issuerUscc, serial, version };
  const errors = partErrors(parts);
  if (!/^[0-9A-Z]$/.test(checkChar)) errors.push('the check character must be one character of 0-9A-Z');
  if (errors.length) return { valid: false, errors };
  const expected = mod3736CheckChar(typeCode + issuerUscc + serial + version);
  if (expected !== checkChar) return { valid: false, errors: [`check character is ${checkChar}, expected ${expected}`] };
  return { valid: true, parts: { ...parts, checkChar }, errors: [] };
}
