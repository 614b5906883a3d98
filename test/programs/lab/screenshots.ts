/**
 * `npm run lab:screenshots`: takes the pictures of docs/09-where-the-token-lives.md
 * from the real pages, in the browser the tests use (browser.ts), and writes them to
 * docs/images/lab-*.png. Run it again after changing a page; never edit the PNGs.
 */

import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { base64url, signThenEncrypt } from 'jose-by-hand/reference'
import type { Page } from 'playwright-core'
import { attackLink } from './attacker.ts'
import { findBrowser, launchBrowser } from './browser.ts'
import type { DemoApp } from './demo-app.ts'
import { startLab } from './lab.ts'

const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url))

async function shoot(page: Page, name: string, fullPage: 'full page' | 'viewport'): Promise<void> {
  const path = `${IMAGES}${name}.png`
  await page.screenshot({ path, fullPage: fullPage === 'full page' })
  process.stdout.write(`wrote docs/images/${name}.png\n`)
}

async function main(): Promise<void> {
  const choice = await findBrowser()
  if (choice.kind === 'missing') {
    process.stderr.write(`lab:screenshots: ${choice.reason}\n`)
    process.exitCode = 1
    return
  }
  mkdirSync(IMAGES, { recursive: true })
  const lab = await startLab()
  const browser = await launchBrowser(choice)
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } })
    const page = await context.newPage()

    // The debugger, with a nested token from jose-by-hand/reference and its two keys.
    const signingKey = new Uint8Array(32).fill(7)
    const encryptionKey = new Uint8Array(32).fill(8)
    const now = Math.floor(Date.now() / 1000)
    const token = await signThenEncrypt(
      { sub: 'alice', role: 'user' },
      { signingKey, encryptionKey },
      {
        issuer: 'jose-by-hand lab',
        audience: 'lab-debugger',
        issuedAt: now,
        expirationTime: now + 900,
      },
    )
    await page.goto(lab.debuggerUrl)
    await page.getByLabel('HS256 key', { exact: true }).fill(base64url.encode(signingKey))
    await page
      .getByLabel('dir key (A128GCM, A192GCM, A256GCM)', { exact: true })
      .fill(base64url.encode(encryptionKey))
    await page.getByLabel('Token', { exact: true }).fill(token)
    await page.locator('body[data-state="done"]').waitFor()
    await shoot(page, 'lab-debugger', 'full page')

    // A token the strict profile refuses: alg "none", and a header asking for zip.
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', zip: 'DEF' }))}.${base64url.encode('{"sub":"alice","role":"admin"}')}.`
    await page.getByLabel('Token', { exact: true }).fill(none)
    await page.locator('body[data-state="done"]').waitFor()
    await shoot(page, 'lab-debugger-refused', 'viewport')

    const logIn = async (app: DemoApp): Promise<void> => {
      await page.goto(`${app.origin}/`)
      await page.locator('body[data-ready="yes"]').waitFor()
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.locator('#account[data-status="200"]').waitFor()
    }
    const attack = async (app: DemoApp, name: string): Promise<void> => {
      const before = lab.attacker.loot().length
      await page.goto(attackLink(app.origin, lab.attacker.collectUrl))
      await page.locator('body[data-ready="yes"]').waitFor()
      await lab.attacker.waitForLoot(before + 1)
      await shoot(page, name, 'viewport')
    }

    await logIn(lab.appA)
    await attack(lab.appA, 'lab-app-a-after-xss')
    await logIn(lab.appB)
    await attack(lab.appB, 'lab-app-b-after-xss')

    await page.goto(`${lab.attacker.origin}/`)
    await shoot(page, 'lab-attacker', 'full page')

    const messages: string[] = []
    await logIn(lab.appBWithCsp)
    page.on('console', (message) => messages.push(message.text()))
    await page.goto(attackLink(lab.appBWithCsp.origin, lab.attacker.collectUrl))
    await page.locator('body[data-ready="yes"]').waitFor()
    if (!messages.some((text) => text.includes('Content Security Policy'))) {
      throw new Error('the CSP screenshot shows no blocked script')
    }
    await shoot(page, 'lab-app-b-csp', 'viewport')
    await context.close()
  } finally {
    await browser.close()
    await lab.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`lab:screenshots: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
