/**
 * `verify N --watch`: verify once, then again after every save of a participant's
 * source file, and on to the next step once one passes (as rustlings' watch does).
 *
 * Each run is a child process (this same CLI, without --watch) with a time limit, so
 * that a participant's infinite loop is stopped by the limit or by the next save
 * instead of freezing the watcher, and so that every run loads the edited modules
 * afresh.
 *
 * Saves are noticed by polling the files' modification times, not with fs.watch: an
 * editor that saves by writing a temporary file and renaming it over the original
 * replaces the file's inode, and a watch on the old inode goes deaf. Only the
 * participant's `.ts` files under src/ and bonus/ count, so output redirected into
 * the folder (`--watch > workshop/log`) or our own bookkeeping never starts a run.
 * Saves are debounced: an editor that writes a file in several steps triggers one
 * run, not five.
 */

import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { WorkshopLayout } from './paths.ts'
import { readProgress } from './progress.ts'
import { CORE_STEPS, type Step } from './steps.ts'
import { DEFAULT_TIMEOUT_SECONDS, type RunningVerify, spawnCli } from './timeout.ts'

export type { RunningVerify } from './timeout.ts'

const DEBOUNCE_MS = 250
const POLL_MS = 150

/**
 * `true` for files whose changes never start a run: anything but the participant's
 * TypeScript under src/ and bonus/ (bookkeeping, scratch copies, editor backups, logs).
 */
export function isOwnFile(relativePath: string): boolean {
  const path = relativePath.split('\\').join('/')
  const participant = path.startsWith('src/') || path.startsWith('bonus/')
  return !participant || !path.endsWith('.ts')
}

export interface WatchHandle {
  /** Stops watching and ends a run in progress. */
  close(): void
}

/** Starts one `verify` run with these CLI arguments and calls `exited` when it ends. */
export type VerifyStarter = (
  args: readonly string[],
  exited: (code: number | null) => void,
) => RunningVerify

/** The real starter: this same CLI in a child process, sharing the terminal, with a limit. */
export function spawnVerify(
  args: readonly string[],
  exited: (code: number | null) => void,
): RunningVerify {
  const at = args.indexOf('--timeout')
  const given = at === -1 ? Number.NaN : Number(args[at + 1])
  const seconds = Number.isFinite(given) && given > 0 ? given : DEFAULT_TIMEOUT_SECONDS
  return spawnCli(args, seconds, exited)
}

/** The step after `step` still to verify, or undefined when every core step passed. */
export function nextUnverified(layout: WorkshopLayout, step: Step): Step | undefined {
  const progress = readProgress(layout)
  const after = CORE_STEPS.slice(CORE_STEPS.findIndex((s) => s.id === step.id) + 1)
  return [...after, ...CORE_STEPS].find((s) => progress.verified[s.id] === undefined)
}

/** Modification time and size of every participant file, as one comparable string. */
function snapshot(dir: string): string {
  const parts: string[] = []
  for (const folder of ['src', 'bonus']) {
    const path = join(dir, folder)
    if (!existsSync(path)) continue
    for (const name of readdirSync(path, { recursive: true }).map(String).sort()) {
      const file = join(path, name)
      if (isOwnFile(relative(dir, file))) continue
      try {
        const stat = statSync(file)
        parts.push(`${name}:${stat.mtimeMs}:${stat.size}`)
      } catch {
        parts.push(`${name}:gone`)
      }
    }
  }
  return parts.join('\n')
}

export interface WatchOptions {
  /** Extra CLI arguments passed on to every run (for example `--only`). */
  readonly args?: readonly string[]
  readonly start?: VerifyStarter
  /** The step to move on to once `step` passed; undefined stays. */
  readonly next?: (step: Step) => Step | undefined
}

/**
 * Watches the participant's files and re-runs `verify <step>` after each change
 * (debounced). After a run that passed, it moves on to the next step to verify.
 */
export function watchStep(
  layout: WorkshopLayout,
  first: Step,
  log: (line: string) => void,
  options: WatchOptions = {},
): WatchHandle {
  const start = options.start ?? spawnVerify
  const next = options.next ?? ((step: Step) => nextUnverified(layout, step))
  const passOn = options.args ?? []
  let step = first
  let running: RunningVerify | undefined
  let timer: NodeJS.Timeout | undefined
  let seen = snapshot(layout.dir)
  let closed = false

  function run(): void {
    if (running !== undefined && !running.finished) running.stop()
    const current = step
    log(`\n── verify ${current.id} (${new Date().toLocaleTimeString()}) ──`)
    running = start(
      ['verify', current.id, '--dir', layout.dir, ...passOn],
      function exited(code): void {
        if (closed) return
        const following = code === 0 && passOn.length === 0 ? next(current) : undefined
        if (following !== undefined && following.id !== current.id) {
          step = following
          log(
            `── step ${current.id} passed: on to step ${following.id}, ${following.title} (read ${following.chapter}) ──`,
          )
          run()
          return
        }
        log(`── waiting for changes (exit ${code}); Ctrl-C to stop ──`)
      },
    )
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(run, DEBOUNCE_MS)
  }

  const poller = setInterval(function poll(): void {
    const now = snapshot(layout.dir)
    if (now === seen) return
    seen = now
    schedule()
  }, POLL_MS)
  run()
  return {
    close(): void {
      closed = true
      clearInterval(poller)
      if (timer !== undefined) clearTimeout(timer)
      if (running !== undefined && !running.finished) running.stop()
    },
  }
}
