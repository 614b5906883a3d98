/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 5: the blog post's 'encryption-secret' (17 bytes where A256GCM needs
 * 32), and the two "fixes" that make the error go away without making the key
 * strong. See docs/pitfalls/short-encryption-secret.md.
 * ============================================================================
 */

import { createHash } from 'node:crypto'

// #region naive-fit-to-32
/** "Fixes" the length error: pads a short passphrase with zeros, cuts a long one at 32 bytes. */
export function fitPassphraseTo32Bytes(passphrase: string): Uint8Array {
  const key = new Uint8Array(32)
  // MISTAKE: the key is still the passphrase, only reshaped. Zero padding adds
  // predictable bytes; truncation throws away everything after byte 32.
  key.set(new TextEncoder().encode(passphrase).subarray(0, 32))
  return key
}
// #endregion naive-fit-to-32

// #region naive-sha256-key
/** "Fixes" it with a hash: always 32 bytes, and they even look random. */
export function sha256Key(password: string): Uint8Array {
  // MISTAKE: one fast, unsalted hash. Guessing the password costs one SHA-256.
  return new Uint8Array(createHash('sha256').update(password).digest())
}
// #endregion naive-sha256-key
