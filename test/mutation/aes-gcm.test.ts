/**
 * src/aes-gcm.ts (and the one wipe in src/jwe.ts): what the API cannot show.
 *
 * 1. `gcmDecrypt` refuses a tag of any length but 16 bytes itself, so a caller that
 *    forgot decryptCompact's own check still cannot be fooled by a truncated tag, and
 *    gets `undefined` like any other forgery (not a TypeError from Node's
 *    `setAuthTag`). Through the public API decryptCompact's check hides it, so it is
 *    tested here directly.
 * 2. Plaintext decrypted before the tag is checked is wiped when the check fails, and
 *    decryptCompact wipes an authenticated plaintext it refuses to release (`zip`).
 *    Nothing reachable holds those bytes afterwards, so the test watches them from
 *    inside: `createDecipheriv` is wrapped to keep what `update()` returned.
 */

import { createCipheriv } from 'node:crypto'
import { decryptCompact } from 'jose-by-hand'
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { type GcmAlgorithm, gcmAlgorithm, gcmDecrypt } from '../../src/aes-gcm.ts'
import { b64u, forgeJwe } from '../support/forge.ts'
import { codeOf } from '../support/implementations.ts'

const released = vi.hoisted((): Uint8Array[] => [])

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>()
  function createDecipheriv(
    ...args: Parameters<typeof crypto.createDecipheriv>
  ): ReturnType<typeof crypto.createDecipheriv> {
    const decipher = crypto.createDecipheriv(...args)
    const update = decipher.update.bind(decipher) as (data: Uint8Array) => Buffer
    decipher.update = ((data: Uint8Array): Buffer => {
      const output = update(data)
      released.push(output)
      return output
    }) as typeof decipher.update
    return decipher
  }
  return { ...crypto, default: { ...crypto, createDecipheriv }, createDecipheriv }
})

const KEY = new Uint8Array(32).fill(5)
const IV = new Uint8Array(12).fill(6)
const AAD = new TextEncoder().encode('header')
const PLAINTEXT = new TextEncoder().encode('attack at dawn, bring the secret plans')
const A256GCM = gcmAlgorithm('A256GCM') as GcmAlgorithm

function encrypt(): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', KEY, IV, { authTagLength: 16 })
  cipher.setAAD(AAD)
  const ciphertext = Buffer.concat([cipher.update(PLAINTEXT), cipher.final()])
  return { ciphertext, tag: cipher.getAuthTag() }
}

/** 'plaintext' if bytes came back, 'undefined' for a refusal, else the error thrown. */
function outcome(action: () => Uint8Array | undefined): string {
  try {
    return action() === undefined ? 'undefined' : 'plaintext'
  } catch (error) {
    return `threw ${String(error)}`
  }
}

beforeEach(() => {
  released.length = 0
})

describe('gcmDecrypt itself refuses truncated tags (RFC 7518 §5.3: 128 bits)', () => {
  test('the genuine tag decrypts, so the setup is sound', () => {
    const { ciphertext, tag } = encrypt()
    expect(gcmDecrypt(A256GCM, KEY, IV, ciphertext, tag, AAD)).toEqual(PLAINTEXT)
  })

  test.each([4, 8, 12, 13, 14, 15])(
    'the genuine tag cut to %i bytes is refused as a forgery',
    (length) => {
      // Left to Node, only the bytes given are checked: a 4-byte prefix of the genuine
      // tag would pass, and a 32-bit tag can be forged by trial.
      const { ciphertext, tag } = encrypt()
      expect(
        outcome(() => gcmDecrypt(A256GCM, KEY, IV, ciphertext, tag.subarray(0, length), AAD)),
      ).toBe('undefined')
    },
  )

  test('a tag longer than 16 bytes is refused as a forgery too', () => {
    const { ciphertext, tag } = encrypt()
    const longer = Buffer.concat([tag, Buffer.alloc(1)])
    expect(outcome(() => gcmDecrypt(A256GCM, KEY, IV, ciphertext, longer, AAD))).toBe('undefined')
  })
})

describe('unauthenticated or refused plaintext is wiped', () => {
  test('a failed tag check leaves zeros where update() wrote plaintext', () => {
    const { ciphertext, tag } = encrypt()
    tag[0] = (tag[0] as number) ^ 1
    expect(gcmDecrypt(A256GCM, KEY, IV, ciphertext, tag, AAD)).toBeUndefined()
    expect(released).toHaveLength(1)
    const [output] = released as [Uint8Array]
    expect(output.length).toBe(PLAINTEXT.length)
    expect(output.every((byte) => byte === 0)).toBe(true)
  })

  test('an authenticated JWE with zip "DEF" is refused and its plaintext wiped', async () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')
    const token = forgeJwe(header, PLAINTEXT, KEY)
    expect(await codeOf(() => decryptCompact(token, KEY))).toBe('ERR_JOSE_NOT_SUPPORTED')
    expect(released).toHaveLength(1)
    const [output] = released as [Uint8Array]
    expect(output.length).toBe(PLAINTEXT.length)
    expect(output.every((byte) => byte === 0)).toBe(true)
  })

  test('without zip the same token shape releases the plaintext untouched', () => {
    const header = b64u('{"alg":"dir","enc":"A256GCM"}')
    const { plaintext } = decryptCompact(forgeJwe(header, PLAINTEXT, KEY), KEY)
    expect(plaintext).toEqual(PLAINTEXT)
    expect(new Uint8Array(released[0] as Uint8Array)).toEqual(PLAINTEXT)
  })
})
