/**
 * The inspector's whole finding about one token, as one plain JSON-able object:
 * the --json output is exactly this, and the text output is rendered from it.
 *
 * Shape (schema "jose-by-hand/inspect@1"; fields are only ever added, never renamed):
 * {
 *   schema: "jose-by-hand/inspect@1",
 *   inspectedAt: ISO date (the clock used for exp/nbf),
 *   token: TokenReport (reference/cli/token-lint.ts): kind, length, segments[], header,
 *          nested, payload (JWS), jwe (sizes), violations[], notes[],
 *   verification: { signingKey, encryptionKey: {source, bytes} | null,
 *                   checks: [{ operation, purpose, src: Verdict, jose: Verdict }], skipped: [] },
 *   decrypted: null | { from: "src" | "jose", content: ClaimsReport | null, inner: TokenReport | null },
 *   violationCount: every violation in token and decrypted content,
 *   exitCode: 0 | 1
 * }
 * Verdict = { outcome: "accepted" | "rejected" | "error", code: "ERR_…" | null, message }.
 */

import type { ClaimsReport } from './claims-lint.ts'
import { lintClaims } from './claims-lint.ts'
import type { KeyRing } from './keys.ts'
import { EXIT_FAILED, EXIT_OK } from './main.ts'
import { analyseToken, type TokenReport } from './token-lint.ts'
import { type ClaimExpectations, type VerificationReport, verifyToken } from './verify.ts'

export const SCHEMA = 'jose-by-hand/inspect@1'

export interface DecryptedReport {
  readonly from: 'src' | 'jose'
  /** A non-nested JWE's plaintext, read as a claims set. */
  readonly content: ClaimsReport | null
  /** A nested JWE's inner token, taken apart like the outer one. */
  readonly inner: TokenReport | null
}

export interface InspectReport {
  readonly schema: typeof SCHEMA
  readonly inspectedAt: string
  readonly token: TokenReport
  readonly verification: VerificationReport
  readonly decrypted: DecryptedReport | null
  readonly violationCount: number
  readonly exitCode: number
}

/** Inspects `token`; verifies it too when `keys` hold a key for it. */
export async function inspectToken(
  token: string,
  now: Date,
  keys: KeyRing,
  expect: ClaimExpectations,
): Promise<InspectReport> {
  const analysis = analyseToken(token, now)
  const { report: verification, decryption } = await verifyToken(token, analysis, keys, expect, now)

  let decrypted: DecryptedReport | null = null
  if (decryption !== undefined) {
    if (analysis.nested) {
      const innerText = new TextDecoder().decode(decryption.plaintext)
      decrypted = {
        from: decryption.from,
        content: null,
        inner: analyseToken(innerText, now, 'inner.'),
      }
    } else {
      // Findings about the plaintext join the token's own lists, under "plaintext".
      const content = lintClaims(
        decryption.plaintext,
        'plaintext',
        now,
        analysis.violations,
        analysis.notes,
      )
      decrypted = { from: decryption.from, content, inner: null }
    }
  }

  const violationCount = analysis.violations.length + (decrypted?.inner?.violations.length ?? 0)
  let allAccepted = true
  for (const check of verification.checks) {
    if (check.src.outcome !== 'accepted' || check.jose.outcome !== 'accepted') allAccepted = false
  }
  return {
    schema: SCHEMA,
    inspectedAt: now.toISOString(),
    token: analysis,
    verification,
    decrypted,
    violationCount,
    exitCode: violationCount === 0 && allAccepted ? EXIT_OK : EXIT_FAILED,
  }
}
