/**
 * JSON Web Tokens (RFC 7519): claims inside a JWS, or directly inside a `dir` JWE.
 */

import { normalizeMediaType, parseClaims, validateClaims } from './claims.ts'
import { buildClaims } from './claims-builder.ts'
import { JWEInvalid, JWSInvalid, JWTClaimValidationFailed, JWTInvalid } from './errors.ts'
import { serializeProtectedHeader } from './header.ts'
import { decryptCompact, encryptCompact } from './jwe.ts'
import { signCompact, verifyCompact } from './jws.ts'
import { ownProperties } from './options.ts'
import type {
  JWEHeader,
  JWSHeader,
  JWTDecryptOptions,
  JWTDecryptResult,
  JWTEncryptOptions,
  JWTPayload,
  JWTSignOptions,
  JWTVerifyOptions,
  JWTVerifyResult,
} from './types.ts'

/** The JWS header `signJwt` uses unless told otherwise. */
export const DEFAULT_JWT_HEADER = { alg: 'HS256', typ: 'JWT' } as const

/**
 * Signs a claims set as a JWS-protected JWT (RFC 7519 §7.1). The header is serialised
 * once and parsed back, as for encryptJwt, so that the `cty` check sees what is sent.
 */
export function signJwt(claims: JWTPayload, key: Uint8Array, options: JWTSignOptions = {}): string {
  const own = ownProperties(options, 'options')
  const claimsJson = buildClaims(claims, own)
  const header = serializeProtectedHeader(
    own.header ?? { ...DEFAULT_JWT_HEADER },
    JWSInvalid,
    'JWS Protected Header',
  ).header as JWSHeader
  // A producer never emits what its own verifyJwt refuses (RFC 7519 §7.2 step 8).
  if (isNestedJwtType(header.cty)) {
    throw new TypeError('cty "JWT" announces a nested token; signJwt signs a claims set')
  }
  return signCompact(claimsJson, key, header)
}

/** A `cty` of JWT marks a nested token (RFC 7519 §5.2). */
export function isNestedJwtType(cty: unknown): boolean {
  return typeof cty === 'string' && normalizeMediaType(cty) === 'application/jwt'
}

// #region verify-jwt
/** Verifies a JWS-protected JWT: the MAC first, then the claims (RFC 7519 §7.2). */
export function verifyJwt(
  token: string,
  key: Uint8Array,
  options: JWTVerifyOptions = {},
): JWTVerifyResult {
  const own = ownProperties(options, 'options')
  const { payload: bytes, protectedHeader } = verifyCompact(token, key, own)
  // RFC 7519 §7.2 step 8: cty "JWT" says the payload is another JWT, not a claims set.
  // Nested signing is not supported here, so the payload is never read as claims.
  if (isNestedJwtType(protectedHeader.cty)) {
    throw new JWTInvalid('this JWS holds a nested JWT (cty "JWT"), which is not supported')
  }
  const payload = parseClaims(bytes)
  validateClaims(protectedHeader, payload, own)
  return { payload, protectedHeader }
}
// #endregion verify-jwt

/**
 * The caller's JWE header, serialised once and parsed back, so that the JWT layer's check
 * of `cty` sees what will be sent. Its plain copy is what encryptCompact then seals: the
 * same text, since JSON.stringify of parsed JSON.stringify output gives that output again.
 */
export function plainEncryptionHeader(header: unknown): JWEHeader {
  return serializeProtectedHeader(header, JWEInvalid, 'JWE Protected Header').header as JWEHeader
}

/** Encrypts a claims set directly as a `dir` JWE (RFC 7519 §7.1, with no inner JWS). */
export function encryptJwt(
  claims: JWTPayload,
  key: Uint8Array,
  options: JWTEncryptOptions = {},
): string {
  const own = ownProperties(options, 'options')
  const claimsJson = buildClaims(claims, own)
  const header = plainEncryptionHeader(own.header ?? { alg: 'dir', enc: 'A256GCM' })
  if (isNestedJwtType(header.cty)) {
    throw new TypeError(
      'cty "JWT" announces a nested token; use signThenEncrypt for sign-then-encrypt',
    )
  }
  return encryptCompact(claimsJson, key, header, { iv: own.iv })
}

/**
 * RFC 7519 §5.3: claims copied into the JWE header (so they can be read before
 * decrypting) must equal the claims inside, or the header would lie.
 */
export function checkReplicatedClaims(header: Record<string, unknown>, payload: JWTPayload): void {
  for (const claim of ['iss', 'sub', 'aud'] as const) {
    if (header[claim] === undefined) continue
    const same =
      claim === 'aud'
        ? JSON.stringify(header.aud) === JSON.stringify(payload.aud)
        : header[claim] === payload[claim]
    if (!same) {
      throw new JWTClaimValidationFailed(
        `replicated "${claim}" claim header parameter mismatch`,
        payload,
        claim,
        'mismatch',
      )
    }
  }
}

// #region decrypt-jwt
/** Decrypts a JWT whose claims sit directly inside a `dir` JWE, then checks the claims. */
export function decryptJwt(
  token: string,
  key: Uint8Array,
  options: JWTDecryptOptions = {},
): JWTDecryptResult {
  const own = ownProperties(options, 'options')
  const { plaintext, protectedHeader } = decryptCompact(token, key, own)
  // A cty of JWT says the plaintext is another JWT, not a claims set. Reading it as
  // claims would skip the inner signature: a downgrade. jose's jwtDecrypt does not
  // look at cty; decryptThenVerify is the function for nested tokens.
  if (isNestedJwtType(protectedHeader.cty)) {
    throw new JWTInvalid('this JWE holds a nested JWT (cty "JWT"); use decryptThenVerify')
  }
  const payload = parseClaims(plaintext)
  validateClaims(protectedHeader, payload, own)
  checkReplicatedClaims(protectedHeader, payload)
  return { payload, protectedHeader }
}
// #endregion decrypt-jwt
