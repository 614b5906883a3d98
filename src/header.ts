/**
 * The JOSE Header: decoding the received one, and serialising one to send.
 */

import { decodeBase64urlTransient, encodeBase64url } from './base64url.ts'
import { utf8DecodeStrict } from './bytes.ts'
import { type JOSEError, JOSENotSupported, JWSInvalid } from './errors.ts'
import { parseJsonObject, stringifiedJsonProblem } from './json.ts'

type ErrorClass = new (message: string) => JOSEError

// #region decode-header
/**
 * Decodes a Protected Header segment: canonical base64url, then strict UTF-8 without
 * a byte-order mark (RFC 7515 §5.2 steps 2–3; RFC 8259 §8.1 forbids the BOM), then
 * a strict JSON object (step 4).
 */
export function decodeProtectedHeader(
  segment: string,
  Invalid: ErrorClass,
  label: string,
): Record<string, unknown> {
  const bytes = decodeBase64urlTransient(segment)
  if (bytes === undefined) throw new Invalid(`${label} is not canonical base64url`)
  const text = utf8DecodeStrict(bytes)
  if (text === undefined) throw new Invalid(`${label} is not UTF-8 without a byte-order mark`)
  const parsed = parseJsonObject(text)
  if ('problem' in parsed) throw new Invalid(`${label} ${parsed.problem}`)
  const header = parsed.value
  checkCrit(header, Invalid)
  return header
}
// #endregion decode-header

// #region crit
/**
 * RFC 7515 §4.1.11 (and RFC 7516 §4.1.13): `crit` lists extensions the recipient
 * MUST understand, or reject the token. It must be a non-empty array of non-empty
 * strings. This module understands no extension at all (and registered names such
 * as "alg" may never be listed), so every well-formed `crit` is refused as not
 * supported: the code jose gives for a name it does not recognise.
 */
function checkCrit(header: Record<string, unknown>, Invalid: ErrorClass): void {
  if (!Object.hasOwn(header, 'crit')) return
  const crit = header.crit
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    !crit.every((name) => typeof name === 'string' && name !== '')
  ) {
    throw new Invalid('"crit" Header Parameter must be a non-empty array of non-empty strings')
  }
  throw new JOSENotSupported(
    `extension Header Parameter ${JSON.stringify(crit[0])} listed in "crit" is not supported`,
  )
}
// #endregion crit

/**
 * RFC 7797 §6: a JWS "b64" Header Parameter only has meaning when "crit" lists it.
 * Without "crit", some readers would honour it and others ignore it, and the same
 * token would mean two payloads. (With "crit", checkCrit has already refused it.)
 */
export function checkNoBareB64(header: object): void {
  if (Object.hasOwn(header, 'b64')) {
    throw new JWSInvalid('"b64" Header Parameter must be listed in "crit" (RFC 7797 §6)')
  }
}

/**
 * Serialises a header for sending: `JSON.stringify` of the caller's object, exactly as
 * jose does, so the same object gives the same bytes in both. Returns the segment.
 * Refuses a header this module would itself reject on receipt.
 */
export function encodeProtectedHeader(header: object, Invalid: ErrorClass, label: string): string {
  const json = JSON.stringify(header) as string | undefined
  if (json === undefined || json.charCodeAt(0) !== 0x7b)
    throw new Invalid(`${label} must be a JSON object`)
  // Never send what we would refuse: duplicate names cannot come out of JSON.stringify,
  // but lone surrogates can (as "\udXXX" escapes), and so can nesting and "crit".
  const problem = stringifiedJsonProblem(json)
  if (problem !== undefined) throw new Invalid(`${label} ${problem}`)
  // JSON.stringify writes an ASCII name as it is: no '"crit"' in the text, no crit member.
  if (json.includes('"crit"')) checkCrit(JSON.parse(json) as Record<string, unknown>, Invalid)
  return encodeBase64url(json)
}
