/**
 * JWS Compact Serialisation with HMAC (RFC 7515 §5, §7.1; RFC 7518 §3.2).
 */

import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { isAscii, toBytes } from './bytes.ts'
import { maxTokenLengthOption, splitCompact } from './compact.ts'
import {
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSInvalid,
  JWSSignatureVerificationFailed,
} from './errors.ts'
import {
  checkCrit,
  checkNoBareB64,
  decodeProtectedHeader,
  serializeProtectedHeader,
} from './header.ts'
import { type HmacAlgorithm, hmac, hmacAlgorithm, macEquals } from './hmac.ts'
import { describeValue, ownProperties } from './options.ts'
import type { JWSHeader, VerifyOptions, VerifyResult } from './types.ts'

const DEFAULT_ALGORITHMS: readonly string[] = ['HS256']

/** The header's `alg`, checked as a recipient would: present, and one this module implements. */
function signingAlgorithm(header: Record<string, unknown>): HmacAlgorithm {
  const alg = header.alg
  if (typeof alg !== 'string' || alg === '')
    throw new JWSInvalid('JWS "alg" Header Parameter missing or invalid')
  const algorithm = hmacAlgorithm(alg)
  if (algorithm === undefined)
    throw new JOSENotSupported(`JWS algorithm ${JSON.stringify(alg)} is not supported`)
  return algorithm
}

/** Checks the caller's key for signing with `algorithm`: a programmer error throws a `TypeError`. */
function checkSigningKey(key: Uint8Array, algorithm: HmacAlgorithm): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  if (key.length < algorithm.minKeyBytes) {
    throw new TypeError(
      `${algorithm.name} needs a key of at least ${algorithm.minKeyBytes} bytes (RFC 7518 §3.2); this one has ${key.length}`,
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
  // Steps 1–2: the payload is the caller's bytes (a string as UTF-8), then BASE64URL of it.
  const encodedPayload = encodeBase64url(toBytes(payload, 'payload'))

  // Steps 3–4: the header, serialised once, then checked as the recipient will read it.
  const serialized = serializeProtectedHeader(header, JWSInvalid, 'JWS Protected Header')
  checkCrit(serialized.header, JWSInvalid)
  checkNoBareB64(serialized.header)
  const algorithm = signingAlgorithm(serialized.header)
  checkSigningKey(key, algorithm)

  // Steps 5–6: the MAC over ASCII(header '.' payload), then BASE64URL of it.
  const signingInput = `${serialized.segment}.${encodedPayload}`
  const signature = encodeBase64url(hmac(algorithm, key, signingInput))

  // §7.1: header '.' payload '.' signature.
  return `${signingInput}.${signature}`
}
// #endregion sign-compact

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
        `algorithms: ${describeValue(alg)} is not supported here (HS256, HS384, HS512)`,
      )
    }
  }
  return algorithms
}

/** A key too short for every allowed algorithm can never verify anything: a programmer error. */
function checkVerificationKey(key: Uint8Array, algorithms: readonly string[]): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array of raw key bytes')
  let shortest = Number.POSITIVE_INFINITY
  for (const alg of algorithms) {
    shortest = Math.min(shortest, (hmacAlgorithm(alg) as HmacAlgorithm).minKeyBytes)
  }
  if (key.length < shortest) {
    throw new TypeError(
      `key has ${key.length} bytes; the allowed algorithms (${algorithms.join(', ')}) need at least ${shortest} (RFC 7518 §3.2)`,
    )
  }
}

// #region verify-compact
/**
 * Verifies a compact JWS (RFC 7515 §5.2) and returns its payload bytes.
 *
 * The order matters: cheap structural checks first, then the algorithm policy, then
 * the MAC, and only then is the payload decoded and handed back.
 */
export function verifyCompact(
  token: string,
  key: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const own = ownProperties(options, 'options')
  const algorithms = algorithmsOption(own.algorithms)
  checkVerificationKey(key, algorithms)

  // Step 1: three segments, after an O(1) size cap.
  const maxLength = maxTokenLengthOption(own.maxTokenLength)
  const [encodedHeader, encodedPayload, encodedSignature] = splitCompact(
    token,
    3,
    maxLength,
    JWSInvalid,
  ) as [string, string, string]

  // Steps 2–4: the header is canonical base64url of strict UTF-8 of a strict JSON
  // object, and every extension it marks critical must be understood.
  const header = decodeProtectedHeader(encodedHeader, JWSInvalid, 'JWS Protected Header')
  checkCrit(header, JWSInvalid)
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

  // Step 8 MACs ASCII(header '.' payload): a payload segment that is not ASCII cannot
  // be part of a Signing Input, so it is refused before any MAC is computed, as jose does.
  if (!isAscii(encodedPayload)) throw new JWSInvalid('JWS Payload is not canonical base64url')

  // Step 7: the signature is canonical base64url.
  const signature = decodeBase64url(encodedSignature)
  if (signature === undefined) throw new JWSInvalid('JWS Signature is not canonical base64url')

  // Step 8: recompute the MAC over the *received* characters (never a re-serialisation)
  // and compare in constant time.
  const signingInput = `${encodedHeader}.${encodedPayload}`
  if (!macEquals(hmac(algorithm, key, signingInput), signature))
    throw new JWSSignatureVerificationFailed()

  // Step 6, done last: only an authenticated payload is decoded, and only its canonical
  // spelling, so that no work is spent on a payload nobody signed.
  const payload = decodeBase64url(encodedPayload)
  if (payload === undefined) throw new JWSInvalid('JWS Payload is not canonical base64url')
  return { payload, protectedHeader: header as JWSHeader }
}
// #endregion verify-compact
