/**
 * Everything a bonus property may need, in one import: participants' files live in a
 * gitignored folder (possibly outside the repository when a facilitator checks a
 * copy), so they import relative paths only, and this module resolves the packages.
 */

import fc from 'fast-check'

export { base64url, signCompact } from 'jose-by-hand'
export * as arb from '../../support/arbitraries.ts'
export { forgeJws } from '../../support/forge.ts'
export type { Verifier } from './naive-verifier.ts'
export { fc }

/** What the bonus file exports: a property of any verifier. */
export type BonusProperty = fc.IRawProperty<unknown>
