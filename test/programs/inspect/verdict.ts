/**
 * One implementation's answer to one token: accepted, rejected with a jose error
 * code, an error that is no verdict on the token at all (a key of the wrong size
 * is the caller's mistake, and both implementations throw a TypeError for it), or
 * no answer because the algorithm is not implemented there (src has no RS256).
 */

import type { Palette } from '../kit/index.ts'

export interface Verdict {
  readonly outcome: 'accepted' | 'rejected' | 'error' | 'not-implemented'
  /** The jose error code (ERR_JWS_INVALID, …) when rejected; null otherwise. */
  readonly code: string | null
  readonly message: string
}

export interface Settled<T> {
  readonly verdict: Verdict
  /** The result when accepted. */
  readonly value: T | undefined
}

/** Runs `action`, sync or async, and classifies how it ended. */
export async function settle<T>(action: () => T | Promise<T>): Promise<Settled<T>> {
  try {
    const value = await action()
    return { verdict: { outcome: 'accepted', code: null, message: 'accepted' }, value }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    const message = error instanceof Error ? error.message : String(error)
    if (typeof code === 'string' && code.startsWith('ERR_')) {
      return { verdict: { outcome: 'rejected', code, message }, value: undefined }
    }
    const name = error instanceof Error ? error.name : 'Error'
    return {
      verdict: { outcome: 'error', code: null, message: `${name}: ${message}` },
      value: undefined,
    }
  }
}

/** The answer of a party that does not implement the token's algorithm. */
export const NOT_IMPLEMENTED: Verdict = {
  outcome: 'not-implemented',
  code: null,
  message: 'not implemented here',
}

/** "accepted", "rejected ERR_…", "error TypeError: …" or "not implemented here", coloured. */
export function formatVerdict(verdict: Verdict, palette: Palette): string {
  if (verdict.outcome === 'not-implemented') return palette.dim(verdict.message)
  if (verdict.outcome === 'accepted') return palette.green('accepted')
  if (verdict.outcome === 'rejected') return `${palette.red('rejected')} ${verdict.code}`
  return `${palette.yellow('error')} ${verdict.message}`
}

/** Like formatVerdict, but an error shows only its class name: for tables. */
export function formatVerdictBrief(verdict: Verdict, palette: Palette): string {
  if (verdict.outcome !== 'error') return formatVerdict(verdict, palette)
  const colon = verdict.message.indexOf(':')
  return `${palette.yellow('error')} ${colon === -1 ? verdict.message : verdict.message.slice(0, colon)}`
}

/** Same outcome and same code. */
export function sameVerdict(a: Verdict, b: Verdict): boolean {
  return a.outcome === b.outcome && a.code === b.code
}
