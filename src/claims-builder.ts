/**
 * Building a claims set to send: the caller's claims, then the registered claims the
 * helpers set, serialised with `JSON.stringify` as jose does.
 */

import { checkRegisteredClaimTypes } from './claims.ts'
import { durationSeconds, epochSeconds } from './duration.ts'
import { JWTClaimValidationFailed } from './errors.ts'
import { stringifiedJsonProblem } from './json.ts'
import type { Instant, JWTClaimsHelpers, JWTPayload } from './types.ts'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * True when `value` is JSON data held in plain objects and arrays, which structuredClone
 * would copy as it is. (Exported for its tests only; src/index.ts does not re-export it.)
 *
 * No depth limit here: claims nested deeper than MAX_JSON_DEPTH (json.ts) are refused after
 * serialising whichever way they were copied, and an object nested so deep that this
 * recursion overflows the stack overflows structuredClone and JSON.stringify as well
 * (a RangeError, as with jose).
 */
export function isJsonData(value: unknown): boolean {
  if (value === null) return true
  const type = typeof value
  if (type === 'string' || type === 'number' || type === 'boolean') return true
  if (type !== 'object') return false
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) if (!isJsonData(value[i])) return false
    return true
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return false
  const record = value as Record<string, unknown>
  for (const name of Object.keys(record)) if (!isJsonData(record[name])) return false
  return true
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
  // Like jose, serialise a structured clone, so that the helper claims never touch the
  // caller's object. For plain JSON data (the usual claims set) a shallow copy gives the
  // same bytes at a tenth of the cost: JSON.stringify below runs in this same
  // synchronous call, so nothing can edit the shared nested values in between. Anything
  // else (a Date, a Map, a function, a class instance) still goes through structuredClone.
  const payload: JWTPayload = isJsonData(claims) ? { ...claims } : structuredClone(claims)
  // One reading of the clock for every helper, so iat, nbf and exp agree to the second.
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
  const problem = stringifiedJsonProblem(json)
  if (problem !== undefined) throw new TypeError(`JWT Claims Set ${problem}`)
  return json
}
// #endregion build-claims
