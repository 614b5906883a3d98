/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 6: AES-GCM decryption that does not pin the tag length, so Node 20
 * accepts tags of 4, 8 and 12 to 15 bytes. See docs/pitfalls/gcm-tag-length.md.
 * ============================================================================
 *
 * Everything else is done right here: the AAD is the received header segment, and
 * no plaintext leaves before final() has checked the tag.
 */

import { createDecipheriv } from 'node:crypto'
import fc from 'fast-check'
import type { Measured } from './measure.ts'

// #region naive-no-tag-length
/** dir + A256GCM decryption, with the tag taken at whatever length it arrives. */
export function naiveDecrypt(token: string, key: Uint8Array): string {
  const [header = '', , iv = '', ciphertext = '', tag = ''] = token.split('.')
  // MISTAKE: no { authTagLength: 16 }. Node then takes the tag's length from the
  // tag itself, and 4 bytes (32 bits) is a length it accepts.
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(header, 'latin1'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plaintext = decipher.update(Buffer.from(ciphertext, 'base64url'))
  decipher.final()
  return plaintext.toString('utf8')
}
// #endregion naive-no-tag-length

/** The key of the example: the bytes 0x00 … 0x1f. */
export const KEY: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i)
/** The IV of the example, pinned so that the page can quote the token: 0x00 … 0x0b. */
export const IV: Uint8Array = Uint8Array.from({ length: 12 }, (_, i) => i)
/** The token of the example: src's encryptCompact of `{"sub":"alice","role":"user"}` with KEY and IV. */
export const TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAECAwQFBgcICQoL.PCClbqfH-DnsLf7o1MtUT_G561HSQX0JSwKXp2A.lXKSV1LMr5rVHuqUTekQXw'

/** TOKEN with its tag cut to the first `length` bytes. */
export function withTruncatedTag(token: string, length: number): string {
  const segments = token.split('.')
  const tag = Buffer.from(segments[4] ?? '', 'base64url').subarray(0, length)
  segments[4] = tag.toString('base64url')
  return segments.join('.')
}

/** A tag length, boundaries first: every length from 0 to 16 can come up. */
export function tagLength(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(0, 1, 3, 4, 8, 12, 15, 16), fc.integer({ min: 0, max: 16 }))
}

/** Property: a decryptor accepts the token only with its full 128-bit tag (RFC 7518 §5.3). */
export function onlyTheFullTagIsAccepted(
  decrypt: (token: string, key: Uint8Array) => unknown,
): fc.IPropertyWithHooks<[number]> {
  return fc.property(tagLength(), (length) => {
    try {
      decrypt(withTruncatedTag(TOKEN, length), KEY)
    } catch {
      return true
    }
    return length === 16
  })
}

/** For test/pitfalls/measure.ts: runs until the first counterexample, or `undefined`. */
export const measured: Measured[] = [
  {
    pitfall: 'gcm-tag-length',
    property: 'only the full 16-byte tag is accepted (no authTagLength)',
    firstFailure(seed: number, numRuns: number): number | undefined {
      const property = onlyTheFullTagIsAccepted(naiveDecrypt)
      const details = fc.check(property, { seed, numRuns, endOnFailure: true })
      return details.failed ? details.numRuns : undefined
    },
  },
]
