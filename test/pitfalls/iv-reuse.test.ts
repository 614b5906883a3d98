/**
 * Pitfall 8: IV reuse under one key.
 * Page: docs/pitfalls/iv-reuse.md (every value it quotes is asserted here).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { compactDecrypt, EncryptJWT } from 'jose'
import { decryptJwt, encryptCompact, encryptJwt } from 'jose-by-hand'
import { forgeWithRepeatedIv, recoverHashKeyCandidates } from 'jose-by-hand/attacks'
import { aesEncryptBlock } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import { keystream, naiveEncryptClaims, recoverOtherPlaintext } from './iv-reuse.ts'

const page = readFileSync(new URL('../../docs/pitfalls/iv-reuse.md', import.meta.url), 'utf8')

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const JOSE_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

const ALICE = { sub: 'alice', email: 'alice@corp.example', salary: 98000 }
const MALLORY = { sub: 'mallory', name: 'Mallory Mallard, Senior Vice President of Long Names' }
const ALICE_JSON = JSON.stringify(ALICE)
const MALLORY_JSON = JSON.stringify(MALLORY)

const IV_SEGMENT = 'am9zZS1ieS1oYW5k'
const ALICE_TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..am9zZS1ieS1oYW5k.eYAcd8rwAVWGu3J9XNv8N6oTD8_bop18qt2qLJ-gTf6NTHNs4Mr6GJ8Uw23S-88lf3RgsRbSCu-wOic.ShAqW8Wc1s5DwoyliTFPgA'
const MALLORY_TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..am9zZS1ieS1oYW5k.eYAcd8rwAVWKtndyVoupN-NcAMfa5YVk6fyiI5aPXOjfcTxl9MrlDN9RsiSe4cE7PlBw8EnLYq3leTMDV5DxDFbr97cJGP0HpUwZ2N9PEQ.U1BB-IJi4N9exfYsIwaGGg'
/** Alice's ciphertext XOR Mallory's, over Alice's 59 bytes: equal to their plaintexts XOR-ed. */
const XOR_HEX =
  '00000000000000000c0d050f0a505500494f0f08014718184321080f092f1116523d4f0914001f14404571494c1a0e1e412410415f196842554314'

/** Runs the XOR attack on two tokens and says whether it gave back Alice's claims. */
function attackRecoversAlice(aliceToken: string, malloryToken: string): boolean {
  return recoverOtherPlaintext(malloryToken, MALLORY_JSON, aliceToken) === ALICE_JSON
}

