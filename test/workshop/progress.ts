/**
 * The participant's progress, kept in <workshop>/.progress.json: which steps passed
 * (when, with which seed and how many runs), how many hints each step has shown, and
 * a fingerprint of src/ at `init` time, so that a starter made from an older src/ can
 * be noticed.
 */

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { REFERENCE_SRC, type WorkshopLayout } from './paths.ts'
import { sourceFiles } from './starter.ts'
import type { StepId } from './steps.ts'

export interface Verification {
  /** ISO 8601 time of the passing run. */
  readonly at: string
  /** Runs per property in that run. */
  readonly numRuns: number
  /** The seed each property ran with, by property id. */
  readonly seeds: Readonly<Record<string, number>>
}

export interface Progress {
  readonly version: 1
  /** Fingerprint of src/ when the starter was generated. */
  readonly srcFingerprint: string
  readonly verified: Partial<Record<StepId, Verification>>
  /** How many hints of each step have been shown. */
  readonly hintsShown: Partial<Record<StepId, number>>
}

/** A SHA-256 over src/'s file names and contents: changes when src/ does. */
export function srcFingerprint(srcDir: string = REFERENCE_SRC): string {
  const hash = createHash('sha256')
  for (const file of sourceFiles(srcDir)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(srcDir, file)))
      .update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

export function emptyProgress(): Progress {
  return { version: 1, srcFingerprint: srcFingerprint(), verified: {}, hintsShown: {} }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads the progress file; a missing or unreadable file counts as no progress yet. */
export function readProgress(layout: WorkshopLayout): Progress {
  if (!existsSync(layout.progress)) return emptyProgress()
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(layout.progress, 'utf8'))
  } catch {
    return emptyProgress()
  }
  if (!isRecord(parsed) || parsed.version !== 1) return emptyProgress()
  return {
    version: 1,
    srcFingerprint: typeof parsed.srcFingerprint === 'string' ? parsed.srcFingerprint : '',
    verified: isRecord(parsed.verified) ? (parsed.verified as Progress['verified']) : {},
    hintsShown: isRecord(parsed.hintsShown) ? (parsed.hintsShown as Progress['hintsShown']) : {},
  }
}

export function writeProgress(layout: WorkshopLayout, progress: Progress): void {
  mkdirSync(dirname(layout.progress), { recursive: true })
  writeFileSync(layout.progress, `${JSON.stringify(progress, null, 2)}\n`)
}

/** Records a passing run of `step`. */
export function recordVerified(
  layout: WorkshopLayout,
  step: StepId,
  verification: Verification,
): Progress {
  const progress = readProgress(layout)
  const updated: Progress = {
    ...progress,
    verified: { ...progress.verified, [step]: verification },
  }
  writeProgress(layout, updated)
  return updated
}

/** Forgets that `step` passed (after `reset`). */
export function forgetVerified(layout: WorkshopLayout, step: StepId): Progress {
  const progress = readProgress(layout)
  const verified = { ...progress.verified }
  delete verified[step]
  const updated: Progress = { ...progress, verified }
  writeProgress(layout, updated)
  return updated
}

/** Counts one more hint shown for `step`; returns how many have been shown now. */
export function countHint(layout: WorkshopLayout, step: StepId, available: number): number {
  const progress = readProgress(layout)
  const shown = Math.min((progress.hintsShown[step] ?? 0) + 1, available)
  writeProgress(layout, { ...progress, hintsShown: { ...progress.hintsShown, [step]: shown } })
  return shown
}
