/**
 * The storage lab in a real Chromium: one app with the same reflected XSS, its token
 * kept in localStorage (app A) or in an HttpOnly, Secure, SameSite=Strict cookie
 * (app B), and an attacker on another site. Every assertion is something a server
 * recorded (the attacker's collector, an app's request log and state) or something
 * the browser reported (document.cookie, its cookie jar, the console, the DOM).
 */

import { decodeProtectedHeader } from 'jose'
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ATTACKER_EMAIL, attackLink, type Loot } from '../programs/lab/attacker.ts'
import { type DemoApp, INITIAL_EMAIL } from '../programs/lab/demo-app.ts'
import { type Lab, startLab } from '../programs/lab/lab.ts'
import { examineToken } from '../programs/lab/pages/strictness.ts'
import { noBrowser, openBrowser } from './session.ts'

/** Short, as the post advises; the lab's clock makes it pass without waiting. */
const LIFETIME_SECONDS = 120

describe.skipIf(noBrowser)('where the token lives', () => {
  let browser: Browser
  let lab: Lab
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    browser = await openBrowser()
  })

  afterAll(async () => {
    await browser?.close()
  })

  beforeEach(async () => {
    // A fresh lab (new keys, new accounts, empty logs) and a fresh browser profile.
    lab = await startLab({ tokenLifetimeSeconds: LIFETIME_SECONDS })
    context = await browser.newContext()
    page = await context.newPage()
    return async () => {
      await context.close()
      await lab.close()
    }
  })

  /** Logs in through the app's own page, and waits for the page to show the account. */
  async function logIn(app: DemoApp): Promise<void> {
    await page.goto(`${app.origin}/`)
    await page.locator('body[data-ready="yes"]').waitFor()
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.locator('#account[data-status="200"]').waitFor()
  }

  /** The victim opens the attacker's link; resolves with what the collector received. */
  async function openAttackLink(app: DemoApp): Promise<Loot> {
    const before = lab.attacker.loot().length
    await page.goto(attackLink(app.origin, lab.attacker.collectUrl))
    const loot = await lab.attacker.waitForLoot(before + 1)
    return loot[before] as Loot
  }

  async function replay(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    // From Node: no browser, no cookie, no Origin; only the stolen string.
    const response = await fetch(`${lab.appA.origin}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function stealFromAppA(): Promise<string> {
    await logIn(lab.appA)
    const stored = await page.evaluate(() => localStorage.getItem('token'))
    const loot = await openAttackLink(lab.appA)
    expect(loot.data?.localStorage).toBe(stored)
    return loot.data?.localStorage as string
  }

  test('(a) app A: the injected script reads the token, and the replayed JWE is accepted', async () => {
    const stolen = await stealFromAppA()

    // The loot came from app A's page, to a server on another site.
    expect(lab.attacker.loot()[0]?.origin).toBe(lab.appA.origin)
    // A real JWE: five segments, `dir` + A256GCM with a nested JWT inside. Without
    // the key, the header is all that can be read.
    expect(examineToken(stolen).kind).toBe('JWE')
    expect(decodeProtectedHeader(stolen)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    expect(stolen).not.toContain(Buffer.from('alice').toString('base64url').slice(0, 5))

    // Replayed from Node, outside the browser: the API cannot tell it from the user.
    expect(await replay(stolen)).toMatchObject({ status: 200, body: { sub: 'alice' } })
    // The server's log: the browser sent the token (the page's own script and the
    // injected one, in either order), then Node did. Only Fetch Metadata tells them apart.
    const withToken = lab.appA.requests().filter((request) => request.bearer === stolen)
    const summary = withToken.map(({ path, fetchSite, status }) => `${path} ${fetchSite} ${status}`)
    expect(summary.at(-1)).toBe('/api/me undefined 200')
    expect(new Set(summary.slice(0, -1))).toEqual(
      new Set(['/api/me same-origin 200', '/api/email same-origin 200']),
    )

    // The script also acted as the user, with the token it found.
    expect(lab.attacker.loot()[0]?.data?.action).toMatchObject({ status: 200 })
    expect(lab.appA.email()).toBe(ATTACKER_EMAIL)
  })

  test("(a) the attacker's own page replays the token from its server", async () => {
    await stealFromAppA()
    await page.goto(`${lab.attacker.origin}/`)
    await page.getByRole('button', { name: 'Replay the token from this server' }).click()
    expect(await page.locator('#replay-status').textContent()).toBe('200')
    expect(JSON.parse((await page.locator('#replay-body').textContent()) ?? '')).toMatchObject({
      sub: 'alice',
    })
  })

  test('(b) app B: document.cookie is empty, yet the injected script acts as the user', async () => {
    await logIn(lab.appB)

    // The browser holds the cookie, with every attribute the app set, prefix included…
    const [cookie, ...others] = await context.cookies(lab.appB.origin)
    expect(others).toEqual([])
    expect(cookie).toMatchObject({
      name: '__Host-session-b',
      domain: 'localhost',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    })
    expect(examineToken(cookie?.value ?? '').kind).toBe('JWE')
    // …and sends it over http://localhost, a secure context for Chromium…
    const afterLogin = lab.appB.requests().filter((request) => request.path === '/api/me')
    expect(afterLogin.at(-1)).toMatchObject({ sessionCookie: cookie?.value, status: 200 })
    // …but no script on the page can read it.
    expect(await page.evaluate(() => document.cookie)).toBe('')
    expect(await page.evaluate(() => localStorage.length)).toBe(0)

    const loot = await openAttackLink(lab.appB)
    expect(loot.data).toMatchObject({ localStorage: null, cookie: '' })
    expect(loot.body).not.toContain(cookie?.value)
    // Session riding: a same-origin fetch from the injected script carries the cookie.
    expect(loot.data?.action).toMatchObject({ status: 200 })
    expect(lab.appB.email()).toBe(ATTACKER_EMAIL)
    const change = lab.appB.requests().find((request) => request.path === '/api/email')
    expect(change).toMatchObject({
      method: 'POST',
      sessionCookie: cookie?.value,
      fetchSite: 'same-origin',
      status: 200,
    })
  })

  test('(c) a request from another site does not carry the SameSite=Strict cookie', async () => {
    await logIn(lab.appB)
    await page.goto(`${lab.attacker.origin}/cross-site`)
    await page.locator('body[data-done="yes"]').waitFor()

    // A link followed from there: Lax would send the cookie on this navigation, Strict does not.
    await page.getByRole('link', { name: 'Visit app B' }).click()
    await page.locator('body[data-ready="yes"]').waitFor()

    const crossSite = lab.appB.requests().filter((request) => request.fetchSite === 'cross-site')
    expect(
      crossSite.map(({ method, path, sessionCookie, status }) => ({
        method,
        path,
        sessionCookie,
        status,
      })),
    ).toEqual([
      { method: 'POST', path: '/api/email', sessionCookie: undefined, status: 401 },
      { method: 'GET', path: '/api/me', sessionCookie: undefined, status: 401 },
      { method: 'GET', path: '/', sessionCookie: undefined, status: 200 },
    ])
    expect(lab.appB.email()).toBe(INITIAL_EMAIL)
  })

  test('(c) the same page from another port of localhost is same-site: the cookie goes along', async () => {
    // Ports do not make a different site: this is why the attacker lives on 127.0.0.1.
    await logIn(lab.appB)
    const [cookie] = await context.cookies(lab.appB.origin)
    await page.goto(`${lab.attacker.sameSiteOrigin}/cross-site`)
    await page.locator('body[data-done="yes"]').waitFor()

    await page.getByRole('link', { name: 'Visit app B' }).click()
    await page.locator('body[data-ready="yes"]').waitFor()

    const sameSite = lab.appB.requests().filter((request) => request.fetchSite === 'same-site')
    expect(
      sameSite.map(({ path, sessionCookie, status }) => ({ path, sessionCookie, status })),
    ).toEqual([
      { path: '/api/email', sessionCookie: cookie?.value, status: 200 },
      { path: '/api/me', sessionCookie: cookie?.value, status: 200 },
      { path: '/', sessionCookie: cookie?.value, status: 200 },
    ])
    expect(lab.appB.email()).toBe('cross-site@evil.example')
  })

  test('(d) the stolen token stops working when it expires on the server clock', async () => {
    const stolen = await stealFromAppA()
    const { body } = await replay(stolen)
    const exp = body.exp as number
    const now = (): number => Math.floor(lab.clock.now().getTime() / 1000)
    expect(exp - now()).toBeLessThanOrEqual(LIFETIME_SECONDS)

    lab.clock.advance(exp - now() - 30) // half a minute before exp
    expect((await replay(stolen)).status).toBe(200)
    lab.clock.advance(exp - now()) // at exp: RFC 7519 §4.1.4, "on or after"
    expect(await replay(stolen)).toEqual({ status: 401, body: { error: 'ERR_JWT_EXPIRED' } })
    // The browser's own copy expired too: the same token, the same answer.
    await page.goto(`${lab.appA.origin}/`)
    await page.locator('body[data-ready="yes"]').waitFor()
    expect(await page.locator('#account').getAttribute('data-status')).toBe('401')
  })

  test("(e) app B with a CSP without 'unsafe-inline': the injected script never runs", async () => {
    await logIn(lab.appBWithCsp)
    const messages: ConsoleMessage[] = []
    page.on('console', (message) => messages.push(message))
    await page.goto(attackLink(lab.appBWithCsp.origin, lab.attacker.collectUrl))
    await page.locator('body[data-ready="yes"]').waitFor()

    // The app's own script, from its own origin, ran: it shows the account.
    expect(await page.locator('#account').getAttribute('data-status')).toBe('200')
    // The injected one did not: no banner, no request, nothing collected.
    expect(await page.locator('#injected').count()).toBe(0)
    const violations = messages.filter((message) => message.type() === 'error')
    expect(violations.map((message) => message.text())).toEqual([
      expect.stringMatching(
        /^Executing inline script violates the following Content Security Policy directive 'script-src 'self''.* The action has been blocked\.$/,
      ),
    ])
    expect(lab.appBWithCsp.requests().filter((request) => request.path === '/api/email')).toEqual(
      [],
    )
    expect(lab.appBWithCsp.email()).toBe(INITIAL_EMAIL)
    expect(lab.attacker.loot()).toEqual([])

    // The same link on app B, which has no policy: the script runs.
    await logIn(lab.appB)
    await openAttackLink(lab.appB)
    expect(await page.locator('#injected').count()).toBe(1)
  })
})
