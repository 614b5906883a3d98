/**
 * The blog post's flow (reference/article-flow.ts), corrected, on jose: what an
 * application should actually run.
 *
 * - Two independent 32-byte random keys, loaded from environment variables as
 *   base64url, refused with a clear `ConfigError` when missing, malformed, short or
 *   identical (RFC 7518 §3.2 and §5.3 fix the sizes).
 * - A standard nested JWT (RFC 7519 §5.2, §11.2): the signed JWT *is* the JWE
 *   plaintext, and the outer header says `cty: "JWT"`.
 * - Short lifetimes: 15 minutes by default, at most one hour.
 * - `iss`, `aud`, `iat`, `exp` and a random `jti` in every token, and all of them
 *   required and checked on the way in (the post recommends the checks, then skips them).
 * - Every algorithm pinned by the reader, never chosen by the token (RFC 8725 §3.1).
 *
 * Only jose does JOSE here; the platform's Web Crypto supplies randomness.
 */

import {
  base64url,
  CompactEncrypt,
  compactDecrypt,
  errors,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'

/** The environment variables that hold the two keys. */
export const SIGNING_KEY_VARIABLE = 'JOSE_SIGNING_KEY'
export const ENCRYPTION_KEY_VARIABLE = 'JOSE_ENCRYPTION_KEY'

/** HS256 wants at least the hash size (RFC 7518 §3.2); A256GCM with `dir` wants exactly 32 (§5.3). */
export const KEY_BYTES = 32

/** The one-liner every key error message suggests. */
export const KEY_COMMAND = `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`

/**
 * Longer than any token this flow issues, far shorter than what would cost real work
 * to reject: a cookie holds about 4 KiB anyway. jose itself has no cap.
 */
export const MAX_TOKEN_LENGTH = 8192

/** The lifetime `issueToken` uses unless told otherwise. */
export const DEFAULT_LIFETIME = '15m'

/** The longest lifetime `issueToken` agrees to write, and the oldest `iat` `readToken` accepts. */
export const MAX_LIFETIME_SECONDS = 3600

/** Leeway for clocks that disagree a little between issuer and reader. */
export const CLOCK_TOLERANCE_SECONDS = 5

// The inner JWS says what it is (RFC 8725 §3.11), the outer JWE says what it carries
// (RFC 7519 §5.2). Both are checked by the reader.
const INNER_HEADER = { alg: 'HS256', typ: 'JWT' } as const
const OUTER_HEADER = { alg: 'dir', enc: 'A256GCM', cty: 'JWT' } as const

/** Every registered claim this flow writes; the reader refuses a token missing any. */
const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'jti']

export type ConfigErrorCode =
  | 'ERR_CONFIG_MISSING_KEY'
  | 'ERR_CONFIG_BAD_KEY'
  | 'ERR_CONFIG_SHORT_KEY'
  | 'ERR_CONFIG_REUSED_KEY'

/**
 * A deployment mistake found at start-up. `code` is stable (branch on it), `variable`
 * names the environment variable at fault. Messages never contain the key itself:
 * start-up errors end up in logs.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode
  readonly variable: string

  constructor(code: ConfigErrorCode, variable: string, message: string) {
    super(`${message}. Generate a key with: ${KEY_COMMAND}`)
    this.name = 'ConfigError'
    this.code = code
    this.variable = variable
  }
}

/** The two keys of the flow. They must differ: each guards a different property. */
export interface ProductionKeys {
  /** HMAC key of the inner JWS: proves who issued the claims. */
  signingKey: Uint8Array
  /** AES-256-GCM key of the outer JWE: keeps the claims confidential. */
  encryptionKey: Uint8Array
}

const CANONICAL_BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * Decodes one key. jose's decoder is lenient (padding, whitespace, stray bits), so the
 * spelling is checked first and then by a round trip: only the one canonical spelling
 * of the bytes (RFC 4648 §3.5) survives, and a typo cannot silently change the key.
 */
