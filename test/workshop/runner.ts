/**
 * Running a step: load an implementation from a folder, pick the step's properties,
 * run them in order and stop at the first failure.
 *
 * A participant's folder is never imported in place. It is copied to a fresh scratch
 * folder first, for two reasons: every run gets new module URLs (so a re-run after an
 * edit, as in watch mode, loads the edited code and not a cached module), and the
 * regions of steps the participant has not started yet can be filled in from src/ in
 * the copy. That fill-in is what lets steps be verified in any order, or skipped in a
 * short session: step 5 uses AES-GCM, whose code is step 6's, and a participant at
 * step 5 has not written it yet.
 */

import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import fc from 'fast-check'
import * as manual from 'jose-by-hand'
import {
  type CheckParameters,
  type CheckReport,
  differentialProperties,
  type Src,
} from '../differential/properties.ts'
import { naiveVerify, type Verifier } from './bonus/naive-verifier.ts'
import { REFERENCE_SRC, type WorkshopLayout } from './paths.ts'
import { focusedProperties, type StepProperty, type StepReport, type Target } from './properties.ts'
import { copyForRun } from './starter.ts'
import type { RegionRef, Step } from './steps.ts'

/** Imports the implementation in `srcDir` (a copy of src/): its public API and internals. */
export async function loadTarget(srcDir: string): Promise<Target> {
  const load = (file: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(join(srcDir, file)).href) as Promise<Record<string, unknown>>
  const [index, hmac, gcm, gf128, ghash] = await Promise.all([
    load('index.ts'),
    load('hmac.ts'),
    load('aes-gcm.ts'),
    load('glass-box/gf128.ts'),
    load('glass-box/ghash.ts'),
  ])
  const subject = { ...index, name: srcDir } as unknown as Src
  const internals = { ...hmac, ...gcm, ...gf128, ...ghash } as unknown as Target['internals']
  return { subject, internals }
}

/** The reference solution, src/ itself. */
export async function loadReference(): Promise<Target> {
  return loadTarget(REFERENCE_SRC)
}

/** Step `step`'s properties against `target`: focused ones first, then differential ones. */
export function stepProperties(step: Step, target: Target): StepProperty[] {
  const focused = focusedProperties(target)
  const differential = differentialProperties(target.subject)
  const chosen: StepProperty[] = []
  for (const id of step.focused) chosen.push(pick(focused, id))
  for (const id of step.differential) chosen.push(pick(differential, id))
  return chosen
}

function pick(properties: readonly StepProperty[], id: string): StepProperty {
  for (const property of properties) {
    if (property.id === id) return property
  }
  throw new Error(`no property "${id}" (test/workshop/steps.ts names one that does not exist)`)
}

export interface RunOptions {
  /** Runs per property; unset: FC_NUM_RUNS through the global fast-check config. */
  readonly numRuns?: number
  readonly seed?: number
  /** Replays one counterexample; needs `only`, because a path belongs to one property. */
  readonly path?: string
  /** Run this property only (its id). */
  readonly only?: string
}

export interface PropertyResult {
  readonly id: string
  readonly title: string
  readonly report: StepReport
}

export interface StepRun {
  readonly step: Step
  /** The properties that ran, in order; the last one failed when `passed` is false. */
  readonly results: readonly PropertyResult[]
  readonly passed: boolean
  /** Regions of other steps filled in from src/ for this run (not started yet). */
  readonly filled: readonly RegionRef[]
  /** Set when the code could not even be loaded (a syntax error, a deleted marker). */
  readonly loadError?: string
}

function parametersFor(id: string, options: RunOptions): CheckParameters {
  const parameters: CheckParameters = {}
  if (options.numRuns !== undefined) parameters.numRuns = options.numRuns
  if (options.seed !== undefined) parameters.seed = options.seed
  if (options.path !== undefined && options.only === id) parameters.path = options.path
  return parameters
}

/** Runs `properties` in order, stopping at the first failure. */
export async function runProperties(
  step: Step,
  properties: readonly StepProperty[],
  options: RunOptions,
  filled: readonly RegionRef[] = [],
): Promise<StepRun> {
  const results: PropertyResult[] = []
  for (const property of properties) {
    if (options.only !== undefined && property.id !== options.only) continue
    const report = await property.check(parametersFor(property.id, options))
    results.push({ id: property.id, title: property.title, report })
    if (report.failed) return { step, results, passed: false, filled }
  }
  if (results.length === 0) {
    const message = `step ${step.id} has no property "${options.only}"`
    return { step, results, passed: false, filled, loadError: message }
  }
  return { step, results, passed: true, filled }
}

/** Runs a core step against the implementation in `srcDir`, loaded as it is. */
export async function runStepOn(step: Step, srcDir: string, options: RunOptions): Promise<StepRun> {
  let target: Target
  try {
    target = await loadTarget(srcDir)
  } catch (error) {
    return { step, results: [], passed: false, filled: [], loadError: describeError(error) }
  }
  return runProperties(step, stepProperties(step, target), options)
}

let runCounter = 0

/** A scratch folder for one run, unique within and across processes. */
function scratchFolder(layout: WorkshopLayout): string {
  runCounter++
  return join(layout.runs, `${process.pid}-${Date.now()}-${runCounter}`)
}

/**
 * Verifies a step of a participant's folder: copies it (filling in steps not started),
 * loads the copy, runs the step's properties, deletes the copy.
 */
