/**
 * `verify N --watch`: verify once, then again after every save in the workshop folder.
 *
 * Each run is a child process (this same CLI, without --watch), so that a participant's
 * infinite loop or a hung run can be stopped by the next save instead of freezing the
 * watcher, and so that every run loads the edited modules afresh. Saves are debounced:
 * an editor that writes a file in several steps triggers one run, not five.
 */

import { type ChildProcess, spawn } from 'node:child_process'
import { type FSWatcher, watch } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { WorkshopLayout } from './paths.ts'
import type { Step } from './steps.ts'

const DEBOUNCE_MS = 250

/** Files whose changes never start a run: our own bookkeeping and scratch copies. */
export function isOwnFile(relativePath: string): boolean {
  const path = relativePath.split('\\').join('/')
  return (
    path === '.progress.json' ||
    path.startsWith('.runs') ||
    path.startsWith('.trash') ||
    path.endsWith('~') ||
    path.endsWith('.swp')
  )
}

export interface WatchHandle {
  /** Stops watching and ends a run in progress. */
  close(): void
}

/** A verification run in progress. */
export interface RunningVerify {
  readonly finished: boolean
  stop(): void
}

/** Starts one `verify` run with these CLI arguments and calls `exited` when it ends. */
export type VerifyStarter = (
  args: readonly string[],
  exited: (code: number | null) => void,
) => RunningVerify

/** The real starter: this same CLI in a child process, sharing the terminal. */
export function spawnVerify(
  args: readonly string[],
  exited: (code: number | null) => void,
): RunningVerify {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
  // process.execArgv carries tsx's loader flags, so the child runs TypeScript too.
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, cli, ...args], {
    stdio: 'inherit',
    env: process.env,
  })
  child.on('exit', function onExit(code, signal): void {
    if (signal === null) exited(code)
  })
  return {
    get finished(): boolean {
      return child.exitCode !== null || child.signalCode !== null
    },
    stop(): void {
      child.kill()
    },
  }
}

/**
 * Watches `layout.dir` and re-runs `verify <step>` after each change (debounced).
 * `args` are extra CLI arguments passed on (for example `--only`).
 */
export function watchStep(
  layout: WorkshopLayout,
  step: Step,
  args: readonly string[],
  log: (line: string) => void,
  start: VerifyStarter = spawnVerify,
): WatchHandle {
  let running: RunningVerify | undefined
  let timer: NodeJS.Timeout | undefined

  function run(): void {
    if (running !== undefined && !running.finished) running.stop()
    log(`\n── verify ${step.id} (${new Date().toLocaleTimeString()}) ──`)
    running = start(['verify', step.id, '--dir', layout.dir, ...args], function exited(code): void {
      log(`── waiting for changes (exit ${code}); Ctrl-C to stop ──`)
    })
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(run, DEBOUNCE_MS)
  }

  const watcher: FSWatcher = watch(
    layout.dir,
    { recursive: true },
    function changed(_event, name): void {
      if (name !== null && isOwnFile(String(name))) return
      schedule()
    },
  )
  run()
  return {
    close(): void {
      watcher.close()
      if (timer !== undefined) clearTimeout(timer)
      if (running !== undefined && !running.finished) running.stop()
    },
  }
}
