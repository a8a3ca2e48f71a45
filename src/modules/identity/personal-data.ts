/**
 * Personal identifiers at rest: SM4-GCM encrypted (bound to their record and field), found by
 * a keyed SM3 blind index, and shown masked to everyone but the person.
 */
import { hmacSm3Hex, sm4Decrypt, sm4Encrypt } from '../../platform/crypto/sm.js';
import type { NodeSecrets } from '../../platform/crypto/master-key.js';

export type PersonalField = 'resident_id' | 'phone';

export class PersonalDataVault {
  constructor(private readonly secrets: NodeSecrets) {}

  encrypt(field: PersonalField, recordId: string, value: string): string {
    return sm4Encrypt(value, this.secrets.fieldKeyHex, `persons.${field}:${recordId}`);
  }

  decrypt(field: PersonalField, recordId: string, sealed: string): string {
    return sm4Decrypt(sealed, this.secrets.fieldKeyHex, `persons.${field}:${recordId}`);
  }

  blindIndex(field: PersonalField, value: string): string {
    return hmacSm3Hex(this.secrets.blindIndexKey, `${field}:${value.trim().toUpperCase()}`);
  }
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
