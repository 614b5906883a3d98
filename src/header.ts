/**
 * The JOSE Header: decoding the received one, and serialising one to send.
 */

import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { utf8DecodeStrict } from './bytes.ts'
import { type JOSEError, JOSENotSupported, JWSInvalid } from './errors.ts'
import { parseJsonObject } from './json.ts'

type ErrorClass = new (message: string, options?: { cause?: unknown }) => JOSEError

// #region decode-header
/**
 * Decodes a Protected Header segment: canonical base64url, then strict UTF-8, then a
 * strict JSON object (RFC 7515 §5.2 steps 2–3, RFC 7516 §5.2 steps 2–4).
 *
 * A leading byte-order mark is refused. RFC 8259 §8.1 only forbids *adding* one and lets
 * a parser ignore it; we choose to refuse it, because ignoring it would give the same
 * header two spellings, and a token two forms that verify.
 */
export function decodeProtectedHeader(
  segment: string,
  Invalid: ErrorClass,
  label: string,
): Record<string, unknown> {
  const bytes = decodeBase64url(segment)
  if (bytes === undefined) throw new Invalid(`${label} is not canonical base64url`)
  const text = utf8DecodeStrict(bytes)
  if (text === undefined) throw new Invalid(`${label} is not UTF-8 without a byte-order mark`)
  const parsed = parseJsonObject(text)
  if ('problem' in parsed) throw new Invalid(`${label} ${parsed.problem}`)
  return parsed.value
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
export function checkCrit(header: Record<string, unknown>, Invalid: ErrorClass): void {
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
export function checkNoBareB64(header: Record<string, unknown>): void {
  if (Object.hasOwn(header, 'b64')) {
    throw new JWSInvalid('"b64" Header Parameter must be listed in "crit" (RFC 7797 §6)')
  }
}

// #region serialize-header
/**
 * Serialises a header to send, and reads it back as a recipient will.
 *
 * The caller's object is turned into text once, with `JSON.stringify` as jose does, so
 * the same object gives the same bytes in both. That text can say something other than
 * the object seems to: an undefined member vanishes, a getter or a `toJSON` method
 * answers what it likes, an inherited member is left out. So the header's checks never
 * look at the caller's object; they look at `header`, the text parsed back with the
 * strict parser every recipient here uses. What is sent is exactly what was checked.
 */
export function serializeProtectedHeader(
  header: unknown,
  Invalid: ErrorClass,
  label: string,
): { segment: string; header: Record<string, unknown> } {
  let json: string | undefined
  try {
    json = JSON.stringify(header)
  } catch (cause) {
    // A cycle or a BigInt: JSON.stringify has no text for it.
    throw new Invalid(`${label} cannot be serialised as JSON`, { cause })
  }
  // JSON.stringify writes an object, and nothing else, with a leading '{'. Said here in
  // the caller's terms, before the parser's wording for received text.
  if (json === undefined || !json.startsWith('{'))
    throw new Invalid(`${label} must be a JSON object`)
  const parsed = parseJsonObject(json)
  if ('problem' in parsed) throw new Invalid(`${label} ${parsed.problem}`)
  return { segment: encodeBase64url(json), header: parsed.value }
}
// #endregion serialize-header
