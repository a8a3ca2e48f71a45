declare module 'canonicalize' {
  /** RFC 8785 JSON Canonicalization Scheme; undefined for values JSON cannot carry. */
  export default function canonicalize(value: unknown): string | undefined;
}
