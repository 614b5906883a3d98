/**
 * The GCM nonce-reuse forgery (test/attacks/forge.ts) against real tokens: jose's
 * CompactEncrypt with a pinned IV (its test-only setInitializationVector), src's
 * encryptCompact and signThenEncrypt with options.iv. Page: docs/pitfalls/iv-reuse.md.
 */

import fc from 'fast-check'
import { CompactEncrypt, compactDecrypt } from 'jose'
import {
  decryptCompact,
  decryptJwt,
  decryptThenVerify,
  encryptCompact,
  signThenEncrypt,
} from 'jose-by-hand'
import { forgeWithRepeatedIv, recoverHashKeyCandidates } from 'jose-by-hand/attacks'
import { aesEncryptBlock } from 'jose-by-hand/glass-box'
import { describe, expect, test } from 'vitest'
import * as arb from '../support/arbitraries.ts'
import { codeOf } from '../support/implementations.ts'

const JOSE_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
const HEADER = { alg: 'dir', enc: 'A256GCM' }
const encoder = new TextEncoder()
const decoder = new TextDecoder()

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** H = E_K(0^128): what the attacker recovers, computed here with the key she lacks. */
function hashKey(key: Uint8Array): string {
  return hex(aesEncryptBlock(key, new Uint8Array(16)))
}

async function joseEncrypt(json: string, key: Uint8Array, iv: Uint8Array): Promise<string> {
  return new CompactEncrypt(encoder.encode(json))
    .setProtectedHeader(HEADER)
    .setInitializationVector(iv)
    .encrypt(key)
}

/** Claims small enough that a run stays fast, with every registered claim type in play. */
const smallClaims = arb
  .claims(0, { time: 'without-time-claims' })
  .filter((claims) => JSON.stringify(claims).length <= 120)

/** Headers for the forgery: absent (the default), or others than the observed tokens carry. */
const FORGED_HEADERS: readonly (Record<string, unknown> | undefined)[] = [
  undefined,
  { alg: 'dir', enc: 'A256GCM', kid: 'chosen-by-mallory' },
  { kid: 'k7', enc: 'A256GCM', alg: 'dir', typ: 'JWT' },
  { alg: 'dir', enc: 'A256GCM', cty: 'json', x: 'y'.repeat(40) },
]

const scenario = fc.record({
  key: arb.bytesOfLength(32),
  iv: arb.gcmIv(),
  victims: fc.array(smallClaims, { minLength: 1, maxLength: 2 }),
  chosen: smallClaims,
  protectedHeader: fc.constantFrom(...FORGED_HEADERS),
})

describe('forgeWithRepeatedIv', () => {
  // One run encrypts up to three tokens, finds the roots of a polynomial of degree up to
  // about 14 (128 squarings mod f, then traces) and decrypts the forgeries: 50 to 120 ms
  // on this two-core machine, measured. 1000 runs (FC_NUM_RUNS in CI) would take one to
  // two minutes, so this property runs 50 times whatever FC_NUM_RUNS says.
  test('forged claims pass jose compactDecrypt, src decryptCompact and decryptJwt', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ key, iv, victims, chosen, protectedHeader }) => {
        const chosenJson = JSON.stringify(chosen)
        const chosenBytes = encoder.encode(chosenJson)
        // Mallory's own token: she knows her claims, and her display name is long enough
        // for the keystream to cover what she wants to write.
        const own = JSON.stringify({ sub: 'mallory', name: 'M'.repeat(chosenBytes.length) })
        const observed: { token: string; plaintext?: Uint8Array }[] = [
          { token: await joseEncrypt(own, key, iv), plaintext: encoder.encode(own) },
        ]
        for (const victim of victims) {
          observed.push({ token: await joseEncrypt(JSON.stringify(victim), key, iv) })
        }
        const result = forgeWithRepeatedIv(
          observed,
          protectedHeader === undefined
            ? { plaintext: chosenBytes }
            : { plaintext: chosenBytes, protectedHeader },
        )
        expect(result.tokens).toHaveLength(result.candidates)
        // With three tokens the second equation leaves H alone.
        if (observed.length === 3) expect(result.candidates).toBe(1)

        let accepted = 0
        for (const forged of result.tokens) {
          let opened: Uint8Array
          try {
            opened = (await compactDecrypt(forged, key, JOSE_OPTIONS)).plaintext
          } catch {
            continue // a wrong candidate for H: its tag does not verify
          }
          accepted++
          expect(decoder.decode(opened)).toBe(chosenJson)
          const ours = decryptCompact(forged, key)
          expect(decoder.decode(ours.plaintext)).toBe(chosenJson)
          expect(ours.protectedHeader).toEqual(protectedHeader ?? HEADER)
          expect(JSON.stringify(decryptJwt(forged, key).payload)).toBe(chosenJson)
        }
        expect(accepted).toBe(1)
      }),
      { numRuns: 50 },
    )
  })
})

describe('recoverHashKeyCandidates', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i)
  const iv = new Uint8Array(Buffer.from('jose-by-hand', 'latin1'))

  test('finds H = E_K(0^128) from two of src’s tokens with a pinned IV', () => {
    const first = encryptCompact('{"sub":"alice","role":"user"}', key, HEADER, { iv })
    const second = encryptCompact('{"sub":"bob"}', key, HEADER, { iv })
    expect(recoverHashKeyCandidates([first, second]).map(hex)).toContain(hashKey(key))
  })

  test('one ciphertext block, equal headers and lengths: f is a perfect square and H survives', () => {
    // Only the ciphertext block and the tag differ, so f = (C1 + C2) X^2 + (T1 + T2).
    const first = encryptCompact('a'.repeat(16), key, HEADER, { iv })
    const second = encryptCompact('b'.repeat(16), key, HEADER, { iv })
    expect(recoverHashKeyCandidates([first, second]).map(hex)).toEqual([hashKey(key)])
  })

  test('tokens with different headers still give H: the AAD is part of the equation', () => {
    const first = encryptCompact('hello', key, { alg: 'dir', enc: 'A256GCM', kid: 'k1' }, { iv })
    const second = encryptCompact('hello, world', key, HEADER, { iv })
    expect(recoverHashKeyCandidates([first, second]).map(hex)).toContain(hashKey(key))
  })
})

