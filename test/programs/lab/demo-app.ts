/**
 * The storage lab's demo app: a login, an account page, an action (change the
 * account's email address) and a search page. The lab runs it twice, and once more
 * with a Content-Security-Policy:
 *
 * - app A keeps the token in localStorage and sends it as `Authorization: Bearer`;
 * - app B sets it as an `HttpOnly; Secure; SameSite=Strict` cookie with the
 *   `__Host-` prefix (RFC 6265bis §4.1.3.2: Secure, Path=/, no Domain), which
 *   Chromium accepts on http://localhost because it treats localhost as a secure
 *   context (W3C Secure Contexts §3.1);
 * - app B with CSP adds a policy without 'unsafe-inline'.
 *
 * ============================================================================
 * DELIBERATE BUG, for teaching: /search writes the query into the page without
 * escaping it. That is a reflected XSS, the same in every copy.
 * ============================================================================
 *
 * The token is the nested JWT of `jose-by-hand/reference` (sign with HS256, then
 * encrypt with `dir` + A256GCM): a real JWE that nobody outside the server can read.
 * Every request the app receives is recorded, with the cookie and the bearer token it
 * carried and what the browser said about its origin, so that tests assert what the
 * server really saw.
 */

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { decryptThenVerify, signThenEncrypt } from 'jose-by-hand/reference'
import { serveAsset } from './assets.ts'
import type { LabClock } from './clock.ts'
import { createLabServer, escapeHtml, listen, readBody, sendHtml, sendJson } from './http.ts'

export type TokenStorage = 'localStorage' | 'cookie'
export type ContentSecurity = 'no policy' | 'strict policy'

export interface DemoAppOptions {
  /** `A`, `B`, `B with CSP`: how pages and the lab name this copy. */
  readonly name: string
  /** `a`, `b`, `b-csp`: the copy's name in its cookie's name. */
  readonly slug: string
  readonly storage: TokenStorage
  readonly contentSecurity: ContentSecurity
  readonly clock: LabClock
  /** How long a token lives, in seconds. */
  readonly lifetimeSeconds: number
}

/** One request, as the server saw it. */
export interface RequestRecord {
  readonly method: string
  readonly path: string
  readonly status: number
  /** The session cookie's value, when the request carried it. */
  readonly sessionCookie: string | undefined
  /** The bearer token, when the request carried one. */
  readonly bearer: string | undefined
  /** `Sec-Fetch-Site` (Fetch Metadata): same-origin, same-site, cross-site or none. */
  readonly fetchSite: string | undefined
  readonly origin: string | undefined
}

/**
 * The `__Host-` prefix pins the cookie to this host, over a secure channel, for every
 * path. Each copy has its own name: cookies do not keep ports apart (RFC 6265 §8.5),
 * so copies on two ports of localhost would otherwise overwrite each other's.
 */
export function sessionCookieName(slug: string): string {
  return `__Host-session-${slug}`
}

/** The demo account. */
export const USERNAME = 'alice'
export const PASSWORD = 'wonderland'
export const INITIAL_EMAIL = 'alice@example.com'

const ISSUER = 'jose-by-hand lab'

/** CSP Level 3: scripts from this origin only, nothing inline, connections home only. */
export const STRICT_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

