/**
 * The token debugger in a real Chromium: what it shows, that it agrees with the
 * strictness module, and that nothing typed into it leaves the page. Every assertion
 * reads the page or the requests Playwright saw.
 */

import { base64url, signJwt, signThenEncrypt } from 'jose-by-hand'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Lab, startLab } from '../programs/lab/lab.ts'
import type { DebuggerKeys } from '../programs/lab/pages/analysis.ts'
import {
  noBrowser,
  openBrowser,
  recordRequests,
  requestsCarrying,
  type SeenRequest,
} from './session.ts'
import { CASES, ENCRYPTION_KEY, SIGNING_KEY } from './strictness-cases.ts'

const KEYS: DebuggerKeys = {
  signing: { text: base64url.encode(SIGNING_KEY), format: 'base64url' },
  encryption: { text: base64url.encode(ENCRYPTION_KEY), format: 'base64url' },
}

/** Puts the inputs into the page as a person would, and waits for the page to finish. */
async function enter(page: Page, token: string, keys: DebuggerKeys): Promise<void> {
  await page.getByLabel('HS256 key format').selectOption(keys.signing.format)
  await page.getByLabel('HS256 key', { exact: true }).fill(keys.signing.text)
  await page.getByLabel('dir key format').selectOption(keys.encryption.format)
  await page
    .getByLabel('dir key (A128GCM, A192GCM, A256GCM)', { exact: true })
    .fill(keys.encryption.text)
  await page.getByLabel('Token', { exact: true }).fill(token)
  await page.locator('body[data-state="done"]').waitFor()
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''))
}

async function attribute(page: Page, selector: string, name: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll((nodes, key) => nodes.map((node) => node.getAttribute(key) ?? ''), name)
}

/** "2026-01-01 12:15:00 UTC" for a NumericDate, computed here, not by the page's code. */
function utc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

