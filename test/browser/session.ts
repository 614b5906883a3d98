/**
 * What the browser suites share: the browser chosen in global-setup.ts, and a record
 * of every request a browser context makes, as Playwright sees it.
 */

import type { Browser, BrowserContext } from 'playwright-core'
import { inject } from 'vitest'
import { launchBrowser } from '../programs/lab/browser.ts'

const choice = inject('browser')

/** True only where no browser could be found; the suites then skip, and say why once. */
export const noBrowser: boolean = choice.kind === 'missing'

export function openBrowser(): Promise<Browser> {
  return launchBrowser(choice)
}

/** One request, with everything it could carry. */
export interface SeenRequest {
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Every request the context makes from now on, pages, workers and all. */
export function recordRequests(context: BrowserContext): SeenRequest[] {
  const seen: SeenRequest[] = []
  context.on('request', (request) => {
    seen.push({
      url: request.url(),
      method: request.method(),
      headers: request.headers(),
      body: request.postData() ?? '',
    })
  })
  return seen
}

/** The requests in `seen` that contain `secret` anywhere: URL, a header, or the body. */
export function requestsCarrying(seen: readonly SeenRequest[], secret: string): SeenRequest[] {
  return seen.filter(
    (request) =>
      request.url.includes(secret) ||
      request.body.includes(secret) ||
      Object.values(request.headers).some((value) => value.includes(secret)),
  )
}
