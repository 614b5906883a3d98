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
import { CORE_STEPS, STEPS, type Step, todoPrefix } from './steps.ts'

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
    for (const step of CORE_STEPS) {
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

export interface GuardOptions {
  /** `measure`: also make every documented mistake and check its step catches it (slower). */
  readonly mistakes: 'measure' | 'skip'
}

/** Every documented mistake (./mistakes.ts) is caught by the property docs/workshop.md names. */
export async function mistakesCaught(): Promise<GuardResult> {
  const name = 'every common mistake in docs/workshop.md is caught by its step'
  const problems: string[] = []
  for (const mistake of MISTAKES) {
    const measurement = await measure(mistake, MISTAKES_SEED)
    if (!caught(measurement)) {
      const last = measurement.run.results.at(-1)
      problems.push(
        `step ${mistake.step}, ${mistake.mistake}: expected ${mistake.caughtBy} to fail, ${measurement.run.passed ? 'every property passed' : `first failure: ${last?.id}`}`,
      )
    }
  }
  return { name, ok: problems.length === 0, detail: problems.join('\n') }
}

/** Every guard, in order. */
export async function runGuards(
  report: (result: GuardResult) => void,
  options: GuardOptions = { mistakes: 'skip' },
): Promise<boolean> {
  let ok = true
  // src/ itself first: when it fails, nothing else means much.
  for (const step of STEPS) {
    const result = await referencePasses(step)
    report(result)
    ok &&= result.ok
  }
  for (const step of STEPS) {
    const result = await starterFails(step)
    report(result)
    ok &&= result.ok
  }
  const solved = await solvedStarterPasses()
  report(solved)
  ok &&= solved.ok
  if (options.mistakes === 'measure') {
    const mistakes = await mistakesCaught()
    report(mistakes)
    ok &&= mistakes.ok
  }
  return ok
}
