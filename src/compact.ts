/**
 * Framing of the compact serialisation (RFC 7515 §7.1, RFC 7516 §7.1): a bounded
 * string of base64url segments separated by dots.
 */

import type { JOSEError } from './errors.ts'

/** Default cap on a token's length, in characters. */
export const DEFAULT_MAX_TOKEN_LENGTH = 65_536

type ErrorClass = new (message: string) => JOSEError

/**
 * A JWS has 3 segments and a JWE 5 (RFC 7516 §9): a token of the other shape is
 * the sign/encrypt confusion of RFC 8725bis §3.3 (CVE-2023-51774), where a verifier
 * that expected a signature accepted a decryption instead. It is refused with the
 * same code as any other wrong count; the message says which function reads it.
 */
const OTHER_SHAPE: ReadonlyMap<number, { segments: number; advice: string }> = new Map([
  [3, { segments: 5, advice: 'a JWE: decrypt it (decryptJwt, decryptThenVerify, decryptCompact)' }],
  [5, { segments: 3, advice: 'a JWS: verify it (verifyJwt, verifyCompact)' }],
])

/** Why a token does not have `count` segments, naming the JWS/JWE confusion when it is one. */
function segmentCountProblem(token: string, count: number): string {
  const problem = `compact token must have exactly ${count} segments`
  const other = OTHER_SHAPE.get(count)
  if (other === undefined || countSegments(token, other.segments + 1) !== other.segments)
    return problem
  return `${problem}; this one has ${other.segments}, the shape of ${other.advice}`
}

/** The number of dot-separated segments of `token`, counting no further than `limit`. */
function countSegments(token: string, limit: number): number {
  // Stops early, like splitCompact: a token of a million dots costs `limit` steps here.
  let segments = 1
  let dot = token.indexOf('.')
  while (dot !== -1 && segments < limit) {
    segments++
    dot = token.indexOf('.', dot + 1)
  }
  return segments
}

/** Reads and checks the `maxTokenLength` option: a positive integer (or Infinity). */
export function maxTokenLengthOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LENGTH
  // Neither test coerces, so a string such as "1000" is refused as well.
  if (!(value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0))) {
    throw new TypeError('maxTokenLength must be a positive integer (or Infinity)')
  }
  return value
}

// #region split-compact
/**
 * Splits a compact token into exactly `count` segments (3 for a JWS, 5 for a JWE).
 *
 * No RFC sets a size limit, but every step after this one costs time in proportion
 * to the input, and none of that input is authenticated yet. So the length cap comes
 * first and costs O(1): a megabyte of dots is refused before it is looked at.
 */
export function splitCompact(
  token: unknown,
  count: number,
  maxLength: number,
  Invalid: ErrorClass,
): string[] {
  if (typeof token !== 'string') throw new Invalid('compact token must be a string')
  if (token.length > maxLength) {
    throw new Invalid(
      `token is ${token.length} characters, more than maxTokenLength (${maxLength})`,
    )
  }
  const segments: string[] = []
  let start = 0
  for (let i = 0; i < count - 1; i++) {
    const dot = token.indexOf('.', start)
    if (dot === -1) throw new Invalid(segmentCountProblem(token, count))
    segments.push(token.slice(start, dot))
    start = dot + 1
  }
  // The last segment must not contain another dot: exactly `count` segments.
  if (token.indexOf('.', start) !== -1) throw new Invalid(segmentCountProblem(token, count))
  segments.push(token.slice(start))
  return segments
}
// #endregion split-compact
