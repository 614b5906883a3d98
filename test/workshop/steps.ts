/**
 * The workshop's steps: which `// #region`s of src/ each one turns into TODOs, which
 * docs chapter explains them, and which properties check them.
 *
 * Properties come from two places. `differential` names properties of
 * test/differential/properties.ts, the very ones that hold src/ against jose in
 * `npm test`. `focused` names properties of ./properties.ts, written for the workshop
 * where no differential group looks at a step's code closely enough (the primitives:
 * base64url, HMAC, the MAC comparison, AES-GCM) or where a common mistake slips past
 * the differential suite (a re-serialised header, a missing `cty` check). Focused
 * properties run first: they fail with the smallest counterexamples.
 */

export type StepId = '1' | '2' | '3' | '4' | '5' | '6' | '7' | 'bonus' | 'ghash'

/** A region of a file under src/, by file name (`base64url.ts`) and region name. */
export interface RegionRef {
  readonly file: string
  readonly region: string
}

export interface Step {
  readonly id: StepId
  readonly title: string
  /** Repository-relative path of the chapter to read first. */
  readonly chapter: string
  /** The regions whose functions become TODOs; empty for the bonus step. */
  readonly regions: readonly RegionRef[]
  /** Ids of ./properties.ts properties, run first. */
  readonly focused: readonly string[]
  /** Ids of test/differential/properties.ts properties. */
  readonly differential: readonly string[]
  /** A facilitator's estimate of the time a pair needs, in minutes. */
  readonly minutes: number
}

export const STEPS: readonly Step[] = [
  {
    id: '1',
    title: 'base64url: one spelling for every byte string',
    chapter: 'docs/01-base64url.md',
    regions: [
      { file: 'base64url.ts', region: 'base64url-encode' },
      { file: 'base64url.ts', region: 'base64url-decode' },
    ],
    focused: ['base64url/encode-matches-jose', 'base64url/decode-is-canonical'],
    differential: [],
    minutes: 20,
  },
  {
    id: '2',
    title: 'the JWS signing input and HMAC',
    chapter: 'docs/02-jws-hs256.md',
    regions: [
      { file: 'hmac.ts', region: 'hmac-sign' },
      { file: 'jws.ts', region: 'sign-compact' },
    ],
    focused: ['hmac/matches-node-crypto', 'sign/refuses-headers-a-recipient-refuses'],
    differential: ['jws/sign-matches-jose', 'jws/jose-verifies-src'],
    minutes: 15,
  },
  {
    id: '3',
    title: 'verification, and rejecting tampering',
    chapter: 'docs/02-jws-hs256.md',
    regions: [
      { file: 'hmac.ts', region: 'mac-compare' },
      { file: 'jws.ts', region: 'verify-compact' },
    ],
    focused: [
      'mac-compare/is-byte-equality',
      'verify/uses-timing-safe-equal',
      'verify/allowlist-decides-the-algorithm',
      'verify/macs-the-received-header',
    ],
    differential: ['jws/src-verifies-jose', 'tampering/jws'],
    minutes: 25,
  },
  {
    id: '4',
    title: 'JWT claims validation',
    chapter: 'docs/03-jwt-claims.md',
    regions: [
      { file: 'claims.ts', region: 'registered-claim-types' },
      { file: 'claims.ts', region: 'validate-claims' },
    ],
    focused: [
      'claims/registered-claim-types',
      'claims/first-missing-claim-agrees',
      'claims/clock-boundaries-agree',
    ],
    differential: ['claims/verify-jwt-agrees', 'claims/wrong-types-are-invalid'],
    minutes: 25,
  },
  {
    id: '5',
    title: 'the JWE header, the IV and the AAD',
    chapter: 'docs/04-jwe-dir-a256gcm.md',
    regions: [
      { file: 'jwe.ts', region: 'encrypt-compact' },
      { file: 'jwe.ts', region: 'decrypt-compact' },
    ],
    focused: ['jwe/aad-is-the-received-header', 'jwe/tampered-tokens-are-refused-like-jose'],
    differential: [
      'jwe-fixed-iv/encrypt-matches-jose',
      'jwe-fixed-iv/src-decrypts-jose',
      'jwe-random-iv/ivs-never-repeat',
      'jwe-random-iv/jose-decrypts-src',
      'tampering/jwe',
    ],
    minutes: 20,
  },
  {
    id: '6',
    title: 'AES-GCM encrypt and decrypt',
    chapter: 'docs/04-jwe-dir-a256gcm.md',
    regions: [
      { file: 'aes-gcm.ts', region: 'gcm-encrypt' },
      { file: 'aes-gcm.ts', region: 'gcm-decrypt' },
    ],
    focused: ['gcm/encrypt-matches-webcrypto', 'gcm/decrypt-releases-only-authentic-plaintext'],
    differential: ['jwe-fixed-iv/jose-decrypts-src', 'jwe-fixed-iv/src-decrypts-jose'],
    minutes: 15,
  },
  {
    id: '7',
    title: 'nested JWT: sign, then encrypt',
    chapter: 'docs/05-nested-sign-then-encrypt.md',
    regions: [
      { file: 'nested.ts', region: 'sign-then-encrypt' },
      { file: 'nested.ts', region: 'decrypt-then-verify' },
    ],
    focused: ['nested/verdicts-agree-with-jose', 'nested/inner-token-bounded-by-the-outer'],
    differential: [
      'nested/sign-then-encrypt-matches-jose',
      'nested/jose-reads-src',
      'nested/src-reads-jose',
    ],
    minutes: 15,
  },
  {
    id: 'bonus',
    title: 'pitfall hunt: the property that breaks a naive verifier',
    chapter: 'docs/workshop.md',
    regions: [],
    focused: [],
    differential: [],
    minutes: 20,
  },
  {
    id: 'ghash',
    title: 'advanced: GHASH by hand, multiplication in GF(2^128)',
    chapter: 'docs/workshop.md',
    regions: [
      { file: 'glass-box/gf128.ts', region: 'gf128-multiply' },
      { file: 'glass-box/ghash.ts', region: 'ghash' },
    ],
    focused: ['ghash/one-is-0x80-then-zeros', 'ghash/tags-match-node-crypto'],
    differential: [],
    minutes: 40,
  },
]

