/**
 * Which algorithms each party can check: src implements HMAC (HS256, HS384, HS512)
 * and `dir` with AES-GCM; jose implements the rest of the registry that real tokens
 * use (RFC 7518 §3.1 and §4.1, RFC 8037 §3.1). The inspector verifies the first kind
 * with both implementations and the second with jose alone, given the right key.
 */

/** src's JWS algorithms, and the shortest key each accepts: the hash size (RFC 7518 §3.2). */
export const HMAC_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 }

/** src's JWE content encryption: AES-GCM, with its key size (RFC 7518 §5.3). */
export const GCM_KEY_BYTES: Readonly<Record<string, number>> = {
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
}

/** JWS algorithms that verify with a public key (RFC 7518 §3.3–3.5, RFC 8037 §3.1). */
export const PUBLIC_KEY_JWS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]

/** JWE key management with the recipient's private key (RFC 7518 §4.3, §4.6). */
export const PRIVATE_KEY_JWE = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
]

/** JWE key wrapping with a shared key, and the size of that key (RFC 7518 §4.4, §4.7). */
export const KEY_WRAP_BYTES: Readonly<Record<string, number>> = {
  A128KW: 16,
  A192KW: 24,
  A256KW: 32,
  A128GCMKW: 16,
  A192GCMKW: 24,
  A256GCMKW: 32,
}

/** Content encryption jose implements and src does not, with its key size (RFC 7518 §5.2). */
export const CBC_HMAC_KEY_BYTES: Readonly<Record<string, number>> = {
  'A128CBC-HS256': 32,
  'A192CBC-HS384': 48,
  'A256CBC-HS512': 64,
}

/** Every content encryption algorithm jose decrypts. */
export const ALL_ENC = [...Object.keys(GCM_KEY_BYTES), ...Object.keys(CBC_HMAC_KEY_BYTES)]

export function isHmac(alg: unknown): boolean {
  return typeof alg === 'string' && Object.hasOwn(HMAC_KEY_BYTES, alg)
}

export function isGcm(enc: unknown): boolean {
  return typeof enc === 'string' && Object.hasOwn(GCM_KEY_BYTES, enc)
}

/** A JWS algorithm that jose verifies and src does not implement. */
export function isPublicKeyJws(alg: unknown): boolean {
  return typeof alg === 'string' && PUBLIC_KEY_JWS.includes(alg)
}

/** A JWE `alg` that jose handles and src does not: private-key or shared-key wrapping. */
export function isJoseOnlyJweAlg(alg: unknown): boolean {
  return (
    typeof alg === 'string' && (PRIVATE_KEY_JWE.includes(alg) || Object.hasOwn(KEY_WRAP_BYTES, alg))
  )
}

/** A JWE `enc` that jose decrypts and src does not implement. */
export function isJoseOnlyEnc(enc: unknown): boolean {
  return typeof enc === 'string' && Object.hasOwn(CBC_HMAC_KEY_BYTES, enc)
}

/** `cty` says the content is a JWT (RFC 7519 §5.2); media types compare case-insensitively. */
export function isNestedJwtType(cty: unknown): boolean {
  return typeof cty === 'string' && ['jwt', 'application/jwt'].includes(cty.toLowerCase())
}