describe('a forged nested token: the outer layer is broken, the inner signature holds', () => {
  test('decryptCompact opens the forgery; decryptThenVerify fails at the inner JWS', async () => {
    const keys = {
      signingKey: new Uint8Array(32).fill(1),
      encryptionKey: new Uint8Array(32).fill(2),
    }
    const iv = new Uint8Array(12).fill(3)
    const options = { iv, issuer: 'https://issuer.example', audience: 'api' }
    const mine = signThenEncrypt({ sub: 'mallory', name: 'M'.repeat(200) }, keys, options)
    const alice = signThenEncrypt({ sub: 'alice' }, keys, options)
    const bob = signThenEncrypt({ sub: 'bob', role: 'reader' }, keys, options)
    // Mallory knows her own inner JWT (say, from a debugging endpoint).
    const myInner = decryptCompact(mine, keys.encryptionKey).plaintext

    // She can write any inner JWT she likes, except for its HS256 signature.
    const claims = { sub: 'mallory', role: 'admin', iss: 'https://issuer.example', aud: 'api' }
    const segment = (value: object): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url')
    const inner = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}.${'A'.repeat(43)}`
    const forged = forgeWithRepeatedIv(
      [{ token: mine, plaintext: myInner }, { token: alice }, { token: bob }],
      {
        plaintext: encoder.encode(inner),
        protectedHeader: { alg: 'dir', enc: 'A256GCM', cty: 'JWT' },
      },
    )
    expect(forged.candidates).toBe(1)
    const token = forged.tokens[0] as string

    // The outer JWE authenticates: H and the mask are right, so the tag verifies.
    expect(decoder.decode(decryptCompact(token, keys.encryptionKey).plaintext)).toBe(inner)
    expect(
      decoder.decode((await compactDecrypt(token, keys.encryptionKey, JOSE_OPTIONS)).plaintext),
    ).toBe(inner)
    // The inner JWS does not: chapter 5's lesson, the signature is what proves who wrote the claims.
    expect(await codeOf(() => decryptThenVerify(token, keys, options))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })
})

describe('what the forgery refuses, as programmer errors', () => {
  const key = new Uint8Array(32)
  const iv = new Uint8Array(12)
  const known = encoder.encode('{"sub":"mallory","name":"MMMMMMMMMMMMMMMM"}')
  const first = encryptCompact(known, key, HEADER, { iv })
  const second = encryptCompact('{"sub":"alice"}', key, HEADER, { iv })
  const wanted = { plaintext: encoder.encode('{"sub":"x"}') }

  test('fewer than two tokens', () => {
    expect(() => forgeWithRepeatedIv([{ token: first, plaintext: known }], wanted)).toThrow(
      new TypeError('the forgery needs at least two tokens under one key and one IV'),
    )
    expect(() => recoverHashKeyCandidates([first])).toThrow(TypeError)
  })

  test('tokens under different IVs', () => {
    const other = encryptCompact('{"sub":"bob"}', key, HEADER, { iv: new Uint8Array(12).fill(1) })
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: other }], wanted),
    ).toThrow(new TypeError('token 2 has another IV than token 1: the forgery needs one IV'))
  })

  test('the same token twice', () => {
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: first }], wanted),
    ).toThrow(new TypeError('token 2 repeats an earlier token: it adds no equation'))
  })

  test('no known plaintext, or none long enough', () => {
    expect(() => forgeWithRepeatedIv([{ token: first }, { token: second }], wanted)).toThrow(
      new TypeError(
        `no observed token has a known plaintext of at least ${wanted.plaintext.length} bytes: the forged plaintext needs that much keystream`,
      ),
    )
    const long = { plaintext: new Uint8Array(known.length + 1) }
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: second }], long),
    ).toThrow(
      new TypeError(
        `no observed token has a known plaintext of at least ${known.length + 1} bytes: the forged plaintext needs that much keystream`,
      ),
    )
  })

  test('a known plaintext that is not the token’s', () => {
    expect(() =>
      forgeWithRepeatedIv(
        [{ token: first, plaintext: known.subarray(1) }, { token: second }],
        wanted,
      ),
    ).toThrow(new TypeError('the known plaintext of token 1 does not fit its ciphertext'))
  })

  test('tokens that are not dir AES-GCM JWEs', async () => {
    const wrapped = await new CompactEncrypt(known)
      .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
      .encrypt(key)
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: wrapped }], wanted),
    ).toThrow(new TypeError('token 2 is not a dir JWE (alg "A256KW")'))
    const cbc = await new CompactEncrypt(known)
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .encrypt(key)
    expect(() =>
      forgeWithRepeatedIv([{ token: cbc }, { token: first, plaintext: known }], wanted),
    ).toThrow(new TypeError('token 1 is not AES-GCM (enc "A128CBC-HS256")'))
    const jws = 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: jws }], wanted),
    ).toThrow(new TypeError('token 2 is not a compact JWE (five segments)'))
  })

  test('a forged plaintext that is not bytes', () => {
    const text = { plaintext: '{"sub":"x"}' as unknown as Uint8Array }
    expect(() =>
      forgeWithRepeatedIv([{ token: first, plaintext: known }, { token: second }], text),
    ).toThrow(new TypeError('forged.plaintext must be a Uint8Array'))
  })
})
