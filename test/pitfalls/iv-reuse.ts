/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 8: every token is encrypted under the same key AND the same IV.
 * See docs/pitfalls/iv-reuse.md.
 * ============================================================================
 *
 * The encryptor is otherwise a correct dir + A256GCM compact JWE: right header,
 * header as AAD, 128-bit tag. Its tokens decrypt fine everywhere, src and jose
 * included, which is exactly why the mistake survives.
 */

import { createCipheriv } from 'node:crypto'

// #region naive-fixed-iv
/** "The IV just has to be 12 bytes." Twelve bytes, chosen once, used for ever. */
const FIXED_IV = Buffer.from('jose-by-hand', 'latin1')
const HEADER = Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url')

export function naiveEncryptClaims(claims: Record<string, unknown>, key: Uint8Array): string {
  // MISTAKE: the same (key, IV) pair for every message. GCM's keystream depends on
  // nothing else, so every token is XOR-ed with the very same keystream.
  const cipher = createCipheriv('aes-256-gcm', key, FIXED_IV, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(HEADER, 'latin1'))
  const ciphertext = cipher.update(JSON.stringify(claims), 'utf8')
  cipher.final()
  const iv = FIXED_IV.toString('base64url')
  return `${HEADER}..${iv}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`
}
// #endregion naive-fixed-iv

function ciphertextOf(token: string): Buffer {
  return Buffer.from(token.split('.')[3] ?? '', 'base64url')
}

// #region xor-attack
/**
 * Known plaintext: the attacker's own token and claims. Under one key and IV,
 * C1 XOR C2 = P1 XOR P2, so P2 = C1 XOR C2 XOR P1, byte for byte, as far as P1 reaches.
 */
export function recoverOtherPlaintext(
  ownToken: string,
  ownPlaintext: string,
  otherToken: string,
): string {
  const own = ciphertextOf(ownToken)
  const other = ciphertextOf(otherToken)
  const known = Buffer.from(ownPlaintext, 'utf8')
  const length = Math.min(other.length, own.length, known.length)
  const recovered = Buffer.alloc(length)
  for (let i = 0; i < length; i++) {
    recovered[i] = (other[i] as number) ^ (own[i] as number) ^ (known[i] as number)
  }
  return recovered.toString('utf8')
}
// #endregion xor-attack

/** The keystream itself: own ciphertext XOR own plaintext. */
export function keystream(ownToken: string, ownPlaintext: string): Buffer {
  const own = ciphertextOf(ownToken)
  const known = Buffer.from(ownPlaintext, 'utf8')
  const length = Math.min(own.length, known.length)
  const stream = Buffer.alloc(length)
  for (let i = 0; i < length; i++) stream[i] = (own[i] as number) ^ (known[i] as number)
  return stream
}
