/** Request and response shapes of the exchange's administration API. */
import { Type } from 'typebox';
import { Nullable, Obj, Version } from '../../platform/http/schemas.js';
import { EXCHANGE_SERVICES } from './service.js';

export const ServiceName = Type.Union(EXCHANGE_SERVICES.map((s) => Type.Literal(s)));
export const NodeIdParam = Obj({ nodeId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }) });

export const AddPeerBody = Obj({
  baseUrl: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 300 }),
  fingerprint: Type.String({ minLength: 64, maxLength: 100, description: 'SM3 of the peer node key (hex; colons allowed)' }),
  nodeId: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  allowedServices: Type.Array(ServiceName, { maxItems: 20 }),
});
export const UpdatePeerBody = Obj({
  version: Version,
  allowedServices: Type.Optional(Type.Array(ServiceName, { maxItems: 20 })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
  baseUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 300 })),
});
export const PeerKeyView = Obj({
  keyId: Type.String(), fingerprint: Type.String(), endorsedBy: Nullable(Type.String()),
  supersededAt: Nullable(Type.String()), revokedAt: Nullable(Type.String()), learnedAt: Type.String(),
});
export const PeerView = Obj({
  nodeId: Type.String(), name: Type.String(), baseUrl: Type.String(), pinnedFingerprint: Type.String(),
  allowedServices: Type.Array(Type.String()), status: Type.String(), addedAt: Type.String(), version: Type.Integer(),
  keys: Type.Array(PeerKeyView),
});
export const PeerList = Obj({ items: Type.Array(PeerView) });
export const RotateResult = Obj({ keyId: Type.String(), fingerprint: Type.String(), previousKeyId: Type.String() });
export const OutboxStatus = Obj({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() });
export const RefusalList = Obj({
  items: Type.Array(Obj({ sender: Nullable(Type.String()), messageId: Nullable(Type.String()), service: Nullable(Type.String()), code: Type.String(), refusedAt: Type.String() })),
});
export const PingResult = Obj({ node: Type.String(), ok: Type.Boolean(), responseId: Type.String() });
