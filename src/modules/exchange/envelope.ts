/**
 * The signed envelope of the exchange protocol (docs/exchange.md). Every request and every
 * response between nodes is one of these, signed with the sender's SM2 node key over the RFC
 * 8785 canonical JSON of the envelope without its `signature` member.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { sm2Sign, sm2Verify, sm3Hex } from '../../platform/crypto/sm.js';
import type { Sm2KeyPair } from '../../platform/crypto/sm.js';

export const PROTOCOL = 'tongban-exchange/1';

export interface Envelope {
  protocol: typeof PROTOCOL;
  id: string;
  /** Set on responses: the id of the request answered. */
  inReplyTo?: string;
  sender: string;
  receiver: string;
  service: string;
  timestamp: string;
  /** Set on responses. */
  status?: 'ok' | 'error';
  payload: Record<string, unknown>;
  keyId: string;
  signature: string;
}

export type UnsignedEnvelope = Omit<Envelope, 'signature' | 'keyId'>;

export interface ErrorPayload { error: { code: string; message: string } }

/** The exact text the signature covers. */
export function signingInput(env: Omit<Envelope, 'signature'>): string {
  return canonicalJson(env);
}

export function signEnvelope(env: UnsignedEnvelope, keyId: string, pair: Sm2KeyPair): Envelope {
  const withKey = { ...env, keyId };
  return { ...withKey, signature: sm2Sign(signingInput(withKey), pair) };
}

export function verifyEnvelope(env: Envelope, publicKeyHex: string): boolean {
  const { signature, ...rest } = env;
  return sm2Verify(signingInput(rest), signature, publicKeyHex);
}

/**
 * What makes two deliveries "the same message": everything but the timestamp, key and
 * signature, which a retry refreshes. A reused id with other content is refused.
 */
export function contentHash(env: Pick<Envelope, 'id' | 'sender' | 'receiver' | 'service' | 'payload'>): string {
  return sm3Hex(canonicalJson({ id: env.id, sender: env.sender, receiver: env.receiver, service: env.service, payload: env.payload }));
}

/** SM3 of the whole signed envelope (or batch member, or batch header), as chained into the audit log. */
export function envelopeHash(env: object): string {
  return sm3Hex(canonicalJson(env));
}

/** SM3 over the raw 65-byte public point: what an administrator pins for a peer. */
export function keyFingerprint(publicKeyHex: string): string {
  return sm3Hex(Buffer.from(publicKeyHex, 'hex'));
}

/** Accepts a fingerprint with or without ':' or spaces between groups, any case. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toLowerCase();
}

export function newMessageId(): string {
  return randomUUID();
}

export function requestEnvelope(sender: string, receiver: string, service: string, payload: Record<string, unknown>, id = newMessageId(), now = new Date()): UnsignedEnvelope {
  return { protocol: PROTOCOL, id, sender, receiver, service, timestamp: now.toISOString(), payload };
}

export function responseEnvelope(
  sender: string, receiver: string, service: string, inReplyTo: string | undefined,
  status: 'ok' | 'error', payload: Record<string, unknown>, now = new Date(),
): UnsignedEnvelope {
  return {
    protocol: PROTOCOL, id: newMessageId(), ...(inReplyTo ? { inReplyTo } : {}), sender, receiver, service,
    timestamp: now.toISOString(), status, payload,
  };
}