export class DemoApp {
  readonly options: DemoAppOptions
  readonly #server: Server
  readonly #keys = {
    signingKey: new Uint8Array(randomBytes(32)),
    encryptionKey: new Uint8Array(randomBytes(32)),
  }
  readonly #requests: RequestRecord[] = []
  #port = 0
  #email = INITIAL_EMAIL

  constructor(options: DemoAppOptions) {
    this.options = options
    this.#server = createLabServer(
      () => [`localhost:${this.#port}`],
      (request, response) => this.#handle(request, response),
    )
  }

  async start(): Promise<void> {
    this.#port = await listen(this.#server, 0)
  }

  get server(): Server {
    return this.#server
  }

  /** `http://localhost:<port>`: the app's origin, on the site `localhost`. */
  get origin(): string {
    return `http://localhost:${this.#port}`
  }

  /** The `aud` of this app's tokens: a token of one copy is refused by the other. */
  get audience(): string {
    return `lab app ${this.options.name}`
  }

  get cookieName(): string {
    return sessionCookieName(this.options.slug)
  }

  /** Every request so far, oldest first. */
  requests(): readonly RequestRecord[] {
    return [...this.#requests]
  }

  /** The account's email address, as the server holds it. */
  email(): string {
    return this.#email
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin)
    const sessionCookie = readCookie(request.headers.cookie, this.cookieName)
    const bearer = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(request.headers.authorization ?? '')?.[1]
    response.on('finish', () => {
      this.#requests.push({
        method: request.method ?? '',
        path: url.pathname,
        status: response.statusCode,
        sessionCookie,
        bearer,
        fetchSite: header(request, 'sec-fetch-site'),
        origin: header(request, 'origin'),
      })
    })
    if (serveAsset(url.pathname, response, ['app'], 'without jose')) return
    const route = `${request.method} ${url.pathname}`
    if (route === 'GET /') return this.#page(response, undefined)
    if (route === 'GET /search') return this.#page(response, url.searchParams.get('q') ?? '')
    if (route === 'POST /login') return this.#logIn(request, response)
    if (route === 'POST /logout') return this.#logOut(response)
    if (route === 'GET /api/me') return this.#me(response, this.#tokenOf(sessionCookie, bearer))
    if (route === 'POST /api/email')
      return this.#changeEmail(request, response, this.#tokenOf(sessionCookie, bearer))
    sendJson(response, 404, { error: 'not found' })
  }

  /** Each copy reads the token from the one place it keeps it, and ignores the other. */
  #tokenOf(sessionCookie: string | undefined, bearer: string | undefined): string | undefined {
    return this.options.storage === 'cookie' ? sessionCookie : bearer
  }

  async #logIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parseObject(await readBody(request))
    if (!sameSecret(body?.username, USERNAME) || !sameSecret(body?.password, PASSWORD)) {
      sendJson(response, 401, { error: 'wrong username or password' })
      return
    }
    const now = this.options.clock.now()
    const token = await signThenEncrypt({}, this.#keys, {
      issuer: ISSUER,
      subject: USERNAME,
      audience: this.audience,
      jwtId: randomUUID(),
      issuedAt: now,
      expirationTime: Math.floor(now.getTime() / 1000) + this.options.lifetimeSeconds,
      currentDate: now,
    })
    if (this.options.storage === 'localStorage') {
      sendJson(response, 200, { token })
      return
    }
    const cookie = `${this.cookieName}=${token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${this.options.lifetimeSeconds}`
    sendJson(response, 200, { ok: true }, { 'set-cookie': cookie })
  }

  #logOut(response: ServerResponse): void {
    const expired = `${this.cookieName}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`
    sendJson(
      response,
      200,
      { ok: true },
      this.options.storage === 'cookie' ? { 'set-cookie': expired } : {},
    )
  }

  /** The claims of a valid token, or the error code that refused it. */
  async #authenticate(
    token: string | undefined,
  ): Promise<{ sub: string; exp: number } | { error: string }> {
    if (token === undefined) return { error: 'no token' }
    try {
      const { payload } = await decryptThenVerify(token, this.#keys, {
        issuer: ISSUER,
        audience: this.audience,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        currentDate: this.options.clock.now(),
      })
      return { sub: String(payload.sub), exp: Number(payload.exp) }
    } catch (error) {
      const { code } = error as { code?: unknown }
      return { error: typeof code === 'string' ? code : 'invalid token' }
    }
  }

  async #me(response: ServerResponse, token: string | undefined): Promise<void> {
    const user = await this.#authenticate(token)
    if ('error' in user) return sendJson(response, 401, user)
    sendJson(response, 200, { ...user, email: this.#email })
  }

  async #changeEmail(
    request: IncomingMessage,
    response: ServerResponse,
    token: string | undefined,
  ): Promise<void> {
    // Like many APIs, this one reads the body as JSON whatever its Content-Type says,
    // so a cross-site `no-cors` fetch (text/plain, no preflight) could reach it. The
    // SameSite=Strict cookie is what keeps such a request from being the user's.
    const body = parseObject(await readBody(request))
    const user = await this.#authenticate(token)
    if ('error' in user) return sendJson(response, 401, user)
    const email = body?.email
    if (typeof email !== 'string' || email.length > 200) {
      return sendJson(response, 400, { error: 'email must be a string' })
    }
    this.#email = email
    sendJson(response, 200, { sub: user.sub, email })
  }

  #page(response: ServerResponse, searchQuery: string | undefined): void {
    const { name, storage, contentSecurity } = this.options
    const headers: Record<string, string> =
      contentSecurity === 'strict policy' ? { 'content-security-policy': STRICT_POLICY } : {}
    const page = appPage(name, this.cookieName, storage, contentSecurity, searchQuery)
    sendHtml(response, 200, page, headers)
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' ? value : undefined
}

