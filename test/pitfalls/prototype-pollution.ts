/**
 * ============================================================================
 * NEVER USE: deliberately broken, for teaching.
 * Pitfall 15: prototype pollution through a `__proto__` claim merged into an object.
 * See docs/pitfalls/prototype-pollution.md.
 * ============================================================================
 *
 * JSON.parse turns `"__proto__"` into an ordinary own property: harmless data. The
 * harm comes later, when code copies that data with assignment (`target[key] = …`):
 * assigning to `__proto__` goes through the accessor on Object.prototype and changes
 * a prototype instead of creating a property. A verified MAC does not help: the
 * issuer may have copied user-chosen data (preferences, a profile) into the claims.
 */

import fc from 'fast-check'

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null
}

// #region naive-deep-merge
/** NEVER USE. The recursive merge of many hand-written utilities (and lodash before 4.17.5). */
export function naiveDeepMerge(target: Json, source: Json): Json {
  for (const key in source) {
    const value = source[key]
    if (isObject(value)) {
      // target['__proto__'] reads the prototype: the merge then writes into it.
      if (!isObject(target[key])) target[key] = {}
      naiveDeepMerge(target[key] as Json, value)
    } else {
      target[key] = value
    }
  }
  return target
}

/** NEVER USE. The session starts from defaults and takes the user's preferences from the token. */
export function naiveSessionFromClaims(claims: Json): Json {
  const session: Json = { sub: claims.sub, prefs: { theme: 'light', language: 'en' } }
  if (isObject(claims.prefs)) naiveDeepMerge(session.prefs as Json, claims.prefs)
  return session
}
// #endregion naive-deep-merge

// #region naive-assign
/** NEVER USE. The shallow version: Object.assign also assigns, so `__proto__` swaps the prototype. */
export function naiveAssignSession(claims: Json): Json {
  const session: Json = {}
  if (isObject(claims.prefs)) Object.assign(session, claims.prefs)
  return session
}
// #endregion naive-assign

/** An authorisation check written long before anyone thought about prototypes. */
export function isAdmin(user: { isAdmin?: unknown }): boolean {
  return user.isAdmin === true
}

// ---------------------------------------------------------------------------
// Detecting (and undoing) pollution, so that a test leaves the realm as it found it.
// ---------------------------------------------------------------------------

/** A snapshot of Object.prototype's own properties. */
export function snapshotObjectPrototype(): Map<PropertyKey, PropertyDescriptor> {
  const snapshot = new Map<PropertyKey, PropertyDescriptor>()
  for (const key of Reflect.ownKeys(Object.prototype)) {
    snapshot.set(key, Object.getOwnPropertyDescriptor(Object.prototype, key) as PropertyDescriptor)
  }
  return snapshot
}

/**
 * Restores Object.prototype to `snapshot` and returns the keys that had been added or
 * changed (an empty list means there was no pollution).
 */
export function restoreObjectPrototype(snapshot: Map<PropertyKey, PropertyDescriptor>): string[] {
  const polluted: string[] = []
  for (const key of Reflect.ownKeys(Object.prototype)) {
    const before = snapshot.get(key)
    const now = Object.getOwnPropertyDescriptor(Object.prototype, key) as PropertyDescriptor
    if (before === undefined) {
      polluted.push(String(key))
      Reflect.deleteProperty(Object.prototype, key)
    } else if (
      before.value !== now.value ||
      before.get !== now.get ||
      before.set !== now.set ||
      before.writable !== now.writable ||
      before.enumerable !== now.enumerable
    ) {
      polluted.push(String(key))
      Object.defineProperty(Object.prototype, key, before)
    }
  }
  return polluted
}

// ---------------------------------------------------------------------------
// Generated preferences: JSON text, because only JSON.parse makes an own `__proto__`.
// ---------------------------------------------------------------------------

/** Member names: harmless first, so that fast-check shrinks away from the special ones. */
const NAMES = ['theme', 'language', '__proto__', 'constructor', 'isAdmin'] as const

export type Prefs = [name: string, value: boolean | [name: string, value: boolean][]][]

/** Objects without repeated names, so that JSON.parse's last-wins rule plays no part. */
export function prefsArbitrary(): fc.Arbitrary<Prefs> {
  const name = fc.constantFrom(...NAMES)
  const byName = { selector: (member: [string, unknown]): string => member[0] }
  const inner = fc.uniqueArray(fc.tuple(name, fc.boolean()), { ...byName, maxLength: 3 })
  return fc.uniqueArray(fc.tuple(name, fc.oneof(fc.boolean(), inner)), {
    ...byName,
    minLength: 1,
    maxLength: 3,
  })
}

function objectText(members: [string, unknown][]): string {
  const parts: string[] = []
  for (const [name, value] of members) {
    const text = Array.isArray(value)
      ? objectText(value as [string, unknown][])
      : JSON.stringify(value)
    parts.push(`${JSON.stringify(name)}:${text}`)
  }
  return `{${parts.join(',')}}`
}

/** The claims text an issuer would sign after copying these preferences in. */
export function claimsText(prefs: Prefs): string {
  return `{"sub":"mallory","prefs":${objectText(prefs)}}`
}

/**
 * Building a session from verified claims never changes Object.prototype. The naive
 * deep merge breaks it. Each run restores Object.prototype before it returns. Shared
 * by the test and by measure-9-18.ts.
 */
export function prototypeUntouchedProperty(): fc.IPropertyWithHooks<[Prefs]> {
  return fc.property(prefsArbitrary(), (prefs) => {
    const claims = JSON.parse(claimsText(prefs)) as Json
    const before = snapshotObjectPrototype()
    let polluted: string[] = []
    try {
      naiveSessionFromClaims(claims)
    } finally {
      polluted = restoreObjectPrototype(before)
    }
    return polluted.length === 0
  })
}
