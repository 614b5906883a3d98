/**
 * A JWT Claims Set as a verifier judges it: strict JSON, registered claim types
 * (RFC 7519 §4.1), and the clock (`exp`, `nbf`, `iat`) against now.
 */

import { isoTime, relativeTime } from '../kit/index.ts'
import { type Finding, lintJsonBytes } from './json-lint.ts'
import { claimTypeProblem } from './src-judge.ts'

export interface TimeReport {
  readonly claim: 'exp' | 'nbf' | 'iat'
  readonly value: number
  readonly iso: string
  /** Relative to the inspection time: "in 15 min", "3 h ago". */
  readonly relative: string
}

export interface ClaimsReport {
  /** The content as text (lenient UTF-8). */
  readonly text: string
  /** The claims as JSON.parse reads them (last duplicate wins); null when the content is no JSON object. */
  readonly claims: Record<string, unknown> | null
  readonly times: TimeReport[]
}

const REGISTERED = ['iss', 'sub', 'aud', 'jti', 'exp', 'nbf', 'iat'] as const
const TIMES = ['exp', 'nbf', 'iat'] as const

/** A payload that means to be JSON begins, after optional whitespace, with '{' (or a BOM before it). */
function looksLikeJsonObject(bytes: Uint8Array): boolean {
  let i = 0
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3
  for (; i < bytes.length; i++) {
    const byte = bytes[i]
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue
    return byte === 0x7b
  }
  return false
}

/**
 * Judges `bytes` as a claims set. Content that is not meant as JSON (a JWS may sign
 * any bytes) gets a note, not a violation: it is simply not a JWT.
 */
export function lintClaims(
  bytes: Uint8Array,
  where: string,
  now: Date,
  violations: Finding[],
  notes: Finding[],
): ClaimsReport {
  if (!looksLikeJsonObject(bytes)) {
    notes.push({
      where,
      rule: 'claims.not-json',
      message: 'is not a JSON object, so this is not a JWT claims set (a JWS may sign any bytes)',
    })
    return { text: new TextDecoder().decode(bytes), claims: null, times: [] }
  }
  const { text, value } = lintJsonBytes(bytes, where, violations)
  if (value === undefined) return { text, claims: null, times: [] }

  // RFC 7519 §4.1: each registered claim on its own, so every wrong type is reported.
  for (const claim of REGISTERED) {
    if (!Object.hasOwn(value, claim)) continue
    const problem = claimTypeProblem(claim, value[claim])
    if (problem !== undefined) {
      violations.push({ where, rule: 'claims.type', message: `${problem} (RFC 7519 §4.1)` })
    }
  }

  // NumericDate (RFC 7519 §2): whole seconds, as both verifiers count them.
  const nowSeconds = Math.floor(now.getTime() / 1000)
  const times: TimeReport[] = []
  for (const claim of TIMES) {
    const seconds = value[claim]
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) continue
    times.push({
      claim,
      value: seconds,
      iso: isoTime(seconds),
      relative: relativeTime(seconds, nowSeconds),
    })
  }
  lintClock(value, where, nowSeconds, violations, notes)
  return { text, claims: value, times }
}

/** The clock checks of RFC 7519 §4.1.4–4.1.6, with no clock tolerance, as both verifiers default. */
function lintClock(
  claims: Record<string, unknown>,
  where: string,
  now: number,
  violations: Finding[],
  notes: Finding[],
): void {
  const { exp, nbf, iat } = claims
  if (typeof exp === 'number' && Number.isFinite(exp) && exp <= now) {
    violations.push({
      where,
      rule: 'claims.exp',
      message: `expired ${relativeTime(exp, now)} ("exp" ${isoTime(exp)}); a token is valid only before its exp (RFC 7519 §4.1.4), and jose rejects it too (ERR_JWT_EXPIRED)`,
    })
  }
  if (!Object.hasOwn(claims, 'exp')) {
    notes.push({
      where,
      rule: 'claims.exp-missing',
      message:
        'has no "exp": it never expires, unless the verifier caps its age (maxTokenAge). Stolen, it stays usable',
    })
  }
  if (typeof nbf === 'number' && Number.isFinite(nbf) && nbf > now) {
    violations.push({
      where,
      rule: 'claims.nbf',
      message: `not valid yet: "nbf" is ${relativeTime(nbf, now)} (${isoTime(nbf)}) (RFC 7519 §4.1.5); jose rejects it too`,
    })
  }
  if (typeof iat === 'number' && Number.isFinite(iat) && iat > now) {
    notes.push({
      where,
      rule: 'claims.iat',
      message: `"iat" is in the future (${relativeTime(iat, now)}); verifiers reject that only when they cap the token's age`,
    })
  }
}
