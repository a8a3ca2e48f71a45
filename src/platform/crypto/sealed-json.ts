/**
 * Personal data inside JSON records (application forms, form-type materials) at rest: the value
 * is SM4-GCM sealed as a whole, bound by its associated data to its table, column and row, so a
 * sealed value copied onto another row does not open. Opened only where a view needs it.
 */
import { sm4Decrypt, sm4Encrypt } from './sm.js';

export class FieldSealer {
  constructor(private readonly keyHex: string) {}

  seal(place: string, recordId: string, value: unknown): string {
    return sm4Encrypt(JSON.stringify(value), this.keyHex, `${place}:${recordId}`);
  }

  open<T>(place: string, recordId: string, sealed: string): T {
    return JSON.parse(sm4Decrypt(sealed, this.keyHex, `${place}:${recordId}`)) as T;
  }

  /**
   * Gives `row[field]` the opened value of `sealed`, decrypted on first read: a listing that never
   * shows the field (an official's queue) never decrypts it.
   */
  openLazily<R extends { id: string }>(row: R, field: keyof R & string, place: string, sealed: string | null | undefined): R {
    if (!sealed) return row;
    let opened: unknown;
    Object.defineProperty(row, field, {
      enumerable: true, configurable: true,
      get: () => (opened ??= this.open(place, row.id, sealed)),
      set: (v: unknown) => { opened = v; },
    });
    return row;
  }
}