function decodeKey(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
): Uint8Array {
  const value = env[variable]
  if (value === undefined || value === '') {
    throw new ConfigError('ERR_CONFIG_MISSING_KEY', variable, `${variable} is not set`)
  }
  let bytes: Uint8Array | undefined
  if (CANONICAL_BASE64URL.test(value)) {
    try {
      bytes = base64url.decode(value)
    } catch {
      bytes = undefined
    }
  }
  if (bytes === undefined || base64url.encode(bytes) !== value) {
    throw new ConfigError(
      'ERR_CONFIG_BAD_KEY',
      variable,
      `${variable} is not canonical base64url (only A-Z a-z 0-9 - _, no padding, no spaces)`,
    )
  }
  if (bytes.length < KEY_BYTES) {
    throw new ConfigError(
      'ERR_CONFIG_SHORT_KEY',
      variable,
      `${variable} holds ${bytes.length} bytes; at least ${KEY_BYTES} random bytes are needed`,
    )
  }
  return bytes
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

// #region production-load-keys
/**
 * Reads both keys from the environment (base64url of 32 random bytes each) and
 * refuses a configuration that would weaken the tokens. Call it once at start-up, so
 * that a bad deployment fails loudly before it issues anything.
 */
export function loadKeys(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProductionKeys {
  const signingKey = decodeKey(env, SIGNING_KEY_VARIABLE)
  const encryptionKey = decodeKey(env, ENCRYPTION_KEY_VARIABLE)
  // With `dir` the key is the AES-256 content key itself: exactly 32 bytes, not more.
  if (encryptionKey.length !== KEY_BYTES) {
    throw new ConfigError(
      'ERR_CONFIG_BAD_KEY',
      ENCRYPTION_KEY_VARIABLE,
      `${ENCRYPTION_KEY_VARIABLE} holds ${encryptionKey.length} bytes; A256GCM needs exactly ${KEY_BYTES}`,
    )
  }
  // One key for two jobs (NIST SP 800-57 Part 1 §5.2): every holder of the decryption
  // key could then also sign, and the inner signature would prove nothing more.
  if (sameBytes(signingKey, encryptionKey)) {
    throw new ConfigError(
      'ERR_CONFIG_REUSED_KEY',
      ENCRYPTION_KEY_VARIABLE,
      `${SIGNING_KEY_VARIABLE} and ${ENCRYPTION_KEY_VARIABLE} are the same key; use two independent keys`,
    )
  }
  return { signingKey, encryptionKey }
}
// #endregion production-load-keys

/** Two fresh keys, as the lines of a `.env` file would hold them. */
export function generateKeys(): {
  JOSE_SIGNING_KEY: string
  JOSE_ENCRYPTION_KEY: string
} {
  return {
    JOSE_SIGNING_KEY: base64url.encode(crypto.getRandomValues(new Uint8Array(KEY_BYTES))),
    JOSE_ENCRYPTION_KEY: base64url.encode(crypto.getRandomValues(new Uint8Array(KEY_BYTES))),
  }
}

const LIFETIME = /^(\d{1,5})(s|m|h)$/
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 }

/**
 * A lifetime in seconds: a number, or `'<n>s'`, `'<n>m'`, `'<n>h'`. Deliberately a
 * tiny grammar (no days, no years): these tokens should not live long. jose's
 * duration setters read the real clock, so `currentDate` needs the number here.
 */
function lifetimeSeconds(lifetime: string | number): number {
  let seconds: number
  if (typeof lifetime === 'number') {
    seconds = lifetime
  } else {
    const match = LIFETIME.exec(lifetime)
    if (match === null) throw new TypeError(`lifetime ${JSON.stringify(lifetime)}: use '15m'`)
    seconds = Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number)
  }
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_LIFETIME_SECONDS) {
    throw new TypeError(
      `lifetime must be 1 to ${MAX_LIFETIME_SECONDS} seconds; long sessions want refresh tokens`,
    )
  }
  return seconds
}

export interface IssueOptions {
  /** Who issues: written as `iss`, and what readers compare it with. */
  issuer: string
  /** Which service(s) may accept the token: written as `aud`. */
  audience: string | string[]
  /** `'15m'` by default; at most one hour. */
  lifetime?: string | number
  /** The clock, for tests. Default: now. */
  currentDate?: Date
}

// #region production-issue
/**
 * Signs the claims as an HS256 JWT, then encrypts that JWT as a `dir` + A256GCM JWE
 * with `cty: "JWT"`: a nested JWT as RFC 7519 §5.2 defines it.
 */
