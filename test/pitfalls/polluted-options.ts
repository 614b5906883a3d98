/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 19: the encryptor reads its options through the prototype chain, so a
 * polluted `Object.prototype.iv` becomes every token's IV.
 * See docs/pitfalls/polluted-options.md.
 * ============================================================================
 *
 * Otherwise a correct dir + A256GCM compact JWE, with a fresh random IV whenever the
 * caller gives none. That is the trap: the caller never gives one, and still gets one.
 */

import { createCipheriv, randomBytes } from 'node:crypto'

const HEADER = Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url')

export interface NaiveOptions {
  /** For test vectors only, says the documentation; nobody passes it in production. */
  iv?: Uint8Array | string
}

// #region naive-option-lookup
/** NEVER USE. Reads `options.iv` the way most JavaScript reads an option. */
export function naiveEncryptClaims(
  claims: Record<string, unknown>,
  key: Uint8Array,
  options: NaiveOptions = {},
): string {
  // MISTAKE: `options.iv` on the caller's `{}` also finds Object.prototype.iv. Node
  // takes a 12-character string as a 12-byte IV, so a polluted string is enough.
  const iv = options.iv ?? randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(HEADER))
  const ciphertext = cipher.update(JSON.stringify(claims), 'utf8')
  cipher.final()
  const ivSegment = Buffer.from(iv).toString('base64url')
  return `${HEADER}..${ivSegment}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`
}
// #endregion naive-option-lookup
