/**
 * The public API of jose-by-hand, built on jose and configured the safe way.
 *
 * Same names, same argument shapes, same error codes as `src/`; the only difference
 * a caller sees is that these functions return Promises, because jose runs on
 * WebCrypto. Tests `await` every call, so one test body runs against both.
 *
 * "Configured safely" means every choice jose leaves to the caller is made here:
 * - `algorithms`, `keyManagementAlgorithms` and `contentEncryptionAlgorithms` are
 *   always set, so the token never picks its own algorithm (RFC 8725 §3.1);
 * - `maxDecompressedLength: 0` turns JWE compression off;
 * - tokens longer than `maxTokenLength` are refused before jose sees them;
 * - keys shorter than the algorithm needs are refused (RFC 7518 §3.2, §5.3);
 * - a JWE that announces a nested JWT (`cty: "JWT"`) is not read as bare claims.
 *
 * What is *not* changed is jose's own parsing: its base64url and JSON are lenient
 * where `src/` is strict. docs/divergences.md lists each difference.
 */

import {
  CompactEncrypt,
  CompactSign,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  EncryptJWT,
  errors,
  base64url as joseBase64url,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
} from 'jose'
import type {
  DecryptOptions,
  DecryptResult,
  EncryptOptions,
  Instant,
  JWEHeader,
  JWSHeader,
  JWTClaimOptions,
  JWTClaimsHelpers,
  JWTDecryptOptions,
  JWTDecryptResult,
  JWTEncryptOptions,
  JWTPayload,
  JWTSignOptions,
  JWTVerifyOptions,
  JWTVerifyResult,
  NestedKeys,
  NestedVerifyOptions,
  NestedVerifyResult,
  SignThenEncryptOptions,
  VerifyOptions,
  VerifyResult,
} from 'jose-by-hand'

// jose's own error classes: the codes (ERR_JWS_INVALID, …) are the shared contract.
export const {
  JOSEAlgNotAllowed,
  JOSEError,
  JOSENotSupported,
  JWEDecryptionFailed,
  JWEInvalid,
  JWSInvalid,
  JWSSignatureVerificationFailed,
  JWTClaimValidationFailed,
  JWTExpired,
  JWTInvalid,
} = errors

const DEFAULT_MAX_TOKEN_LENGTH = 65_536
const HMAC_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 }
const GCM_KEY_BYTES: Readonly<Record<string, number>> = { A128GCM: 16, A192GCM: 24, A256GCM: 32 }
const encoder = new TextEncoder()

/** jose's base64url: note that its decoder is lenient (padding, whitespace, spare bits). */
export const base64url: {
  encode(input: Uint8Array | string): string
  decode(input: string): Uint8Array
} = {
  encode: (input) => joseBase64url.encode(input),
  decode: (input) => joseBase64url.decode(input),
}

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input
}

/**
 * The caller's own properties of an option bag, in an object with no prototype. jose reads
 * `options.maxTokenAge` and friends through the prototype chain, so a polluted
 * Object.prototype would reach it; a safe configuration hands jose only what the caller
 * wrote. (src/options.ts does the same for src/; each side keeps its own copy, so that
 * one cannot hide a mistake of the other.)
 */
function own<T extends object>(bag: T | undefined, label: string): Partial<T> {
  const copy: Record<string, unknown> = Object.create(null)
  if (bag === undefined) return copy as Partial<T>
  if (typeof bag !== 'object' || bag === null) throw new TypeError(`${label} must be an object`)
  for (const name of Object.keys(bag)) copy[name] = (bag as Record<string, unknown>)[name]
  return copy as Partial<T>
}

/** jose has no length cap; a safe configuration adds one in front of it. */
function capLength(token: unknown, maxTokenLength: unknown, Invalid: typeof JWSInvalid): void {
  let max = DEFAULT_MAX_TOKEN_LENGTH
  if (maxTokenLength !== undefined) {
    if (
      !(
        maxTokenLength === Number.POSITIVE_INFINITY ||
        (Number.isSafeInteger(maxTokenLength) && (maxTokenLength as number) > 0)
      )
    ) {
      throw new TypeError('maxTokenLength must be a positive integer (or Infinity)')
    }
    max = maxTokenLength as number
  }
  // jose also takes a token as UTF-8 bytes: the cap counts them, as it counts characters.
  const length =
    typeof token === 'string' ? token.length : token instanceof Uint8Array ? token.length : 0
  if (length > max) {
    throw new Invalid(`token is ${length} characters, more than maxTokenLength (${max})`)
  }
}

