/**
 * The tour in a real terminal: tmux gives it a pseudo-terminal of 100 columns by 50
 * rows, `send-keys` presses the keys and `capture-pane` reads the screen, as a person
 * would see it. Each step has the screen to itself, Enter moves on, q stops.
 *
 * tmux is not installed by this test. On a machine without it the suite does not run
 * and says so in one line (.ci/run installs tmux when it can).
 */

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0
if (!HAS_TMUX) {
  process.stderr.write(
    'tour-terminal.test.ts: tmux is not installed, so the tour is not driven in a real terminal here\n',
  )
}

// A server of our own, on a socket in a folder of our own: nothing else a developer runs
// in tmux is touched, and nothing is left behind.
let folder = ''

function tmux(...args: string[]): string {
  const socket = join(folder, 'tmux.sock')
  const result = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`)
  return result.stdout
}

/** Starts the tour in a new window `name`; the shell then prints its exit code and waits. */
function startTour(name: string): void {
  const command =
    'env -u FORCE_COLOR NO_COLOR=1 node --import tsx test/programs/tour/tour.ts; ' +
    'echo "[tour exited with $?]"; read done'
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '50', '-c', ROOT, command)
}

function screen(name: string): string {
  return tmux('capture-pane', '-p', '-t', name)
}

/** The screen, once `ready` holds for it (the tour renders each step in a few milliseconds). */
async function waitForScreen(name: string, ready: (text: string) => boolean): Promise<string> {
  // A generous bound for a loaded 2-core machine; it only stops a hung run, nothing is timed.
  const giveUp = Date.now() + 30_000
  for (;;) {
    const text = screen(name)
    if (ready(text)) return text
    if (Date.now() > giveUp) throw new Error(`the screen never got there; it shows:\n${text}`)
    await sleep(50)
  }
}

function stepHeaders(text: string): string[] {
  return text.match(/━━ Step \d of 9/g) ?? []
}

describe.runIf(HAS_TMUX)('the tour in a real terminal (tmux)', () => {
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'jose-by-hand-tour-'))
  })
  afterAll(() => {
    spawnSync('tmux', ['-S', join(folder, 'tmux.sock'), 'kill-server'])
    rmSync(folder, { recursive: true, force: true })
  })

  test('one step per screen: Enter for each of the nine, then the last screen', async () => {
    startTour('all')
    for (let step = 1; step <= 9; step++) {
      const next = step < 9 ? `step ${step + 1} of 9` : 'where to go next'
      const text = await waitForScreen('all', (t) => t.includes(`── Enter: ${next} · q: quit ──`))
      expect(stepHeaders(text)).toEqual([`━━ Step ${step} of 9`])
      if (step === 1) expect(text.startsWith('jose-by-hand: the tour\n')).toBe(true)
      tmux('send-keys', '-t', 'all', 'Enter')
    }
    const last = await waitForScreen('all', (t) => t.includes('[tour exited with'))
    expect(stepHeaders(last)).toEqual([])
    expect(last).toContain('✓ Every verdict above is the one the story expects.')
    for (const pointer of [
      'npm run workshop',
      'npm run -s inspect',
      'npm run lab',
      'docs/README.md',
    ]) {
      expect(last).toContain(pointer)
    }
    expect(last).toContain('[tour exited with 0]')
  })

  test('q stops the tour at once, exit 0', async () => {
    startTour('quit')
    await waitForScreen('quit', (t) => t.includes('── Enter: step 2 of 9 · q: quit ──'))
    tmux('send-keys', '-t', 'quit', 'Enter')
    await waitForScreen('quit', (t) => t.includes('── Enter: step 3 of 9 · q: quit ──'))
    tmux('send-keys', '-t', 'quit', 'q')
    const text = await waitForScreen('quit', (t) => t.includes('[tour exited with'))
    expect(text).toContain('Stopped after step 2 of 9. Run npm start to begin again.')
    expect(text).toContain('[tour exited with 0]')
    expect(stepHeaders(text)).toEqual(['━━ Step 2 of 9'])
  })
})
