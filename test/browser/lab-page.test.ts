/**
 * The lab's start page in Chromium: it links to every part of the lab, its clock
 * buttons move the apps' clock, and nothing but the page itself may move it.
 */

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Lab, startLab } from '../programs/lab/lab.ts'
import { noBrowser, openBrowser } from './session.ts'

describe.skipIf(noBrowser)('the lab page', () => {
  let lab: Lab
  let browser: Browser

  beforeAll(async () => {
    lab = await startLab({ tokenLifetimeSeconds: 120 })
    browser = await openBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await lab?.close()
  })

  test('links to the debugger, the three apps, their attack links and the attacker', async () => {
    const page = await browser.newPage()
    await page.goto(lab.url)
    const links = await page
      .locator('a')
      .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href))
    const origins = new Set(links.map((href) => new URL(href).origin))
    expect(origins).toEqual(
      new Set([
        new URL(lab.url).origin,
        lab.appA.origin,
        lab.appB.origin,
        lab.appBWithCsp.origin,
        lab.attacker.origin,
      ]),
    )
    expect(links.filter((href) => href.includes('/search?q=')).length).toBe(3)
    await page.close()
  })

  test("the clock buttons move the apps' clock; another origin cannot", async () => {
    const page = await browser.newPage()
    await page.goto(lab.url)
    await page.getByRole('button', { name: "+2 minutes (a token's lifetime)" }).click()
    await page.locator('#clock').waitFor()
    expect(lab.clock.offsetSeconds()).toBe(120)
    expect(await page.locator('#clock').textContent()).toContain('(+120 s from real time)')
    await page.getByRole('button', { name: 'real time' }).click()
    await page.locator('#clock').waitFor()
    expect(lab.clock.offsetSeconds()).toBe(0)
    await page.close()

    const forged = await fetch(`${lab.url}clock`, {
      method: 'POST',
      headers: { origin: lab.attacker.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'advance=3600',
    })
    expect(forged.status).toBe(403)
    expect(lab.clock.offsetSeconds()).toBe(0)
  })
})
