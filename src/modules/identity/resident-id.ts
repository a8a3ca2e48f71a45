/**
 * Resident identity number, GB 11643-1999: 6-digit region + YYYYMMDD + 3-digit order (odd = male)
 * + ISO 7064 MOD 11-2 check character.
 */
import { provinceName } from './regions.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export interface ResidentIdInfo {
  birthDate: string;
  sex: 'M' | 'F';
  regionCode: string;
}

export interface CheckResult<I> {
  valid: boolean;
  errors: string[];
  info?: I;
}

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function checkResidentId(input: string, today: Date = new Date()): CheckResult<ResidentIdInfo> {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return { valid: false, errors: [`must be 18 characters, got ${value.length}`] };
  if (!/^\d{17}[\dX]$/.test(value)) {
    return { valid: false, errors: ['must be 17 digits followed by a digit or X'] };
  }
  const errors: string[] = [];
  const regionCode = value.slice(0, 6);
  if (!provinceName(regionCode.slice(0, 2))) errors.push(`region code ${regionCode} names no province`);
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(y, m, d) || y < 1850) errors.push(`birth date ${birthDate} is not a real date`);
  else if (birthDate > today.toISOString().slice(0, 10)) errors.push(`birth date ${birthDate} is in the future`);
  const expected = residentIdCheckChar(value);
  if (value[17] !== expected) errors.push(`check character is ${value[17]}, expected ${expected}`);
  if (errors.length) return { valid: false, errors };
  return {
    valid: true,
    errors: [],
    info: { birthDate, sex: Number(value[16]) % 2 === 1 ? 'M' : 'F', regionCode },
  };
}

/** `110105********002X`: region shown, birth date and order hidden, last four kept for recognition. */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(14)}`;
}
