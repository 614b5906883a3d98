/**
 * JWS Compact Serialisation with HMAC (RFC 7515 §5, §7.1; RFC 7518 §3.2).
 */

import { decodeBase64urlTransient, encodeBase64url } from './base64url.ts'
import { isAscii, ownedBytes } from './bytes.ts'
import { maxTokenLengthOption, splitCompact } from './compact.ts'
import {
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSInvalid,
  JWSSignatureVerificationFailed,
} from './errors.ts'
import { checkNoBareB64, decodeProtectedHeader, encodeProtectedHeader } from './header.ts'
import { type HmacAlgorithm, hmac, hmacAlgorithm, hmacBase64url, macEquals } from './hmac.ts'
import type { JWSHeader, VerifyOptions, VerifyResult } from './types.ts'

const DEFAULT_ALGORITHMS: readonly string[] = ['HS256']

/** Checks the caller's key for signing with `algorithm`: a programmer error throws a `TypeError`. */
function checkSigningKey(key: Uint8Array, alg: string, algorithm: HmacAlgorithm): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  if (key.length < algorithm.minKeyBytes) {
    throw new TypeError(
      `${alg} needs a key of at least ${algorithm.minKeyBytes} bytes (RFC 7518 §3.2); this one has ${key.length}`,
    )
  }
}

// #region sign-compact
/**
 * Signs `payload` as a JWS in compact form (RFC 7515 §5.1). The header defaults to
 * `{ alg: 'HS256' }` and is serialised with `JSON.stringify`, member order included.
 */
export function signCompact(
  payload: Uint8Array | string,
  key: Uint8Array,
  header: JWSHeader = { alg: 'HS256' },
): string {
  // Step 1 is the header itself: which algorithm, which key.
  const alg = header?.alg
  if (typeof alg !== 'string' || alg === '')
    throw new JWSInvalid('JWS "alg" Header Parameter missing or invalid')
  const algorithm = hmacAlgorithm(alg)
  if (algorithm === undefined)
    throw new JOSENotSupported(`JWS algorithm ${JSON.stringify(alg)} is not supported`)
  checkSigningKey(key, alg, algorithm)

  // Steps 2–4: BASE64URL(payload) and BASE64URL(UTF8(JWS Protected Header)).
  const encodedPayload = encodeBase64url(payload)
  const encodedHeader = encodeProtectedHeader(header, JWSInvalid, 'JWS Protected Header')
  checkNoBareB64(header)

  // Steps 5–6: the MAC over ASCII(header '.' payload), then BASE64URL of it.
  const signingInput = `${encodedHeader}.${encodedPayload}`
  const signature = hmacBase64url(algorithm, key, signingInput)

  // §7.1: header '.' payload '.' signature.
  return `${signingInput}.${signature}`
}
// #endregion sign-compact

/**
 * signCompact for a header whose segment was encoded, and checked, ahead of time: the
 * same steps in the same order, without serialising a header that never changes.
 */
export function signCompactPreencoded(
  payload: Uint8Array | string,
  key: Uint8Array,
  alg: string,
  encodedHeader: string,
): string {
  const algorithm = hmacAlgorithm(alg) as HmacAlgorithm
  checkSigningKey(key, alg, algorithm)
  const signingInput = `${encodedHeader}.${encodeBase64url(payload)}`
  return `${signingInput}.${hmacBase64url(algorithm, key, signingInput)}`
}

/** Validates the `algorithms` option; unknown names are a programmer error. */
function algorithmsOption(algorithms: string[] | undefined): readonly string[] {
  if (algorithms === undefined) return DEFAULT_ALGORITHMS
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('algorithms must be a non-empty array of JWS algorithm names')
  }
  for (const alg of algorithms) {
    // A Map lookup: a non-string (or '__proto__') simply finds nothing.
    if (hmacAlgorithm(alg) === undefined) {
      throw new TypeError(
        `algorithms: ${JSON.stringify(alg)} is not supported here (HS256, HS384, HS512)`,
      )
    }
  }
  return algorithms
}

