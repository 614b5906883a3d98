/**
 * The process entry point every program shares: one place that turns every way a
 * run can end into an exit code and, for a failure, a message a person can act on.
 */

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Env } from './colour.ts'
import { EXIT } from './exit.ts'
import { type CliIO, processIO } from './io.ts'

/**
 * A mistake in how the program was called (an unknown option, an unreadable key
 * file, …): the user's to fix. Reported as one line and the usage, exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface Program {
  /** The name messages start with: "inspect", "tour", "bench". */
  readonly name: string
  /** A few lines: how to call it, and its options. Printed after a usage error. */
  readonly usage: string
  /** Runs once; returns the exit code. Throws UsageError for a mistake in the command line. */
  run(argv: readonly string[], env: Env, io: CliIO): Promise<number>
}

/**
 * Runs `program`, converting what it throws into an exit code: a UsageError is the
 * caller's mistake (2), anything else a bug of ours (70). Neither shows a stack trace.
 */
export async function runProgram(
  program: Program,
  argv: readonly string[],
  env: Env,
  io: CliIO,
): Promise<number> {
  try {
    return await program.run(argv, env, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${program.name}: ${error.message}\n\n${program.usage.trimEnd()}\n`)
      return EXIT.USAGE
    }
    io.err(internalErrorReport(program.name, error))
    return EXIT.INTERNAL
  }
}

/** A few lines about a bug: what was thrown, where, and what to do about it. */
export function internalErrorReport(name: string, error: unknown): string {
  const kind = error instanceof Error ? error.name : typeof error
  const message = error instanceof Error ? error.message : String(error)
  const lines = [`${name}: internal error (a bug in ${name}, not a mistake of yours)`]
  lines.push(`  ${kind}: ${message}`)
  // The innermost frame says where; the rest of the stack is for a debugger.
  const frame = error instanceof Error ? error.stack?.split('\n').find(isStackFrame) : undefined
  if (frame !== undefined) lines.push(`  ${frame.trim()}`)
  lines.push(`  node ${process.version}. Please report it with the command you ran.`)
  return `${lines.join('\n')}\n`
}

function isStackFrame(line: string): boolean {
  return line.trimStart().startsWith('at ')
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

/** Runs `program` as the process: real argv, environment and streams; sets the exit code. */
export async function runMain(program: Program): Promise<void> {
  // Piping into `head` closes stdout early: stop quietly instead of crashing.
  process.stdout.on('error', function onStdoutError(error: NodeJS.ErrnoException): void {
    process.exit(error.code === 'EPIPE' ? Number(process.exitCode ?? EXIT.OK) : EXIT.INTERNAL)
  })
  process.exitCode = await runProgram(program, process.argv.slice(2), process.env, processIO())
}
