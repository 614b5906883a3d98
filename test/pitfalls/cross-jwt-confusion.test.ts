/**
 * Pitfall 18: cross-JWT confusion; explicit typing (RFC 8725 §2.8, §3.11).
 * docs/pitfalls/cross-jwt-confusion.md walks through the same bytes.
 */

import { jwtVerify } from 'jose'
import { describe, expect, test } from 'vitest'
import { implementations } from '../support/implementations.ts'
import { naiveSessionFromToken } from './cross-jwt-confusion.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x18 + i)
const NOW = 1_767_225_600
const CURRENT_DATE = new Date(NOW * 1000)

// A 7-day share link for one file: alice mailed it to a colleague.
const SHARE_LINK =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6InNoYXJlK2p3dCJ9.eyJzdWIiOiJhbGljZSIsImZpbGUiOiJxMy1yZXBvcnQucGRmIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3Njc4MzA0MDB9.zGXBem8fi-B5MEzjFx8k3QyicrD7Uaa_VbKCYkyojK4'
// alice's real 15-minute access token.
const ACCESS_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoiYWNjb3VudCIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI2NTAwfQ.wQZHJ1sjU5aCkPNRov_5RMr39xLkoOhO9MTfy1rgaz8'

/** What a session check should ask for: the access-token type, and a clock. */
const SESSION_OPTIONS = { typ: 'at+jwt', currentDate: CURRENT_DATE }

async function refusal(action: () => unknown): Promise<{ code: string; claim?: string }> {
  try {
    await action()
  } catch (error) {
    const { code, claim } = error as { code?: string; claim?: string }
    if (typeof code !== 'string') throw error
    return claim === undefined ? { code } : { code, claim }
  }
  throw new Error('expected a rejection, but the call succeeded')
}

describe('pitfall 18: a share link used as a session', () => {
  test.each(implementations)('$name mints the two fixed tokens', async (impl) => {
    expect(
      await impl.signJwt({ sub: 'alice', file: 'q3-report.pdf' }, KEY, {
        header: { alg: 'HS256', typ: 'share+jwt' },
        issuedAt: NOW,
        expirationTime: NOW + 7 * 86_400,
      }),
    ).toBe(SHARE_LINK)
    expect(
      await impl.signJwt({ sub: 'alice', scope: 'account' }, KEY, {
        header: { alg: 'HS256', typ: 'at+jwt' },
        issuedAt: NOW,
        expirationTime: NOW + 900,
      }),
    ).toBe(ACCESS_TOKEN)
  })

  test('the attack: whoever holds the link is alice, for a week', async () => {
    const session = await naiveSessionFromToken(SHARE_LINK, KEY, CURRENT_DATE)
    expect(session.sub).toBe('alice')
    // Still a session six days later, long after any access token would have died.
    const later = new Date((NOW + 6 * 86_400) * 1000)
    expect((await naiveSessionFromToken(SHARE_LINK, KEY, later)).sub).toBe('alice')
  })

  describe.each(implementations)('$name with typ "at+jwt"', (impl) => {
    test('the share link: ERR_JWT_CLAIM_VALIDATION_FAILED on typ', async () => {
      expect(await refusal(() => impl.verifyJwt(SHARE_LINK, KEY, SESSION_OPTIONS))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'typ',
      })
    })

    test('a token with the generic typ "JWT" is refused as well', async () => {
      const generic = await impl.signJwt({ sub: 'alice' }, KEY)
      expect(await refusal(() => impl.verifyJwt(generic, KEY, SESSION_OPTIONS))).toEqual({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'typ',
      })
    })

    test('the access token passes, and the comparison is a media-type one', async () => {
      expect((await impl.verifyJwt(ACCESS_TOKEN, KEY, SESSION_OPTIONS)).payload.sub).toBe('alice')
      const options = { ...SESSION_OPTIONS, typ: 'application/AT+JWT' }
      expect((await impl.verifyJwt(ACCESS_TOKEN, KEY, options)).payload.sub).toBe('alice')
    })
  })

  test('raw jose with typ: the same refusal', async () => {
    const options = { algorithms: ['HS256'], ...SESSION_OPTIONS }
    expect(await refusal(() => jwtVerify(SHARE_LINK, KEY, options))).toEqual({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'typ',
    })
  })
})
