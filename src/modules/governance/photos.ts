/**
 * Event photos. The bytes must really be an image (JPEG, PNG or WebP, by their signature, not
 * by the declared type or file name) and no larger than the limit; they are stored unattached
 * and then attached by their uploader to a report or a step.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { requireActor, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import { EventsRepository, type PhotoRow } from './events-repository.js';
import type { EventsService } from './events-service.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export class PhotosService {
  private readonly repo = new EventsRepository();

  constructor(
    private readonly db: Executor,
    private readonly audit: AuditService,
    private readonly events: EventsService,
    readonly maxBytes: number,
  ) {}

  async upload(actor: Actor | undefined, bytes: Buffer): Promise<PhotoRow> {
    const a = requireActor(actor);
    if (bytes.length === 0) throw new AppError('PHOTO_INVALID', 'The upload is empty');
    if (bytes.length > this.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `A photo may be at most ${Math.floor(this.maxBytes / 1024)} KiB`);
    const detected = await fileTypeFromBuffer(bytes);
    if (!detected || !(PHOTO_TYPES as readonly string[]).includes(detected.mime)) {
      throw new AppError('PHOTO_INVALID', `The upload is ${detected ? detected.mime : 'not a recognisable file'}, not a JPEG, PNG or WebP image`);
    }
    return inTransaction(this.db, async (trx) => {
      const row = await this.repo.insertPhoto(trx, { uploader_user_id: a.userId, mime: detected.mime, size_bytes: bytes.length, sha: sm3Hex(new Uint8Array(bytes)), content: bytes });
      await this.audit.append({ actor: a.userId, action: 'gov-photo.upload', entityType: 'gov-photo', entityId: row.id, detail: { mime: row.mime, size: row.size_bytes } }, trx);
      return row;
    });
  }

  /** A photo's bytes for whoever may see its event (or its uploader before it is attached). */
  async content(actor: Actor | undefined, id: string): Promise<{ mime: string; content: Buffer }> {
    const a = requireActor(actor);
    const photo = await this.repo.photoContent(this.db, id);
    if (!photo) throw new AppError('NOT_FOUND');
    if (photo.event_id) await this.events.visibleEvent(a, photo.event_id);
    else if (photo.uploader_user_id !== a.userId) throw new AppError('NOT_FOUND');
    return { mime: photo.mime, content: photo.content };
  }
}
