/**
 * The workshop's command line (npm run workshop -- <command>). docs/workshop.md is the
 * manual; `help` prints the summary below. `main` takes its output channels and
 * environment as arguments, so the tests run commands in-process and read exactly
 * what a participant reads.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommandLine } from '../programs/kit/args.ts'
import { type Env, type Palette, paletteFor } from '../programs/kit/colour.ts'
import { EXIT } from '../programs/kit/exit.ts'
import { UsageError } from '../programs/kit/main.ts'
import { configureWorkshopRuns, globalNumRuns } from './config.ts'
import { lineDiff } from './diff.ts'
import { type GuardResult, runGuards, timingTable } from './guards.ts'
import { HINTS, hintsShown, nextHint } from './hints.ts'
import {
  DEFAULT_WORKSHOP_DIR,
  layoutOf,
  REFERENCE_SRC,
  REPO_ROOT,
  type WorkshopLayout,
} from './paths.ts'
import {
  emptyProgress,
  forgetVerified,
  readProgress,
  recordVerified,
  srcFingerprint,
  writeProgress,
} from './progress.ts'
import { formatRun, formatStatus, progressBar } from './report.ts'
import { type RunOptions, runStepOn, type StepRun, verifyStep } from './runner.ts'
import {
  participantRegionText,
  referenceRegionText,
  resetStep,
  sourceFiles,
  writeStarter,
} from './starter.ts'
import { CORE_STEPS, findStep, REGION_STEPS, type Step, verifyCommand } from './steps.ts'
import { CHILD_MARK, DEFAULT_TIMEOUT_SECONDS, runCliWithTimeout } from './timeout.ts'
import { typeErrors } from './typecheck.ts'
import { watchStep } from './watch.ts'

export const HELP = `Usage: npm run workshop -- [COMMAND] [STEP] [options]

jose-by-hand workshop (docs/workshop.md)

  npm run workshop                          progress, and the next step
  npm run workshop:init [-- --force]        create workshop/ (never overwrites without --force)
  npm run workshop -- verify N [--watch]    check step N (1-7, bonus or ghash) against jose
  npm run workshop -- hint N [--all]        the next hint for step N (--all: every hint read so far)
  npm run workshop -- reset N               put step N's TODOs back (your version goes to .trash/)
  npm run workshop -- solution N            your code next to the reference, once you verified it
  npm run workshop:check [-- --write]       facilitators: src/ passes, starters fail, mistakes caught, timings

Every command takes --dir <folder> (default workshop/) and -h, --help.
Environment: FC_NUM_RUNS (runs per property, default 100), FC_SEED and FC_PATH (replay).`

/** Options every command takes. */
const COMMON = {
  help: { type: 'boolean', short: 'h' },
  dir: { type: 'string' },
} as const

interface CommandSpec {
  readonly usage: string
  readonly options: Readonly<Record<string, { type: 'boolean' | 'string'; short?: string }>>
  /** Whether the command takes a step (1-7, bonus). */
  readonly step: 'required' | 'none'
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  status: { usage: 'npm run workshop [-- --dir <folder>]', options: {}, step: 'none' },
  init: {
    usage:
      'npm run workshop:init [-- --force] [--dir <folder>]\n  --force  start again; your files are copied to .trash/ first',
    options: { force: { type: 'boolean' } },
    step: 'none',
  },
  verify: {
    usage: `npm run workshop -- verify N [options]     N = 1 to 7, bonus or ghash
  --watch            verify again after every save, and move on when a step passes
  --only <property>  one property (with FC_PATH: one case)
  --against src      the same properties on the reference solution
  --timeout <s>      stop a run after s seconds (default ${DEFAULT_TIMEOUT_SECONDS})`,
    options: {
      watch: { type: 'boolean' },
      only: { type: 'string' },
      against: { type: 'string' },
      timeout: { type: 'string' },
    },
    step: 'required',
  },
  hint: {
    usage:
      'npm run workshop -- hint N [--all]\n  --all  every hint of step N read so far, without reading a new one',
    options: { all: { type: 'boolean' } },
    step: 'required',
  },
  reset: {
    usage: "npm run workshop -- reset N     step N's TODOs back; your version goes to .trash/",
    options: {},
    step: 'required',
  },
  solution: {
    usage:
      'npm run workshop -- solution N  your code and the reference, as a diff (once step N passed)',
    options: {},
    step: 'required',
  },
  check: {
    usage:
      'npm run workshop:check [-- --write]\n  --write  also put the measured timings into docs/workshop.md',
    options: { write: { type: 'boolean' } },
    step: 'none',
  },
  help: { usage: 'npm run workshop -- help', options: {}, step: 'none' },
}

