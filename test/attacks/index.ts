/**
 * ============================================================================
 * NEVER USE outside teaching: attack tools.
 * jose-by-hand/attacks: what a reused GCM IV gives away (docs/pitfalls/iv-reuse.md).
 * ============================================================================
 */

export { forgeWithRepeatedIv, recoverHashKeyCandidates } from './forge.ts'
