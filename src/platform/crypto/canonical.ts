/** RFC 8785 (JCS) canonical JSON: the exact bytes every signature in tongban covers. */
import canonicalizeJson from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalizeJson(value);
  if (text === undefined) throw new Error('value cannot be canonicalised as JSON');
  return text;
}
