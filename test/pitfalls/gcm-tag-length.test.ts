/**
 * Pitfall 6: the GCM tag length is not pinned.
 * Page: docs/pitfalls/gcm-tag-length.md (every token it quotes is asserted here).
 *
 * This pins Node 20's behaviour (DEP0182 is documentation-only there). On a Node
 * release where short tags without authTagLength are refused, the "naive" half of
 * this file fails: good news, and the page needs updating.
 */

import { createDecipheriv } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { compactDecrypt } from 'jose'
import { decryptCompact, encryptCompact } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import {
  IV,
  KEY,
  naiveDecrypt,
  onlyTheFullTagIsAccepted,
  TOKEN,
  tagLength,
  withTruncatedTag,
} from './gcm-tag-length.ts'
import { show } from './show.ts'

const page = readFileSync(new URL('../../docs/pitfalls/gcm-tag-length.md', import.meta.url), 'utf8')

const PLAINTEXT = '{"sub":"alice","role":"user"}'
const TAG_4 =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAECAwQFBgcICQoL.PCClbqfH-DnsLf7o1MtUT_G561HSQX0JSwKXp2A.lXKSVw'
const JOSE_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

describe('the naive decryptor takes short tags', () => {
  test('the page bytes', () => {
    expect(encryptCompact(PLAINTEXT, KEY, undefined, { iv: IV })).toBe(TOKEN)
    expect(withTruncatedTag(TOKEN, 4)).toBe(TAG_4)
    expect(naiveDecrypt(TOKEN, KEY)).toBe(PLAINTEXT)
  })

  test('a 4-byte tag (32 bits) is accepted', () => {
    expect(naiveDecrypt(TAG_4, KEY)).toBe(PLAINTEXT)
  })

  test.each([8, 12, 13, 14, 15])('a %i-byte tag is accepted too', (length) => {
    expect(naiveDecrypt(withTruncatedTag(TOKEN, length), KEY)).toBe(PLAINTEXT)
  })

  test('fast-check finds a truncated tag the naive decryptor accepts', () => {
    const details = fc.check(onlyTheFullTagIsAccepted(naiveDecrypt))
    expect(details.failed).toBe(true)
    const length = details.counterexample?.[0] as number
    show(`naive GCM decryptor: counterexample tag length ${length} bytes`)
    expect([4, 8, 12, 13, 14, 15]).toContain(length)
  })

  test('honestly: Node itself refuses tags of 1 to 3 bytes, so no cheap forgery here', () => {
    for (const length of [1, 2, 3, 5, 6, 7, 9, 10, 11]) {
      const decipher = createDecipheriv('aes-256-gcm', KEY, IV)
      expect(() => decipher.setAuthTag(new Uint8Array(length))).toThrow(
        expect.objectContaining({ code: 'ERR_CRYPTO_INVALID_AUTH_TAG' }),
      )
    }
  })

  test('a wrong 4-byte tag is still refused: a forger must guess 32 bits', () => {
    const segments = TAG_4.split('.')
    const tag = Buffer.from(segments[4] as string, 'base64url')
    tag[0] = (tag[0] as number) ^ 1
    segments[4] = tag.toString('base64url')
    expect(() => naiveDecrypt(segments.join('.'), KEY)).toThrow(
      'Unsupported state or unable to authenticate data',
    )
  })
})

describe('src and jose refuse every tag that is not 16 bytes', () => {
  test.each([0, 1, 4, 8, 12, 15])(
    'a %i-byte tag: ERR_JWE_INVALID from both, before any decryption',
    async (length) => {
      const token = withTruncatedTag(TOKEN, length)
      expect(await codeOf(() => decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
      expect(await codeOf(() => compactDecrypt(token, KEY, JOSE_OPTIONS))).toBe('ERR_JWE_INVALID')
    },
  )

  test('a 17-byte tag: ERR_JWE_INVALID from both', async () => {
    const segments = TOKEN.split('.')
    const tag = Buffer.from(segments[4] as string, 'base64url')
    segments[4] = Buffer.concat([tag, Buffer.of(0)]).toString('base64url')
    const token = segments.join('.')
    expect(await codeOf(() => decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
    expect(await codeOf(() => compactDecrypt(token, KEY, JOSE_OPTIONS))).toBe('ERR_JWE_INVALID')
  })

  test('src holds the property that breaks the naive decryptor', () => {
    fc.assert(onlyTheFullTagIsAccepted((token, key) => decryptCompact(token, key)))
  })

  test('every truncation fast-check generates gets the same code from both', async () => {
    await fc.assert(
      fc.asyncProperty(tagLength(), async (length) => {
        fc.pre(length !== 16)
        const token = withTruncatedTag(TOKEN, length)
        expect(await codeOf(() => decryptCompact(token, KEY))).toBe('ERR_JWE_INVALID')
        expect(await codeOf(() => compactDecrypt(token, KEY, JOSE_OPTIONS))).toBe('ERR_JWE_INVALID')
      }),
    )
  })
})

test('the docs page quotes exactly these tokens', () => {
  expect(page).toContain(TOKEN)
  expect(page).toContain(TAG_4)
})
