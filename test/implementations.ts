/**
 * The two implementations of one public API, side by side, so that a test body can
 * run against both: `for (const impl of implementations) ...`, or `describe.each`.
 * Every call is awaited; the manual module's synchronous results await fine.
 */

import * as manual from 'jose-by-hand'
import * as reference from 'jose-by-hand/reference'

type Awaitable<T> = T | Promise<T>
type AsyncVersion<F> = F extends (...args: infer A) => infer R
  ? (...args: A) => Awaitable<Awaited<R>>
  : never

/** The shape both share: each function of the manual API, allowed to return a Promise. */
export interface Implementation {
  readonly name: 'src' | 'jose'
  readonly base64url: typeof manual.base64url
  readonly signCompact: AsyncVersion<typeof manual.signCompact>
  readonly verifyCompact: AsyncVersion<typeof manual.verifyCompact>
  readonly encryptCompact: AsyncVersion<typeof manual.encryptCompact>
  readonly decryptCompact: AsyncVersion<typeof manual.decryptCompact>
  readonly signJwt: AsyncVersion<typeof manual.signJwt>
  readonly verifyJwt: AsyncVersion<typeof manual.verifyJwt>
  readonly encryptJwt: AsyncVersion<typeof manual.encryptJwt>
  readonly decryptJwt: AsyncVersion<typeof manual.decryptJwt>
  readonly signThenEncrypt: AsyncVersion<typeof manual.signThenEncrypt>
  readonly decryptThenVerify: AsyncVersion<typeof manual.decryptThenVerify>
}

export const src: Implementation = { name: 'src', ...manual }
export const jose: Implementation = { name: 'jose', ...reference }
export const implementations: readonly Implementation[] = [src, jose]

/** Runs `action` and returns the `code` of the error it throws, or fails the test if it does not throw. */
export async function errorCode(action: () => unknown): Promise<string> {
  try {
    await action()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') return code
    throw error
  }
  throw new Error('expected a rejection, but the call succeeded')
}
