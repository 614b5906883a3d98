/**
 * The inspector's whole finding about one token, as one plain JSON-able object:
 * the --json output is exactly this, and the text output is rendered from it.
 *
 * Shape (schema "jose-by-hand/inspect@2"; within a schema, fields are only added):
 * {
 *   schema: "jose-by-hand/inspect@2",
 *   inspectedAt: ISO date (the clock used for exp/nbf),
 *   input: Finding[]: what was removed from around the token (a "Bearer " prefix, quotes, spaces),
 *   keys: Finding[]: problems with the keys themselves (a text secret),
 *   token: TokenReport (token-lint.ts): kind, length, segments[], header, nested,
 *          payload (JWS), jwe (sizes), violations[], notes[],
 *   decrypted: null | { from: "src" | "jose", content: ClaimsReport | null,
 *                       inner: TokenReport | null, innerFrom: "plaintext" | "claim \"…\"" | null },
 *   layers: [{ name, algorithm, key: { source, description } | null,
 *              status: "verified" | "not-verified" | "rejected", summary,
 *              checks: [{ operation, kind, src, jose, joseDefaults: Verdict | null }] }],
 *   status: "VERIFIED" | "NOT VERIFIED" | "REJECTED",
 *   violationCount: every violation in input, keys, token and decrypted content,
 *   exitCode: 0 | 1 | 3
 * }
 * Verdict = { outcome: "accepted" | "rejected" | "error" | "not-implemented", code, message }.
 *
 * Changes from inspect@1: `verification` became `layers` and `status`, so that a nested
 * token says what was proven about each layer; exit code 3 means "nothing was
 * proven" (no key), where inspect@1 said 0.
 */

import { KEY_COMMAND } from 'jose-by-hand/reference/production-flow'
import { count, EXIT } from '../kit/index.ts'
import { type ClaimsReport, lintClaims } from './claims-lint.ts'
import type { Finding } from './json-lint.ts'
import type { KeyRing, SecretKey } from './keys.ts'
import { analyseToken, type TokenReport } from './token-lint.ts'
import {
  type ClaimExpectations,
  decryptJwe,
  type LayerReport,
  nestedCheck,
  unreachable,
  verifyJws,
  withCheck,
} from './verify.ts'

export const SCHEMA = 'jose-by-hand/inspect@2'

export type Status = 'VERIFIED' | 'NOT VERIFIED' | 'REJECTED'

export interface DecryptedReport {
  readonly from: 'src' | 'jose'
  /** The plaintext read as a claims set; null for a nested JWT. */
  readonly content: ClaimsReport | null
  /** The token inside: a nested JWT's plaintext, or a token carried in a claim. */
  readonly inner: TokenReport | null
  /** Where that inner token was: "plaintext", or 'claim "token"'. */
  readonly innerFrom: string | null
}

export interface InspectReport {
  readonly schema: typeof SCHEMA
  readonly inspectedAt: string
  readonly input: Finding[]
  readonly keys: Finding[]
  readonly token: TokenReport
  readonly decrypted: DecryptedReport | null
  readonly layers: LayerReport[]
  readonly status: Status
  readonly violationCount: number
  readonly exitCode: number
}

/** A compact JWS: three base64url segments (RFC 7515 §7.1), the last possibly empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/** Whether `text` is a compact JWS whose header names an algorithm. */
function looksLikeJws(text: string): boolean {
  if (!COMPACT_JWS.test(text)) return false
  try {
    const header: unknown = JSON.parse(
      Buffer.from(text.slice(0, text.indexOf('.')), 'base64url').toString(),
    )
    return typeof header === 'object' && header !== null && 'alg' in header
  } catch {
    return false
  }
}

/** The first claim whose value is a signed JWT: the blog post's `{ token: <JWS> }`. */
function carriedToken(claims: Record<string, unknown>): { name: string; token: string } | null {
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value === 'string' && looksLikeJws(value)) return { name, token: value }
  }
  return null
}

/** A text secret is a password, not a key (RFC 7518 §3.2, RFC 8725 §3.5). */
function keyFindings(keys: KeyRing): Finding[] {
  const found: Finding[] = []
  const seen = new Set<SecretKey>()
  for (const key of [keys.signing, keys.encryption]) {
    if (key === undefined || seen.has(key) || key.encoding !== 'utf8') continue
    seen.add(key)
    found.push({
      where: key.source,
      rule: 'key.text',
      message: `is a text secret (--key-encoding utf8), ${count(key.bytes.length, 'byte')} that a person chose, not random ones: a weak key. HMAC keys must be random and at least as long as the hash, 32 bytes for HS256 (RFC 7518 §3.2), and a secret a person can remember is guessed offline from a single token (RFC 8725 §3.5). A real key: ${KEY_COMMAND}`,
    })
  }
  return found
}

