/**
 * The code under test, side by side: `src` (by hand, on node:crypto) and `reference`
 * (jose, configured safely, in reference/index.ts), so that a test body can run against
 * both: `for (const impl of implementations) ...`, or `describe.each(implementations)`.
 * Every call is awaited; src's synchronous results await fine.
 *
 * Also the one way a test turns a call into its outcome: `codeOf` for the error code (or
 * 'accepted'), `outcomeOf` for the code with a failed claim's name and reason, and
 * `thrown` (or `rejectionOf`, awaited) for the whole error when its message matters.
 */

import * as srcModule from 'jose-by-hand'
import * as referenceModule from 'jose-by-hand/reference'

type Awaitable<T> = T | Promise<T>
type AsyncVersion<F> = F extends (...args: infer A) => infer R
  ? (...args: A) => Awaitable<Awaited<R>>
  : never

/** The shape both share: each function of src's API, allowed to return a Promise. */
export interface Implementation {
  readonly name: 'src' | 'reference'
  readonly base64url: typeof srcModule.base64url
  readonly signCompact: AsyncVersion<typeof srcModule.signCompact>
  readonly verifyCompact: AsyncVersion<typeof srcModule.verifyCompact>
  readonly encryptCompact: AsyncVersion<typeof srcModule.encryptCompact>
  readonly decryptCompact: AsyncVersion<typeof srcModule.decryptCompact>
  readonly signJwt: AsyncVersion<typeof srcModule.signJwt>
  readonly verifyJwt: AsyncVersion<typeof srcModule.verifyJwt>
  readonly encryptJwt: AsyncVersion<typeof srcModule.encryptJwt>
  readonly decryptJwt: AsyncVersion<typeof srcModule.decryptJwt>
  readonly signThenEncrypt: AsyncVersion<typeof srcModule.signThenEncrypt>
  readonly decryptThenVerify: AsyncVersion<typeof srcModule.decryptThenVerify>
}

export const src: Implementation = { name: 'src', ...srcModule }
export const reference: Implementation = { name: 'reference', ...referenceModule }
export const implementations: readonly Implementation[] = [src, reference]

/** The outcome of a call that returned. */
export const ACCEPTED = 'accepted'

/** An Error, with the fields a JOSEError (or JWTClaimValidationFailed) adds when it is one. */
export interface Thrown extends Error {
  code?: string
  claim?: string
  reason?: string
}

/** The error's `code`, or its name when it has none (a TypeError, a DataCloneError). */
function codeOfError(error: unknown): string {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  if (error instanceof Error) return error.name
  throw error
}

/** What a call came to: its code, and the claim and reason when a claim check failed. */
export interface Outcome {
  code: string
  claim?: string
  reason?: string
}

/** The outcome of the (awaited) call: code 'accepted' when it returns. */
export async function outcomeOf(action: () => unknown): Promise<Outcome> {
  try {
    await action()
  } catch (error) {
    const code = codeOfError(error)
    const { claim, reason } = error as { claim?: unknown; reason?: unknown }
    return typeof claim === 'string' ? { code, claim, reason: String(reason) } : { code }
  }
  return { code: ACCEPTED }
}

/** 'accepted' when the (awaited) call returns, or the code of what it throws. */
export async function codeOf(action: () => unknown): Promise<string> {
  return (await outcomeOf(action)).code
}

/** The error a synchronous call throws; fails the test if the call returns. */
export function thrown(action: () => unknown): Thrown {
  try {
    action()
  } catch (error) {
    codeOfError(error)
    return error as Thrown
  }
  throw new Error('expected an error, but the call returned')
}

/** The error an (awaited) call rejects with; fails the test if the call returns. */
export async function rejectionOf(action: () => unknown): Promise<Thrown> {
  try {
    await action()
  } catch (error) {
    codeOfError(error)
    return error as Thrown
  }
  throw new Error('expected a rejection, but the call returned')
}

/** The other of the two. */
export function otherThan(impl: Implementation): Implementation {
  return impl.name === 'src' ? reference : src
}
