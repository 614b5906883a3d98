/**
 * Pitfall 15: prototype pollution through a `__proto__` claim merged into an object.
 * docs/pitfalls/prototype-pollution.md walks through the same bytes.
 *
 * Every test that pollutes restores Object.prototype before it asserts anything, and
 * afterEach checks that nothing was left behind.
 */

import fc from 'fast-check'
import { signJwt, verifyJwt } from 'jose-by-hand'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { implementations } from '../support/implementations.ts'
import {
  claimsText,
  isAdmin,
  naiveAssignSession,
  naiveSessionFromClaims,
  type Prefs,
  prototypeUntouchedProperty,
  restoreObjectPrototype,
  snapshotObjectPrototype,
} from './prototype-pollution.ts'

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0xe0 + i)
// What the attacker typed into the "preferences" form of their profile.
const PREFS_INPUT = '{"theme":"dark","__proto__":{"isAdmin":true}}'
// The issuer copied the parsed preferences into the claims and signed them.
const TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5IiwicHJlZnMiOnsidGhlbWUiOiJkYXJrIiwiX19wcm90b19fIjp7ImlzQWRtaW4iOnRydWV9fX0.I73unNNIwT84sArt-Nycbkx23nhw_1t7q41BXe2BAkU'

type Json = Record<string, unknown>

/** The fix: build the session from the fields it needs, checked one by one; never merge. */
function safeSessionFromClaims(claims: Json): Json {
  const prefs = typeof claims.prefs === 'object' && claims.prefs !== null ? claims.prefs : {}
  const theme = Object.hasOwn(prefs, 'theme') ? (prefs as Json).theme : undefined
  return {
    sub: typeof claims.sub === 'string' ? claims.sub : undefined,
    prefs: { theme: theme === 'dark' ? 'dark' : 'light', language: 'en' },
  }
}

let snapshot = snapshotObjectPrototype()
beforeEach(() => {
  snapshot = snapshotObjectPrototype()
})
afterEach(() => {
  // Whatever a test did, the realm must be clean for the next one.
  expect(restoreObjectPrototype(snapshot)).toEqual([])
})

describe('pitfall 15: merging verified claims into a session', () => {
  test('the issuer signs the preferences it was given, __proto__ member included', () => {
    const claims = { sub: 'mallory', prefs: JSON.parse(PREFS_INPUT) as Json }
    expect(Object.keys(claims.prefs)).toEqual(['theme', '__proto__'])
    expect(signJwt(claims, KEY, { header: { alg: 'HS256' } })).toBe(TOKEN)
  })

  test('the attack: a deep merge makes every object in the process an admin', () => {
    const { payload } = verifyJwt(TOKEN, KEY)
    let polluted: string[] = []
    let strangerIsAdmin = false
    try {
      naiveSessionFromClaims(payload)
      // An object that has nothing to do with the token or the session.
      strangerIsAdmin = isAdmin({})
    } finally {
      polluted = restoreObjectPrototype(snapshot)
    }
    expect(strangerIsAdmin).toBe(true)
    expect(polluted).toEqual(['isAdmin'])
    expect(isAdmin({})).toBe(false)
  })

  test('the shallow variant: Object.assign swaps the session prototype', () => {
    const session = naiveAssignSession(verifyJwt(TOKEN, KEY).payload)
    expect(isAdmin(session)).toBe(true)
    expect(Object.hasOwn(session, 'isAdmin')).toBe(false)
    expect(Object.getPrototypeOf(session)).toEqual({ isAdmin: true })
    // Local damage only: other objects are untouched.
    expect(isAdmin({})).toBe(false)
  })

  test('fast-check finds preferences that pollute Object.prototype', () => {
    // The property: building a session never changes Object.prototype.
    const details = fc.check(prototypeUntouchedProperty())
    expect(details.failed).toBe(true)
    const [prefs] = details.counterexample as [Prefs]
    // Whatever else it holds, the counterexample has a "__proto__" member whose value
    // is an object with members: the shape that writes into Object.prototype.
    const proto = prefs.find(([name]) => name === '__proto__')
    expect(Array.isArray(proto?.[1]) && proto[1].length > 0).toBe(true)
    const before = snapshotObjectPrototype()
    let polluted: string[] = []
    try {
      naiveSessionFromClaims(JSON.parse(claimsText(prefs)) as Json)
    } finally {
      polluted = restoreObjectPrototype(before)
    }
    expect(polluted.length).toBeGreaterThan(0)
  })

  describe.each(implementations)('$name returns __proto__ as data and merges nothing', (impl) => {
    test('an own "__proto__" property; the prototype is Object.prototype', async () => {
      const { payload } = await impl.verifyJwt(TOKEN, KEY)
      const prefs = payload.prefs as Json
      expect(Object.hasOwn(prefs, '__proto__')).toBe(true)
      expect(Object.getPrototypeOf(prefs)).toBe(Object.prototype)
      expect(prefs.isAdmin).toBeUndefined()
      expect(Object.getOwnPropertyDescriptor(prefs, '__proto__')?.value).toEqual({ isAdmin: true })
      expect(restoreObjectPrototype(snapshot)).toEqual([])
    })

    test('the fix: pick fields, do not merge', async () => {
      const session = safeSessionFromClaims((await impl.verifyJwt(TOKEN, KEY)).payload)
      expect(session).toEqual({ sub: 'mallory', prefs: { theme: 'dark', language: 'en' } })
      expect(isAdmin(session)).toBe(false)
      expect(isAdmin({})).toBe(false)
    })
  })
})
