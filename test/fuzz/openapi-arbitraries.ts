/**
 * Requests generated from the OpenAPI document: for each operation, values that fit its schemas
 * and values that do not (wrong types, huge strings, deep nesting, unicode edge cases, injection
 * strings, missing and extra fields). Driven by the document alone, so a route a module adds later
 * is fuzzed without anyone listing it.
 */
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export interface Operation {
  method: string;
  /** OpenAPI path, `/api/v1/persons/{id}`. */
  path: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  queryParams: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  body?: JsonSchema;
}

export interface FuzzRequest {
  method: string;
  url: string;
  /** Already-serialised payload (sometimes not JSON at all), and its content type. */
  payload?: string;
  contentType?: string;
}

export function operationsOf(doc: JsonSchema): Operation[] {
  const ops: Operation[] = [];
  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => {
    if (s && typeof s.$ref === 'string') {
      const name = s.$ref.split('/').pop()!;
      return resolve(doc.components?.schemas?.[name]);
    }
    return s;
  };
  for (const [path, item] of Object.entries<JsonSchema>(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const params: JsonSchema[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: JsonSchema) => ({ ...p, schema: resolve(p.schema) ?? {} }));
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: !!p.required })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  return ops;
}

export const INJECTION_STRINGS = [
  "' OR '1'='1", "'; DROP TABLE persons; --", '" OR 1=1 --', '1; SELECT pg_sleep(5)', "\\'; COPY persons TO '/tmp/x'; --",
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd',
  '${jndi:ldap://127.0.0.1/a}', '{{7*7}}', '%s%s%s%n', '__proto__', 'constructor', '$where', '{"$gt": ""}', 'null', 'undefined',
  'NaN', '-1', '0', '99999999999999999999999', '1e309', 'true', '[]', '{}',
];

export const UNICODE_EDGES = [
  '\u0000', 'a\u0000b', '\ud800', '\udfff', '\ufeff张三', '\u202eevil', 'e\u0301', '𠀀𪚥', '👨‍👩‍👧‍👦', '３３０１０６', '\u3000', '\r\n\t',
  'Ｚ', 'İ', 'ß', '\u2028\u2029', '\uffff', ' '.repeat(64), '张'.repeat(300),
];

const hugeString = fc.constantFrom(70_000, 1_100_000).map((n) => 'A'.repeat(n));

/**
 * JSON text spliced into a body as is. Deeply nested values are carried as text: as JS objects
 * they would overflow the generator's own recursion (cloning, printing) before reaching the server.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string { return `RawJson(${this.text.length} chars: ${this.text.slice(0, 40)}…)`; }
}

/** Nesting of arrays/objects `depth` levels deep (parsers and validators must not overflow). */
export function deepNest(depth: number, asObject: boolean): RawJson {
  return new RawJson(asObject ? `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}` : `${'['.repeat(depth)}"x"${']'.repeat(depth)}`);
}

const deep = fc.tuple(fc.constantFrom(50, 1_000, 10_000, 100_000), fc.boolean()).map(([d, o]) => deepNest(d, o));

/** JSON.stringify that splices RawJson fragments in verbatim. */
export function serialise(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Strings that break assumptions: injection, unicode edges, huge, empty. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTION_STRINGS),
  fc.constantFrom(...UNICODE_EDGES),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant(''),
  hugeString,
);

/** Any JSON value of a kind the schema does not ask for, or hostile. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 63), 1e308),
  fc.constantFrom([], {}, [null], { '': '' }, new RawJson('{"__proto__":{"admin":true}}'), { constructor: { prototype: { x: 1 } } }),
  deep,
  fc.jsonValue({ maxDepth: 3 }),
);

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null');
  return undefined;
}

/** A value that satisfies the schema as far as we can tell (formats and patterns included). */
export function validValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) return fc.oneof(...alternatives.map((s: JsonSchema) => validValue(s)));
  switch (typeOf(schema)) {
    case 'string': return validString(schema);
    case 'integer': return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number': return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': return fc.array(validValue(schema.items), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object': return validObject(schema);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 40, 40);
  const min = Math.min(schema.minLength ?? 0, max);
  switch (schema.format) {
    case 'uuid': return fc.uuid();
    case 'date': return fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time': return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    default: break;
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength: min, maxLength: max });
}

