/**
 * Published test vectors (test/vectors/published.json; each entry names its source):
 * RFC 7515 Appendix A.1, RFC 7520 §4.4 and §5.6, on both implementations.
 */

import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { implementations } from './support/implementations.ts'

interface Vectors {
  jws: {
    source: string
    k: string
    protectedHeader?: Record<string, unknown>
    protectedHeaderUtf8?: string
    payloadUtf8: string
    compact: string
  }[]
  jwe: {
    source: string
    k: string
    iv: string
    enc: string
    protectedHeader: Record<string, unknown>
    plaintextUtf8: string
    compact: string
  }[]
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/published.json', import.meta.url), 'utf8'),
) as Vectors
const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64url'))
const text = (u8: Uint8Array): string => new TextDecoder().decode(u8)

describe.each(implementations)('published vectors on $name', (impl) => {
  for (const vector of vectors.jws) {
    test(`${vector.source}: verifies and yields the published payload`, async () => {
      const { payload, protectedHeader } = await impl.verifyCompact(vector.compact, bytes(vector.k))
      expect(text(payload)).toBe(vector.payloadUtf8)
      expect(protectedHeader.alg).toBe('HS256')
    })
    if (vector.protectedHeader !== undefined) {
      const header = vector.protectedHeader
      test(`${vector.source}: signing reproduces the published token byte for byte`, async () => {
        expect(
          await impl.signCompact(vector.payloadUtf8, bytes(vector.k), header as { alg: string }),
        ).toBe(vector.compact)
      })
    }
  }
  for (const vector of vectors.jwe) {
    const options = { contentEncryptionAlgorithms: [vector.enc] }
    test(`${vector.source}: decrypts to the published plaintext`, async () => {
      const { plaintext, protectedHeader } = await impl.decryptCompact(
        vector.compact,
        bytes(vector.k),
        options,
      )
      expect(text(plaintext)).toBe(vector.plaintextUtf8)
      expect(protectedHeader).toEqual(vector.protectedHeader)
    })
    test(`${vector.source}: encrypting with the published IV reproduces the token`, async () => {
      const header = vector.protectedHeader as { alg: string; enc: string }
      const token = await impl.encryptCompact(vector.plaintextUtf8, bytes(vector.k), header, {
        iv: bytes(vector.iv),
      })
      expect(token).toBe(vector.compact)
    })
    test(`${vector.source}: ${vector.enc} is refused unless allowlisted`, async () => {
      // The default allowlist is A256GCM; this 128-bit key fits none of it.
      await expect(
        (async () => impl.decryptCompact(vector.compact, bytes(vector.k)))(),
      ).rejects.toThrow(TypeError)
    })
  }
})

describe('the vector file', () => {
  test('RFC 7515 A.1 carries CRLF inside its header JSON: verifiers MAC the received bytes', () => {
    const a1 = vectors.jws.find((vector) => vector.source === 'RFC 7515 Appendix A.1')
    const [headerSegment] = (a1?.compact ?? '').split('.')
    expect(text(bytes(headerSegment ?? ''))).toBe(a1?.protectedHeaderUtf8)
    expect(a1?.protectedHeaderUtf8).toContain('\r\n')
  })
})
