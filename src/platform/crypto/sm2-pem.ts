/**
 * SM2 public keys as SubjectPublicKeyInfo PEM, the form OpenSSL 3 and other nodes read:
 * SEQUENCE{ SEQUENCE{ OID id-ecPublicKey, OID sm2p256v1 }, BIT STRING 04‖x‖y }.
 * The DER prefix is fixed for a 65-byte uncompressed point, so no ASN.1 library is needed.
 */
const SPKI_PREFIX = Buffer.from(
  '3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex',
);

export function sm2PublicKeyToPem(publicKeyHex: string): string {
  const der = Buffer.concat([SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]);
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

/** Returns the 04‖x‖y hex point, or throws if the PEM is not an SM2 SubjectPublicKeyInfo. */
export function sm2PublicKeyFromPem(pem: string): string {
  const b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  if (der.length !== SPKI_PREFIX.length + 65 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) {
    throw new Error('not an SM2 SubjectPublicKeyInfo');
  }
  return der.subarray(SPKI_PREFIX.length).toString('hex');
}
