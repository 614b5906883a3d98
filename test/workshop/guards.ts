/**
 * The workshop's two guards, shared by `npm run workshop:check` and by the vitest file
 * that runs them in CI (./guards.test.ts):
 *
 * (a) the reference solution, src/, passes every step (and the bonus step's reference
 *     property breaks the naive verifier and holds for src/);
 * (b) a starter with ONLY step N stubbed fails every one of step N's properties with
 *     step N's own TODO message. That proves each property exercises its step's code:
 *     a property that passed without it, or failed for another reason, would be
 *     checking something else.
 *
 * Plus the path a participant walks: init, then "solve" every region by pasting src/'s
 * code in, then verify every step.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { globalNumRuns } from './config.ts'
import { caught, MISTAKES, MISTAKES_SEED, measure } from './mistakes.ts'
import { layoutOf, REFERENCE_SRC, type WorkshopLayout } from './paths.ts'
import { replaceRegion } from './regions.ts'
import {
  describeError,
  loadTarget,
  runBonusOn,
  runStepOn,
  type StepRun,
  stepProperties,
  verifyStep,
} from './runner.ts'
import {
  copyForRun,
  importPath,
  referenceRegionText,
  sourceFiles,
  writeStarter,
} from './starter.ts'
import { REGION_STEPS, STEPS, type Step, type StepId, todoPrefix } from './steps.ts'

/**
 * Runs per property when src/ must pass. Lowered on purpose: the same properties run
 * at full strength (FC_NUM_RUNS) in test/differential, and this guard only has to show
 * that the steps are wired to the right code. Never more than the global setting.
 */
export function guardNumRuns(): number {
  return Math.min(globalNumRuns(), 25)
}

/** A stub throws on the first call, so a handful of runs always reaches it. */
const STUB_RUNS = 3

/**
 * The solved starter is src/ byte for byte (checked first), so its runs only prove
 * that the copy, fill-in and load path works; guard (a) runs src/ itself harder.
 */
const SOLVED_RUNS = 5

/**
 * Runs `action` with shrinking off: a stub fails whatever the input, so shrinking its
 * counterexample would only spend time. The global setting is restored afterwards.
 */
async function withoutShrinking<T>(action: () => Promise<T>): Promise<T> {
  const saved = fc.readConfigureGlobal()
  fc.configureGlobal({ ...saved, endOnFailure: true })
  try {
    return await action()
  } finally {
    fc.configureGlobal(saved)
  }
}

