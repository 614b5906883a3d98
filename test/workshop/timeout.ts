/**
 * Every `verify` a participant starts runs in a child process with a time limit: an
 * infinite loop in their code would otherwise hang the command (or the watcher) for
 * good, and a synchronous loop cannot be interrupted from inside its own process.
 */

import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Seconds a run may take: far above a step at 1000 runs (a few seconds), far below "hung". */
export const DEFAULT_TIMEOUT_SECONDS = 120

/** Set in a child's environment: the child runs the command itself, without a new limit. */
export const CHILD_MARK = 'JOSE_BY_HAND_WORKSHOP_CHILD'

/** tsx's ESM loader (its package's main export), as a URL any working folder can import. */
export const TSX_LOADER: string = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href

/** A verification run in progress. */
export interface RunningVerify {
  readonly finished: boolean
  stop(): void
}

/** What the participant reads when a run is stopped by its time limit. */
export function timeoutMessage(args: readonly string[], seconds: number): string {
  const what = args.slice(0, 2).join(' ')
  return `${what} was stopped after ${seconds} s: it did not finish in time. Is there a loop in your code that never ends (a counter that is never increased, a while whose condition stays true)? If your code is just slow, give it longer: --timeout <seconds>.`
}

/**
 * Runs this CLI with `args` in a child process that shares the terminal, stopped
 * after `seconds`. `exited` gets the child's exit code (1 after a timeout).
 */
export function spawnCli(
  args: readonly string[],
  seconds: number,
  exited: (code: number | null) => void,
  err: (text: string) => void = (text) => process.stderr.write(text),
): RunningVerify {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
  // tsx's loader, so the child runs TypeScript whatever started this process. Named by
  // its URL: the child's working folder may be one where "tsx" does not resolve.
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_MARK]: '1' },
  })
  let stopped = false
  const timer = setTimeout(function outOfTime(): void {
    stopped = true
    child.kill('SIGKILL')
    err(`${timeoutMessage(args, seconds)}\n`)
    exited(1)
  }, seconds * 1000)
  child.on('exit', function onExit(code, signal): void {
    clearTimeout(timer)
    if (!stopped && signal === null) exited(code)
  })
  return {
    get finished(): boolean {
      return child.exitCode !== null || child.signalCode !== null
    },
    stop(): void {
      stopped = true
      clearTimeout(timer)
      child.kill('SIGKILL')
    },
  }
}

/** `spawnCli` as a promise of the exit code. */
export function runCliWithTimeout(args: readonly string[], seconds: number): Promise<number> {
  return new Promise<number>(function untilExit(resolve): void {
    spawnCli(args, seconds, (code) => resolve(code ?? 1))
  })
}
