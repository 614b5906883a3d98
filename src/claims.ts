/**
 * JWT Claims Set checks (RFC 7519 §4.1, §7.2 step 10), with jose's option names and
 * verdicts, plus strict types for the registered claims.
 */

import { utf8DecodeStrict } from './bytes.ts'
import { dateSeconds, durationOption, epochSeconds } from './duration.ts'
import { JWTClaimValidationFailed, JWTExpired, JWTInvalid } from './errors.ts'
import { parseJsonObject } from './json.ts'
import type { JWTClaimOptions, JWTPayload } from './types.ts'

// #region parse-claims
/** The claims set is strict UTF-8 (no BOM) of a strict JSON object (RFC 7519 §7.2 steps 9–10). */
export function parseClaims(bytes: Uint8Array): JWTPayload {
  const text = utf8DecodeStrict(bytes)
  if (text === undefined)
    throw new JWTInvalid('JWT Claims Set is not UTF-8 without a byte-order mark')
  const parsed = parseJsonObject(text)
  if ('problem' in parsed) throw new JWTInvalid(`JWT Claims Set ${parsed.problem}`)
  return parsed.value as JWTPayload
}
// #endregion parse-claims

// #region registered-claim-types
/**
 * RFC 7519 §4.1: `iss`, `sub`, `jti` are StringOrURI (strings); `aud` is a string or an
 * array of strings; `exp`, `nbf`, `iat` are NumericDates. A NumericDate of Infinity
 * (JSON `1e400` parses to it) would never expire, so it must be finite.
 */
export function checkRegisteredClaimTypes(payload: JWTPayload): void {
  for (const claim of ['iss', 'sub', 'jti'] as const) {
    if (Object.hasOwn(payload, claim) && typeof payload[claim] !== 'string')
      invalid(payload, claim, 'a string')
  }
  if (Object.hasOwn(payload, 'aud')) {
    const aud = payload.aud
    const ok =
      typeof aud === 'string' ||
      (Array.isArray(aud) && aud.every((item) => typeof item === 'string'))
    if (!ok) invalid(payload, 'aud', 'a string or an array of strings')
  }
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (Object.hasOwn(payload, claim) && !Number.isFinite(payload[claim]))
      invalid(payload, claim, 'a finite number')
  }
}

function invalid(payload: JWTPayload, claim: string, expected: string): never {
  throw new JWTClaimValidationFailed(
    `"${claim}" claim must be ${expected}`,
    payload,
    claim,
    'invalid',
  )
}
// #endregion registered-claim-types

/** Media types compare case-insensitively, and `JWT` is short for `application/jwt` (RFC 7515 §4.1.9). */
export function normalizeMediaType(value: string): string {
  const lower = value.toLowerCase()
  return lower.includes('/') ? lower : `application/${lower}`
}

function requirePresent(payload: JWTPayload, claim: string): void {
  if (!Object.hasOwn(payload, claim)) {
    throw new JWTClaimValidationFailed(
      `missing required "${claim}" claim`,
      payload,
      claim,
      'missing',
    )
  }
}

function checkFailed(payload: JWTPayload, claim: string): never {
  throw new JWTClaimValidationFailed(
    `unexpected "${claim}" claim value`,
    payload,
    claim,
    'check_failed',
  )
}

// #region validate-claims
/**
 * The claim checks of `jwtVerify`, in jose's order so both report the same first
 * failure: `typ`, presence, `iss`, `sub`, `aud`, then the clock (`nbf`, `exp`, `iat`).
 */
export function validateClaims(
  header: Record<string, unknown>,
  payload: JWTPayload,
  options: JWTClaimOptions,
): void {
  const { typ, issuer, subject, audience, maxTokenAge, requiredClaims = [] } = options
  const tolerance =
    options.clockTolerance === undefined
      ? 0
      : durationOption('clockTolerance', options.clockTolerance)
  const maxAge = maxTokenAge === undefined ? undefined : durationOption('maxTokenAge', maxTokenAge)
  // Only an absent currentDate means now: null is a mistake, as it is for jose.
  const now =
    options.currentDate === undefined ? epochSeconds(new Date()) : dateSeconds(options.currentDate)
  if (now === undefined || !Number.isFinite(now))
    throw new TypeError('currentDate must be a valid Date')

  checkRegisteredClaimTypes(payload)

  // RFC 8725 §3.11: explicit typing, compared as media types.
  if (
    typ !== undefined &&
    (typeof header.typ !== 'string' || normalizeMediaType(header.typ) !== normalizeMediaType(typ))
  ) {
    throw new JWTClaimValidationFailed(
      'unexpected "typ" JWT header value',
      payload,
      'typ',
      'check_failed',
    )
  }

  // Presence: every claim an option depends on, in the order jose reports them.
  // jose checks iss, sub, aud, iat, then requiredClaims from the last; a name listed
  // twice is merely checked twice, so the first missing claim is the one jose names.
  if (issuer !== undefined) requirePresent(payload, 'iss')
  if (subject !== undefined) requirePresent(payload, 'sub')
  if (audience !== undefined) requirePresent(payload, 'aud')
  if (maxAge !== undefined) requirePresent(payload, 'iat')
  const listed = [...requiredClaims]
  for (let i = listed.length - 1; i >= 0; i--) requirePresent(payload, listed[i] as string)

  // RFC 7519 §4.1.1: the issuer must match exactly.
  if (
    issuer !== undefined &&
    !(Array.isArray(issuer) ? issuer : [issuer]).includes(payload.iss as string)
  ) {
    checkFailed(payload, 'iss')
  }
  if (subject !== undefined && payload.sub !== subject) checkFailed(payload, 'sub')
  // RFC 7519 §4.1.3: accepted when any of the token's audiences is one we serve.
  if (audience !== undefined) {
    const expected = typeof audience === 'string' ? [audience] : audience
    const aud = payload.aud
    const overlaps =
      typeof aud === 'string'
        ? expected.includes(aud)
        : (aud as string[]).some((a) => expected.includes(a))
    if (!overlaps) checkFailed(payload, 'aud')
  }

  // RFC 7519 §4.1.5: not valid *before* nbf, so nbf equal to now passes.
  if (payload.nbf !== undefined && payload.nbf > now + tolerance) {
    throw new JWTClaimValidationFailed(
      '"nbf" claim timestamp check failed',
      payload,
      'nbf',
      'check_failed',
    )
  }
  // RFC 7519 §4.1.4: valid only *before* exp, so exp equal to now has expired.
  if (payload.exp !== undefined && payload.exp <= now - tolerance) {
    throw new JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed')
  }
  // iat is only judged when the caller bounds the token's age.
  if (maxAge !== undefined) {
    const age = now - (payload.iat as number)
    if (age - tolerance > maxAge) {
      throw new JWTExpired(
        '"iat" claim timestamp check failed (too far in the past)',
        payload,
        'iat',
        'check_failed',
      )
    }
    if (age < -tolerance) {
      throw new JWTClaimValidationFailed(
        '"iat" claim timestamp check failed (it should be in the past)',
        payload,
        'iat',
        'check_failed',
      )
    }
  }
}
// #endregion validate-claims