function hmacKeyBytes(alg: string): number {
  return Object.hasOwn(HMAC_KEY_BYTES, alg) ? (HMAC_KEY_BYTES[alg] as number) : 0
}

function checkSigningKey(key: Uint8Array, alg: unknown): void {
  if (typeof alg !== 'string' || alg === '') return // jose reports the missing alg itself
  const needed = hmacKeyBytes(alg)
  // jose would try RS256 & co. with these raw bytes and fail on the key type; the
  // contract says an algorithm outside HS256/384/512 is simply not supported.
  if (needed === 0)
    throw new JOSENotSupported(`JWS algorithm ${JSON.stringify(alg)} is not supported`)
  if (key instanceof Uint8Array && key.length < needed) {
    throw new TypeError(`${String(alg)} needs a key of at least ${needed} bytes (RFC 7518 §3.2)`)
  }
}

function checkVerificationKey(key: Uint8Array, algorithms: string[]): void {
  const needed = Math.min(...algorithms.map(hmacKeyBytes).filter((n) => n > 0))
  if (key instanceof Uint8Array && key.length < needed) {
    throw new TypeError(
      `key has ${key.length} bytes; the allowed algorithms (${algorithms.join(', ')}) need at least ${needed} (RFC 7518 §3.2)`,
    )
  }
}

/**
 * With several HMAC algorithms allowed, a key can fit one and be too short for the
 * one a token names (RFC 7518 §3.2). jose would go ahead; we refuse the token. The
 * header is only peeked at here; jose parses it again, and reports any other fault.
 */
function checkKeyFitsTokenAlg(token: string, key: Uint8Array, algorithms: string[]): void {
  let alg: unknown
  try {
    alg = decodeProtectedHeader(token).alg
  } catch {
    return
  }
  if (typeof alg === 'string' && algorithms.includes(alg) && key.length < hmacKeyBytes(alg)) {
    throw new JWSInvalid(`the key is too short for ${alg} (RFC 7518 §3.2)`)
  }
}

function checkContentKey(key: Uint8Array, encs: string[]): void {
  const sizes = encs.map((enc) => (Object.hasOwn(GCM_KEY_BYTES, enc) ? GCM_KEY_BYTES[enc] : -1))
  if (key instanceof Uint8Array && !sizes.includes(key.length)) {
    throw new TypeError(`key has ${key.length} bytes, which fits none of ${encs.join(', ')}`)
  }
}

export async function signCompact(
  payload: Uint8Array | string,
  key: Uint8Array,
  header: JWSHeader = { alg: 'HS256' },
): Promise<string> {
  checkSigningKey(key, header?.alg)
  return new CompactSign(toBytes(payload)).setProtectedHeader(header).sign(key)
}

export async function verifyCompact(
  token: string,
  key: Uint8Array,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const { algorithms = ['HS256'], maxTokenLength } = own(options, 'options')
  checkVerificationKey(key, algorithms)
  capLength(token, maxTokenLength, JWSInvalid)
  checkKeyFitsTokenAlg(token, key, algorithms)
  const { payload, protectedHeader } = await compactVerify(token, key, { algorithms })
  return { payload, protectedHeader: protectedHeader as JWSHeader }
}

export async function encryptCompact(
  plaintext: Uint8Array | string,
  key: Uint8Array,
  header: JWEHeader = { alg: 'dir', enc: 'A256GCM' },
  options: EncryptOptions = {},
): Promise<string> {
  const { iv } = own(options, 'options')
  checkContentKey(key, [header?.enc])
  const jwe = new CompactEncrypt(toBytes(plaintext)).setProtectedHeader(header)
  if (iv !== undefined) jwe.setInitializationVector(iv)
  return jwe.encrypt(key)
}

function decryptOptions(options: Partial<DecryptOptions>) {
  return {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: options.contentEncryptionAlgorithms ?? ['A256GCM'],
    maxDecompressedLength: 0,
  }
}

export async function decryptCompact(
  token: string,
  key: Uint8Array,
  options: DecryptOptions = {},
): Promise<DecryptResult> {
  const ownOptions = own(options, 'options')
  const safe = decryptOptions(ownOptions)
  checkContentKey(key, safe.contentEncryptionAlgorithms)
  capLength(token, ownOptions.maxTokenLength, JWEInvalid)
  const { plaintext, protectedHeader } = await compactDecrypt(token, key, safe)
  return { plaintext, protectedHeader: protectedHeader as JWEHeader }
}

