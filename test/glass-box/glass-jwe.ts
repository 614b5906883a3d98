/**
 * A compact dir JWE framed exactly as encryptCompact frames it (RFC 7516 §5.1), but sealed
 * by the glass-box GCM: if this token equals src's and jose's, the glass box computes the
 * same AES-GCM as node:crypto on real JOSE input.
 */

import { base64url } from 'jose-by-hand'
import { gcmDecrypt, gcmEncrypt } from 'jose-by-hand/glass-box'

/** Steps 13–19 of RFC 7516 §5.1, with a given IV and the header serialised by JSON.stringify. */
export function glassEncryptCompact(
  plaintext: Uint8Array,
  key: Uint8Array,
  header: Record<string, unknown>,
  iv: Uint8Array,
): string {
  const encodedHeader = base64url.encode(JSON.stringify(header))
  // Step 14: the AAD is the ASCII of the encoded header.
  const aad = new TextEncoder().encode(encodedHeader)
  const { ciphertext, tag } = gcmEncrypt(key, iv, plaintext, aad)
  return `${encodedHeader}..${base64url.encode(iv)}.${base64url.encode(ciphertext)}.${base64url.encode(tag)}`
}

/** RFC 7516 §5.2 steps 14–16 on the glass box: the plaintext, or `undefined` for a bad tag. */
export function glassDecryptCompact(token: string, key: Uint8Array): Uint8Array | undefined {
  const [encodedHeader, , iv, ciphertext, tag] = token.split('.') as [
    string,
    string,
    string,
    string,
    string,
  ]
  const aad = new TextEncoder().encode(encodedHeader)
  return gcmDecrypt(
    key,
    base64url.decode(iv),
    base64url.decode(ciphertext),
    aad,
    base64url.decode(tag),
  )
}
