/**
 * Reading the caller's option bags.
 *
 * `options.iv` on an ordinary object also finds `Object.prototype.iv`. If some other bug in
 * the application pollutes the prototype (docs/pitfalls/prototype-pollution.md), every
 * token would then be sealed under the attacker's IV, signed with the attacker's `kid`, or
 * checked without a length cap. So each public function copies its option bags once, own
 * properties only, into an object with no prototype, and reads only that copy.
 */

// #region own-properties
/**
 * The own enumerable properties of `bag`, each read exactly once, in an object with no
 * prototype. `undefined` gives an empty bag; anything else that is not an object is a
 * programmer error.
 */
export function ownProperties<T extends object>(bag: T | undefined, label: string): Partial<T> {
  const own: Record<string, unknown> = Object.create(null)
  if (bag === undefined) return own as Partial<T>
  if (typeof bag !== 'object' || bag === null) throw new TypeError(`${label} must be an object`)
  // Object.keys lists own enumerable names only: nothing inherited is ever read.
  for (const name of Object.keys(bag)) own[name] = (bag as Record<string, unknown>)[name]
  return own as Partial<T>
}
// #endregion own-properties

/** An option value as it can be named in an error message, whatever its type. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object' && value !== null) return 'an object'
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`
  return String(value)
}
