/**
 * An in-memory `CliIO` for tests: stdin is a fixed string, key presses a fixed list,
 * and everything written is kept for assertions.
 */

import type { CliIO } from './io.ts'

export interface MemoryIOOptions {
  /** What stdin holds. Default: nothing (an empty, closed stream). */
  stdin?: string
  /** The keys a person will press, in order; after the last, stdin has ended. */
  keys?: readonly string[]
  stdinIsTTY?: boolean
  stdoutIsTTY?: boolean
  /** The terminal's width. Default: undefined, as for a pipe. */
  columns?: number
  /** The terminal's height. Default: undefined, as for a pipe. */
  rows?: number
}

export interface MemoryIO extends CliIO {
  /** Everything written to stdout so far. */
  stdout(): string
  /** Everything written to stderr so far. */
  stderr(): string
  /** How many times a program waited for a key. */
  keysRead(): number
}

export function createMemoryIO(options: MemoryIOOptions = {}): MemoryIO {
  const input = options.stdin ?? ''
  const keys = options.keys ?? []
  let stdout = ''
  let stderr = ''
  let keysRead = 0
  return {
    out(text: string): void {
      stdout += text
    },
    err(text: string): void {
      stderr += text
    },
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stdinIsTTY: options.stdinIsTTY ?? false,
    columns: options.columns,
    rows: options.rows,
    async readAll(limitBytes: number): Promise<string | undefined> {
      return Buffer.byteLength(input) > limitBytes ? undefined : input
    },
    async readKey(): Promise<string | undefined> {
      const key = keys[keysRead]
      keysRead++
      return key
    },
    stdout(): string {
      return stdout
    },
    stderr(): string {
      return stderr
    },
    keysRead(): number {
      return keysRead
    },
  }
}