/** A key too short for every allowed algorithm can never verify anything: a programmer error. */
function checkVerificationKey(key: Uint8Array, algorithms: readonly string[]): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  let fitsOne = false
  let shortest = Number.POSITIVE_INFINITY
  for (const alg of algorithms) {
    const minKeyBytes = (hmacAlgorithm(alg) as HmacAlgorithm).minKeyBytes
    if (key.length >= minKeyBytes) fitsOne = true
    shortest = Math.min(shortest, minKeyBytes)
  }
  if (!fitsOne) {
    throw new TypeError(
      `key has ${key.length} bytes; ${algorithms.join(', ')} need at least ${shortest} (RFC 7518 §3.2)`,
    )
  }
}

/** Verifies a compact JWS (RFC 7515 §5.2) and returns its payload bytes. */
export function verifyCompact(
  token: string,
  key: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const { payload, protectedHeader } = verifyCompactTransient(token, key, options)
  // The caller keeps these bytes: they must own their memory, never a view into a pool.
  return { payload: ownedBytes(payload), protectedHeader }
}

// #region verify-compact
/**
 * Verifies a compact JWS (RFC 7515 §5.2). The payload it returns may be a view into
 * Node's shared pool: verifyCompact copies it for the caller, verifyJwt only reads it.
 *
 * The order matters: cheap structural checks first, then the algorithm policy, then
 * the MAC, and only then is the payload decoded and handed back.
 */
export function verifyCompactTransient(
  token: string,
  key: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const algorithms = algorithmsOption(options.algorithms)
  checkVerificationKey(key, algorithms)

  // Step 1: three segments, after an O(1) size cap.
  const maxLength = maxTokenLengthOption(options.maxTokenLength)
  const [encodedHeader, encodedPayload, encodedSignature] = splitCompact(
    token,
    3,
    maxLength,
    JWSInvalid,
  ) as [string, string, string]

  // Steps 2–4: the header is canonical base64url of strict UTF-8 of a strict JSON object.
  const header = decodeProtectedHeader(encodedHeader, JWSInvalid, 'JWS Protected Header')
  checkNoBareB64(header)

  // Step 5 (RFC 8725 §3.1): the caller's allowlist decides the algorithm, never the
  // token. The header only selects among algorithms the caller already accepted.
  const alg = header.alg
  if (typeof alg !== 'string' || alg === '')
    throw new JWSInvalid('JWS "alg" Header Parameter missing or invalid')
  if (!algorithms.includes(alg))
    throw new JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed')
  const algorithm = hmacAlgorithm(alg) as HmacAlgorithm
  // RFC 7518 §3.2: the key must be at least as long as the hash. The caller's key fits
  // some allowed algorithm (checked above), so a mismatch here is the token's doing.
  if (key.length < algorithm.minKeyBytes) {
    throw new JWSInvalid(`the key is too short for ${alg} (RFC 7518 §3.2)`)
  }

  // The Signing Input is ASCII by definition (RFC 7515 §5.2 step 8).
  if (!isAscii(encodedPayload)) throw new JWSInvalid('JWS Payload is not canonical base64url')
  const signature = decodeBase64urlTransient(encodedSignature)
  if (signature === undefined) throw new JWSInvalid('JWS Signature is not canonical base64url')

  // Step 8: recompute the MAC over the *received* bytes (never a re-serialisation)
  // and compare in constant time.
  const signingInput = token.slice(0, encodedHeader.length + 1 + encodedPayload.length)
  if (!macEquals(hmac(algorithm, key, signingInput), signature))
    throw new JWSSignatureVerificationFailed()

  // Only an authenticated payload is decoded (step 6), and only its canonical spelling.
  const payload = decodeBase64urlTransient(encodedPayload)
  if (payload === undefined) throw new JWSInvalid('JWS Payload is not canonical base64url')
  return { payload, protectedHeader: header as JWSHeader }
}
// #endregion verify-compact