export async function verifyStep(
  layout: WorkshopLayout,
  step: Step,
  options: RunOptions,
): Promise<StepRun> {
  if (step.id === 'bonus') return verifyBonus(layout, step, options)
  if (!existsSync(layout.src)) {
    const loadError = `${layout.src} does not exist: run npm run workshop:init first`
    return { step, results: [], passed: false, filled: [], loadError }
  }
  const scratch = scratchFolder(layout)
  try {
    let filled: RegionRef[]
    try {
      filled = copyForRun(layout, step, join(scratch, 'src'))
    } catch (error) {
      return { step, results: [], passed: false, filled: [], loadError: describeError(error) }
    }
    const run = await runStepOn(step, join(scratch, 'src'), options)
    return participantPaths({ ...run, filled }, join(scratch, 'src'), layout.src)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * `run` with every mention of the scratch copy replaced by the participant's folder:
 * a syntax error at `…/.runs/25856-…/src/base64url.ts:55` is at line 55 of *their*
 * base64url.ts, and that is the file they must open.
 */
function participantPaths(run: StepRun, scratch: string, participant: string): StepRun {
  const fix = (text: string): string =>
    text
      .replaceAll(pathToFileURL(scratch).href, pathToFileURL(participant).href)
      .replaceAll(scratch, participant)
  const results = run.results.map((result) => ({
    ...result,
    report: { ...result.report, message: fix(result.report.message) },
  }))
  const fixed: StepRun = { ...run, results }
  return run.loadError === undefined ? fixed : { ...fixed, loadError: fix(run.loadError) }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return String(error)
}

// ---------------------------------------------------------------------------------------
// The bonus step: the participant writes a property, and it is the thing under test
// ---------------------------------------------------------------------------------------

/** src/'s verifier in the bonus step's shape. */
export const srcVerifier: Verifier = function srcVerify(token, key) {
  return manual.verifyCompact(token, key).payload
}

type PropertyFactory = (verify: Verifier) => fc.IRawProperty<unknown>

async function loadBonusProperty(file: string): Promise<PropertyFactory> {
  const module = (await import(pathToFileURL(file).href)) as { property?: unknown }
  if (typeof module.property !== 'function')
    throw new Error(`${file} must export a function named "property"`)
  return module.property as PropertyFactory
}

/** Checks the participant's property with `verify`; `expect` says which verdict is right. */
function bonusCheck(
  factory: PropertyFactory,
  id: string,
  title: string,
  verify: Verifier,
  expect: 'fails' | 'holds',
): StepProperty {
  return {
    id,
    title,
    async check(parameters: CheckParameters = {}): Promise<StepReport> {
      let property: fc.IRawProperty<unknown>
      try {
        property = factory(verify)
      } catch (error) {
        return bonusReport(true, 0, 0, `property() threw: ${describeError(error)}`, null)
      }
      const given: CheckParameters = {}
      if (parameters.numRuns !== undefined) given.numRuns = parameters.numRuns
      if (parameters.seed !== undefined) given.seed = parameters.seed
      if (parameters.path !== undefined) given.path = parameters.path
      const details = await fc.check(property, given)
      if (expect === 'holds') {
        const message = details.failed ? ((await fc.asyncDefaultReportMessage(details)) ?? '') : ''
        const explained = details.failed
          ? `Your property rejects src/'s verifier, which is correct, so it asks for something a correct verifier does not do:\n${message}`
          : ''
        return bonusReport(
          details.failed,
          details.numRuns,
          details.seed,
          explained,
          details.counterexamplePath,
        )
      }
      if (details.failed) {
        const found = (await fc.asyncDefaultReportMessage(details)) ?? ''
        const note = `Caught: the naive verifier fails your property.\n${found}`
        return { ...bonusReport(false, details.numRuns, details.seed, '', null), note }
      }
      const explained = `Your property held for the naive verifier in all ${details.numRuns} runs: it has not caught the bug yet. Hint: npm run workshop -- hint bonus`
      return bonusReport(true, details.numRuns, details.seed, explained, null)
    },
  }
}

function bonusReport(
  failed: boolean,
  numRuns: number,
  seed: number,
  message: string,
  path: string | null,
): CheckReport {
  return { failed, numRuns, numSkips: 0, seed, path, message }
}

/** The bonus step's two checks for the property in `file`. */
export async function bonusProperties(file: string): Promise<StepProperty[]> {
  const factory = await loadBonusProperty(file)
  return [
    bonusCheck(
      factory,
      'bonus/breaks-the-naive-verifier',
      'your property fails on test/workshop/bonus/naive-verifier.ts (it finds the bug)',
      naiveVerify,
      'fails',
    ),
    bonusCheck(
      factory,
      'bonus/holds-for-src',
      "your property holds for src/'s verifyCompact (it asks nothing a correct verifier refuses)",
      srcVerifier,
      'holds',
    ),
  ]
}

/** Runs the bonus step on the property file `file`. */
export async function runBonusOn(step: Step, file: string, options: RunOptions): Promise<StepRun> {
  let properties: StepProperty[]
  try {
    properties = await bonusProperties(file)
  } catch (error) {
    return { step, results: [], passed: false, filled: [], loadError: describeError(error) }
  }
  return runProperties(step, properties, options)
}

async function verifyBonus(
  layout: WorkshopLayout,
  step: Step,
  options: RunOptions,
): Promise<StepRun> {
  if (!existsSync(layout.bonusProperty)) {
    const loadError = `${layout.bonusProperty} does not exist: run npm run workshop:init first`
    return { step, results: [], passed: false, filled: [], loadError }
  }
  return runBonusOn(step, layout.bonusProperty, options)
}