/** jose's claim options, with the caller's values passed through unchanged. */
function claimOptions(options: Partial<JWTClaimOptions>): JWTClaimOptions {
  const {
    issuer,
    audience,
    subject,
    typ,
    clockTolerance,
    maxTokenAge,
    currentDate,
    requiredClaims,
  } = options
  return {
    issuer,
    audience,
    subject,
    typ,
    clockTolerance,
    maxTokenAge,
    currentDate,
    requiredClaims,
  }
}

// jose's duration grammar, for its setters, clockTolerance and maxTokenAge: a sign, a
// number, a unit, then "ago" or "from now" (RFC 7519 itself only knows NumericDates).
const DURATION =
  /^([+-])? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i

// A year is 365.25 days, as jose counts it.
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_557_600,
}

/** Seconds in a duration such as '15m' or '2 days ago'; a TypeError for anything else. */
function durationSeconds(text: string): number {
  const match = DURATION.exec(text)
  // A sign and a direction word together ("-5m ago") are ambiguous: refused.
  if (match === null || (match[1] !== undefined && match[4] !== undefined)) {
    throw new TypeError(`invalid duration ${JSON.stringify(text)}`)
  }
  const [, sign, amount, unit, direction] = match
  const perUnit = UNIT_SECONDS[(unit as string).charAt(0).toLowerCase()] as number
  const seconds = Math.round(Number.parseFloat(amount as string) * perUnit)
  if (!Number.isFinite(seconds)) throw new TypeError(`invalid duration ${JSON.stringify(text)}`)
  return sign === '-' || direction?.toLowerCase() === 'ago' ? -seconds : seconds
}

/**
 * jose's setters read durations against the real clock; ours read them against
 * `currentDate` when one is given. jose does not export its duration parser, so the
 * adapter reads durations itself (test/claims.test.ts holds it equal to jose's).
 */
function instant(value: Instant, currentDate: Date | undefined): Instant {
  if (typeof value !== 'string' || currentDate === undefined) return value
  // Seconds, not a Date: a far-future duration would overflow Date's range.
  return Math.floor(currentDate.getTime() / 1000) + durationSeconds(value)
}

/** The helper claims, set in the order src/claims-builder.ts documents. */
function applyHelpers(builder: SignJWT | EncryptJWT, helpers: Partial<JWTClaimsHelpers>): void {
  const { currentDate } = helpers
  if (helpers.issuer !== undefined) builder.setIssuer(helpers.issuer)
  if (helpers.subject !== undefined) builder.setSubject(helpers.subject)
  if (helpers.audience !== undefined) builder.setAudience(helpers.audience)
  if (helpers.jwtId !== undefined) builder.setJti(helpers.jwtId)
  if (helpers.notBefore !== undefined) builder.setNotBefore(instant(helpers.notBefore, currentDate))
  if (helpers.issuedAt !== undefined) {
    const value = instant(helpers.issuedAt, currentDate)
    // jose reads an issuedAt string as an offset from now, like the other setters.
    builder.setIssuedAt(value)
  }
  if (helpers.expirationTime !== undefined)
    builder.setExpirationTime(instant(helpers.expirationTime, currentDate))
}

/** A `cty` of JWT, in any case, or application/jwt, marks a nested token (RFC 7519 §5.2). */
function isNestedJwtType(cty: unknown): boolean {
  return typeof cty === 'string' && ['jwt', 'application/jwt'].includes(cty.toLowerCase())
}

export async function signJwt(
  claims: JWTPayload,
  key: Uint8Array,
  options: JWTSignOptions = {},
): Promise<string> {
  const helpers = own(options, 'options')
  const header = helpers.header ?? { alg: 'HS256', typ: 'JWT' }
  if (isNestedJwtType(header.cty))
    throw new TypeError('cty "JWT" announces a nested token; signJwt signs a claims set')
  checkSigningKey(key, header.alg)
  const jwt = new SignJWT(claims).setProtectedHeader(header)
  applyHelpers(jwt, helpers)
  return jwt.sign(key)
}

