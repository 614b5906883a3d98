/**
 * The header checks a verifier applies before any cryptography: which algorithms,
 * which extensions. The rules are src's (src/jws.ts, src/jwe.ts, src/header.ts);
 * each finding says what the default configuration of both implementations does.
 */

import { isNestedJwtType } from '../../src/jwt.ts'
import type { Finding } from './json-lint.ts'

const EXTRA_HMAC = ['HS384', 'HS512']
const EXTRA_GCM = ['A128GCM', 'A192GCM']

function hasMember(header: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(header, name)
}

/** `crit` (RFC 7515 §4.1.11) and `b64` (RFC 7797 §6), common to both forms. */
function lintExtensions(header: Record<string, unknown>, where: string, found: Finding[]): void {
  if (hasMember(header, 'b64') && header.crit === undefined) {
    found.push({
      where,
      rule: 'header.b64',
      message: '"b64" must be listed in "crit" to mean anything (RFC 7797 §6); src rejects it',
    })
  }
  if (!hasMember(header, 'crit')) return
  const crit = header.crit
  let wellFormed = Array.isArray(crit) && crit.length > 0
  if (Array.isArray(crit)) {
    for (const name of crit) if (typeof name !== 'string' || name === '') wellFormed = false
  }
  found.push({
    where,
    rule: 'header.crit',
    message: wellFormed
      ? `"crit" lists ${JSON.stringify(crit)}: extensions a recipient must understand or reject, and neither implementation understands any (RFC 7515 §4.1.11)`
      : '"crit" must be a non-empty array of non-empty strings (RFC 7515 §4.1.11)',
  })
}

/** A JWS header: `alg` against the default allowlist ['HS256']. */
export function lintJwsHeader(
  header: Record<string, unknown>,
  where: string,
  violations: Finding[],
  notes: Finding[],
): void {
  const alg = header.alg
  if (!hasMember(header, 'alg')) {
    violations.push({ where, rule: 'header.alg', message: 'has no "alg" (RFC 7515 §4.1.1)' })
  } else if (typeof alg !== 'string' || alg === '') {
    violations.push({ where, rule: 'header.alg', message: '"alg" must be a non-empty string' })
  } else if (alg === 'none') {
    violations.push({
      where,
      rule: 'header.alg',
      message:
        '"alg": "none" is an unsecured JWS (RFC 7518 §3.6): anyone can forge it, so verifiers must refuse it (RFC 8725 §3.2)',
    })
  } else if (EXTRA_HMAC.includes(alg)) {
    violations.push({
      where,
      rule: 'header.alg',
      message: `"alg": "${alg}" is outside the default allowlist ["HS256"]; both implementations accept it only when the caller lists it`,
    })
  } else if (alg !== 'HS256') {
    violations.push({
      where,
      rule: 'header.alg',
      message: `"alg": ${JSON.stringify(alg)} is not an algorithm this project verifies (HS256, HS384, HS512): rejected as not allowed (RFC 8725 §3.1)`,
    })
  }
  if (hasMember(header, 'enc')) {
    notes.push({
      where,
      rule: 'header.enc',
      message: '"enc" is a JWE parameter; in a JWS header it has no effect',
    })
  }
  lintExtensions(header, where, violations)
}

/** A JWE header: `alg` must be "dir", `enc` against the default allowlist ['A256GCM'], no `zip`. */
export function lintJweHeader(
  header: Record<string, unknown>,
  where: string,
  violations: Finding[],
  notes: Finding[],
): void {
  const { alg, enc } = header
  if (hasMember(header, 'zip')) {
    violations.push({
      where,
      rule: 'header.zip',
      message:
        '"zip" asks for compression, which both implementations refuse: compressing before encrypting leaks the plaintext through its length, and inflating invites decompression bombs',
    })
  }
  if (!hasMember(header, 'alg')) {
    violations.push({ where, rule: 'header.alg', message: 'has no "alg" (RFC 7516 §4.1.1)' })
  } else if (alg !== 'dir') {
    violations.push({
      where,
      rule: 'header.alg',
      message: `"alg": ${JSON.stringify(alg)}; only "dir" (a shared key used directly, RFC 7518 §4.5) is allowed here`,
    })
  }
  if (!hasMember(header, 'enc')) {
    violations.push({ where, rule: 'header.enc', message: 'has no "enc" (RFC 7516 §4.1.2)' })
  } else if (typeof enc === 'string' && EXTRA_GCM.includes(enc)) {
    violations.push({
      where,
      rule: 'header.enc',
      message: `"enc": "${enc}" is outside the default allowlist ["A256GCM"]; accepted only when the caller lists it`,
    })
  } else if (enc !== 'A256GCM') {
    violations.push({
      where,
      rule: 'header.enc',
      message: `"enc": ${JSON.stringify(enc)} is not supported here (A128GCM, A192GCM, A256GCM)`,
    })
  }
  lintExtensions(header, where, violations)
  if (isNestedJwtType(header.cty)) {
    notes.push({
      where,
      rule: 'header.cty',
      message:
        'cty "JWT": a nested token. The plaintext is a signed JWT: decrypt with the encryption key, then verify with the signing key (RFC 7519 §5.2)',
    })
  }
}
