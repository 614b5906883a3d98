/**
 * An in-memory `CliIO` for tests: stdin is a fixed string, and everything written
 * is kept for assertions.
 */

import type { CliIO } from './io.ts'

export interface MemoryIOOptions {
  /** What stdin holds. Default: nothing (an empty, closed stream). */
  stdin?: string
  stdinIsTTY?: boolean
  stdoutIsTTY?: boolean
}

export interface MemoryIO extends CliIO {
  /** Everything written to stdout so far. */
  stdout(): string
  /** Everything written to stderr so far. */
  stderr(): string
  /** How many times a program waited for Enter. */
  linesRead(): number
}

export function createMemoryIO(options: MemoryIOOptions = {}): MemoryIO {
  const input = options.stdin ?? ''
  let stdout = ''
  let stderr = ''
  let linesRead = 0
  // Lines still unread, for readLine: each '\n' ends one.
  let pendingLines = input.split('\n').length - 1
  return {
    out(text: string): void {
      stdout += text
    },
    err(text: string): void {
      stderr += text
    },
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stdinIsTTY: options.stdinIsTTY ?? false,
    async readAll(limitBytes: number): Promise<string | undefined> {
      return Buffer.byteLength(input) > limitBytes ? undefined : input
    },
    async readLine(): Promise<boolean> {
      linesRead++
      if (pendingLines === 0) return false
      pendingLines--
      return true
    },
    stdout(): string {
      return stdout
    },
    stderr(): string {
      return stderr
    },
    linesRead(): number {
      return linesRead
    },
  }
}
