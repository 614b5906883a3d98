/**
 * Pitfall 11: duplicate JSON member names, a parser differential.
 * docs/pitfalls/duplicate-json-members.md walks through the same bytes. jose keeps
 * the last duplicate (allowed by RFC 7515 §4 and RFC 7519 §4; docs/divergences.md);
 * src refuses duplicates outright.
 */

import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf, implementations } from '../support/implementations.ts'
import {
  hasDuplicateName,
  type Members,
  membersArbitrary,
  membersText,
  naiveGateway,
  naiveIssue,
  naiveService,
  parseFirstWins,
  readersAgreeProperty,
  signText,
} from './duplicate-json-members.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i)
const DISPLAY_NAME = 'Alice","sub":"admin'
const INJECTED_CLAIMS = '{"sub":"alice","name":"Alice","sub":"admin"}'
const INJECTED_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm5hbWUiOiJBbGljZSIsInN1YiI6ImFkbWluIn0.ohem8MzIWJTbz-Pnct1uQC-JToWnzfbdQjigNirnthM'
const TWO_ALGS = '{"alg":"none","alg":"HS256"}'
const TWO_ALGS_TOKEN =
  'eyJhbGciOiJub25lIiwiYWxnIjoiSFMyNTYifQ.eyJzdWIiOiJhbGljZSJ9.yxF9cpnJzrjK-8enCd5n8Apzrs1HiSDe5AqLVTTxs4E'

const jose = implementations.find((impl) => impl.name === 'reference')

describe('pitfall 11: a first-wins gateway in front of a last-wins service', () => {
  test('the attack: one signed token, two subjects', () => {
    const token = naiveIssue('alice', DISPLAY_NAME, KEY)
    expect(token).toBe(INJECTED_TOKEN)
    expect(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).toBe(INJECTED_CLAIMS)
    // Both check the MAC, and it is genuine: the issuer signed these very bytes.
    expect(naiveGateway(token, KEY).claims.sub).toBe('alice')
    expect(naiveService(token, KEY).claims.sub).toBe('admin')
  })

  test('they disagree on alg as well', () => {
    const token = signText(TWO_ALGS, '{"sub":"alice"}', KEY)
    expect(token).toBe(TWO_ALGS_TOKEN)
    expect(naiveGateway(token, KEY).header.alg).toBe('none')
    expect(naiveService(token, KEY).header.alg).toBe('HS256')
  })

  test('fast-check finds claims the two components read differently', () => {
    // The property a system of two parsers needs: they read the same claims.
    const details = fc.check(readersAgreeProperty(KEY))
    expect(details.failed).toBe(true)
    const [members] = details.counterexample as [Members]
    // Typically shrunk to two members with one name and two values; in any case a
    // repeated name that the two readers resolve differently.
    expect(hasDuplicateName(members)).toBe(true)
    const text = membersText(members)
    expect(parseFirstWins(text)).not.toEqual(JSON.parse(text))
  })

  describe('raw jose: last wins, as RFC 7515 §4 allows (docs/divergences.md)', () => {
    test('reads sub "admin" from the injected token', async () => {
      const { payload } = await jwtVerify(INJECTED_TOKEN, KEY, { algorithms: ['HS256'] })
      expect(payload.sub).toBe('admin')
      expect(payload.name).toBe('Alice')
    })

    test('verifies the two-alg header as HS256', async () => {
      const { protectedHeader } = await jwtVerify(TWO_ALGS_TOKEN, KEY, { algorithms: ['HS256'] })
      expect(protectedHeader.alg).toBe('HS256')
    })

    test('jose-by-hand/reference keeps jose parsing: the same readings', async () => {
      expect((await jose?.verifyJwt(INJECTED_TOKEN, KEY))?.payload.sub).toBe('admin')
      expect((await jose?.verifyJwt(TWO_ALGS_TOKEN, KEY))?.protectedHeader.alg).toBe('HS256')
    })
  })

  describe('src: a duplicate name is refused, so there is nothing to disagree about', () => {
    test('the injected claims: ERR_JWT_INVALID', async () => {
      expect(await codeOf(() => verifyJwt(INJECTED_TOKEN, KEY))).toBe('ERR_JWT_INVALID')
    })

    test('the two-alg header: ERR_JWS_INVALID', async () => {
      expect(await codeOf(() => verifyJwt(TWO_ALGS_TOKEN, KEY))).toBe('ERR_JWS_INVALID')
    })

    test('generated claims: duplicates refused, the rest read exactly as JSON.parse', async () => {
      await fc.assert(
        fc.asyncProperty(membersArbitrary(), async (members) => {
          const text = membersText(members)
          const token = signText('{"alg":"HS256"}', text, KEY)
          if (hasDuplicateName(members)) {
            expect(await codeOf(() => verifyJwt(token, KEY))).toBe('ERR_JWT_INVALID')
          } else {
            expect(verifyJwt(token, KEY).payload).toEqual(JSON.parse(text))
          }
        }),
      )
    })
  })
})
