/**
 * Which browser the lab's tests and screenshots drive, decided in one place:
 *
 * 1. `JOSE_BY_HAND_BROWSER`, when set: the Chrome or Chromium executable it names.
 *    A path that does not exist is an error, not a reason to skip.
 * 2. Linux x64: the headless Chromium of `@sparticuz/chromium`, a devDependency whose
 *    npm tarball carries the browser (brotli-compressed; unpacked into the system's
 *    temporary directory on first use). `npm ci` is all it takes.
 * 3. macOS and Windows: an installed Google Chrome, then Microsoft Edge, through
 *    playwright-core's channels.
 * 4. Otherwise none: the browser suite reports itself skipped with one line that
 *    says how to get one. On Linux x64 that never happens: step 2 throws instead.
 */

import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

export const BROWSER_VARIABLE = 'JOSE_BY_HAND_BROWSER'

/**
 * Headless Chromium running as root needs --no-sandbox; the rest keep it from
 * reaching out to the network (which, with no network, makes it hang on lookups).
 * A fresh, empty profile comes with every `chromium.launch()`.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export type BrowserChoice =
  | { readonly kind: 'executable'; readonly executablePath: string; readonly source: string }
  | { readonly kind: 'channel'; readonly channel: 'chrome' | 'msedge'; readonly source: string }
  | { readonly kind: 'missing'; readonly reason: string }

export interface Platform {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly platform: string
  readonly arch: string
}

const HOST: Platform = { env: process.env, platform: process.platform, arch: process.arch }

export async function findBrowser(host: Platform = HOST): Promise<BrowserChoice> {
  const named = host.env[BROWSER_VARIABLE]
  if (named !== undefined && named !== '') {
    if (!existsSync(named)) throw new Error(`${BROWSER_VARIABLE}=${named}: no such file`)
    return { kind: 'executable', executablePath: named, source: BROWSER_VARIABLE }
  }
  if (host.platform === 'linux' && host.arch === 'x64') {
    const packaged = (await import('@sparticuz/chromium')).default
    const executablePath = await packaged.executablePath()
    return { kind: 'executable', executablePath, source: '@sparticuz/chromium' }
  }
  if (host.platform === 'darwin' || host.platform === 'win32') {
    for (const channel of ['chrome', 'msedge'] as const) {
      try {
        const browser = await chromium.launch({ channel, args: [...CHROMIUM_ARGS] })
        await browser.close()
        return { kind: 'channel', channel, source: `the installed ${channel} channel` }
      } catch {
        // Not installed; try the next one.
      }
    }
  }
  return {
    kind: 'missing',
    reason: `no browser found on ${host.platform}-${host.arch}; install Google Chrome or Microsoft Edge, or set ${BROWSER_VARIABLE} to a Chrome or Chromium executable`,
  }
}

/** A headless browser with a fresh, empty profile. */
export async function launchBrowser(choice: BrowserChoice): Promise<Browser> {
  if (choice.kind === 'missing') throw new Error(choice.reason)
  const where =
    choice.kind === 'channel'
      ? { channel: choice.channel }
      : { executablePath: choice.executablePath }
  return chromium.launch({ ...where, headless: true, args: [...CHROMIUM_ARGS] })
}
