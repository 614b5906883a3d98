/**
 * Pitfall 2: decode without verify.
 * Page: docs/pitfalls/decode-without-verify.md (every token it quotes is asserted here).
 */

import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { verifyJwt } from 'jose-by-hand'
import { describe, expect, test } from 'vitest'
import { codeOf } from '../support/implementations.ts'
import {
  aliceToken,
  editedClaims,
  editedTokensNeverGrantAdmin,
  KEY,
  naiveClaimsAfterLogging,
  naiveClaimsNotAwaited,
  naiveIsAdmin,
  withClaims,
} from './decode-without-verify.ts'
import { show } from './show.ts'

const page = readFileSync(
  new URL('../../docs/pitfalls/decode-without-verify.md', import.meta.url),
  'utf8',
)

// Alice's genuine token, and the same token with "user" edited to "admin" in the payload.
const GENUINE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0._hfSO4ihUfwMXSnQWkyJqr8GmVTr_DhzuQT5-cMCXnw'
const EDITED =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJhZG1pbiJ9._hfSO4ihUfwMXSnQWkyJqr8GmVTr_DhzuQT5-cMCXnw'

describe('the naive readers are broken', () => {
  test('the page bytes: Alice’s token, and the edit that keeps her signature', () => {
    expect(aliceToken()).toBe(GENUINE)
    expect(withClaims(GENUINE, { sub: 'alice', role: 'admin' })).toBe(EDITED)
    // Only the payload segment changed.
    expect(EDITED.split('.')[2]).toBe(GENUINE.split('.')[2])
  })

  test('decide-then-verify: the genuine token is no admin, the edited one is', () => {
    expect(naiveIsAdmin(GENUINE, KEY)).toBe(false)
    expect(naiveIsAdmin(EDITED, KEY)).toBe(true)
  })

  test('fast-check finds an edited token that the fast path lets in', () => {
    const details = fc.check(editedTokensNeverGrantAdmin())
    expect(details.failed).toBe(true)
    const claims = details.counterexample?.[0]
    show(`decide-then-verify: counterexample claims ${JSON.stringify(claims)}`)
    // Shrinking leaves only what matters: the role.
    expect(claims).toEqual({ sub: '', role: 'admin' })
  })

  test('log-and-continue: src refused the token, and the claims were used anyway', () => {
    const log: string[] = []
    const claims = naiveClaimsAfterLogging(EDITED, KEY, (message) => log.push(message))
    expect(claims.role).toBe('admin')
    expect(log).toEqual(['token verification failed: ERR_JWS_SIGNATURE_VERIFICATION_FAILED'])
  })

  test('not awaited: the claims come back first, jose’s rejection arrives afterwards', async () => {
    const reports: unknown[] = []
    let reported: (error: unknown) => void = () => {}
    const rejection = new Promise<unknown>((resolve) => {
      reported = resolve
    })
    const claims = await naiveClaimsNotAwaited(EDITED, KEY, (error) => {
      reports.push(error)
      reported(error)
    })
    expect(claims.role).toBe('admin')
    // When the caller held its claims, the verifier had not yet said anything.
    expect(reports).toEqual([])
    expect(((await rejection) as { code?: string }).code).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })
})

describe('src and jose refuse the edited token before anyone reads it', () => {
  test('the page’s edited token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED from both', async () => {
    expect(await codeOf(() => verifyJwt(EDITED, KEY))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
    expect(await codeOf(() => jwtVerify(EDITED, KEY, { algorithms: ['HS256'] }))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )
  })

  test('every edit fast-check generates is refused by src with the same code', () => {
    const genuine = aliceToken()
    fc.assert(
      fc.property(editedClaims(), (claims) => {
        // An edit that happens to reproduce Alice's claims is her own genuine token.
        fc.pre(!(claims.sub === 'alice' && claims.role === 'user'))
        const token = withClaims(genuine, claims)
        let code: unknown = 'accepted'
        try {
          verifyJwt(token, KEY)
        } catch (error) {
          code = (error as { code?: unknown }).code
        }
        expect(code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
      }),
    )
  })

  test('every edit fast-check generates is refused by jose with the same code', async () => {
    const genuine = aliceToken()
    await fc.assert(
      fc.asyncProperty(editedClaims(), async (claims) => {
        fc.pre(!(claims.sub === 'alice' && claims.role === 'user'))
        const token = withClaims(genuine, claims)
        expect(await codeOf(() => jwtVerify(token, KEY, { algorithms: ['HS256'] }))).toBe(
          'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        )
      }),
    )
  })
})

test('the docs page quotes exactly these tokens', () => {
  expect(page).toContain(GENUINE)
  expect(page).toContain(EDITED)
})
