/**
 * Pitfall 7: release of unverified plaintext.
 * Page: docs/pitfalls/unverified-plaintext-release.md (every value it quotes is asserted here).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { compactDecrypt, jwtDecrypt } from 'jose'
import { decryptCompact, decryptJwt, encryptCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import { show } from './show.ts'
import {
  type Claims,
  ciphertextBit,
  flip,
  flipBit,
  IV,
  KEY,
  modifiedCiphertextReleasesNothing,
  naiveDecryptStreaming,
  naiveDecryptSwallowing,
  PLAINTEXT,
  TOKEN,
} from './unverified-plaintext-release.ts'

const page = readFileSync(
  new URL('../../docs/pitfalls/unverified-plaintext-release.md', import.meta.url),
  'utf8',
)

const OFFSET = 23
const CIPHERTEXT_HEX = '3c20a56ea7c7f839ec2dfee8d4cb544ff1b9eb51d2417d094b0297a760'
const XOR_HEX = '071c0a06'
const BYTES_BEFORE = '094b0297'
const BYTES_AFTER = '0e570891'
const FLIPPED =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAECAwQFBgcICQoL.PCClbqfH-DnsLf7o1MtUT_G561HSQX0OVwiRp2A.lXKSV1LMr5rVHuqUTekQXw'
const JOSE_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

describe('the naive decryptors release what they have not checked', () => {
  test('the page bytes', () => {
    expect(encryptCompact(PLAINTEXT, KEY, undefined, { iv: IV })).toBe(TOKEN)
    expect(PLAINTEXT.indexOf('user')).toBe(OFFSET)
    expect(Buffer.from(TOKEN.split('.')[3] as string, 'base64url').toString('hex')).toBe(
      CIPHERTEXT_HEX,
    )
    const xor = Buffer.from('user').map((byte, i) => byte ^ 'root'.charCodeAt(i))
    expect(Buffer.from(xor).toString('hex')).toBe(XOR_HEX)
    expect(flip(TOKEN, OFFSET, 'user', 'root')).toBe(FLIPPED)
    const before = Buffer.from(TOKEN.split('.')[3] as string, 'base64url')
    const after = Buffer.from(FLIPPED.split('.')[3] as string, 'base64url')
    expect(before.subarray(OFFSET, OFFSET + 4).toString('hex')).toBe(BYTES_BEFORE)
    expect(after.subarray(OFFSET, OFFSET + 4).toString('hex')).toBe(BYTES_AFTER)
  })

  test('act before final(): the callback gets role "root", then final() throws, too late', () => {
    const seen: Claims[] = []
    expect(() => naiveDecryptStreaming(FLIPPED, KEY, (claims) => seen.push(claims))).toThrow(
      'Unsupported state or unable to authenticate data',
    )
    expect(seen).toEqual([{ sub: 'alice', role: 'root' }])
  })

  test('swallowed final(): the flipped token simply decrypts to role "root"', () => {
    expect(JSON.parse(naiveDecryptSwallowing(FLIPPED, KEY))).toEqual({ sub: 'alice', role: 'root' })
    // The genuine token still works, so nothing looks wrong in normal use.
    expect(naiveDecryptSwallowing(TOKEN, KEY)).toBe(PLAINTEXT)
  })

  test('fast-check finds a one-bit change that the swallowing decryptor releases', () => {
    const details = fc.check(modifiedCiphertextReleasesNothing(naiveDecryptSwallowing))
    expect(details.failed).toBe(true)
    const [byte, bit] = (details.counterexample?.[0] ?? [-1, -1]) as [number, number]
    const released = naiveDecryptSwallowing(flipBit(TOKEN, byte, bit), KEY)
    show(`swallowed final(): flipping bit ${bit} of byte ${byte} releases ${released}`)
    // The released text is the original with exactly that bit flipped.
    const expected = Buffer.from(PLAINTEXT)
    expected[byte] = (expected[byte] as number) ^ (1 << bit)
    expect(released).toBe(expected.toString('utf8'))
  })
})

describe('src and jose release nothing', () => {
  test('the flipped token: ERR_JWE_DECRYPTION_FAILED from both, and no plaintext', async () => {
    let released: unknown
    expect(
      await codeOf(() => {
        released = decryptCompact(FLIPPED, KEY)
      }),
    ).toBe('ERR_JWE_DECRYPTION_FAILED')
    expect(
      await codeOf(async () => {
        released = await compactDecrypt(FLIPPED, KEY, JOSE_OPTIONS)
      }),
    ).toBe('ERR_JWE_DECRYPTION_FAILED')
    expect(released).toBeUndefined()
  })

  test('the JWT layer of both: the same code, no claims', async () => {
    expect(await codeOf(() => decryptJwt(FLIPPED, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
    expect(await codeOf(() => jwtDecrypt(FLIPPED, KEY, JOSE_OPTIONS))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('src holds the property that breaks the naive decryptor', () => {
    fc.assert(modifiedCiphertextReleasesNothing((token, key) => decryptCompact(token, key)))
  })

  test('every bit flip fast-check generates gets the same code from both', async () => {
    await fc.assert(
      fc.asyncProperty(ciphertextBit(), async ([byte, bit]) => {
        const token = flipBit(TOKEN, byte, bit)
        expect(await codeOf(() => decryptCompact(token, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
        expect(await codeOf(() => compactDecrypt(token, KEY, JOSE_OPTIONS))).toBe(
          'ERR_JWE_DECRYPTION_FAILED',
        )
      }),
    )
  })
})

test('the docs page quotes exactly these values', () => {
  for (const value of [TOKEN, FLIPPED, CIPHERTEXT_HEX, XOR_HEX, BYTES_BEFORE, BYTES_AFTER])
    expect(page).toContain(value)
})