export async function verifyJwt(
  token: string,
  key: Uint8Array,
  options: JWTVerifyOptions = {},
): Promise<JWTVerifyResult> {
  const ownOptions = own(options, 'options')
  const { algorithms = ['HS256'], maxTokenLength } = ownOptions
  checkVerificationKey(key, algorithms)
  capLength(token, maxTokenLength, JWSInvalid)
  checkKeyFitsTokenAlg(token, key, algorithms)
  const { payload, protectedHeader } = await jwtVerify(token, key, {
    algorithms,
    ...claimOptions(ownOptions),
  })
  // jwtVerify reads any payload as claims. Under cty "JWT" the payload is another JWT
  // (RFC 7519 §7.2 step 8), and nested signing is not supported: refuse it.
  if (isNestedJwtType(protectedHeader.cty))
    throw new JWTInvalid('this JWS holds a nested JWT (cty "JWT"), which is not supported')
  return { payload, protectedHeader: protectedHeader as JWSHeader }
}

export async function encryptJwt(
  claims: JWTPayload,
  key: Uint8Array,
  options: JWTEncryptOptions = {},
): Promise<string> {
  const helpers = own(options, 'options')
  const header = helpers.header ?? { alg: 'dir', enc: 'A256GCM' }
  if (isNestedJwtType(header.cty))
    throw new TypeError('cty "JWT" announces a nested token; use signThenEncrypt')
  checkContentKey(key, [header.enc])
  const jwt = new EncryptJWT(claims).setProtectedHeader(header)
  applyHelpers(jwt, helpers)
  if (helpers.iv !== undefined) jwt.setInitializationVector(helpers.iv)
  return jwt.encrypt(key)
}

export async function decryptJwt(
  token: string,
  key: Uint8Array,
  options: JWTDecryptOptions = {},
): Promise<JWTDecryptResult> {
  const ownOptions = own(options, 'options')
  const safe = decryptOptions(ownOptions)
  checkContentKey(key, safe.contentEncryptionAlgorithms)
  capLength(token, ownOptions.maxTokenLength, JWEInvalid)
  const { payload, protectedHeader } = await jwtDecrypt(token, key, {
    ...safe,
    ...claimOptions(ownOptions),
  })
  // jwtDecrypt reads any plaintext as claims. Bare claims under cty "JWT" would skip
  // the inner signature that cty promises: refuse them.
  if (isNestedJwtType(protectedHeader.cty))
    throw new JWTInvalid('this JWE holds a nested JWT; use decryptThenVerify')
  return { payload, protectedHeader: protectedHeader as JWEHeader }
}

export async function signThenEncrypt(
  claims: JWTPayload,
  keys: NestedKeys,
  options: SignThenEncryptOptions = {},
): Promise<string> {
  const { signingKey, encryptionKey } = own(keys, 'keys')
  const ownOptions = own(options, 'options')
  const outerHeader = ownOptions.encryptionHeader ?? { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }
  if (!isNestedJwtType(outerHeader.cty))
    throw new TypeError('the outer header of a nested JWT must say cty "JWT"')
  const inner = await signJwt(claims, signingKey as Uint8Array, ownOptions)
  return encryptCompact(inner, encryptionKey as Uint8Array, outerHeader, { iv: ownOptions.iv })
}

export async function decryptThenVerify(
  token: string,
  keys: NestedKeys,
  options: NestedVerifyOptions = {},
): Promise<NestedVerifyResult> {
  const { signingKey, encryptionKey } = own(keys, 'keys')
  const { algorithms, contentEncryptionAlgorithms, maxTokenLength, ...rest } = own(
    options,
    'options',
  )
  const { plaintext, protectedHeader: outerHeader } = await decryptCompact(
    token,
    encryptionKey as Uint8Array,
    {
      contentEncryptionAlgorithms,
      maxTokenLength,
    },
  )
  if (!isNestedJwtType(outerHeader.cty))
    throw new JWTInvalid('outer JWE must say cty "JWT" for a nested JWT')
  let inner: string
  try {
    inner = new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch (cause) {
    throw new JWTInvalid('nested JWT is not UTF-8', { cause })
  }
  const { payload, protectedHeader } = await verifyJwt(inner, signingKey as Uint8Array, {
    ...rest,
    algorithms,
    maxTokenLength: Number.POSITIVE_INFINITY,
  })
  // RFC 7519 §5.3, as jwtDecrypt applies it: replicated claims must match.
  for (const claim of ['iss', 'sub', 'aud'] as const) {
    const inHeader = outerHeader[claim]
    if (inHeader === undefined) continue
    const same =
      claim === 'aud'
        ? JSON.stringify(inHeader) === JSON.stringify(payload.aud)
        : inHeader === payload[claim]
    if (!same) {
      throw new JWTClaimValidationFailed(
        `replicated "${claim}" claim header parameter mismatch`,
        payload,
        claim,
        'mismatch',
      )
    }
  }
  return { payload, protectedHeader, outerHeader }
}
