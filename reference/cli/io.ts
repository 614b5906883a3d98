/**
 * The terminal as the tour and the inspector see it: two output streams and stdin.
 *
 * Both programs take a `CliIO` instead of touching `process` directly, so tests run
 * them in-process against `createMemoryIO` (reference/cli/memory-io.ts) and read
 * what they printed, without paying for a child process per case.
 */

export interface CliIO {
  /** Writes to stdout. */
  out(text: string): void
  /** Writes to stderr. */
  err(text: string): void
  readonly stdoutIsTTY: boolean
  readonly stdinIsTTY: boolean
  /**
   * Reads stdin to its end as UTF-8. Returns `undefined` as soon as more than
   * `limitBytes` have arrived, so a runaway pipe cannot exhaust memory.
   */
  readAll(limitBytes: number): Promise<string | undefined>
  /** Waits for one line (the Enter key) on stdin; `false` when stdin has ended. */
  readLine(): Promise<boolean>
}

/** The real process's streams. */
export function processIO(): CliIO {
  return {
    out(text: string): void {
      process.stdout.write(text)
    },
    err(text: string): void {
      process.stderr.write(text)
    },
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    readAll: readAllStdin,
    readLine: readLineFromStdin,
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

function readLineFromStdin(): Promise<boolean> {
  const stdin = process.stdin
  return new Promise(function waitForLine(resolve): void {
    function cleanUp(): void {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      // Paused, stdin no longer keeps the process alive between pauses and at the end.
      stdin.pause()
    }
    function onData(chunk: Buffer | string): void {
      // A terminal in cooked mode delivers input a line at a time, on Enter.
      if (!String(chunk).includes('\n')) return
      cleanUp()
      resolve(true)
    }
    function onEnd(): void {
      cleanUp()
      resolve(false)
    }
    stdin.on('data', onData)
    stdin.on('end', onEnd)
    stdin.resume()
  })
}
