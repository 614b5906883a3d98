/**
 * The shapes that cross the public API. Names follow jose's, so that code and tests
 * written against one read the same against the other.
 */

/** A JWS Protected Header (RFC 7515 §4). `alg` is required; anything else is carried as given. */
export interface JWSHeader {
  alg: string
  typ?: string
  cty?: string
  kid?: string
  crit?: string[]
  [parameter: string]: unknown
}

/** A JWE Protected Header (RFC 7516 §4). Only `alg: "dir"` is supported. */
export interface JWEHeader {
  alg: string
  enc: string
  typ?: string
  cty?: string
  kid?: string
  zip?: string
  crit?: string[]
  [parameter: string]: unknown
}

/** A JWT Claims Set (RFC 7519 §4). */
export interface JWTPayload {
  iss?: string
  sub?: string
  aud?: string | string[]
  jti?: string
  nbf?: number
  exp?: number
  iat?: number
  [claim: string]: unknown
}

export interface VerifyOptions {
  /** JWS algorithms to accept. Default `['HS256']`; `HS384` and `HS512` only when listed. */
  algorithms?: string[]
  /** Tokens longer than this many characters are rejected before any parsing. Default 65,536. */
  maxTokenLength?: number
}

export interface VerifyResult {
  payload: Uint8Array
  protectedHeader: JWSHeader
}

export interface EncryptOptions {
  /**
   * A fixed 96-bit IV. FOR TEST VECTORS ONLY: reusing an IV under one key breaks
   * AES-GCM's confidentiality and lets an attacker forge tags. Leave it out and a
   * fresh random IV is drawn for every call.
   */
  iv?: Uint8Array
}

export interface DecryptOptions {
  /** Content encryption algorithms to accept. Default `['A256GCM']`; `A128GCM`, `A192GCM` only when listed. */
  contentEncryptionAlgorithms?: string[]
  /** Tokens longer than this many characters are rejected before any parsing. Default 65,536. */
  maxTokenLength?: number
}

export interface DecryptResult {
  plaintext: Uint8Array
  protectedHeader: JWEHeader
}

/** A duration such as `'15m'`, `'1h'`, `'2 days'`, or a number of seconds. */
export type Duration = string | number

/** Claim checks, with jose's names, types and semantics. */
export interface JWTClaimOptions {
  /** Expected `iss`: must match exactly (one of the list, if a list). */
  issuer?: string | string[]
  /** Expected `aud`: passes when the token's audience and this one overlap. */
  audience?: string | string[]
  /** Expected `sub`. */
  subject?: string
  /** Expected header `typ`, compared as a media type (`JWT` equals `application/jwt`). */
  typ?: string
  /** Leeway for `exp`, `nbf` and `iat`: seconds, or a duration string. */
  clockTolerance?: Duration
  /** Reject tokens whose `iat` is older than this. Makes `iat` required. */
  maxTokenAge?: Duration
  /** The clock. Default: now. */
  currentDate?: Date
  /** Claims that must be present. */
  requiredClaims?: string[]
}

export interface JWTVerifyOptions extends JWTClaimOptions, VerifyOptions {}

export interface JWTDecryptOptions extends JWTClaimOptions, DecryptOptions {}

/** Options for {@link decryptThenVerify}: the outer JWE's and the inner JWT's, together. */
export interface NestedVerifyOptions extends JWTClaimOptions, DecryptOptions {
  /** JWS algorithms accepted for the inner token. Default `['HS256']`. */
  algorithms?: string[]
}

export interface JWTVerifyResult {
  payload: JWTPayload
  protectedHeader: JWSHeader
}

export interface JWTDecryptResult {
  payload: JWTPayload
  protectedHeader: JWEHeader
}

export interface NestedVerifyResult {
  payload: JWTPayload
  /** The inner JWS header. */
  protectedHeader: JWSHeader
  /** The outer JWE header. */
  outerHeader: JWEHeader
}

/** An instant: seconds since the epoch, a `Date`, or a duration string relative to `currentDate`. */
export type Instant = number | Date | string

/**
 * Registered claims that the signing helpers set for you. They are written after the
 * caller's own claims, in this order: `iss`, `sub`, `aud`, `jti`, `nbf`, `iat`, `exp`.
 */
export interface JWTClaimsHelpers {
  issuer?: string
  subject?: string
  audience?: string | string[]
  jwtId?: string
  /** `nbf`: a NumericDate, a `Date`, or a duration from `currentDate` (`'0s'`, `'5m'`). */
  notBefore?: Instant
  /** `iat`: a NumericDate, a `Date`, or a duration from `currentDate` (`'0s'` means now). */
  issuedAt?: Instant
  /** `exp`: a NumericDate, a `Date`, or a duration from `currentDate` (`'15m'`). */
  expirationTime?: Instant
  /** The clock used for durations. Default: now. */
  currentDate?: Date
}

export interface JWTSignOptions extends JWTClaimsHelpers {
  /** The JWS header. Default `{ alg: 'HS256', typ: 'JWT' }`. */
  header?: JWSHeader
}

export interface JWTEncryptOptions extends JWTClaimsHelpers, EncryptOptions {
  /** The JWE header. Default `{ alg: 'dir', enc: 'A256GCM' }`. Must not say `cty: "JWT"`. */
  header?: JWEHeader
}

export interface SignThenEncryptOptions extends JWTSignOptions, EncryptOptions {
  /** The outer JWE header. Default `{ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }`; `cty` must say JWT. */
  encryptionHeader?: JWEHeader
}

export interface NestedKeys {
  signingKey: Uint8Array
  encryptionKey: Uint8Array
}