export async function issueToken(
  claims: JWTPayload,
  keys: ProductionKeys,
  options: IssueOptions,
): Promise<string> {
  const now = Math.floor((options.currentDate ?? new Date()).getTime() / 1000)
  const lifetime = lifetimeSeconds(options.lifetime ?? DEFAULT_LIFETIME)

  // The inner JWS. `iss` and `aud` bind the token to one issuer and one service;
  // `jti` (128 random bits) lets a service remember tokens it has seen and refuse a
  // replay, or revoke one token (RFC 7519 §4.1.7). The setters run after the caller's
  // claims, so a caller's `iss` or `exp` cannot override them.
  const signedJwt = await new SignJWT(claims)
    .setProtectedHeader(INNER_HEADER)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setJti(base64url.encode(crypto.getRandomValues(new Uint8Array(16))))
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(keys.signingKey)

  // The outer JWE: the signed JWT is the plaintext, not a claim, and `cty: "JWT"`
  // says so. jose draws a fresh random 96-bit IV for each token (RFC 7518 §5.3).
  // iss/aud are *not* replicated into this header (RFC 7519 §5.3 allows it): they
  // would be readable by anyone holding the token.
  return new CompactEncrypt(new TextEncoder().encode(signedJwt))
    .setProtectedHeader(OUTER_HEADER)
    .encrypt(keys.encryptionKey)
}
// #endregion production-issue

export interface ReadOptions {
  /** The issuer this service trusts: `iss` must equal it. */
  issuer: string | string[]
  /** This service's name: `aud` must include it. */
  audience: string | string[]
  /** Refuse tokens issued longer ago than this, whatever their `exp`. Default one hour. */
  maxTokenAge?: string | number
  /** The clock, for tests. Default: now. */
  currentDate?: Date
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function isNestedJwt(cty: unknown): boolean {
  // Media types compare case-insensitively; "JWT" is short for "application/jwt"
  // (RFC 7515 §4.1.10).
  return typeof cty === 'string' && ['jwt', 'application/jwt'].includes(cty.toLowerCase())
}

// #region production-read
/**
 * Decrypts, then verifies, a token from `issueToken`. Every rejection is one of
 * jose's errors with its `code` (ERR_JWE_DECRYPTION_FAILED, ERR_JWT_EXPIRED, …).
 */
export async function readToken(
  token: string,
  keys: ProductionKeys,
  options: ReadOptions,
): Promise<JWTPayload> {
  // A cheap bound before any decoding: nothing below runs on megabytes of junk.
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    throw new errors.JWEInvalid(`token must be a string of at most ${MAX_TOKEN_LENGTH} characters`)
  }

  // The outer JWE. The reader, not the token, picks the algorithms (RFC 8725 §3.1):
  // only `dir` with A256GCM. maxDecompressedLength 0 refuses `zip` (compression leaks
  // the plaintext's length and inflating hostile input invites decompression bombs).
  const { plaintext, protectedHeader: outerHeader } = await compactDecrypt(
    token,
    keys.encryptionKey,
    {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      maxDecompressedLength: 0,
    },
  )

  // Without cty "JWT" the plaintext is not announced as a signed JWT (RFC 7519 §5.2):
  // the post's tokens, for example, carry their JWT in a claim instead.
  if (!isNestedJwt(outerHeader.cty)) {
    throw new errors.JWTInvalid('outer JWE must say cty "JWT"')
  }
  let signedJwt: string
  try {
    signedJwt = strictUtf8.decode(plaintext)
  } catch (cause) {
    throw new errors.JWTInvalid('nested JWT is not UTF-8', { cause })
  }

  // The inner JWS: HS256 only, and every claim the post recommends checking, checked.
  // maxTokenAge bounds the age by `iat` even if a token carried a far-away `exp`.
  const { payload } = await jwtVerify(signedJwt, keys.signingKey, {
    algorithms: ['HS256'],
    typ: 'JWT',
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: REQUIRED_CLAIMS,
    maxTokenAge: options.maxTokenAge ?? MAX_LIFETIME_SECONDS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    currentDate: options.currentDate,
  })
  return payload
}
// #endregion production-read
