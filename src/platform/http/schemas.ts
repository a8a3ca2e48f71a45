/** Schema building blocks shared by every route (TypeBox → JSON Schema → Ajv and OpenAPI). */
import { Type, type TProperties, type TSchema, type TObjectOptions } from 'typebox';

/**
 * An object that rejects unknown properties. Use it for every request and response object:
 * a misspelt field must be a 400, never silently dropped.
 */
export function Obj<T extends TProperties>(properties: T, options: TObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const ErrorBody = Obj(
  {
    error: Obj({
      code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
    }),
  },
  { $id: 'ErrorBody', description: 'Every non-2xx response under /api' },
);

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Obj({ id: Uuid });
export const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const DateTimeString = Type.String({ format: 'date-time' });
export const RegionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3}([GBH0-9]{0,16}))?)?$', maxLength: 30 });
// Bounded by PostgreSQL's integer column: a larger number is a 400, not a database error.
export const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Version read last; a stale one gets 409' });

/** Keyset page parameters: `after` is an opaque cursor returned as `nextCursor`. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  after: Type.Optional(Type.String({ maxLength: 200 })),
};

export function Page<T extends TSchema>(item: T) {
  return Obj({ items: Type.Array(item), nextCursor: Type.Optional(Type.String()) });
}

export const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
