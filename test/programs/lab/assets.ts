/**
 * The lab's static files: the page scripts in pages/, jose's browser build, one
 * stylesheet.
 *
 * No bundler. The page scripts are TypeScript with erasable syntax only, so serving
 * them is removing the types (TypeScript's `transpileModule`, file by file); their
 * imports stay as written, and the browser fetches `./strictness.ts` like any other
 * module. `jose` is resolved through its package "exports", which lead to its Web
 * Crypto build (`dist/webapi/`, plain ES modules that import one another by relative
 * path); an import map points the bare name at it.
 */

import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { send } from './http.ts'

const PAGES = fileURLToPath(new URL('./pages/', import.meta.url))

/** jose's entry for this runtime; for jose 6 that is dist/webapi/index.js, an ES module. */
const JOSE_ENTRY = createRequire(import.meta.url).resolve('jose')
const JOSE_DIR = dirname(JOSE_ENTRY)

/** Where pages find jose. */
export const JOSE_URL = '/vendor/jose/index.js'

/** The import map's exact text: its hash goes into the Content-Security-Policy. */
export const IMPORT_MAP = JSON.stringify({ imports: { jose: JOSE_URL } })

/** CSP Level 3 hash-source: an inline script is allowed by the base64 SHA-256 of its text. */
export const IMPORT_MAP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`

export type PageScript = 'analysis' | 'app' | 'debugger' | 'strictness'

const transpiled = new Map<string, { mtimeMs: number; code: string }>()

/** A page script as JavaScript, re-read when its file changes. */
export function pageScript(name: PageScript): string {
  const file = join(PAGES, `${name}.ts`)
  const { mtimeMs } = statSync(file)
  const cached = transpiled.get(file)
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.code
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
    },
  })
  transpiled.set(file, { mtimeMs, code: output.outputText })
  return output.outputText
}

const SAFE_MODULE_PATH = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*\.js$/

/** A file of jose's Web Crypto build, or `undefined` for anything outside it. */
function joseModule(path: string): Uint8Array | undefined {
  if (!SAFE_MODULE_PATH.test(path)) return undefined
  const file = join(JOSE_DIR, ...path.split('/'))
  const inside = relative(JOSE_DIR, file)
  if (inside.startsWith('..') || inside.split(sep).includes('..')) return undefined
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

const JAVASCRIPT = 'text/javascript; charset=utf-8'

/**
 * Answers `pathname` if it names an asset this server offers, and says whether it
 * did: `/lab.css`, `/pages/<name>.ts` for the names in `scripts`, and, when
 * `withJose`, `/vendor/jose/…`.
 */
export function serveAsset(
  pathname: string,
  response: ServerResponse,
  scripts: readonly PageScript[],
  jose: 'with jose' | 'without jose',
): boolean {
  if (pathname === '/lab.css') {
    send(response, 200, 'text/css; charset=utf-8', readFileSync(join(PAGES, 'lab.css')))
    return true
  }
  if (pathname === '/icon.svg' || pathname === '/favicon.ico') {
    send(response, 200, 'image/svg+xml', readFileSync(join(PAGES, 'icon.svg')))
    return true
  }
  const page = /^\/pages\/([a-z-]+)\.ts$/.exec(pathname)
  if (page !== null && (scripts as readonly string[]).includes(page[1] as string)) {
    send(response, 200, JAVASCRIPT, pageScript(page[1] as PageScript))
    return true
  }
  if (jose === 'with jose' && pathname.startsWith('/vendor/jose/')) {
    const module = joseModule(pathname.slice('/vendor/jose/'.length))
    if (module === undefined) return false
    send(response, 200, JAVASCRIPT, module)
    return true
  }
  return false
}
