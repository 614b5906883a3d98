/**
 * Building a claims set to send: the caller's claims, then the registered claims the
 * helpers set, serialised with `JSON.stringify` as jose does.
 */

import { checkRegisteredClaimTypes } from './claims.ts'
import { durationSeconds, epochSeconds } from './duration.ts'
import { JWTClaimValidationFailed } from './errors.ts'
import { parseJsonObject } from './json.ts'
import type { Instant, JWTClaimsHelpers, JWTPayload } from './types.ts'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** A NumericDate from a number (as is), a Date, or a duration relative to `now`. */
function numericDate(name: string, value: Instant, now: number): number {
  let seconds: number
  if (typeof value === 'number') seconds = value
  else if (value instanceof Date) seconds = epochSeconds(value)
  else seconds = now + durationSeconds(value)
  if (!Number.isFinite(seconds)) throw new TypeError(`${name} must be a finite NumericDate`)
  return seconds
}

// #region build-claims
/**
 * The claims set as UTF-8 JSON. Refuses claims this module would reject on receipt
 * (wrongly typed registered claims, lone surrogates, deep nesting): a producer should
 * never emit a token its own consumer refuses.
 */
export function buildClaims(claims: JWTPayload, helpers: JWTClaimsHelpers = {}): string {
  if (!isPlainObject(claims)) throw new TypeError('JWT Claims Set must be a plain object')
  // structuredClone, like jose: later edits of the caller's object do not leak in.
  const payload: JWTPayload = structuredClone(claims)
  const now = epochSeconds(helpers.currentDate ?? new Date())
  if (helpers.issuer !== undefined) payload.iss = helpers.issuer
  if (helpers.subject !== undefined) payload.sub = helpers.subject
  if (helpers.audience !== undefined) payload.aud = helpers.audience
  if (helpers.jwtId !== undefined) payload.jti = helpers.jwtId
  if (helpers.notBefore !== undefined)
    payload.nbf = numericDate('notBefore', helpers.notBefore, now)
  if (helpers.issuedAt !== undefined) payload.iat = numericDate('issuedAt', helpers.issuedAt, now)
  if (helpers.expirationTime !== undefined)
    payload.exp = numericDate('expirationTime', helpers.expirationTime, now)

  try {
    checkRegisteredClaimTypes(payload)
  } catch (error) {
    if (error instanceof JWTClaimValidationFailed) throw new TypeError(error.message)
    throw error
  }
  const json = JSON.stringify(payload)
  // JSON.stringify writes a lone surrogate as a "\udXXX" escape and nests without
  // limit; the same strict parser that judges received claims catches both.
  const parsed = parseJsonObject(json)
  if ('problem' in parsed) throw new TypeError(`JWT Claims Set ${parsed.problem}`)
  return json
}
// #endregion build-claims
