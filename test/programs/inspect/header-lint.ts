/**
 * The header checks a verifier applies before any cryptography: which algorithms,
 * which extensions. The rules are src's default configuration; each finding says what
 * it does, and what jose does. An algorithm that src does not implement but jose
 * does (RS256, RSA-OAEP-256, …) is a note, not a violation: the inspector verifies
 * it with jose, given the right key.
 */

import {
  isGcm,
  isJoseOnlyEnc,
  isJoseOnlyJweAlg,
  isNestedJwtType,
  isPublicKeyJws,
  PRIVATE_KEY_JWE,
} from './algorithms.ts'
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
  } else if (isPublicKeyJws(alg)) {
    notes.push({
      where,
      rule: 'header.alg-jose-only',
      message: `"alg": "${alg}" is not implemented here (src signs with HMAC only); jose verifies it with the issuer's public key (--public-key-file PATH or JOSE_PUBLIC_KEY, PEM or JWK). No HMAC key can verify it`,
    })
  } else if (alg !== 'HS256') {
    violations.push({
      where,
      rule: 'header.alg',
      message: `"alg": ${JSON.stringify(alg)} is not a JWS algorithm src or jose verifies: rejected as not allowed (RFC 8725 §3.1)`,
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
  } else if (isJoseOnlyJweAlg(alg)) {
    const key = PRIVATE_KEY_JWE.includes(alg as string)
      ? "the recipient's private key (--private-key-file PATH or JOSE_PRIVATE_KEY, PEM or JWK)"
      : 'the shared key-wrapping key (--encryption-key-file PATH or JOSE_ENCRYPTION_KEY)'
    notes.push({
      where,
      rule: 'header.alg-jose-only',
      message: `"alg": "${alg}" is not implemented here (src does "dir" only); jose decrypts it with ${key}`,
    })
  } else if (alg === 'RSA1_5') {
    violations.push({
      where,
      rule: 'header.alg',
      message:
        '"alg": "RSA1_5" is RSAES-PKCS1-v1_5, open to padding-oracle attacks (RFC 8725 §3.2); jose no longer decrypts it',
    })
  } else if (alg !== 'dir') {
    violations.push({
      where,
      rule: 'header.alg',
      message: `"alg": ${JSON.stringify(alg)} is not a JWE algorithm src or jose decrypts (RFC 7518 §4.1)`,
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
  } else if (isJoseOnlyEnc(enc)) {
    notes.push({
      where,
      rule: 'header.enc-jose-only',
      message: `"enc": "${enc}" (AES-CBC with HMAC, RFC 7518 §5.2) is not implemented here; jose decrypts it`,
    })
  } else if (!isGcm(enc)) {
    violations.push({
      where,
      rule: 'header.enc',
      message: `"enc": ${JSON.stringify(enc)} is not a content encryption algorithm src or jose decrypts (RFC 7518 §5.1)`,
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
