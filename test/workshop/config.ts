/**
 * fast-check settings for workshop runs: the project's (test/setup.ts: FC_NUM_RUNS,
 * FC_SEED, verbose reports), plus the failing assertion's message inside the report.
 * fast-check 4 otherwise attaches the error as a `cause` only, and a participant needs
 * to read "expected (jose) …, got …" next to the counterexample.
 */

import fc from 'fast-check'
import '../setup.ts'

/** Applies the workshop's settings on top of the global ones; safe to call twice. */
export function configureWorkshopRuns(): void {
  fc.configureGlobal({ ...fc.readConfigureGlobal(), includeErrorInReport: true })
}

/** Runs per property, as the global config says (FC_NUM_RUNS, default 100). */
export function globalNumRuns(): number {
  return fc.readConfigureGlobal().numRuns ?? 100
}
