/** Open311 API keys: issued to a named client, stored only as their SM3 hash. */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { TreeRepository } from './tree-repository.js';

export class Open311Keys {
  private readonly repo = new TreeRepository();
  constructor(private readonly db: Executor) {}

  /** Registers a key (the demo key, or one an administrator hands to a client); returns the key. */
  async register(clientName: string, key = randomBytes(24).toString('base64url'), db: Executor = this.db): Promise<string> {
    await this.repo.insertOpen311Key(db, sm3Hex(key), clientName);
    return key;
  }

  /** The client a key belongs to, or undefined for an unknown or revoked key. */
  async clientFor(key: string): Promise<string | undefined> {
    if (!key || key.length > 200) return undefined;
    return (await this.repo.open311Key(this.db, sm3Hex(key)))?.client_name;
  }
}
