/**
 * Pitfall 9: AAD missing, or recomputed from a re-serialised header.
 * docs/pitfalls/aad-missing-or-reserialised.md walks through the same bytes.
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import {
  encryptWithHeaderText,
  everySpellingDecryptsProperty,
  headerEditArbitrary,
  headerEditsRefusedProperty,
  headerSpellingArbitrary,
  naiveDecryptReserialisedAad,
  naiveDecryptWithoutAad,
  naiveEncryptWithoutAad,
  spellHeader,
  withHeader,
} from './aad-missing-or-reserialised.ts'

// Fixed inputs, so that the docs page can show the real bytes.
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const IV = new TextEncoder().encode('pitfall09-iv')
const CLAIMS = '{"sub":"alice","role":"user"}'
const HEADER = { alg: 'dir', enc: 'A256GCM', sub: 'alice' }
const EDITED_HEADER = { alg: 'dir', enc: 'A256GCM', sub: 'admin' }

const NAIVE_TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwic3ViIjoiYWxpY2UifQ..cGl0ZmFsbDA5LWl2.0vNdIM1Ntraq_dj1coKPtkM73wVbsbmV8gCUVgs.-VS9_Qki2au2230GucXD-Q'
const NAIVE_FORGED =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwic3ViIjoiYWRtaW4ifQ..cGl0ZmFsbDA5LWl2.0vNdIM1Ntraq_dj1coKPtkM73wVbsbmV8gCUVgs.-VS9_Qki2au2230GucXD-Q'
const STRICT_TOKEN =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwic3ViIjoiYWxpY2UifQ..cGl0ZmFsbDA5LWl2.0vNdIM1Ntraq_dj1coKPtkM73wVbsbmV8gCUVgs.NpccV3RWHCxNO5JCMdR-zw'
const STRICT_FORGED =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwic3ViIjoiYWRtaW4ifQ..cGl0ZmFsbDA5LWl2.0vNdIM1Ntraq_dj1coKPtkM73wVbsbmV8gCUVgs.NpccV3RWHCxNO5JCMdR-zw'

interface JweVector {
  k: string
  iv: string
  enc: string
  plaintextUtf8: string
  compact: string
}
const RFC7520_5_6 = (
  JSON.parse(readFileSync(new URL('../vectors/published.json', import.meta.url), 'utf8')) as {
    jwe: JweVector[]
  }
).jwe[0] as JweVector
const VECTOR_KEY = new Uint8Array(Buffer.from(RFC7520_5_6.k, 'base64url'))
const VECTOR_IV = new Uint8Array(Buffer.from(RFC7520_5_6.iv, 'base64url'))
// The same header members as the published vector, spelled with a space after each
// colon and comma, as Python's json.dumps writes by default.
const SPACED_HEADER =
  '{"alg": "dir", "kid": "77c7e2b8-6e13-45cf-8672-617b5b45243a", "enc": "A128GCM"}'
const SPACED_HEADER_SEGMENT =
  'eyJhbGciOiAiZGlyIiwgImtpZCI6ICI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCAiZW5jIjogIkExMjhHQ00ifQ'
const SPACED_TAG = 'AjtvsCxk9kQ8wbcZQlCUeA'

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

function segments(token: string): string[] {
  return token.split('.')
}

describe('pitfall 9a: a JWE decryptor without AAD', () => {
  test('the attack: the header says sub "admin", the naive decryptor does not notice', () => {
    const token = naiveEncryptWithoutAad(CLAIMS, KEY, HEADER, IV)
    expect(token).toBe(NAIVE_TOKEN)
    // The attacker re-encodes the header and keeps IV, ciphertext and tag.
    const forged = withHeader(token, EDITED_HEADER)
    expect(forged).toBe(NAIVE_FORGED)
    expect(segments(forged).slice(1)).toEqual(segments(token).slice(1))

    const { header, plaintext } = naiveDecryptWithoutAad(forged, KEY)
    expect(header.sub).toBe('admin')
    expect(plaintext).toBe(CLAIMS)
  })

  test('fast-check finds a header edit the naive decryptor accepts', () => {
    const original = naiveEncryptWithoutAad(CLAIMS, KEY, HEADER, IV)
    // The property a correct decryptor has: an edited header is refused.
    const details = fc.check(headerEditsRefusedProperty(original, KEY))
    expect(details.failed).toBe(true)
    const [edit] = details.counterexample as [{ name: string; value: unknown }]
    const forged = withHeader(original, { ...HEADER, [edit.name]: edit.value })
    expect(naiveDecryptWithoutAad(forged, KEY).header[edit.name]).toEqual(edit.value)
    expect(naiveDecryptWithoutAad(forged, KEY).plaintext).toBe(CLAIMS)
  })

  describe.each(implementations)('$name', (impl) => {
    test('the same edit breaks the tag: ERR_JWE_DECRYPTION_FAILED', async () => {
      const token = await impl.encryptCompact(CLAIMS, KEY, HEADER, { iv: IV })
      expect(token).toBe(STRICT_TOKEN)
      // Same ciphertext as the naive token (same key, IV, plaintext); only the tag differs,
      // because this tag also covers the header.
      expect(segments(token)[3]).toBe(segments(NAIVE_TOKEN)[3])
      const forged = withHeader(token, EDITED_HEADER)
      expect(forged).toBe(STRICT_FORGED)
      expect(await codeOf(() => impl.decryptCompact(forged, KEY))).toBe('ERR_JWE_DECRYPTION_FAILED')
      expect(text((await impl.decryptCompact(token, KEY)).plaintext)).toBe(CLAIMS)
    })

    test('tokens from the naive encryptor do not even decrypt: their tag lacks the AAD', async () => {
      expect(await codeOf(() => impl.decryptCompact(NAIVE_TOKEN, KEY))).toBe(
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })

    test('any generated header edit is refused', async () => {
      const token = await impl.encryptCompact(CLAIMS, KEY, HEADER, { iv: IV })
      await fc.assert(
        fc.asyncProperty(headerEditArbitrary(), async (edit) => {
          const edited = { ...HEADER, [edit.name]: edit.value }
          fc.pre(JSON.stringify(edited) !== JSON.stringify(HEADER))
          expect(await codeOf(() => impl.decryptCompact(withHeader(token, edited), KEY))).toBe(
            'ERR_JWE_DECRYPTION_FAILED',
          )
        }),
      )
    })
  })
})

describe('pitfall 9b: a JWE decryptor that re-serialises the header for the AAD', () => {
  const vectorOptions = { contentEncryptionAlgorithms: ['A128GCM'] }

  test('it passes the published RFC 7520 §5.6 vector, whose JSON is compact', () => {
    expect(naiveDecryptReserialisedAad(RFC7520_5_6.compact, VECTOR_KEY).plaintext).toBe(
      RFC7520_5_6.plaintextUtf8,
    )
  })

  test('it refuses the same token with a spaced header, which is just as valid', () => {
    const respelled = encryptWithHeaderText(
      SPACED_HEADER,
      RFC7520_5_6.plaintextUtf8,
      VECTOR_KEY,
      VECTOR_IV,
    )
    const [header, encryptedKey, iv, ciphertext, tag] = segments(respelled)
    const published = segments(RFC7520_5_6.compact)
    expect(header).toBe(SPACED_HEADER_SEGMENT)
    expect([encryptedKey, iv, ciphertext]).toEqual(published.slice(1, 4))
    expect(tag).toBe(SPACED_TAG)
    expect(tag).not.toBe(published[4])
    expect(() => naiveDecryptReserialisedAad(respelled, VECTOR_KEY)).toThrow(
      'Unsupported state or unable to authenticate data',
    )
  })

  test('fast-check finds a valid header spelling the naive decryptor refuses', () => {
    // The property a correct decryptor has: every valid token decrypts.
    const details = fc.check(everySpellingDecryptsProperty(CLAIMS, KEY, IV))
    expect(details.failed).toBe(true)
    const [spelling] = details.counterexample as [{ gaps: string[]; escapeSlash: boolean }]
    // Shrunk to a single deviation from JSON.stringify's spelling: one gap, or one "\/".
    const deviations =
      spelling.gaps.filter((gap) => gap !== '').length + Number(spelling.escapeSlash)
    expect(deviations).toBe(1)
    const headerText = spellHeader(spelling)
    expect(headerText).not.toBe(JSON.stringify(JSON.parse(headerText)))
  })

  describe.each(implementations)('$name', (impl) => {
    test('decrypts the published vector and its spaced twin alike', async () => {
      const respelled = encryptWithHeaderText(
        SPACED_HEADER,
        RFC7520_5_6.plaintextUtf8,
        VECTOR_KEY,
        VECTOR_IV,
      )
      for (const token of [RFC7520_5_6.compact, respelled]) {
        const { plaintext } = await impl.decryptCompact(token, VECTOR_KEY, vectorOptions)
        expect(text(plaintext)).toBe(RFC7520_5_6.plaintextUtf8)
      }
    })

    test('decrypts every generated spelling: the AAD is the received segment', async () => {
      await fc.assert(
        fc.asyncProperty(headerSpellingArbitrary(), async (spelling) => {
          const token = encryptWithHeaderText(spellHeader(spelling), CLAIMS, KEY, IV)
          const { plaintext, protectedHeader } = await impl.decryptCompact(token, KEY)
          expect(text(plaintext)).toBe(CLAIMS)
          expect(protectedHeader.cty).toBe('application/jwt')
        }),
      )
    })
  })
})
