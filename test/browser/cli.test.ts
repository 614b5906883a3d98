/**
 * `npm run lab`: its arguments in-process, then the real process once, started,
 * asked for a page, and stopped with Ctrl-C (SIGINT). No browser needed.
 */

import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { createMemoryIO, EXIT, runProgram } from '../programs/kit/index.ts'
import type { Lab } from '../programs/lab/lab.ts'
import { LAB, startFromCommandLine, USAGE } from '../programs/lab/main.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Captured {
  readonly result: number | Lab
  readonly out: string
  readonly err: string
}

/** Starts the lab in-process as the command line says, capturing what it prints. */
async function startLab(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
  const io = createMemoryIO()
  const result = await startFromCommandLine(argv, env, io)
  return { result, out: io.stdout(), err: io.stderr() }
}

/** Runs the whole program in-process, as `npm run lab` would, for runs that end at once. */
async function runLab(argv: string[]): Promise<Captured> {
  const io = createMemoryIO()
  const result = await runProgram(LAB, argv, {}, io)
  return { result, out: io.stdout(), err: io.stderr() }
}

describe('arguments', () => {
  test('--help prints the usage and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      expect(await runLab([flag])).toEqual({ result: EXIT.OK, out: USAGE, err: '' })
    }
  })

  test.each([
    [['--verbose'], 'lab: unknown option --verbose'],
    [['-x'], 'lab: unknown option -x'],
    [['extra'], 'lab: unexpected argument "extra"'],
    [['--port'], 'lab: --port needs a value'],
    [['--port', 'eighty'], 'lab: --port takes a number from 0 to 65535, not "eighty"'],
    [['--port', '65536'], 'lab: --port takes a number from 0 to 65535, not "65536"'],
    [
      ['--port', '-1'],
      'lab: --port needs a value (for one that starts with "-", write --port=VALUE)',
    ],
  ])('%j: one line, a blank line, the usage, exit 2', async (argv, line) => {
    const { result, out, err } = await runLab(argv)
    expect(result).toBe(EXIT.USAGE)
    expect(out).toBe('')
    expect(err).toBe(`${line}\n\n${USAGE.trimEnd()}\n`)
  })

  test('a port in use: one line, exit 1, nothing left listening', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      const { result, out, err } = await runLab(['--port', String(port)])
      expect(result).toBe(EXIT.FAILURE)
      expect(out).toBe('')
      expect(err).toBe(`lab: port ${port} is in use; choose another with --port, or leave it out\n`)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })

  test('every server listens on 127.0.0.1 only; colour only when asked, and NO_COLOR wins', async () => {
    const plain = await startLab([], { FORCE_COLOR: '1', NO_COLOR: '1' })
    const coloured = await startLab([], { FORCE_COLOR: '1' })
    for (const { result } of [plain, coloured]) {
      if (typeof result === 'number') throw new Error(`the lab did not start: ${result}`)
      const { appA, appB, appBWithCsp, attacker } = result
      for (const server of [appA.server, appB.server, appBWithCsp.server, attacker.server]) {
        expect((server.address() as AddressInfo).address).toBe('127.0.0.1')
      }
      await result.close()
    }
    expect(plain.out).not.toContain('\u001b[')
    expect(coloured.out).toContain('\u001b[1m')
    expect(plain.out.split('\n')[0]).toBe('jose-by-hand browser token lab, on 127.0.0.1 only')
  })
})

/** Collects the child's stdout until `pattern` appears. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      if (pattern.test(text)) resolve(text)
    })
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before printing ${pattern}:\n${text}`)),
    )
  })
}

describe('the real process', () => {
  test('prints its URLs, serves the debugger, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/programs/lab/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    try {
      const banner = await waitForOutput(child, /Ctrl-C stops it\.\n/)
      const debuggerUrl = /debugger +(http:\/\/localhost:\d+\/debugger)/.exec(banner)?.[1]
      expect(debuggerUrl).toMatch(/^http:\/\/localhost:\d+\/debugger$/)
      const response = await fetch(debuggerUrl as string)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('<label for="token">Token</label>')

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      expect(await exited).toBe(EXIT.OK)
      expect(stderr).toBe('')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
