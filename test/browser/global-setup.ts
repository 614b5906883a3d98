/**
 * Runs once before the browser suites: finds the browser (test/programs/lab/browser.ts),
 * unpacks it if it comes packed, and hands the choice to every suite. When there is no
 * browser at all (never on Linux x64), this is the one line that says so.
 */

import type { TestProject } from 'vitest/node'
import { type BrowserChoice, findBrowser } from '../programs/lab/browser.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    browser: BrowserChoice
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const choice = await findBrowser()
  if (choice.kind === 'missing') process.stdout.write(`browser suites skipped: ${choice.reason}\n`)
  project.provide('browser', choice)
}
