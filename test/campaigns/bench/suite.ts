/**
 * The whole benchmark as one function: build the cases, check every contender against
 * jose, then time them. `npm run bench` (test/campaigns/bench/run.ts) prints the result;
 * test/campaigns/bench/bench.test.ts runs it with {@link SMOKE_OPTIONS} so that it cannot rot.
 */

import { type BenchCase, buildCases, sanityCheck } from './cases.ts'
import { benchContext } from './context.ts'
import { type CaseResult, type HarnessOptions, runCase } from './harness.ts'
import type { Report } from './report.ts'

export interface SuiteOptions {
  readonly harness: HarnessOptions
  /** Only cases whose id contains this text. */
  readonly filter?: string
  /** Called after each case, for progress output. */
  readonly onCase?: (result: CaseResult) => void
}

export interface SuiteResult extends Report {
  /** How many contenders passed their sanity check. */
  readonly checked: number
}

export function selectCases(cases: readonly BenchCase[], filter: string | undefined): BenchCase[] {
  if (filter === undefined) return [...cases]
  return cases.filter((benchCase) => benchCase.id.includes(filter))
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const context = benchContext()
  const cases = selectCases(await buildCases(), options.filter)
  if (cases.length === 0) throw new Error(`no case id contains ${JSON.stringify(options.filter)}`)
  // Sanity before timing: a contender whose output jose refuses aborts the whole run.
  const checked = await sanityCheck(cases)
  const results: CaseResult[] = []
  for (const benchCase of cases) {
    const result = await runCase(benchCase, options.harness)
    results.push(result)
    options.onCase?.(result)
  }
  const { rounds, timeMs } = options.harness
  return {
    context,
    results,
    checked,
    settings: `${rounds} interleaved rounds × ${timeMs} ms per contender`,
  }
}