describe.skipIf(noBrowser)('the token debugger', () => {
  let lab: Lab
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let seen: SeenRequest[]

  beforeAll(async () => {
    lab = await startLab()
    browser = await openBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await lab?.close()
  })

  beforeEach(async () => {
    context = await browser.newContext()
    seen = recordRequests(context)
    page = await context.newPage()
    await page.goto(lab.debuggerUrl)
    await page.locator('body[data-state="idle"]').waitFor()
    return async () => {
      await context.close()
    }
  })

  test('a nested token: both layers decoded, decrypted, verified, with readable times', async () => {
    const now = Math.floor(Date.now() / 1000)
    const claims = { sub: 'alice', role: 'user' }
    const token = signThenEncrypt(
      claims,
      { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY },
      { notBefore: now - 60, issuedAt: now, expirationTime: now + 900 },
    )
    await enter(page, token, KEYS)

    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['accepted'])
    expect(await attribute(page, '.layer', 'data-layer')).toEqual(['JWE', 'JWS inside the JWE'])
    // The anatomy: five coloured JWE segments, then the three of the JWS inside.
    expect(await attribute(page, '.anatomy .segment', 'data-segment')).toEqual([
      'header',
      'encrypted key',
      'iv',
      'ciphertext',
      'tag',
      'header',
      'payload',
      'signature',
    ])
    const outer = token.split('.')
    expect((await texts(page, '[data-layer="JWE"] .anatomy .segment')).slice(2)).toEqual(
      outer.slice(2),
    )
    expect(await texts(page, '[data-layer="JWE"] .legend li')).toEqual([
      `■ header: ${base64url.decode(outer[0] as string).length} bytes`,
      '■ encrypted key: 0 bytes',
      '■ iv: 12 bytes',
      `■ ciphertext: ${base64url.decode(outer[3] as string).length} bytes`,
      '■ tag: 16 bytes',
    ])
    const headers = (await texts(page, '[data-testid="header"]')).map((text) => JSON.parse(text))
    expect(headers).toEqual([
      { alg: 'dir', enc: 'A256GCM', cty: 'JWT' },
      { alg: 'HS256', typ: 'JWT' },
    ])
    const decrypted = (await texts(page, '[data-testid="claims"]')).map((text) => JSON.parse(text))
    expect(decrypted).toEqual([{ ...claims, nbf: now - 60, iat: now, exp: now + 900 }])
    const [exp, nbf, iat] = await texts(page, '.times dd')
    expect(nbf).toMatch(new RegExp(`^${utc(now - 60)} \\(1 min ago\\)$`))
    expect(iat).toMatch(new RegExp(`^${utc(now)} \\((now|[0-9] s ago)\\)$`))
    expect(exp).toMatch(new RegExp(`^${utc(now + 900)} \\(in 1[45] min\\)$`))
    expect(await attribute(page, '.check', 'data-step')).toEqual([
      'decryption',
      'signature',
      'claims',
    ])
    expect(await attribute(page, '.check', 'data-outcome')).toEqual(['valid', 'valid', 'valid'])
  })

  test('a JWS: its claims are readable without a key, and a wrong key or an old exp is refused', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = signJwt({ sub: 'alice' }, SIGNING_KEY, { expirationTime: now - 7200 })
    await enter(page, expired, { ...KEYS, signing: { text: '', format: 'base64url' } })
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['incomplete'])
    expect((await texts(page, '[data-testid="claims"]')).map((text) => JSON.parse(text))).toEqual([
      { sub: 'alice', exp: now - 7200 },
    ])
    expect(await texts(page, '.times dd')).toEqual([`${utc(now - 7200)} (2 h ago)`])

    await enter(page, expired, KEYS)
    expect(await attribute(page, '.check', 'data-outcome')).toEqual(['valid', 'invalid'])
    expect((await texts(page, '.check'))[1]).toContain('ERR_JWT_EXPIRED')

    const otherKey = {
      text: base64url.encode(new Uint8Array(32).fill(1)),
      format: 'base64url' as const,
    }
    await enter(page, expired, { ...KEYS, signing: otherKey })
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['refused'])
    expect(await texts(page, '.check')).toEqual([
      'signature: invalid — ERR_JWS_SIGNATURE_VERIFICATION_FAILED: signature verification failed',
    ])
  })

  test('keys as text, and dir keys for A128GCM and A192GCM', async () => {
    const phrase = 'a passphrase of thirty-two bytes'
    const inner = signJwt({ sub: 'alice' }, new TextEncoder().encode(phrase))
    const asText = { text: phrase, format: 'text' as const }
    await enter(page, inner, { ...KEYS, signing: asText })
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['accepted'])

    const nestedWith = async (enc: 'A128GCM' | 'A192GCM', size: number): Promise<void> => {
      const key = new Uint8Array(size).fill(3)
      const token = signThenEncrypt(
        { sub: 'alice' },
        { signingKey: SIGNING_KEY, encryptionKey: key },
        { encryptionHeader: { alg: 'dir', enc, cty: 'JWT' } },
      )
      await enter(page, token, {
        ...KEYS,
        encryption: { text: base64url.encode(key), format: 'base64url' },
      })
    }
    await nestedWith('A128GCM', 16)
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['accepted'])
    // Chromium's Web Crypto refuses 192-bit AES keys outright: the page says so, and
    // calls the token unchecked rather than invalid.
    await nestedWith('A192GCM', 24)
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual(['incomplete'])
    expect(await texts(page, '.check')).toEqual([
      'decryption: not checked — this browser’s Web Crypto has no 192-bit AES (Chromium never implemented it; Firefox and Safari decrypt A192GCM)',
    ])
  })

  test.each(CASES)('the page shows the rules the module names: $name', async (item) => {
    await enter(page, item.token, item.keys)
    expect(await attribute(page, '.notes li', 'data-rule')).toEqual(item.rules)
    expect(await attribute(page, '#verdict', 'data-verdict')).toEqual([
      item.rules.length === 0 ? 'accepted' : 'refused',
    ])
  })

  test('a claim that looks like HTML is shown as text, never run as markup', async () => {
    const bait = '<img src=x onerror="document.title=\'ran\'">'
    await enter(page, signJwt({ sub: bait }, SIGNING_KEY), KEYS)
    expect(await page.locator('#output img').count()).toBe(0)
    expect(JSON.parse((await texts(page, '[data-testid="claims"]'))[0] ?? '')).toEqual({
      sub: bait,
    })
    expect(await page.title()).toBe('Token debugger: jose-by-hand lab')
  })

  test('nothing typed leaves the page: no request carries it, nothing is stored', async () => {
    const loaded = seen.length
    expect(loaded).toBeGreaterThan(0) // the page and its modules: the recorder works
    const token = signThenEncrypt(
      { sub: 'alice' },
      { signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY },
    )
    await enter(page, token, KEYS)
    await page.getByRole('button', { name: 'Example: nested sign-then-encrypt token' }).click()
    await page.locator('body[data-state="done"]').waitFor()
    await page.getByRole('button', { name: 'Example: signed JWT' }).click()
    await page.locator('body[data-state="done"]').waitFor()
    const example = await page.getByLabel('Token', { exact: true }).inputValue()
    const exampleKey = await page.getByLabel('HS256 key', { exact: true }).inputValue()

    // Not one request since the page loaded; and none, ever, with a token, a segment or a key.
    expect(seen.slice(loaded).map((request) => request.url)).toEqual([])
    const secrets = [
      token,
      ...token.split('.').filter((part) => part.length > 8),
      example,
      exampleKey,
      KEYS.signing.text,
      KEYS.encryption.text,
    ]
    for (const secret of secrets) expect(requestsCarrying(seen, secret)).toEqual([])
    // Every request was for the page itself or its code, from the lab's own origin.
    for (const request of seen) {
      expect(request.method).toBe('GET')
      expect(new URL(request.url).origin).toBe(new URL(lab.debuggerUrl).origin)
    }
    const stored = await page.evaluate(async () => ({
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      cookie: document.cookie,
      databases: (await indexedDB.databases()).length,
    }))
    expect(stored).toEqual({ localStorage: 0, sessionStorage: 0, cookie: '', databases: 0 })
    expect(await context.cookies()).toEqual([])
  })

  test('the page cannot open a connection even if its code tried: connect-src is none', async () => {
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('/debugger')
        return 'sent'
      } catch (error) {
        return String(error)
      }
    })
    expect(blocked).toContain('Failed to fetch')
    expect(seen.filter((request) => request.url.endsWith('/debugger')).length).toBe(1) // the page load only
  })
})
