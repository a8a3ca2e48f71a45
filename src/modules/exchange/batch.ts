/**
 * Batch envelopes (docs/exchange.md §2.1): several messages to the same peer in one HTTP request
 * under one signature. The signed **header** lists the SM3 digest of each member's canonical
 * JSON; the members travel beside it, unsigned. So one SM2 signature (and one verification)
 * serves the whole batch, yet each member stays provable on its own: the member, plus the
 * signed header whose digest list contains its digest, is all a third party needs.
 */
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { sm2Sign, sm2Verify, sm3Hex } from '../../platform/crypto/sm.js';
import type { Sm2KeyPair } from '../../platform/crypto/sm.js';
import { newMessageId, PROTOCOL, type Envelope, type UnsignedEnvelope } from './envelope.js';
import { envelopeProblems } from './inbound.js';
import { UUID } from '../../platform/uuid.js';

/**
 * A message as stored and as carried in a batch: an envelope whose signature, when it has none,
 * is the batch header it belongs to. (A replayed original answered inside a batch keeps the
 * signature it was first sent with.)
 */
export type Message = UnsignedEnvelope & { keyId?: string; signature?: string };

export interface BatchHeader {
  protocol: typeof PROTOCOL;
  type: 'batch' | 'batch-response';
  id: string;
  /** On a batch response: the id of the batch answered. */
  inReplyTo?: string;
  sender: string;
  receiver: string;
  timestamp: string;
  /** SM3 (lowercase hex) of the RFC 8785 form of each member, in order. */
  digests: string[];
  keyId: string;
  signature: string;
}

export interface Batch extends BatchHeader { members: Message[] }

/** What a node accepts, as advertised in its description (`batch` member). */
export interface BatchCapability { maxMessages: number; maxBytes: number }

export function memberDigest(member: Message): string {
  return sm3Hex(canonicalJson(member));
}

/** The header without its members: what is signed (minus `signature`) and what is stored. */
export function headerOf(batch: Batch): BatchHeader {
  const { members: _members, ...header } = batch;
  return header;
}

function signingInput(header: Omit<BatchHeader, 'signature'>): string {
  return canonicalJson(header);
}

export function signBatch(
  fields: Omit<BatchHeader, 'digests' | 'keyId' | 'signature' | 'protocol' | 'id' | 'timestamp'> & { id?: string },
  members: Message[], keyId: string, pair: Sm2KeyPair, now = new Date(),
): Batch {
  const unsigned: Omit<BatchHeader, 'signature'> = {
    protocol: PROTOCOL, type: fields.type, id: fields.id ?? newMessageId(), ...(fields.inReplyTo ? { inReplyTo: fields.inReplyTo } : {}),
    sender: fields.sender, receiver: fields.receiver, timestamp: now.toISOString(), digests: members.map(memberDigest), keyId,
  };
  return { ...unsigned, signature: sm2Sign(signingInput(unsigned), pair), members };
}

export function verifyBatchHeader(header: BatchHeader, publicKeyHex: string): boolean {
  const { signature, ...rest } = header;
  return sm2Verify(signingInput(rest), signature, publicKeyHex);
}

/**
 * The third party's check of one batched message: its digest is in the header's list, the
 * header is signed by `publicKeyHex`, and the message names the header's sender and receiver.
 */
export function verifyBatchedMessage(message: Message, header: BatchHeader, publicKeyHex: string): boolean {
  return message.sender === header.sender && message.receiver === header.receiver
    && header.digests.includes(memberDigest(message)) && verifyBatchHeader(header, publicKeyHex);
}

/** A member carried alone: the same message with a signature of its own (replays outside a batch). */
export function asSigned(message: Message): message is Envelope {
  return typeof message.signature === 'string' && typeof message.keyId === 'string';
}

const NODE_ID = /^[a-z][a-z0-9-]{1,31}$/;
const HEADER_FIELDS = new Set(['protocol', 'type', 'id', 'inReplyTo', 'sender', 'receiver', 'timestamp', 'digests', 'keyId', 'signature', 'members']);

/**
 * Problems with a batch body (`type` "batch" or "batch-response"); `tooMany` when it has more
 * members than `maxMessages`. Members must be well-formed envelopes without their own
 * signature (requests) — whether each belongs to the batch is checked member by member.
 */
export function batchProblems(body: unknown, type: BatchHeader['type'], maxMessages: number): { problems: string[]; tooMany: boolean } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problems: ['$: the body must be a JSON object'], tooMany: false };
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(b)) if (!HEADER_FIELDS.has(k)) problems.push(`$.${k}: unknown property`);
  const str = (k: string, test: (v: string) => boolean, what: string) => {
    if (typeof b[k] !== 'string') problems.push(`$.${k}: is required (string)`);
    else if (!test(b[k] as string)) problems.push(`$.${k}: ${what}`);
  };
  str('protocol', (v) => v === PROTOCOL, `must be "${PROTOCOL}"`);
  str('type', (v) => v === type, `must be "${type}"`);
  str('id', (v) => UUID.test(v), 'must be a lowercase UUID');
  str('sender', (v) => NODE_ID.test(v), 'must be a node id');
  str('receiver', (v) => NODE_ID.test(v), 'must be a node id');
  str('timestamp', (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 UTC time');
  str('keyId', (v) => v.length > 0 && v.length <= 128, 'must be a key id');
  str('signature', (v) => /^[0-9a-f]{16,256}$/.test(v), 'must be a hex DER signature');
  if (type === 'batch' && b.inReplyTo !== undefined) problems.push('$.inReplyTo: a batch request has none');
  if (type === 'batch-response' && (typeof b.inReplyTo !== 'string' || !UUID.test(b.inReplyTo))) problems.push('$.inReplyTo: must be the batch id');
  const members = b.members;
  const digests = b.digests;
  if (!Array.isArray(members) || members.length === 0) problems.push('$.members: is required (a non-empty array)');
  if (!Array.isArray(digests) || !digests.every((d) => typeof d === 'string' && /^[0-9a-f]{64}$/.test(d))) problems.push('$.digests: must be an array of SM3 hex digests');
  if (Array.isArray(members) && Array.isArray(digests) && members.length !== digests.length) problems.push('$.digests: one digest per member');
  const tooMany = Array.isArray(members) && members.length > maxMessages;
  if (Array.isArray(members) && !tooMany) {
    const ids = new Set<string>();
    members.forEach((m, i) => {
      const own = type === 'batch' ? envelopeProblems(m, { signed: false }) : [];
      for (const p of own.slice(0, 3)) problems.push(`$.members[${i}]${p.slice(1)}`);
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        if (ids.has(id)) problems.push(`$.members[${i}].id: appears twice in the batch`);
        ids.add(id);
      }
    });
  }
  return { problems, tooMany };
}
