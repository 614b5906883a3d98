/**
 * src/bytes.ts `ownedBytes`: Node hands back Buffers that either own their whole
 * ArrayBuffer or are windows into a shared pool. The first kind is re-typed in place
 * (no copy, and the same memory, which is what lets decryptCompact wipe a refused
 * plaintext); the second is copied, so that `.buffer` never exposes a neighbour's
 * bytes. Through the API only the first kind reaches it, so mutation testing found
 * both branches unpinned; they are tested here directly.
 */

import { describe, expect, test } from 'vitest'
import { isAscii, ownedBytes, toBytes } from '../../src/bytes.ts'

/** Exact size, a plain Uint8Array, and the whole ArrayBuffer is the result's. */
function expectOwned(bytes: Uint8Array, content: Uint8Array): void {
  expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype)
  expect(bytes.byteOffset).toBe(0)
  expect(bytes.buffer.byteLength).toBe(bytes.byteLength)
  expect([...bytes]).toEqual([...content])
}

describe('ownedBytes', () => {
  test('a Buffer owning its whole ArrayBuffer is re-typed without a copy', () => {
    const buffer = Buffer.from(new Uint8Array([1, 2, 3, 4, 5]).buffer)
    const bytes = ownedBytes(buffer)
    expectOwned(bytes, buffer)
    expect(bytes.buffer).toBe(buffer.buffer)
  })

  test('an empty Buffer owning its (empty) ArrayBuffer is re-typed as well', () => {
    const buffer = Buffer.from(new ArrayBuffer(0))
    const bytes = ownedBytes(buffer)
    expectOwned(bytes, buffer)
    expect(bytes.buffer).toBe(buffer.buffer)
  })

  test('a window in the middle of a larger buffer is copied, content intact', () => {
    const whole = Buffer.from(new TextEncoder().encode('0123456789abcdef').buffer)
    const bytes = ownedBytes(whole.subarray(4, 9))
    expectOwned(bytes, Buffer.from('45678'))
    expect(bytes.buffer).not.toBe(whole.buffer)
  })

  test('a window at the start of a larger buffer is copied too (offset 0 is not enough)', () => {
    const whole = Buffer.from(new TextEncoder().encode('0123456789abcdef').buffer)
    const window = whole.subarray(0, 3)
    expect(window.byteOffset).toBe(0)
    const bytes = ownedBytes(window)
    expectOwned(bytes, Buffer.from('012'))
    // Writing through the result must not reach the larger buffer.
    bytes[0] = 0x7a
    expect(whole.toString()).toBe('0123456789abcdef')
  })

  test("a small Buffer from Node's shared pool is copied", () => {
    const pooled = Buffer.from('pooled')
    // Buffer.from(string) takes small allocations from an 8 KiB pool.
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength)
    expectOwned(ownedBytes(pooled), Buffer.from('pooled'))
  })
})

describe('toBytes', () => {
  // Through the API its answer goes to Node calls that accept a string as well (and
  // read it as UTF-8), so a toBytes that forgot to encode went unnoticed there.
  test('a string becomes its UTF-8 bytes, astral characters included', () => {
    const bytes = toBytes('é😀', 'payload')
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect([...bytes]).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80])
  })

  test('bytes are passed through as they are, not copied', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(toBytes(bytes, 'payload')).toBe(bytes)
  })
})

describe('isAscii', () => {
  test.each([
    ['', true],
    ['eyJhbGciOiJIUzI1NiJ9.e30', true],
    ['\u007f', true],
    ['\u0080', false],
    ['é', false],
    ['😀', false],
    ['\ud800', false],
  ])('%j: %s', (text, ascii) => {
    expect(isAscii(text)).toBe(ascii)
  })
})
