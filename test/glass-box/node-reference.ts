/**
 * The same primitives on node:crypto (OpenSSL), the reference every glass-box function is
 * held against, and the hex helpers the vector files need.
 */

import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto'

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function nodeSha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

export function nodeHmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest())
}

/** One block of the raw AES permutation: ECB, one block, no padding. */
export function nodeAesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false)
  return new Uint8Array(cipher.update(block))
}

type GcmName = 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'

function gcmName(key: Uint8Array): GcmName {
  return `aes-${key.length * 8}-gcm` as GcmName
}

export function nodeGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  const cipher = createCipheriv(gcmName(key), key, iv, { authTagLength: 16 })
  cipher.setAAD(aad)
  const ciphertext = new Uint8Array(cipher.update(plaintext))
  cipher.final()
  return { ciphertext, tag: new Uint8Array(cipher.getAuthTag()) }
}

/** The plaintext, or `undefined` when OpenSSL refuses the tag. */
export function nodeGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  const decipher = createDecipheriv(gcmName(key), key, iv, { authTagLength: 16 })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  const plaintext = decipher.update(ciphertext)
  try {
    decipher.final()
  } catch {
    return undefined
  }
  return new Uint8Array(plaintext)
}