describe('the fixed-IV encryptor gives away other users’ claims', () => {
  test('the page bytes: two tokens, one IV', () => {
    expect(MALLORY_JSON.length).toBeGreaterThanOrEqual(ALICE_JSON.length)
    const alice = naiveEncryptClaims(ALICE, KEY)
    const mallory = naiveEncryptClaims(MALLORY, KEY)
    expect(alice).toBe(ALICE_TOKEN)
    expect(mallory).toBe(MALLORY_TOKEN)
    expect(alice.split('.')[2]).toBe(IV_SEGMENT)
    expect(mallory.split('.')[2]).toBe(IV_SEGMENT)
    expect(Buffer.from(IV_SEGMENT, 'base64url').toString('latin1')).toBe('jose-by-hand')
  })

  test('the tokens are valid: src and jose decrypt them without complaint', async () => {
    expect(decryptJwt(ALICE_TOKEN, KEY).payload).toEqual(ALICE)
    const { plaintext } = await compactDecrypt(MALLORY_TOKEN, KEY, JOSE_OPTIONS)
    expect(new TextDecoder().decode(plaintext)).toBe(MALLORY_JSON)
  })

  test('Mallory recovers Alice’s claims byte for byte from her own token', () => {
    const alice = Buffer.from(ALICE_TOKEN.split('.')[3] as string, 'base64url')
    const mallory = Buffer.from(MALLORY_TOKEN.split('.')[3] as string, 'base64url')
    const xor = alice.map((byte, i) => byte ^ (mallory[i] as number))
    const plaintextXor = Buffer.from(ALICE_JSON).map((byte, i) => byte ^ MALLORY_JSON.charCodeAt(i))
    expect(Buffer.from(xor).toString('hex')).toBe(XOR_HEX)
    // The key and the keystream have cancelled out: what is left is P1 XOR P2.
    expect(Buffer.from(plaintextXor).toString('hex')).toBe(XOR_HEX)
    const recovered = recoverOtherPlaintext(MALLORY_TOKEN, MALLORY_JSON, ALICE_TOKEN)
    expect(recovered).toBe(ALICE_JSON)
    expect(JSON.parse(recovered)).toEqual(ALICE)
    // And on any two tokens the naive encryptor issues, not only the quoted ones.
    const other = { sub: 'bob', email: 'bob@corp.example', salary: 123456 }
    const fresh = recoverOtherPlaintext(
      naiveEncryptClaims(MALLORY, KEY),
      MALLORY_JSON,
      naiveEncryptClaims(other, KEY),
    )
    expect(JSON.parse(fresh)).toEqual(other)
  })

  test('the keystream lets her encrypt, but not authenticate: the tag still stops her', async () => {
    // Her own ciphertext, rewritten under the reused keystream to say something else.
    const stream = keystream(MALLORY_TOKEN, MALLORY_JSON)
    const wanted = JSON.stringify({ sub: 'alice', role: 'admin', pad: 'x'.repeat(25) })
    expect(wanted.length).toBeLessThanOrEqual(stream.length)
    const forged = Buffer.alloc(wanted.length)
    for (let i = 0; i < wanted.length; i++) forged[i] = wanted.charCodeAt(i) ^ (stream[i] as number)
    const segments = MALLORY_TOKEN.split('.')
    segments[3] = forged.toString('base64url')
    const token = segments.join('.')
    // Forging the tag as well needs the GHASH key H: the next test recovers it.
    expect(await codeOf(() => decryptJwt(token, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
    expect(await codeOf(() => compactDecrypt(token, KEY, JOSE_OPTIONS))).toBe(
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })
})

describe('with H recovered from the two tokens, the tag is forged too', () => {
  /** The claims Mallory writes, and the forged token the server accepts (quoted on the page). */
  const WANTED = { sub: 'mallory', role: 'admin', salary: 250000 }
  const FORGED_TOKEN =
    'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..am9zZS1ieS1oYW5k.eYAcd8rwAVWKtndyVoupN-NcHMnb5YVk6dCnIpOODL3dTzxl-dnuSslD1HHAuJ40.viuBHok2JdZsi5qhB0YbFg'
  const H_HEX = 'f29000b62a499fd0a9f39a6add2e7780'

  test('H is among the two candidates, and a third token leaves it alone', () => {
    const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
    expect(hex(aesEncryptBlock(KEY, new Uint8Array(16)))).toBe(H_HEX)
    const two = recoverHashKeyCandidates([ALICE_TOKEN, MALLORY_TOKEN]).map(hex)
    expect(two).toHaveLength(2)
    expect(two).toContain(H_HEX)
    const bob = naiveEncryptClaims({ sub: 'bob' }, KEY)
    expect(recoverHashKeyCandidates([ALICE_TOKEN, MALLORY_TOKEN, bob]).map(hex)).toEqual([H_HEX])
  })

  test('the forged token carries her claims through decryptJwt and jose', async () => {
    const forged = forgeWithRepeatedIv(
      [{ token: MALLORY_TOKEN, plaintext: Buffer.from(MALLORY_JSON) }, { token: ALICE_TOKEN }],
      { plaintext: Buffer.from(JSON.stringify(WANTED)) },
    )
    expect(forged.candidates).toBe(2)
    expect(forged.tokens).toContain(FORGED_TOKEN)
    expect(decryptJwt(FORGED_TOKEN, KEY).payload).toEqual(WANTED)
    const { plaintext } = await compactDecrypt(FORGED_TOKEN, KEY, JOSE_OPTIONS)
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(WANTED)
    // The other candidate's token fails, as a wrong guess at H must.
    const other = forged.tokens.find((token) => token !== FORGED_TOKEN) as string
    expect(await codeOf(() => decryptJwt(other, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
    expect(page).toContain(FORGED_TOKEN)
    expect(page).toContain(H_HEX)
    expect(page).toContain(JSON.stringify(WANTED))
  })
})

describe('src and jose draw a fresh IV for every token', () => {
  test('src: two tokens under one key have different IVs, and the attack yields garbage', () => {
    const alice = encryptJwt(ALICE, KEY)
    const mallory = encryptJwt(MALLORY, KEY)
    expect(alice.split('.')[2]).not.toBe(mallory.split('.')[2])
    expect(attackRecoversAlice(alice, mallory)).toBe(false)
    expect(decryptJwt(alice, KEY).payload).toEqual(ALICE)
  })

  test('jose: the same', async () => {
    const encrypt = (claims: Record<string, unknown>) =>
      new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(KEY)
    const alice = await encrypt(ALICE)
    const mallory = await encrypt(MALLORY)
    expect(alice.split('.')[2]).not.toBe(mallory.split('.')[2])
    expect(attackRecoversAlice(alice, mallory)).toBe(false)
  })

  test('src with options.iv pinned is exactly as broken: why that option is for test vectors only', () => {
    const iv = new Uint8Array(Buffer.from(IV_SEGMENT, 'base64url'))
    const alice = encryptJwt(ALICE, KEY, { iv })
    const mallory = encryptJwt(MALLORY, KEY, { iv })
    expect(attackRecoversAlice(alice, mallory)).toBe(true)
  })

  test('src: IVs never repeat, over every call of every run', () => {
    const seen = new Set<string>()
    let calls = 0
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(1, 2, 32), fc.integer({ min: 1, max: 32 })),
        fc.string({ maxLength: 32, size: 'max' }),
        (count, plaintext) => {
          for (let i = 0; i < count; i++) {
            const iv = encryptCompact(plaintext, KEY).split('.')[2] as string
            // 16 base64url characters are 12 bytes; a repeat fails the property.
            if (iv.length !== 16 || seen.has(iv)) return false
            seen.add(iv)
            calls++
          }
          return true
        },
      ),
    )
    expect(seen.size).toBe(calls)
    expect(calls).toBeGreaterThan(0)
  })

  test('jose: IVs never repeat either', async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 32, size: 'max' }), async (plaintext) => {
        const token = await new EncryptJWT({ plaintext })
          .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
          .encrypt(KEY)
        const iv = token.split('.')[2] as string
        expect(seen.has(iv)).toBe(false)
        seen.add(iv)
      }),
    )
  })
})

test('the docs page quotes exactly these values', () => {
  for (const value of [ALICE_TOKEN, MALLORY_TOKEN, ALICE_JSON, MALLORY_JSON, IV_SEGMENT, XOR_HEX])
    expect(page).toContain(value)
})
