/**
 * The process entry point shared by the tour and the inspector: one place that
 * turns every failure into a clear message and an exit code, never a stack trace.
 */

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Env } from './colour.ts'
import { type CliIO, processIO } from './io.ts'

/** Exit codes shared by both programs (each documents them in its --help). */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 3

/**
 * A mistake in how the program was called (unknown option, unreadable key file, …).
 * Its message is written as is, followed by a pointer to --help; exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export type Program = (argv: readonly string[], env: Env, io: CliIO) => Promise<number>

/**
 * Runs `program` with `io`, converting what it throws into an exit code: a
 * `UsageError` is the caller's mistake (2), anything else is a bug of ours (3).
 * Either way the user sees one line, not a stack trace.
 */
export async function runProgram(
  name: string,
  program: Program,
  argv: readonly string[],
  env: Env,
  io: CliIO,
): Promise<number> {
  try {
    return await program(argv, env, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}\nRun with --help for usage.\n`)
      return EXIT_USAGE
    }
    const message = error instanceof Error ? error.message : String(error)
    io.err(`${name}: internal error: ${message}\nThis is a bug in ${name}; please report it.\n`)
    return EXIT_INTERNAL
  }
}

/** True when the module at `moduleUrl` is the script node was asked to run. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl))
  } catch {
    return false
  }
}

/** Runs `program` as the process: real argv, env and streams; sets the exit code. */
export async function main(name: string, program: Program): Promise<void> {
  // Piping into `head` closes stdout early: stop quietly instead of crashing.
  process.stdout.on('error', function onStdoutError(error: NodeJS.ErrnoException): void {
    process.exit(error.code === 'EPIPE' ? Number(process.exitCode ?? EXIT_OK) : EXIT_INTERNAL)
  })
  process.exitCode = await runProgram(
    name,
    program,
    process.argv.slice(2),
    process.env,
    processIO(),
  )
}