/** Where a command writes, and what it may read of its environment. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  readonly env: Env
  readonly isTTY: boolean
  readonly cwd: string
}

interface Arguments {
  readonly command: string
  readonly step: string | undefined
  readonly flags: ReadonlySet<string>
  readonly dir: string
  readonly only: string | undefined
  readonly against: string | undefined
  readonly timeout: string | undefined
}

/**
 * Reads the command line strictly: the command first, then only the options that
 * command takes. A typo (`--wach`) is refused with the command's usage, never ignored.
 */
function parseArguments(argv: readonly string[]): Arguments {
  const first = argv[0]
  const command = first === undefined || first.startsWith('-') ? 'status' : first
  const rest = command === first ? argv.slice(1) : argv
  const spec = COMMANDS[command]
  if (spec === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  const line = parseCommandLine(
    rest,
    { ...COMMON, ...spec.options },
    { maxPositionals: spec.step === 'required' ? 1 : 0 },
  )
  const flags = new Set<string>()
  for (const [name, value] of Object.entries(line.values))
    if (value === true) flags.add(`--${name}`)
  const text = (name: string): string | undefined => {
    const value = line.values[name]
    return typeof value === 'string' ? value : undefined
  }
  return {
    command,
    step: line.positionals[0],
    flags,
    dir: text('dir') ?? DEFAULT_WORKSHOP_DIR,
    only: text('only'),
    against: text('against'),
    timeout: text('timeout'),
  }
}

/** One command's context: its arguments, its folder, its output. */
interface Context {
  readonly args: Arguments
  readonly layout: WorkshopLayout
  readonly io: CliIo
  readonly palette: Palette
}

function print(context: Context, text: string): void {
  context.io.out(`${text}\n`)
}

function fail(context: Context, text: string): number {
  context.io.err(`${context.palette.red(text)}\n`)
  return 1
}

/** A path as the participant would type it: relative to where they are. */
function shown(context: Context, path: string): string {
  const rel = relative(context.io.cwd, path)
  return rel === '' ? '.' : rel
}

function requireStep(context: Context): Step | undefined {
  const step = findStep(context.args.step)
  if (step === undefined) {
    const given =
      context.args.step === undefined ? 'none given' : `got ${JSON.stringify(context.args.step)}`
    fail(context, `Which step? Give 1 to 7, bonus or ghash (${given}).`)
  }
  return step
}

function requireInitialised(context: Context): boolean {
  if (existsSync(context.layout.src)) return true
  fail(
    context,
    `${shown(context, context.layout.dir)}/ has no starter yet: run npm run workshop:init first.`,
  )
  return false
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

function status(context: Context): number {
  const { layout, palette } = context
  if (!existsSync(layout.src)) {
    print(
      context,
      `${palette.bold('jose-by-hand workshop')}: not started. Run ${palette.cyan('npm run workshop:init')}, then read docs/workshop.md.`,
    )
    return 0
  }
  const progress = readProgress(layout)
  print(context, formatStatus(progress, palette, shown(context, layout.dir)))
  if (progress.srcFingerprint !== '' && progress.srcFingerprint !== srcFingerprint()) {
    print(
      context,
      palette.yellow(
        '\nsrc/ has changed since your starter was generated: if a step fails for no reason you can see, `reset N` that step.',
      ),
    )
  }
  return 0
}

function init(context: Context): number {
  const { layout, palette, args } = context
  const force = args.flags.has('--force')
  const hadProgress = existsSync(layout.progress)
  const result = writeStarter(layout, {
    steps: REGION_STEPS,
    existing: force ? 'overwrite' : 'keep',
  })
  if (force || !hadProgress) writeProgress(layout, emptyProgress())
  for (const path of result.written)
    print(context, `${palette.green('wrote')} ${shown(context, path)}`)
  if (result.kept.length > 0) {
    print(
      context,
      palette.yellow(
        `kept ${result.kept.length} existing file(s) untouched: your work is never overwritten. ` +
          'To start again from scratch: npm run workshop:init -- --force (your files are copied to .trash/ first).',
      ),
    )
  }
  if (force)
    print(
      context,
      palette.dim(`previous files, if any, copied to ${shown(context, layout.trash)}/`),
    )
  print(
    context,
    `\nNext: read docs/workshop.md; ${palette.cyan('npm run workshop')} shows where to start.`,
  )
  return 0
}

function runOptions(context: Context): RunOptions | string {
  const { env } = context.io
  const { only } = context.args
  const options: { numRuns?: number; seed?: number; path?: string; only?: string } = {}
  // Read here as well as in test/setup.ts, so that `main` honours the environment it
  // is given (the tests run it in-process with their own).
  const runs = env.FC_NUM_RUNS
  if (runs !== undefined && runs !== '') {
    if (!Number.isSafeInteger(Number(runs)) || Number(runs) < 1)
      return `FC_NUM_RUNS must be a positive integer, got ${runs}`
    options.numRuns = Number(runs)
  }
  const seed = env.FC_SEED
  if (seed !== undefined && seed !== '') {
    if (!Number.isSafeInteger(Number(seed))) return `FC_SEED must be an integer, got ${seed}`
    options.seed = Number(seed)
  }
  const path = env.FC_PATH
  if (path !== undefined && path !== '') {
    if (only === undefined)
      return 'FC_PATH replays one property: add --only <property id> (the replay line printed it).'
    options.path = path
  }
  if (only !== undefined) options.only = only
  const timeout = context.args.timeout
  if (timeout !== undefined && !(Number(timeout) > 0))
    return `--timeout takes a number of seconds above 0, got ${timeout}`
  return options
}

async function verify(context: Context): Promise<number> {
  const { args, layout, palette } = context
  const step = requireStep(context)
  if (step === undefined) return 1
  const options = runOptions(context)
  if (typeof options === 'string') return fail(context, options)
  if (args.against !== undefined && args.against !== 'src')
    return fail(context, '--against takes one value: src (the reference solution).')
  if (args.flags.has('--watch')) return watch(context, step)
  let run: StepRun
  if (args.against === 'src') {
    run = await runStepOn(step, REFERENCE_SRC, options)
  } else {
    if (!requireInitialised(context)) return 1
    const errors = participantTypeErrors(context, step)
    if (errors.length > 0) {
      if (options.only === undefined) forgetVerified(layout, step.id)
      return fail(
        context,
        `step ${step.id}: your code does not type-check (npm test runs the same check on src/):\n${errors.map((line) => `  ${line}`).join('\n')}`,
      )
    }
    run = await verifyStep(layout, step, options)
  }
  print(context, formatRun(run, palette))
  const recorded = args.against === undefined && options.only === undefined
  if (!run.passed) {
    // Progress shows the latest result: a step that passed once and fails now is not done.
    if (recorded && readProgress(layout).verified[step.id] !== undefined) {
      forgetVerified(layout, step.id)
      print(context, palette.yellow(`Step ${step.id} no longer counts as verified.`))
    }
    return 1
  }
  if (recorded) recordPass(context, step, run)
  return 0
}

/** The type errors in the participant's files that `step` runs (src/, or the bonus file). */
function participantTypeErrors(context: Context, step: Step): string[] {
  const { layout } = context
  const files =
    step.id === 'bonus'
      ? [layout.bonusProperty]
      : sourceFiles(layout.src).map((name) => join(layout.src, name))
  return typeErrors(files.filter(existsSync), context.io.cwd)
}

function recordPass(context: Context, step: Step, run: StepRun): void {
  const { layout, palette } = context
  const seeds: Record<string, number> = {}
  for (const result of run.results) seeds[result.id] = result.report.seed
  const numRuns = run.results[0]?.report.numRuns ?? globalNumRuns()
  const progress = recordVerified(layout, step.id, {
    at: new Date().toISOString(),
    numRuns,
    seeds,
  })
  const done = CORE_STEPS.filter((s) => progress.verified[s.id] !== undefined).length
  print(
    context,
    `\n${done}/${CORE_STEPS.length} steps verified ${progressBar(done, CORE_STEPS.length)}`,
  )
  const next = CORE_STEPS.find((s) => progress.verified[s.id] === undefined)
  if (next !== undefined) {
    print(
      context,
      `Next: step ${next.id}, ${next.title}: read ${next.chapter}, then ${palette.cyan(verifyCommand(next))}`,
    )
  } else if (progress.verified.bonus === undefined) {
    print(
      context,
      `All seven verified. The bonus: ${palette.cyan('npm run workshop -- verify bonus')} (docs/workshop.md, "Bonus").`,
    )
  }
}

async function watch(context: Context, step: Step): Promise<number> {
  if (!requireInitialised(context)) return 1
  const passOn = context.args.only === undefined ? [] : ['--only', context.args.only]
  if (context.args.timeout !== undefined) passOn.push('--timeout', context.args.timeout)
  const handle = watchStep(context.layout, step, (line) => print(context, line), {
    args: passOn,
  })
  return new Promise<number>(function untilInterrupted(done): void {
    process.once('SIGINT', function stop(): void {
      handle.close()
      done(0)
    })
  })
}

function hint(context: Context): number {
  const step = requireStep(context)
  if (step === undefined) return 1
  const { palette } = context
  if (context.args.flags.has('--all')) {
    const read = hintsShown(context.layout, step.id)
    if (read === 0) {
      print(context, `No hint of step ${step.id} read yet: npm run workshop -- hint ${step.id}`)
      return 0
    }
    const hints = HINTS[step.id]
    for (let i = 0; i < read; i++) {
      print(context, `${palette.bold(`Hint ${i + 1}/${hints.length} for step ${step.id}`)}\n`)
      print(context, `${hints[i]}\n`)
    }
    if (read < hints.length)
      print(
        context,
        palette.dim(`${hints.length - read} more: npm run workshop -- hint ${step.id}`),
      )
    return 0
  }
  const next = nextHint(context.layout, step.id)
  print(
    context,
    `${palette.bold(`Hint ${next.number}/${next.total} for step ${step.id}`)} (${step.chapter})\n`,
  )
  print(context, next.text)
  print(
    context,
    palette.dim(
      next.last
        ? '\nThat was the last hint. Still stuck? Ask, and paste your replay line (docs/workshop.md, "Asking for help").'
        : `\nRun the same command again for hint ${next.number + 1}.`,
    ),
  )
  return 0
}

function reset(context: Context): number {
  const step = requireStep(context)
  if (step === undefined) return 1
  if (!requireInitialised(context)) return 1
  let saved: string[]
  try {
    saved = resetStep(context.layout, step)
  } catch (error) {
    return fail(context, error instanceof Error ? error.message : String(error))
  }
  forgetVerified(context.layout, step.id)
  const what =
    step.id === 'bonus'
      ? shown(context, context.layout.bonusProperty)
      : step.regions.map((r) => `${r.file}#${r.region}`).join(', ')
  print(context, `Step ${step.id} is back to its starter: ${what}. Other steps are untouched.`)
  for (const path of saved)
    print(context, context.palette.dim(`your previous version: ${shown(context, path)}`))
  return 0
}

function solution(context: Context): number {
  const step = requireStep(context)
  if (step === undefined) return 1
  const { palette, layout } = context
  if (readProgress(layout).verified[step.id] === undefined) {
    return fail(
      context,
      `The solution of step ${step.id} is shown once your code passes: ${verifyCommand(step)}`,
    )
  }
  if (step.id === 'bonus') {
    print(context, palette.dim('── test/workshop/bonus/solution.ts ──'))
    print(context, readFileSync(new URL('./bonus/solution.ts', import.meta.url), 'utf8'))
    return 0
  }
  print(
    context,
    palette.dim(
      `Lines marked - are only in yours (${shown(context, layout.src)}/), + only in the reference (src/). Other spellings are fine: the properties are the judge.`,
    ),
  )
  for (const ref of step.regions) {
    print(context, palette.bold(`\n── ${ref.file}#${ref.region}: yours (-) and src/ (+) ──`))
    const yours = participantRegionText(layout, ref)
    if (yours === undefined) {
      print(
        context,
        palette.yellow('(your region markers are gone: reset the step to get them back)'),
      )
      print(context, referenceRegionText(ref))
      continue
    }
    for (const line of lineDiff(yours, referenceRegionText(ref))) {
      if (line.kind === 'same') print(context, `  ${line.text}`)
      else if (line.kind === 'yours') print(context, palette.red(`- ${line.text}`))
      else print(context, palette.green(`+ ${line.text}`))
    }
  }
  return 0
}

const TIMINGS_START =
  '<!-- check-timings:start (generated by npm run workshop:check -- --write) -->'
const TIMINGS_END = '<!-- check-timings:end -->'

async function check(context: Context): Promise<number> {
  const { palette } = context
  print(context, `Workshop guards and dry run for ${shown(context, REPO_ROOT)}:`)
  const dryRun = await runGuards(function reportGuard(result: GuardResult): void {
    print(context, `${result.ok ? palette.green('✓') : palette.red('✗')} ${result.name}`)
    if (!result.ok) print(context, result.detail.replace(/^/gm, '    '))
  })
  const table = timingTable(dryRun)
  print(context, `\nTimings (seconds on this machine, FC_NUM_RUNS=${globalNumRuns()}):\n${table}`)
  if (context.args.flags.has('--write')) {
    const page = join(REPO_ROOT, 'docs', 'workshop.md')
    const text = readFileSync(page, 'utf8')
    const start = text.indexOf(TIMINGS_START)
    const end = text.indexOf(TIMINGS_END)
    if (start === -1 || end === -1)
      return fail(context, `${page} has no ${TIMINGS_START} … ${TIMINGS_END} markers`)
    const block = `${TIMINGS_START}\n\n${table}\n\n`
    writeFileSync(page, text.slice(0, start) + block + text.slice(end))
    print(context, palette.dim(`wrote the timings into ${shown(context, page)}`))
  }
  print(context, dryRun.ok ? palette.green('All guards hold.') : palette.red('A guard failed.'))
  return dryRun.ok ? 0 : 1
}

/** Runs one command; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  configureWorkshopRuns()
  const palette = paletteFor({ env: io.env, isTTY: io.isTTY })
  let args: Arguments
  try {
    args = parseArguments(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    const first = argv[0] ?? 'status'
    const usage = COMMANDS[first]?.usage ?? HELP
    io.err(`${palette.red(`workshop: ${error.message}`)}\n\n${usage}\n`)
    return EXIT.USAGE
  }
  const context: Context = {
    args,
    layout: layoutOf(resolve(io.cwd, args.dir)),
    io,
    palette,
  }
  if (args.flags.has('--help')) {
    print(context, args.command === 'status' ? HELP : `${COMMANDS[args.command]?.usage}`)
    return 0
  }
  switch (args.command) {
    case 'status':
      return status(context)
    case 'init':
      return init(context)
    case 'verify':
      return verify(context)
    case 'hint':
      return hint(context)
    case 'reset':
      return reset(context)
    case 'solution':
      return solution(context)
    case 'check':
      return check(context)
    case 'help':
      print(context, HELP)
      return 0
    default:
      return fail(context, `Unknown command ${JSON.stringify(args.command)}.\n\n${HELP}`)
  }
}

/**
 * `verify` (without --watch) started from a terminal runs in a child process with a
 * time limit (./timeout.ts); the child, marked in its environment, runs it itself.
 */
function limitedSeconds(argv: readonly string[], env: Env): number | undefined {
  if (argv[0] !== 'verify' || argv.includes('--watch') || env[CHILD_MARK] === '1') return undefined
  if (argv.includes('--help') || argv.includes('-h')) return undefined
  const at = argv.indexOf('--timeout')
  const given = at === -1 ? undefined : Number(argv[at + 1])
  return given !== undefined && Number.isFinite(given) && given > 0
    ? given
    : DEFAULT_TIMEOUT_SECONDS
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)

if (invokedDirectly) {
  const argv = process.argv.slice(2)
  const seconds = limitedSeconds(argv, process.env)
  process.exitCode =
    seconds !== undefined
      ? await runCliWithTimeout(argv, seconds)
      : await main(argv, {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
          env: process.env,
          isTTY: process.stdout.isTTY === true,
          cwd: process.cwd(),
        })
}
