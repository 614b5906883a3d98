/// <reference lib="dom" />
/**
 * The demo app's own page script, the same file for both copies. The server says on
 * `<body data-storage>` where this copy keeps the token:
 *
 * - `localStorage`: the login response carries the token; this script stores it and
 *   sends it back as `Authorization: Bearer` (app A). Any script on the page can do
 *   the same, including an injected one.
 * - `cookie`: the login response sets an HttpOnly cookie; this script never sees the
 *   token, the browser attaches it (app B).
 *
 * It is an external file on purpose: app B's Content-Security-Policy allows scripts
 * from the app's own origin and nothing inline.
 */

const TOKEN_ITEM = 'token'
const storage = document.body.dataset.storage === 'localStorage' ? 'localStorage' : 'cookie'

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`the page has no #${id}`)
  return found as T
}

function headers(): Record<string, string> {
  const result: Record<string, string> = { 'content-type': 'application/json' }
  const token = storage === 'localStorage' ? localStorage.getItem(TOKEN_ITEM) : null
  if (token !== null) result.authorization = `Bearer ${token}`
  return result
}

function shorten(text: string): string {
  return text.length <= 48
    ? text
    : `${text.slice(0, 24)}…${text.slice(-16)} (${text.length} characters)`
}

/** What any script running on this page can read: the point of the whole lab. */
function showWhatScriptsSee(): void {
  const token = localStorage.getItem(TOKEN_ITEM)
  element('seen-storage').textContent = token === null ? 'null' : shorten(token)
  element('seen-cookie').textContent = JSON.stringify(document.cookie)
}

async function showAccount(): Promise<void> {
  const response = await fetch('/api/me', { headers: headers() })
  const account = element('account')
  const body = (await response.json()) as { sub?: string; email?: string; error?: string }
  account.dataset.status = String(response.status)
  account.textContent = response.ok
    ? `Signed in as ${body.sub} <${body.email}>`
    : `Not signed in (${response.status} ${body.error})`
  showWhatScriptsSee()
}

async function logIn(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const form = event.target as HTMLFormElement
  const data = new FormData(form)
  const response = await fetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: data.get('username'), password: data.get('password') }),
  })
  const body = (await response.json()) as { token?: string }
  if (storage === 'localStorage' && typeof body.token === 'string') {
    localStorage.setItem(TOKEN_ITEM, body.token)
  }
  await showAccount()
}

async function changeEmail(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const data = new FormData(event.target as HTMLFormElement)
  await fetch('/api/email', {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ email: data.get('email') }),
  })
  await showAccount()
}

async function logOut(): Promise<void> {
  localStorage.removeItem(TOKEN_ITEM)
  await fetch('/logout', { method: 'POST' })
  await showAccount()
}

function report(error: unknown): void {
  element('account').textContent = `The app failed: ${String(error)}`
}

element<HTMLFormElement>('login').addEventListener('submit', (event) => {
  logIn(event).catch(report)
})
element<HTMLFormElement>('email').addEventListener('submit', (event) => {
  changeEmail(event).catch(report)
})
element('logout').addEventListener('click', () => {
  logOut().catch(report)
})
showAccount()
  .catch(report)
  .finally(() => {
    document.body.dataset.ready = 'yes'
  })
