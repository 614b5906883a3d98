/**
 * Returned bytes are exact-size, unshared Uint8Arrays (issue 2 §2 "Calling conventions").
 *
 * Node hands out Buffers, and small ones are windows into a shared 8 KiB pool: through
 * `.buffer` a caller could read or overwrite unrelated memory, and `Buffer` methods
 * behave differently from Uint8Array ones (`slice` shares memory). So every byte
 * array src returns must be a plain Uint8Array that owns its whole ArrayBuffer, and
 * must not be shared with any later call.
 */

import { createCipheriv, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { base64url, decryptCompact, verifyCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { b64u } from './support/forge.ts'

const SIGNING_KEY = new Uint8Array(32).fill(1)
const ENCRYPTION_KEY = new Uint8Array(32).fill(2)
// 70,000 bytes make a token over the default 65,536-character cap; raise it for them.
const OPTIONS = { maxTokenLength: 1_000_000 }
const SIZES = [0, 1, 100, 5000, 70_000]

/** Deterministic content that differs at every position. */
function content(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff
  return bytes
}

function jws(payload: Uint8Array): string {
  const signingInput = `${b64u('{"alg":"HS256"}')}.${b64u(payload)}`
  return `${signingInput}.${createHmac('sha256', SIGNING_KEY).update(signingInput).digest('base64url')}`
}

function jwe(plaintext: Uint8Array): string {
  const header = b64u('{"alg":"dir","enc":"A256GCM"}')
  const iv = new Uint8Array(12).fill(3)
  const cipher = createCipheriv('aes-256-gcm', ENCRYPTION_KEY, iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from(header))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return [header, '', b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.')
}

function expectOwnedUint8Array(bytes: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.isBuffer(bytes)).toBe(false)
  expect(bytes.constructor).toBe(Uint8Array)
  expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype)
  expect(bytes.byteOffset).toBe(0)
  expect(bytes.length).toBe(expected.length)
  // The whole ArrayBuffer is this array: not a view over Node's pool or a larger block.
  expect(bytes.buffer.byteLength).toBe(bytes.length)
  expect(Buffer.from(bytes.buffer).equals(Buffer.from(expected))).toBe(true)
}

interface Source {
  readonly name: string
  readonly make: (size: number) => () => Uint8Array
}

const SOURCES: readonly Source[] = [
  {
    name: 'base64url.decode',
    make: (size) => {
      const text = b64u(content(size))
      return () => base64url.decode(text)
    },
  },
  {
    name: 'verifyCompact payload',
    make: (size) => {
      const token = jws(content(size))
      return () => verifyCompact(token, SIGNING_KEY, OPTIONS).payload
    },
  },
  {
    name: 'decryptCompact plaintext',
    make: (size) => {
      const token = jwe(content(size))
      return () => decryptCompact(token, ENCRYPTION_KEY, OPTIONS).plaintext
    },
  },
]

const CASES = SOURCES.flatMap((source) => SIZES.map((size) => ({ source, size })))

describe('every function returning bytes returns an owned, exact-size Uint8Array', () => {
  test.each(CASES)('$source.name, $size bytes', ({ source, size }) => {
    const call = source.make(size)
    const first = call()
    expectOwnedUint8Array(first, content(size))

    // Mutating what we got must not leak into the next result.
    first.fill(0xaa)
    const second = call()
    expectOwnedUint8Array(second, content(size))
    if (size > 0) expect(second.buffer).not.toBe(first.buffer)
  })

  test('base64url.decode across the pool threshold (sizes 0 to 9,000)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(0, 1, 4095, 4096, 4097, 8191, 8192, 8193),
          fc.integer({ min: 0, max: 9000 }),
        ),
        (size) => {
          expectOwnedUint8Array(base64url.decode(b64u(content(size))), content(size))
        },
      ),
    )
  })

  test('base64url.encode does not alter its input', () => {
    const input = content(100)
    base64url.encode(input)
    expect(input).toEqual(content(100))
  })
})
