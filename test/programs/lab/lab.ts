/**
 * The browser token lab: a token debugger, two copies of one demo app that keep the
 * token in different places, the same app with a Content-Security-Policy, and an
 * attacker on another site. Every server listens on 127.0.0.1 only.
 *
 * `npm run lab` (main.ts) starts it for a person; the tests in test/browser/ and the
 * screenshot script start it in-process with `startLab()`.
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import { IMPORT_MAP, IMPORT_MAP_HASH, serveAsset } from './assets.ts'
import { Attacker, attackLink } from './attacker.ts'
import { LabClock } from './clock.ts'
import { DemoApp } from './demo-app.ts'
import { close, createLabServer, escapeHtml, listen, readBody, send, sendHtml } from './http.ts'

export interface LabOptions {
  /** The lab page's port; 0 (the default) asks the system for a free one. */
  readonly port?: number
  /** How long the apps' tokens live. Default five minutes: short, as they should be. */
  readonly tokenLifetimeSeconds?: number
}

export interface Lab {
  /** The lab page, with links to everything else. */
  readonly url: string
  /** The token debugger. */
  readonly debuggerUrl: string
  readonly clock: LabClock
  /** Token in localStorage, sent as `Authorization: Bearer`. */
  readonly appA: DemoApp
  /** Token in an HttpOnly, Secure, SameSite=Strict `__Host-` cookie. */
  readonly appB: DemoApp
  /** App B with a Content-Security-Policy that has no 'unsafe-inline'. */
  readonly appBWithCsp: DemoApp
  readonly attacker: Attacker
  close(): Promise<void>
}

/** The servers and the clock, before the lab knows its own address. */
type LabParts = Pick<Lab, 'clock' | 'appA' | 'appB' | 'appBWithCsp' | 'attacker'>

export const DEFAULT_LIFETIME_SECONDS = 300

/**
 * The debugger's policy. `connect-src 'none'`: the page cannot open a connection of
 * any kind, so a token typed into it cannot leave through the page's own code. The
 * one inline script, the import map, is allowed by its hash.
 */
export const DEBUGGER_POLICY = [
  "default-src 'none'",
  `script-src 'self' ${IMPORT_MAP_HASH}`,
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const clock = new LabClock()
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS
  const appA = new DemoApp({
    name: 'A',
    slug: 'a',
    storage: 'localStorage',
    contentSecurity: 'no policy',
    clock,
    lifetimeSeconds,
  })
  const appB = new DemoApp({
    name: 'B',
    slug: 'b',
    storage: 'cookie',
    contentSecurity: 'no policy',
    clock,
    lifetimeSeconds,
  })
  const appBWithCsp = new DemoApp({
    name: 'B with CSP',
    slug: 'b-csp',
    storage: 'cookie',
    contentSecurity: 'strict policy',
    clock,
    lifetimeSeconds,
  })
  const attacker = new Attacker({ bearerApp: () => appA.origin, cookieApp: () => appB.origin })
  const parts: LabParts = { clock, appA, appB, appBWithCsp, attacker }
  let port = 0
  const labOrigin = (): string => `http://localhost:${port}`
  const apps = [appA, appB, appBWithCsp]

  const server = createLabServer(
    () => [`localhost:${port}`, `127.0.0.1:${port}`],
    async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const url = new URL(request.url ?? '/', labOrigin())
      const scripts = ['debugger', 'analysis', 'strictness'] as const
      if (serveAsset(url.pathname, response, scripts, 'with jose')) return
      const route = `${request.method} ${url.pathname}`
      if (route === 'GET /') {
        return sendHtml(response, 200, indexPage(parts, lifetimeSeconds))
      }
      if (route === 'GET /debugger') {
        return sendHtml(response, 200, debuggerPage(), {
          'content-security-policy': DEBUGGER_POLICY,
        })
      }
      if (route === 'POST /clock') return moveClock(request, response, clock, labOrigin())
      send(response, 404, 'text/plain; charset=utf-8', 'not found\n')
    },
  )

  // Started one by one, so a failure leaves nothing half-open behind it.
  const started: { close(): Promise<void> }[] = []
  const closeAll = async (): Promise<void> => {
    for (const item of started.reverse()) await item.close()
  }
  try {
    port = await listen(server, options.port ?? 0)
    started.push({ close: () => close(server) })
    for (const app of apps) {
      await app.start()
      started.push({ close: () => close(app.server) })
    }
    await attacker.start()
    started.push({ close: () => close(attacker.server) })
  } catch (error) {
    await closeAll()
    throw error
  }

  return {
    ...parts,
    url: `${labOrigin()}/`,
    debuggerUrl: `${labOrigin()}/debugger`,
    close: closeAll,
  }
}

/**
 * The lab page's clock buttons: a form POST, checked to come from the lab page itself.
 * The browser says so in Sec-Fetch-Site (Fetch Metadata); `Origin` is "null" here,
 * because every lab page sends `Referrer-Policy: no-referrer`.
 */