/** The seven steps of the workshop proper: progress counts these. */
export const CORE_STEPS: readonly Step[] = STEPS.filter(
  (step) => step.id !== 'bonus' && step.id !== 'ghash',
)

/** Every step that turns src/ regions into TODOs: the seven, and the GHASH step. */
export const REGION_STEPS: readonly Step[] = STEPS.filter((step) => step.regions.length > 0)

/**
 * The step named by `text` exactly (`'3'`, `'bonus'`), or undefined. Nothing else is
 * taken for a step: `8` is not the bonus, and a mistyped name is refused, not guessed.
 */
export function findStep(text: string | undefined): Step | undefined {
  for (const step of STEPS) {
    if (step.id === text) return step
  }
  return undefined
}

/** The prefix every TODO of `step` starts with: `TODO(step 3):`, `TODO(bonus):`, `TODO(ghash):`. */
export function todoPrefix(step: Step): string {
  return step.id === 'bonus' || step.id === 'ghash' ? `TODO(${step.id}):` : `TODO(step ${step.id}):`
}

/** The command that verifies `step`. */
export function verifyCommand(step: Step): string {
  return `npm run workshop -- verify ${step.id}`
}

/** The message a stubbed function throws: what to do, where to read, how to check. */
export function todoMessage(step: Step, functionName: string): string {
  return `${todoPrefix(step)} implement ${functionName} — read ${step.chapter}, then run: ${verifyCommand(step)}`
}

/** The step whose TODO `message` is, if it contains one. */
export function stepOfTodo(message: string): Step | undefined {
  const match = /TODO\((?:step ([1-7])|(bonus|ghash))\):/.exec(message)
  if (match === null) return undefined
  return findStep(match[1] ?? match[2])
}
