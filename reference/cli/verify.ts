/**
 * Verifying or decrypting one token with both implementations, layer by layer, so
 * that their verdicts can be shown side by side.
 *
 * Every call uses the default configuration (HS256, dir + A256GCM, the length cap):
 * the inspector judges a token as this project's verifiers would, not as leniently
 * as possible.
 */

import * as manual from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'
import type { KeyRing } from './keys.ts'
import type { TokenReport } from './token-lint.ts'
import { settle, type Verdict } from './verdict.ts'

export interface Check {
  /** The function both implementations ran: verifyCompact, verifyJwt, decryptCompact, decryptJwt, decryptThenVerify. */
  readonly operation: string
  /** What it establishes, in a few words. */
  readonly purpose: string
  readonly src: Verdict
  readonly jose: Verdict
}

export interface KeyInfo {
  readonly source: string
  readonly bytes: number
}

export interface VerificationReport {
  readonly signingKey: KeyInfo | null
  readonly encryptionKey: KeyInfo | null
  readonly checks: Check[]
  /** Layers that were not checked, and why. */
  readonly skipped: string[]
}

export interface Decryption {
  readonly plaintext: Uint8Array
  /** Which implementation's plaintext this is: src's when it accepted, else jose's. */
  readonly from: 'src' | 'jose'
}

export interface VerifyOutcome {
  readonly report: VerificationReport
  readonly decryption: Decryption | undefined
}

/** Claim expectations the user may pass (--issuer, --audience); empty by default. */
export interface ClaimExpectations {
  readonly issuer?: string | undefined
  readonly audience?: string[] | undefined
}

function keyInfo(key: { source: string; bytes: Uint8Array } | undefined): KeyInfo | null {
  return key === undefined ? null : { source: key.source, bytes: key.bytes.length }
}

interface ClaimOptions {
  issuer?: string
  audience?: string[]
  currentDate: Date
}

/** The user's expectations, and the inspection's clock, so lint and verifiers agree on "now". */
function claimOptions(expect: ClaimExpectations, now: Date): ClaimOptions {
  const options: ClaimOptions = { currentDate: now }
  if (expect.issuer !== undefined) options.issuer = expect.issuer
  if (expect.audience !== undefined) options.audience = expect.audience
  return options
}

const NO_KEY =
  'set JOSE_KEY (base64url), JOSE_SIGNING_KEY / JOSE_ENCRYPTION_KEY, or pass --key-file PATH'

/** Runs every check that the token's kind and the available keys allow. */
export async function verifyToken(
  token: string,
  analysis: TokenReport,
  keys: KeyRing,
  expect: ClaimExpectations,
  now: Date,
): Promise<VerifyOutcome> {
  const checks: Check[] = []
  const skipped: string[] = []
  const options = claimOptions(expect, now)
  let decryption: Decryption | undefined

  if (analysis.kind === 'JWS') {
    const key = keys.signing
    if (key === undefined) {
      skipped.push(`signature not verified: no signing key (${NO_KEY})`)
    } else {
      const src = await settle(() => manual.verifyCompact(token, key.bytes))
      const jose = await settle(() => reference.verifyCompact(token, key.bytes))
      checks.push({
        operation: 'verifyCompact',
        purpose: 'the MAC',
        src: src.verdict,
        jose: jose.verdict,
      })
      if (analysis.payload?.claims !== null && analysis.payload?.claims !== undefined) {
        const srcJwt = await settle(() => manual.verifyJwt(token, key.bytes, options))
        const joseJwt = await settle(() => reference.verifyJwt(token, key.bytes, options))
        checks.push({
          operation: 'verifyJwt',
          purpose: 'the MAC, then the claims',
          src: srcJwt.verdict,
          jose: joseJwt.verdict,
        })
      }
    }
  } else if (analysis.kind === 'JWE') {
    const key = keys.encryption
    if (key === undefined) {
      skipped.push(`not decrypted: no encryption key (${NO_KEY})`)
    } else {
      const src = await settle(() => manual.decryptCompact(token, key.bytes))
      const jose = await settle(() => reference.decryptCompact(token, key.bytes))
      checks.push({
        operation: 'decryptCompact',
        purpose: 'the tag, then decryption',
        src: src.verdict,
        jose: jose.verdict,
      })
      if (src.value !== undefined) decryption = { plaintext: src.value.plaintext, from: 'src' }
      else if (jose.value !== undefined) {
        decryption = { plaintext: jose.value.plaintext, from: 'jose' }
      }
      if (analysis.nested) {
        const signing = keys.signing
        if (signing === undefined) {
          skipped.push(`inner signature not verified: no signing key (${NO_KEY})`)
        } else {
          const nestedKeys = { signingKey: signing.bytes, encryptionKey: key.bytes }
          const srcNested = await settle(() => manual.decryptThenVerify(token, nestedKeys, options))
          const joseNested = await settle(() =>
            reference.decryptThenVerify(token, nestedKeys, options),
          )
          checks.push({
            operation: 'decryptThenVerify',
            purpose: 'both layers, then the claims',
            src: srcNested.verdict,
            jose: joseNested.verdict,
          })
        }
      } else if (decryption !== undefined && startsLikeJsonObject(decryption.plaintext)) {
        const srcJwt = await settle(() => manual.decryptJwt(token, key.bytes, options))
        const joseJwt = await settle(() => reference.decryptJwt(token, key.bytes, options))
        checks.push({
          operation: 'decryptJwt',
          purpose: 'the tag, then the claims',
          src: srcJwt.verdict,
          jose: joseJwt.verdict,
        })
      }
    }
  } else {
    skipped.push('nothing to verify: not a JWS (3 segments) or a JWE (5 segments)')
  }

  return {
    report: {
      signingKey: keyInfo(keys.signing),
      encryptionKey: keyInfo(keys.encryption),
      checks,
      skipped,
    },
    decryption,
  }
}

function startsLikeJsonObject(bytes: Uint8Array): boolean {
  const text = new TextDecoder().decode(bytes).trimStart()
  return text.startsWith('{')
}