/** One cookie's value from a Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Compares digests in constant time, so the comparison says nothing about how much matched. */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

function storageTitle(storage: TokenStorage, cookieName: string): string {
  return storage === 'localStorage'
    ? 'token in localStorage, sent as Authorization: Bearer'
    : `token in an HttpOnly; Secure; SameSite=Strict cookie (${cookieName})`
}

function appPage(
  name: string,
  cookieName: string,
  storage: TokenStorage,
  contentSecurity: ContentSecurity,
  searchQuery: string | undefined,
): string {
  const policy =
    contentSecurity === 'strict policy'
      ? `<p class="policy">This copy sends <code>Content-Security-Policy: ${escapeHtml(STRICT_POLICY)}</code>.</p>`
      : '<p class="policy">This copy sends no Content-Security-Policy.</p>'
  // DELIBERATE BUG: the query goes into the page as HTML, not as text. The fix is one
  // call: escapeHtml(searchQuery), as everywhere else on this page.
  const results =
    searchQuery === undefined
      ? ''
      : `<section class="results"><h2>Search</h2><p>No results for: ${searchQuery}</p></section>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>App ${escapeHtml(name)}: ${escapeHtml(storageTitle(storage, cookieName))}</title>
<link rel="icon" href="/icon.svg">
<link rel="stylesheet" href="/lab.css">
</head>
<body data-storage="${storage}" class="app">
<header>
<h1>App ${escapeHtml(name)}</h1>
<p>${escapeHtml(storageTitle(storage, cookieName))}</p>
${policy}
<p class="bug"><strong>Deliberate bug:</strong> the search page writes your query into the HTML without escaping it (a reflected XSS). Every copy of this app has it.</p>
</header>
<section class="seen">
<h2>What any script on this page can read</h2>
<dl>
<dt><code>localStorage.getItem('token')</code></dt><dd><code id="seen-storage">…</code></dd>
<dt><code>document.cookie</code></dt><dd><code id="seen-cookie">…</code></dd>
</dl>
</section>
${results}
<section>
<h2>Account</h2>
<p id="account" aria-live="polite">…</p>
<form id="login">
<label>Username <input name="username" value="${USERNAME}" autocomplete="off"></label>
<label>Password <input name="password" type="password" value="${PASSWORD}" autocomplete="off"></label>
<button type="submit">Log in</button>
</form>
<form id="email">
<label>New email <input name="email" type="email" value="alice@example.org"></label>
<button type="submit">Change email</button>
</form>
<button id="logout" type="button">Log out</button>
</section>
<section>
<h2>Search</h2>
<form action="/search" method="get">
<label>Query <input name="q"></label>
<button type="submit">Search</button>
</form>
</section>
<script type="module" src="/pages/app.ts"></script>
</body>
</html>
`
}