function overallStatus(layers: readonly LayerReport[]): Status {
  if (layers.some((layer) => layer.status === 'rejected')) return 'REJECTED'
  if (layers.length === 0 || layers.some((layer) => layer.status === 'not-verified')) {
    return 'NOT VERIFIED'
  }
  return 'VERIFIED'
}

interface Inside {
  readonly layers: LayerReport[]
  readonly decrypted: DecryptedReport | null
}

/** Everything under a JWE: its decrypted content, and the token inside it, if any. */
async function inspectJwe(
  token: string,
  analysis: TokenReport,
  now: Date,
  keys: KeyRing,
  expect: ClaimExpectations,
): Promise<Inside> {
  const nested = analysis.nested
  const outerName = nested ? 'outer JWE' : 'JWE'
  const { layer, decryption } = await decryptJwe(token, analysis, keys, expect, now, outerName)
  if (decryption === undefined) {
    if (!nested) return { layers: [layer], decrypted: null }
    return {
      layers: [layer, unreachable('inner JWS', 'not checked: the outer JWE was not decrypted')],
      decrypted: null,
    }
  }
  const { plaintext, from } = decryption
  const text = new TextDecoder().decode(plaintext)
  if (nested || looksLikeJws(text)) {
    if (!nested) {
      analysis.notes.push({
        where: 'header',
        rule: 'nested.no-cty',
        message:
          'has no cty "JWT", yet the plaintext is a signed JWT: say cty "JWT" so that readers verify it rather than treat it as plain content (RFC 7519 §5.2)',
      })
    }
    const inner = analyseToken(text, now, 'inner.')
    let innerLayer = await verifyJws(text, inner, keys, expect, now, 'inner JWS')
    // Without cty "JWT", decryptThenVerify refuses the token for that alone; the note says so.
    const both = nested ? await nestedCheck(token, analysis, inner, keys, expect, now) : undefined
    if (both !== undefined) {
      innerLayer = withCheck(innerLayer, both, inner.payload?.claims ?? null, expect)
    }
    return {
      layers: [layer, innerLayer],
      decrypted: { from, content: null, inner, innerFrom: 'plaintext' },
    }
  }
  // Findings about the plaintext join the token's own lists, under "plaintext".
  const content = lintClaims(plaintext, 'plaintext', now, analysis.violations, analysis.notes)
  const carried = content.claims === null ? null : carriedToken(content.claims)
  if (carried === null) {
    return { layers: [layer], decrypted: { from, content, inner: null, innerFrom: null } }
  }
  analysis.notes.push({
    where: 'plaintext',
    rule: 'nested.token-claim',
    message: `carries a signed JWT in its "${carried.name}" claim, and the header has no cty: this is not a nested JWT. RFC 7519 §5.2 makes the signed JWT itself the plaintext and says so with cty "JWT". Here a standard reader (decryptThenVerify, jose's jwtDecrypt) takes the outer claims, which have no iss, aud or exp of their own, and never checks the inner signature: only code written for this one shape does (docs/05-nested-sign-then-encrypt.md)`,
  })
  const inner = analyseToken(carried.token, now, 'inner.')
  const innerName = `inner JWS in claim "${carried.name}"`
  const innerLayer = await verifyJws(carried.token, inner, keys, expect, now, innerName)
  return {
    layers: [layer, innerLayer],
    decrypted: { from, content, inner, innerFrom: `claim "${carried.name}"` },
  }
}

/** Inspects `token`; verifies each layer it has a key for. `input` says what was cleaned off. */
export async function inspectToken(
  token: string,
  input: Finding[],
  now: Date,
  keys: KeyRing,
  expect: ClaimExpectations,
): Promise<InspectReport> {
  const analysis = analyseToken(token, now)
  let inside: Inside
  if (analysis.kind === 'JWS') {
    inside = {
      layers: [await verifyJws(token, analysis, keys, expect, now, 'JWS')],
      decrypted: null,
    }
  } else if (analysis.kind === 'JWE') {
    inside = await inspectJwe(token, analysis, now, keys, expect)
  } else {
    const reason = 'nothing to verify: not a JWS (3 segments) or a JWE (5 segments)'
    inside = { layers: [unreachable('token', reason)], decrypted: null }
  }
  const found = keyFindings(keys)
  const violationCount =
    found.length + analysis.violations.length + (inside.decrypted?.inner?.violations.length ?? 0)
  const status = overallStatus(inside.layers)
  let exitCode: number = EXIT.OK
  if (violationCount > 0 || status === 'REJECTED') exitCode = EXIT.FAILURE
  else if (status === 'NOT VERIFIED') exitCode = EXIT.NOT_VERIFIED
  return {
    schema: SCHEMA,
    inspectedAt: now.toISOString(),
    input,
    keys: found,
    token: analysis,
    decrypted: inside.decrypted,
    layers: inside.layers,
    status,
    violationCount,
    exitCode,
  }
}