function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, JsonSchema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, s] of Object.entries(props)) model[k] = validValue(s);
  return fc.record(model, { requiredKeys: required.filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A body for the schema: mostly near-valid with one thing wrong, sometimes entirely wrong. */
export function bodyFor(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const valid = validValue(schema);
  const props = Object.keys(schema?.properties ?? {});
  const mutations: fc.Arbitrary<unknown>[] = [valid, hostileValue];
  if (typeOf(schema ?? {}) === 'object' && props.length) {
    const prop = fc.constantFrom(...props);
    mutations.push(
      // One field with a wrong type or a hostile value.
      fc.tuple(valid, prop, hostileValue).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
      // A required field missing.
      fc.tuple(valid, prop).map(([v, k]) => {
        const copy = { ...(v as Record<string, unknown>) };
        delete copy[k];
        return copy;
      }),
      // An unknown field added (as text: `__proto__` must reach the server as a key).
      fc.tuple(valid, fc.constantFrom('extra', 'isAdmin', 'roles', '__proto__', 'constructor', 'id', '张三'), hostileValue)
        .map(([v, k, bad]) => new RawJson(serialise(v).replace(/^\{/, `{${JSON.stringify(k)}:${serialise(bad)},`).replace(/,\}$/, '}'))),
    );
  }
  return fc.oneof(...mutations);
}

function paramValue(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema).map((v) => String(v)) },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 5000) },
    { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', '330106', '330106002051G01', '-1', '1.5', '..', ...RAW_SEGMENTS) },
  );
}

const RAW_SEGMENTS = ['%', '%E0%A4%A', '%zz', '%00', '..%2F..%2F'];

/** Percent-encodes UTF-8 bytes; lone surrogates (which encodeURIComponent rejects) become U+FFFD. */
function encodePathSegment(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

export function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathArb = fc.tuple(...op.pathParams.map((p) => paramValue(p.schema))).map((values) => {
    let url = op.path;
    op.pathParams.forEach((p, i) => {
      const v = values[i]!;
      // A few values go in raw: broken percent-encoding must be refused, not crash the router.
      url = url.replace(`{${p.name}}`, RAW_SEGMENTS.includes(v) ? v : encodePathSegment(v));
    });
    return url;
  });
  const queryArb = fc.tuple(...op.queryParams.map((q) => fc.option(paramValue(q.schema), { nil: undefined, freq: q.required ? 8 : 2 })))
    .map((values) => {
      const qs = new URLSearchParams();
      op.queryParams.forEach((q, i) => { if (values[i] !== undefined) qs.set(q.name, values[i]!); });
      // Sometimes a parameter the route does not know, or the same one twice.
      return qs;
    });
  const extraQuery = fc.option(fc.tuple(fc.constantFrom('limit', 'after', 'x', 'purpose'), hostileString.filter((s) => s.length < 2000)), { freq: 4 });
  const payloadArb: fc.Arbitrary<{ payload?: string; contentType?: string }> = op.method === 'GET' || op.method === 'DELETE'
    ? fc.constant({})
    : fc.oneof(
      { weight: 8, arbitrary: bodyFor(op.body).map((b) => ({ payload: serialise(b), contentType: 'application/json' })) },
      { weight: 1, arbitrary: fc.constantFrom('{"a":', '', 'null', '\u0000', '{"a":1,"a":2}', '[' .repeat(5000)).map((p) => ({ payload: p, contentType: 'application/json' })) },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1')
        .map((ct) => ({ payload: 'a=1&b=2', contentType: ct })) },
    );
  return fc.tuple(pathArb, queryArb, extraQuery, payloadArb).map(([path, qs, extra, body]) => {
    if (extra) qs.append(extra[0], extra[1]);
    const query = qs.toString();
    return { method: op.method, url: query ? `${path}?${query}` : path, ...body };
  });
}
