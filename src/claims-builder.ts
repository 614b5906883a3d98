/**
 * Building a claims set to send: the caller's claims, then the registered claims the
 * helpers set, serialised with `JSON.stringify` as jose does, and read back as a
 * recipient will read them.
 */

import { checkRegisteredClaimTypes } from './claims.ts'
import { dateSeconds, durationSeconds, epochSeconds } from './duration.ts'
import { JWTClaimValidationFailed } from './errors.ts'
import { parseJsonObject } from './json.ts'
import type { Instant, JWTClaimsHelpers, JWTPayload } from './types.ts'

/**
 * A plain object: its prototype is `null` or the end of its own prototype chain, which is
 * `Object.prototype` of whichever realm made it (a `vm` context has its own). An array, a
 * class instance, a Map or a Date is not.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  if (Object.prototype.toString.call(value) !== '[object Object]') return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === null || Object.getPrototypeOf(prototype) === null
}

/** A NumericDate from a number (as is), a Date, or a duration relative to `now`. */
function numericDate(name: string, value: Instant, now: number): number {
  let seconds: number | undefined
  if (typeof value === 'number') seconds = value
  else if (typeof value === 'string') seconds = now + durationSeconds(value)
  else seconds = dateSeconds(value)
  if (seconds === undefined || !Number.isFinite(seconds))
    throw new TypeError(`${name} must be a finite NumericDate`)
  return seconds
}

/** The clock the helpers read: `currentDate` if given (a valid Date), else now. */
function helperClock(currentDate: unknown): number {
  if (currentDate === undefined) return epochSeconds(new Date())
  const seconds = dateSeconds(currentDate)
  if (seconds === undefined || !Number.isFinite(seconds))
    throw new TypeError('currentDate must be a valid Date')
  return seconds
}

/** JSON.stringify, with its TypeError for a cycle or a BigInt worded for a claims set. */
function stringifyClaims(payload: JWTPayload): string {
  try {
    return JSON.stringify(payload)
  } catch (cause) {
    throw new TypeError('JWT Claims Set cannot be serialised as JSON (a cycle or a BigInt?)', {
      cause,
    })
  }
}

// #region build-claims
/**
 * The claims set as JSON text. Refuses claims this module would reject on receipt
 * (wrongly typed registered claims, lone surrogates, deep nesting): a producer should
 * never emit a token its own consumer refuses.
 */
export function buildClaims(claims: JWTPayload, helpers: JWTClaimsHelpers): string {
  if (!isPlainObject(claims)) throw new TypeError('JWT Claims Set must be a plain object')
  // One copy, as jose makes, so that the helper claims never touch the caller's object.
  // structuredClone reads each getter exactly once; a function or a symbol cannot be copied.
  // (A function cannot be copied: structuredClone throws a DataCloneError, as in jose.)
  const payload: JWTPayload = structuredClone(claims)

  // One reading of the clock for every helper, so iat, nbf and exp agree to the second.
  const now = helperClock(helpers.currentDate)
  if (helpers.issuer !== undefined) payload.iss = helpers.issuer
  if (helpers.subject !== undefined) payload.sub = helpers.subject
  if (helpers.audience !== undefined) payload.aud = helpers.audience
  if (helpers.jwtId !== undefined) payload.jti = helpers.jwtId
  if (helpers.notBefore !== undefined)
    payload.nbf = numericDate('notBefore', helpers.notBefore, now)
  if (helpers.issuedAt !== undefined) payload.iat = numericDate('issuedAt', helpers.issuedAt, now)
  if (helpers.expirationTime !== undefined)
    payload.exp = numericDate('expirationTime', helpers.expirationTime, now)

  // Serialise once, then judge the text exactly as a recipient will: the strict parser
  // (lone surrogates, nesting), then the registered claims' types. An undefined member
  // is gone by now, as it is in jose's output; a toJSON method has had its say.
  const json = stringifyClaims(payload)
  const parsed = parseJsonObject(json)
  if ('problem' in parsed) throw new TypeError(`JWT Claims Set ${parsed.problem}`)
  try {
    checkRegisteredClaimTypes(parsed.value)
  } catch (error) {
    if (error instanceof JWTClaimValidationFailed) throw new TypeError(error.message)
    throw error
  }
  return json
}
// #endregion build-claims
