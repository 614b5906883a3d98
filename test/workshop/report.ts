/**
 * What the workshop prints: a verification's outcome (the counterexample, what was
 * expected, how to replay it), the progress bar and the step list. Pure functions from
 * data to text, so the tests can read exactly what a participant reads.
 */

import type { Palette } from '../programs/kit/colour.ts'
import type { Progress } from './progress.ts'
import type { StepRun } from './runner.ts'
import { CORE_STEPS, type RegionRef, STEPS, type Step, stepOfTodo, verifyCommand } from './steps.ts'

/** Byte arrays longer than this are cut in reports. */
const SHOWN_ARRAY_ITEMS = 16
/** So are lines longer than this: a 64 KiB token helps nobody. */
const MAX_LINE = 600

/** `Uint8Array.from([…])` with more than SHOWN_ARRAY_ITEMS items, cut to those and a count. */
function shortArrays(line: string): string {
  return line.replace(
    /Uint8Array\.from\(\[([0-9,]*)\]\)/g,
    function shortArray(whole, items: string) {
      const values = items === '' ? [] : items.split(',')
      if (values.length <= SHOWN_ARRAY_ITEMS) return whole
      return `Uint8Array.from([${values.slice(0, SHOWN_ARRAY_ITEMS).join(',')},… ${values.length} bytes])`
    },
  )
}

/**
 * The differential suite's words, for a participant: it speaks of its divergence
 * ledger, and of a tampered token as "accepted" without saying what was expected.
 */
export function plainWords(line: string): string {
  return line
    .replace(
      'unexplained divergence (no ledger row): ',
      'ours and jose give different verdicts, and docs/divergences.md lists no reason they may: ',
    )
    .replace(
      /ledger rows ([^:]+?) expect ([A-Z_/]+): /,
      'docs/divergences.md ($1) allows only $2 here: ',
    )
    .replace(
      /(tampered (?:jws|jwe) ".*"): accepted$/,
      '$1: ours accepted it; expected a rejection with a typed error (ERR_…), as for every token changed after it was made',
    )
}

/**
 * fast-check's report, made readable: no stack frames, no vitest replay line (the
 * workshop prints its own), long byte arrays cut to their first items and a count,
 * and lines cut after `maxLine` characters.
 */
export function compactReport(message: string, maxLine = MAX_LINE): string {
  const lines: string[] = []
  for (const raw of message.split('\n')) {
    // fast-check's list of every failure met while shrinking: noise for a participant.
    if (raw.startsWith('Encountered failures were')) break
    if (/^\s+at /.test(raw)) continue
    // Seed and path: the replay lines printed below say them in a form to copy.
    if (/^\{ seed: -?\d+, path: /.test(raw)) continue
    if (/^\S+ failed\. Replay: FC_SEED=/.test(raw)) continue
    const line = plainWords(shortArrays(raw))
    lines.push(
      line.length > maxLine
        ? `${line.slice(0, maxLine)}… (${line.length - maxLine} more characters)`
        : line,
    )
  }
  return lines.join('\n').trimEnd()
}

/** A bar of `width` cells, `done` of `total` filled. */
export function progressBar(done: number, total: number, width = 28): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width)
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n')
}

/** The replay commands for a failed property: the whole step, and the one case. */
export function replayLines(step: Step, run: StepRun): string[] {
  const last = run.results.at(-1)
  if (last === undefined || !last.report.failed) return []
  const seed = last.report.seed
  const lines = [`FC_SEED=${seed} ${verifyCommand(step)}`]
  if (last.report.path !== null) {
    lines.push(
      `FC_SEED=${seed} FC_PATH="${last.report.path}" ${verifyCommand(step)} --only ${last.id}`,
    )
  }
  return lines
}

