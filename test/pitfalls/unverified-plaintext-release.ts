/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 7: plaintext from update() is used before final() has checked the
 * tag, or final()'s verdict is swallowed.
 * See docs/pitfalls/unverified-plaintext-release.md.
 * ============================================================================
 *
 * Both decryptors pin the tag length and authenticate the received header, so that
 * the only mistake on show is the order of "check" and "use".
 */

import { createDecipheriv } from 'node:crypto'
import fc from 'fast-check'
import type { Measured } from './measure.ts'

export type Claims = Record<string, unknown>

interface JweParts {
  header: string
  iv: Buffer
  ciphertext: Buffer
  tag: Buffer
}

function parts(token: string): JweParts {
  const [header = '', , iv = '', ciphertext = '', tag = ''] = token.split('.')
  return {
    header,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  }
}

// #region naive-act-before-final
/** Hands the claims on as soon as they are decrypted, "to save a round trip". */
export function naiveDecryptStreaming(
  token: string,
  key: Uint8Array,
  onClaims: (claims: Claims) => void,
): void {
  const { header, iv, ciphertext, tag } = parts(token)
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  decipher.setAAD(Buffer.from(header, 'latin1'))
  decipher.setAuthTag(tag)
  const plaintext = decipher.update(ciphertext)
  // MISTAKE: these bytes are not authenticated yet, and they are already in use.
  onClaims(JSON.parse(plaintext.toString('utf8')) as Claims)
  decipher.final()
}
// #endregion naive-act-before-final

// #region naive-swallow-final
/** Treats a failing tag check as noise. */
export function naiveDecryptSwallowing(token: string, key: Uint8Array): string {
  const { header, iv, ciphertext, tag } = parts(token)
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  decipher.setAAD(Buffer.from(header, 'latin1'))
  decipher.setAuthTag(tag)
  const plaintext = decipher.update(ciphertext)
  try {
    decipher.final()
  } catch {
    // MISTAKE: "unable to authenticate data" is the verdict, not a warning.
  }
  return plaintext.toString('utf8')
}
// #endregion naive-swallow-final

/** The key of the example: the bytes 0x00 … 0x1f. */
export const KEY: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i)
/** The IV of the example, pinned so that the page can quote the token: 0x00 … 0x0b. */
export const IV: Uint8Array = Uint8Array.from({ length: 12 }, (_, i) => i)
export const PLAINTEXT = '{"sub":"alice","role":"user"}'
/** src's encryptCompact of PLAINTEXT with KEY and IV. */
export const TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAECAwQFBgcICQoL.PCClbqfH-DnsLf7o1MtUT_G561HSQX0JSwKXp2A.lXKSV1LMr5rVHuqUTekQXw'

// #region bit-flip
/**
 * GCM encrypts with a keystream (counter mode): ciphertext = plaintext XOR keystream.
 * XOR-ing the ciphertext with (old XOR new) at the right offset turns `old` into
 * `new` in the plaintext, without knowing the key or the keystream.
 */
export function flip(token: string, offset: number, from: string, to: string): string {
  const segments = token.split('.')
  const ciphertext = Buffer.from(segments[3] ?? '', 'base64url')
  for (let i = 0; i < from.length; i++) {
    const delta = from.charCodeAt(i) ^ to.charCodeAt(i)
    ciphertext[offset + i] = (ciphertext[offset + i] as number) ^ delta
  }
  segments[3] = ciphertext.toString('base64url')
  return segments.join('.')
}
// #endregion bit-flip

/** Flips one bit of TOKEN's ciphertext. */
export function flipBit(token: string, byte: number, bit: number): string {
  const segments = token.split('.')
  const ciphertext = Buffer.from(segments[3] ?? '', 'base64url')
  ciphertext[byte] = (ciphertext[byte] as number) ^ (1 << bit)
  segments[3] = ciphertext.toString('base64url')
  return segments.join('.')
}

/** Any single bit of the ciphertext: byte index (first and last included) and bit. */
export function ciphertextBit(): fc.Arbitrary<[number, number]> {
  const last = PLAINTEXT.length - 1
  return fc.tuple(
    fc.oneof(fc.constantFrom(0, last), fc.integer({ min: 0, max: last })),
    fc.integer({ min: 0, max: 7 }),
  )
}

/** Property: a decryptor releases nothing for a token whose ciphertext was changed. */
export function modifiedCiphertextReleasesNothing(
  decrypt: (token: string, key: Uint8Array) => unknown,
): fc.IPropertyWithHooks<[[number, number]]> {
  return fc.property(ciphertextBit(), ([byte, bit]) => {
    try {
      decrypt(flipBit(TOKEN, byte, bit), KEY)
    } catch {
      return true
    }
    return false
  })
}

/** For test/pitfalls/measure.ts: runs until the first counterexample, or `undefined`. */
export const measured: Measured[] = [
  {
    pitfall: 'unverified-plaintext-release',
    property: 'a modified ciphertext releases nothing (final() swallowed)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const property = modifiedCiphertextReleasesNothing(naiveDecryptSwallowing)
      const details = fc.check(property, { seed, numRuns, endOnFailure: true })
      return details.failed ? details.numRuns : undefined
    },
  },
]
