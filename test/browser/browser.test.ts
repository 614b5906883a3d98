/**
 * Browser discovery (test/programs/lab/browser.ts) on platforms given by hand: the
 * variable wins, a wrong path is an error rather than a skip, and only a platform
 * with nothing to offer ends in "missing", said in one line.
 */

import { describe, expect, test } from 'vitest'
import { BROWSER_VARIABLE, findBrowser } from '../programs/lab/browser.ts'

describe('findBrowser', () => {
  test(`${BROWSER_VARIABLE} names the executable, on any platform`, async () => {
    const env = { [BROWSER_VARIABLE]: process.execPath }
    for (const platform of ['linux', 'darwin', 'plan9']) {
      expect(await findBrowser({ env, platform, arch: 'x64' })).toEqual({
        kind: 'executable',
        executablePath: process.execPath,
        source: BROWSER_VARIABLE,
      })
    }
  })

  test(`${BROWSER_VARIABLE} naming nothing is an error, not a reason to skip`, async () => {
    const env = { [BROWSER_VARIABLE]: '/no/such/chrome' }
    await expect(findBrowser({ env, platform: 'linux', arch: 'x64' })).rejects.toThrow(
      `${BROWSER_VARIABLE}=/no/such/chrome: no such file`,
    )
  })

  test('a platform with no packaged browser and no channels: missing, in one line', async () => {
    const choice = await findBrowser({ env: {}, platform: 'linux', arch: 'arm64' })
    expect(choice).toEqual({
      kind: 'missing',
      reason: `no browser found on linux-arm64; install Google Chrome or Microsoft Edge, or set ${BROWSER_VARIABLE} to a Chrome or Chromium executable`,
    })
  })
})
