/**
 * The terminal as a program sees it: two output streams, stdin, and what kind of
 * device each one is.
 *
 * Programs take a `CliIO` instead of touching `process`, so tests run them in-process
 * against `createMemoryIO` (memory-io.ts) and read exactly what a person would read,
 * without paying for a child process per case.
 */

export interface CliIO {
  /** Writes to stdout. */
  out(text: string): void
  /** Writes to stderr. */
  err(text: string): void
  readonly stdoutIsTTY: boolean
  readonly stdinIsTTY: boolean
  /**
   * How many columns stdout's terminal has, to wrap long values to; `undefined` when
   * stdout is a file or a pipe, where lines are never wrapped (so `grep` finds a token whole).
   */
  readonly columns: number | undefined
  /** How many rows stdout's terminal has, to page by; `undefined` off a terminal. */
  readonly rows: number | undefined
  /**
   * Reads stdin to its end as UTF-8. Returns `undefined` as soon as more than
   * `limitBytes` have arrived, so a runaway pipe cannot exhaust memory.
   */
  readAll(limitBytes: number): Promise<string | undefined>
  /**
   * Waits for one key press on a terminal (raw mode: no Enter needed, and no echo).
   * Returns what the key sends ("\r" for Enter, "q", "\u0003" for Ctrl-C), or
   * `undefined` when stdin has ended.
   */
  readKey(): Promise<string | undefined>
}

/** The real process's streams. */
export function processIO(): CliIO {
  const stdoutIsTTY = process.stdout.isTTY === true
  return {
    out(text: string): void {
      process.stdout.write(text)
    },
    err(text: string): void {
      process.stderr.write(text)
    },
    stdoutIsTTY,
    stdinIsTTY: process.stdin.isTTY === true,
    columns: stdoutIsTTY ? process.stdout.columns : undefined,
    rows: stdoutIsTTY ? process.stdout.rows : undefined,
    readAll: readAllStdin,
    readKey: readKeyFromStdin,
  }
}

async function readAllStdin(limitBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    total += buffer.length
    if (total > limitBytes) {
      process.stdin.destroy()
      return undefined
    }
    chunks.push(buffer)
  }
  // Not fatal: a stray invalid byte becomes U+FFFD, which the inspector then
  // reports as a character outside the base64url alphabet.
  return new TextDecoder().decode(Buffer.concat(chunks))
}

function readKeyFromStdin(): Promise<string | undefined> {
  const stdin = process.stdin
  return new Promise(function waitForKey(resolve): void {
    function finish(key: string | undefined): void {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      if (stdin.isTTY) stdin.setRawMode(false)
      // Paused, stdin no longer keeps the process alive between pauses and at the end.
      stdin.pause()
      resolve(key)
    }
    function onData(chunk: Buffer | string): void {
      finish(String(chunk))
    }
    function onEnd(): void {
      finish(undefined)
    }
    // Raw mode delivers each key as it is pressed. It also turns Ctrl-C into a plain
    // "\u0003" byte instead of SIGINT, so the caller must treat that byte as "stop".
    if (stdin.isTTY) stdin.setRawMode(true)
    stdin.on('data', onData)
    stdin.on('end', onEnd)
    stdin.resume()
  })
}