/** The full text printed after `verify N`. */
export function formatRun(run: StepRun, palette: Palette): string {
  const { step } = run
  const out: string[] = []
  const name = step.id === 'bonus' ? 'bonus step' : `step ${step.id}`
  out.push(palette.bold(`${name}: ${step.title}`))
  const notStarted = stepsOf(run.filled)
  if (notStarted.length > 0) {
    out.push(
      palette.dim(
        `(not started yet, so taken from src/ for this run: step${notStarted.length === 1 ? '' : 's'} ${notStarted.join(', ')})`,
      ),
    )
  }
  if (run.loadError !== undefined) {
    out.push(palette.red('✗ could not run your code:'), indent(compactReport(run.loadError)))
    return out.join('\n')
  }
  for (const result of run.results) {
    const runs = `${result.report.numRuns} run${result.report.numRuns === 1 ? '' : 's'}`
    if (!result.report.failed) {
      out.push(`${palette.green('✓')} ${result.id} ${palette.dim(`(${runs})`)}`)
      if (result.report.note !== undefined && result.report.note !== '')
        out.push(indent(compactReport(result.report.note)))
      continue
    }
    out.push(`${palette.red('✗')} ${result.id}: ${result.title}`)
    const todo = stepOfTodo(result.report.message)
    if (todo !== undefined) {
      const match = /TODO\([^)]*\):[^\n;'"]*/.exec(result.report.message)
      out.push(
        indent(
          todo.id === step.id
            ? `Your code still throws its TODO: ${match?.[0] ?? ''}`
            : `This step calls step ${todo.id}'s code, which you started but which still throws a TODO: ${match?.[0] ?? ''}`,
        ),
      )
      continue
    }
    out.push(indent(compactReport(result.report.message)))
    out.push('', `    Replay this exact case (or paste these lines when you ask for help):`)
    for (const line of replayLines(step, run)) out.push(`      ${palette.cyan(line)}`)
  }
  if (run.passed) {
    out.push(palette.green(`${name} verified.`))
  }
  return out.join('\n')
}

/** `3/7 steps verified` with a bar, the list of steps, and what to do next. */
export function formatStatus(progress: Progress, palette: Palette, folder = 'workshop'): string {
  const done = CORE_STEPS.filter((step) => progress.verified[step.id] !== undefined).length
  const out: string[] = []
  const percent = Math.round((done / CORE_STEPS.length) * 100)
  out.push(
    `${palette.bold(`${done}/${CORE_STEPS.length} steps verified`)} ${progressBar(done, CORE_STEPS.length)} ${percent}%`,
    '',
  )
  for (const step of STEPS) {
    const verified = progress.verified[step.id] !== undefined
    const mark = verified ? palette.green('✓') : palette.dim('·')
    const label = step.id === 'bonus' ? 'bonus' : `${step.id}    `.slice(0, 5)
    out.push(`  ${mark} ${label} ${step.title} ${palette.dim(`(${step.chapter})`)}`)
  }
  out.push('')
  const next = STEPS.find((step) => progress.verified[step.id] === undefined)
  if (next === undefined) {
    out.push(
      palette.green(
        'Every step verified, the bonus too. `npm run workshop -- solution N` compares yours with src/.',
      ),
    )
  } else {
    const name = next.id === 'bonus' ? 'the bonus step' : `step ${next.id}`
    const where =
      next.id === 'bonus'
        ? `${folder}/bonus/property.ts`
        : filesOf(next)
            .map((f) => `${folder}/src/${f}`)
            .join(', ')
    out.push(
      `Next: ${palette.bold(`${name}, ${next.title}`)}`,
      `  read   ${next.chapter}`,
      `  edit   ${where}`,
      `  check  ${palette.cyan(verifyCommand(next))}   (add --watch to re-run on every save)`,
      `  stuck? ${palette.cyan(`npm run workshop -- hint ${next.id}`)}`,
    )
  }
  return out.join('\n')
}

/** The ids of the steps that `refs` belong to, in step order. */
function stepsOf(refs: readonly RegionRef[]): string[] {
  const ids: string[] = []
  for (const step of CORE_STEPS) {
    const owns = refs.some((ref) =>
      step.regions.some((own) => own.file === ref.file && own.region === ref.region),
    )
    if (owns) ids.push(step.id)
  }
  return ids
}

function filesOf(step: Step): string[] {
  const files: string[] = []
  for (const ref of step.regions) {
    if (!files.includes(ref.file)) files.push(ref.file)
  }
  return files
}