async function moveClock(
  request: IncomingMessage,
  response: ServerResponse,
  clock: LabClock,
  labOrigin: string,
): Promise<void> {
  const sameOrigin =
    request.headers['sec-fetch-site'] === 'same-origin' || request.headers.origin === labOrigin
  if (!sameOrigin) {
    send(response, 403, 'text/plain; charset=utf-8', 'the clock moves only from the lab page\n')
    return
  }
  const form = new URLSearchParams(await readBody(request, 1024))
  const seconds = Number(form.get('advance'))
  if (form.get('reset') !== null) clock.reset()
  else if (Number.isSafeInteger(seconds)) clock.advance(seconds)
  send(response, 303, 'text/plain; charset=utf-8', '', { location: '/' })
}

function layout(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/icon.svg">
<link rel="stylesheet" href="/lab.css">
${head}</head>
<body>
${body}
</body>
</html>
`
}

function debuggerPage(): string {
  const head = `<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/pages/debugger.ts"></script>
`
  return layout(
    'Token debugger: jose-by-hand lab',
    `<header>
<h1>Token debugger</h1>
<p class="promise"><strong>Nothing you type leaves this page.</strong> No request carries your token or your keys, and nothing is stored: no localStorage, no cookies. The page's Content-Security-Policy says <code>connect-src 'none'</code>, so it could not send them anywhere if it tried. Decoding, verifying and decrypting run here, in jose's browser build.</p>
<p><a href="/">Back to the lab</a></p>
</header>
<main class="debugger">
<section class="inputs">
<label for="token">Token</label>
<textarea id="token" rows="6" spellcheck="false" autocomplete="off" autocapitalize="off" placeholder="eyJ… (a JWS: 3 segments, a JWE: 5)"></textarea>
<div class="key">
<label for="signing-key">HS256 key</label>
<input id="signing-key" spellcheck="false" autocomplete="off">
<label for="signing-format">HS256 key format</label>
<select id="signing-format"><option value="base64url">base64url</option><option value="text">text (UTF-8)</option></select>
</div>
<div class="key">
<label for="encryption-key">dir key (A128GCM, A192GCM, A256GCM)</label>
<input id="encryption-key" spellcheck="false" autocomplete="off">
<label for="encryption-format">dir key format</label>
<select id="encryption-format"><option value="base64url">base64url</option><option value="text">text (UTF-8)</option></select>
</div>
<p>
<button id="example-nested" type="button">Example: nested sign-then-encrypt token</button>
<button id="example-jws" type="button">Example: signed JWT</button>
</p>
<details>
<summary>What this debugger refuses</summary>
<p>Only HS256 for a signature and <code>dir</code> with A128GCM, A192GCM or A256GCM for encryption, whatever the token's header asks for; never <code>none</code>. Every segment in canonical base64url. No <code>crit</code>, <code>zip</code> or <code>b64</code>. HS256 keys of at least 32 bytes. A token inside a JWE only with <code>cty: "JWT"</code>.</p>
</details>
</section>
<section id="output" class="output" aria-live="polite"></section>
</main>`,
    head,
  )
}

function indexPage(lab: LabParts, lifetimeSeconds: number): string {
  const appRow = (app: DemoApp, what: string): string =>
    `<tr><td><a href="${app.origin}/">App ${escapeHtml(app.options.name)}</a></td><td>${what}</td>
<td><a href="${escapeHtml(attackLink(app.origin, lab.attacker.collectUrl))}">the XSS link</a></td></tr>`
  const offset = lab.clock.offsetSeconds()
  return layout(
    'jose-by-hand browser token lab',
    `<header><h1>jose-by-hand: where the token lives</h1>
<p>Everything here runs on this machine, on 127.0.0.1. Chapter 9 of the docs walks through it.</p></header>
<section><h2><a href="/debugger">The token debugger</a></h2>
<p>Paste a JWS or a JWE, see its parts, decode, verify and decrypt it in the page. Nothing you type leaves the page.</p></section>
<section><h2>The storage lab</h2>
<p>One small app, twice. Log in (alice / wonderland), then open its XSS link: the search page's deliberate bug runs the attacker's script. Tokens live ${lifetimeSeconds} seconds.</p>
<table><thead><tr><th>app</th><th>where the token lives</th><th>attack</th></tr></thead><tbody>
${appRow(lab.appA, 'localStorage, sent as <code>Authorization: Bearer</code>')}
${appRow(lab.appB, `<code>${lab.appB.cookieName}</code> cookie: <code>HttpOnly; Secure; SameSite=Strict; Path=/</code>`)}
${appRow(lab.appBWithCsp, `the same kind of cookie (<code>${lab.appBWithCsp.cookieName}</code>), and a Content-Security-Policy without <code>'unsafe-inline'</code>`)}
</tbody></table>
<p><a href="${lab.attacker.origin}/">The attacker</a> (on 127.0.0.1, another site): what the injected scripts sent, and a replay button. <a href="${lab.attacker.origin}/cross-site">Its cross-site page</a> sends requests to app B.</p>
</section>
<section><h2>The server clock</h2>
<p id="clock">The apps' clock: ${escapeHtml(lab.clock.now().toISOString())} (${offset >= 0 ? '+' : ''}${offset} s from real time).</p>
<form method="post" action="/clock">
<button name="advance" value="60">+1 minute</button>
<button name="advance" value="${lifetimeSeconds}">+${lifetimeSeconds / 60} minutes (a token's lifetime)</button>
<button name="reset" value="1">real time</button>
</form></section>`,
  )
}