export interface GuardResult {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

function temporaryLayout(label: string): WorkshopLayout {
  return layoutOf(mkdtempSync(join(tmpdir(), `jose-by-hand-workshop-${label}-`)))
}

function lastMessage(run: StepRun): string {
  if (run.loadError !== undefined) return run.loadError
  const last = run.results.at(-1)
  return last === undefined ? '(nothing ran)' : `${last.id}: ${last.report.message}`
}

const BONUS_SOLUTION = fileURLToPath(new URL('./bonus/solution.ts', import.meta.url))

/** Guard (a) for one step: src/ passes it (the bonus: the reference property does its job). */
export async function referencePasses(step: Step): Promise<GuardResult> {
  const name = `src/ passes step ${step.id}`
  const options = { numRuns: guardNumRuns() }
  const run =
    step.id === 'bonus'
      ? await runBonusOn(step, BONUS_SOLUTION, options)
      : await runStepOn(step, REFERENCE_SRC, options)
  return { name, ok: run.passed, detail: run.passed ? '' : lastMessage(run) }
}

/**
 * Guard (b) for one step: with only this step stubbed, every one of its properties
 * fails, and with this step's TODO.
 */
export async function starterFails(step: Step): Promise<GuardResult> {
  return withoutShrinking(() => checkStarterFails(step))
}

async function checkStarterFails(step: Step): Promise<GuardResult> {
  const name = `a starter with only step ${step.id} stubbed fails it with its TODO`
  const layout = temporaryLayout(`step-${step.id}`)
  try {
    writeStarter(layout, { steps: step.id === 'bonus' ? [] : [step], existing: 'keep' })
    const prefix = todoPrefix(step)
    if (step.id === 'bonus') {
      const run = await runBonusOn(step, layout.bonusProperty, { numRuns: STUB_RUNS })
      const ok = !run.passed && lastMessage(run).includes(prefix)
      return { name, ok, detail: ok ? '' : lastMessage(run) }
    }
    const scratch = join(layout.dir, 'run-src')
    copyForRun(layout, step, scratch)
    const target = await loadTarget(scratch)
    const problems: string[] = []
    for (const property of stepProperties(step, target)) {
      const report = await property.check({ numRuns: STUB_RUNS })
      if (!report.failed) problems.push(`${property.id} passed without step ${step.id}'s code`)
      else if (!report.message.includes(prefix))
        problems.push(`${property.id} failed without ${prefix}: ${report.message}`)
    }
    return { name, ok: problems.length === 0, detail: problems.join('\n') }
  } catch (error) {
    return { name, ok: false, detail: describeError(error) }
  } finally {
    rmSync(layout.dir, { recursive: true, force: true })
  }
}

/**
 * The participant's path: init, paste src/'s code into every region as if each step
 * were solved, check the files are src/ again, then verify every step through the CLI's
 * code path (copy, fill-in, load).
 */
export async function solvedStarterPasses(): Promise<GuardResult> {
  const name = 'init, then every region solved: the files equal src/ and every step verifies'
  const layout = temporaryLayout('solved')
  try {
    writeStarter(layout)
    for (const step of REGION_STEPS) {
      for (const ref of step.regions) {
        const path = join(layout.src, ref.file)
        const text = readFileSync(path, 'utf8')
        writeFileSync(path, replaceRegion(text, path, ref.region, referenceRegionText(ref)))
      }
    }
    const problems: string[] = []
    for (const file of sourceFiles()) {
      if (
        readFileSync(join(layout.src, file), 'utf8') !==
        readFileSync(join(REFERENCE_SRC, file), 'utf8')
      )
        problems.push(`${file} differs from src/${file} after solving every region`)
    }
    // The bonus "solved": the reference property, its import pointed at the toolkit.
    const toolkit = importPath(layout.bonusProperty, join(dirname(BONUS_SOLUTION), 'toolkit.ts'))
    const solution = readFileSync(BONUS_SOLUTION, 'utf8').replace("'./toolkit.ts'", `'${toolkit}'`)
    writeFileSync(layout.bonusProperty, solution)
    for (const step of STEPS) {
      const run = await verifyStep(layout, step, { numRuns: SOLVED_RUNS })
      if (!run.passed) problems.push(`step ${step.id}: ${lastMessage(run)}`)
      if (run.filled.length > 0) problems.push(`step ${step.id}: regions were filled in from src/`)
    }
    return { name, ok: problems.length === 0, detail: problems.join('\n') }
  } catch (error) {
    return { name, ok: false, detail: describeError(error) }
  } finally {
    rmSync(layout.dir, { recursive: true, force: true })
  }
}

/** One step's share of the dry run: seconds for src/, the starter and each mistake. */
export interface StepTiming {
  readonly step: StepId
  readonly reference: number
  readonly starter: number
  readonly mistakes: number
  /** How many documented mistakes the step has, and how many it caught. */
  readonly mistakeCount: number
  readonly caughtCount: number
}

export interface DryRun {
  readonly ok: boolean
  readonly timings: readonly StepTiming[]
  /** Seconds for the participant's whole path (init, every region solved, every step). */
  readonly solvedPath: number
  readonly total: number
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now()
  const value = await action()
  return { value, seconds: (performance.now() - started) / 1000 }
}

/**
 * Every guard, in order, and the facilitator's dry run: each step's starter, its
 * solution (src/) and every documented mistake (./mistakes.ts), timed.
 */
export async function runGuards(report: (result: GuardResult) => void): Promise<DryRun> {
  const started = performance.now()
  let ok = true
  const reference = new Map<StepId, number>()
  const starter = new Map<StepId, number>()
  // src/ itself first: when it fails, nothing else means much.
  for (const step of STEPS) {
    const { value, seconds } = await timed(() => referencePasses(step))
    reference.set(step.id, seconds)
    report(value)
    ok &&= value.ok
  }
  for (const step of STEPS) {
    const { value, seconds } = await timed(() => starterFails(step))
    starter.set(step.id, seconds)
    report(value)
    ok &&= value.ok
  }
  const solved = await timed(() => solvedStarterPasses())
  report(solved.value)
  ok &&= solved.value.ok
  const mistakeSeconds = new Map<StepId, number>()
  const counts = new Map<StepId, { all: number; caught: number }>()
  for (const mistake of MISTAKES) {
    const { value: measurement, seconds } = await timed(() => measure(mistake, MISTAKES_SEED))
    mistakeSeconds.set(mistake.step, (mistakeSeconds.get(mistake.step) ?? 0) + seconds)
    const count = counts.get(mistake.step) ?? { all: 0, caught: 0 }
    const isCaught = caught(measurement)
    counts.set(mistake.step, { all: count.all + 1, caught: count.caught + (isCaught ? 1 : 0) })
    const last = measurement.run.results.at(-1)
    const result: GuardResult = {
      name: `step ${mistake.step} catches "${mistake.mistake}" with ${mistake.caughtBy}`,
      ok: isCaught,
      detail: isCaught
        ? ''
        : measurement.run.passed
          ? 'every property passed'
          : `first failure: ${last?.id}`,
    }
    report(result)
    ok &&= isCaught
  }
  const timings: StepTiming[] = STEPS.map((step) => ({
    step: step.id,
    reference: reference.get(step.id) ?? 0,
    starter: starter.get(step.id) ?? 0,
    mistakes: mistakeSeconds.get(step.id) ?? 0,
    mistakeCount: counts.get(step.id)?.all ?? 0,
    caughtCount: counts.get(step.id)?.caught ?? 0,
  }))
  const total = (performance.now() - started) / 1000
  return { ok, timings, solvedPath: solved.seconds, total }
}

/** The dry run's timings as a Markdown table (also what the terminal shows). */
export function timingTable(dryRun: DryRun): string {
  const seconds = (value: number): string => value.toFixed(1)
  const lines = [
    '| step | src/ passes (s) | starter fails (s) | mistakes caught | mistakes (s) |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const row of dryRun.timings) {
    const mistakes = row.mistakeCount === 0 ? '–' : `${row.caughtCount}/${row.mistakeCount}`
    lines.push(
      `| ${row.step} | ${seconds(row.reference)} | ${seconds(row.starter)} | ${mistakes} | ${seconds(row.mistakes)} |`,
    )
  }
  lines.push(
    `| the participant's path (init, every region solved, every step) | ${seconds(dryRun.solvedPath)} | | | |`,
  )
  lines.push(`| **total** | ${seconds(dryRun.total)} | | | |`)
  return lines.join('\n')
}
