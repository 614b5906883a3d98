/**
 * Docs that cannot rot: every runnable ```ts block of docs/**\/*.md runs
 * here as an ES module, every excerpt must equal its source region, and every relative
 * link must lead somewhere. Conventions: docs/README.md, "How these docs are tested".
 */

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest'
import { loadDocs, ROOT, removeSnippets, type WrittenSnippet, writeSnippets } from './cache.ts'
import {
  compareExcerpt,
  findLocalLinks,
  headingAnchors,
  matchesExpectedFailure,
  type Problem,
} from './markdown.ts'

const analyses = loadDocs()
const written = new Map<string, WrittenSnippet>()

let keepModules = false

beforeAll(() => {
  for (const item of writeSnippets(analyses, 'run')) written.set(item.where, item)
})

afterAll(() => {
  // A failure's message names the generated file: keep it for a look.
  if (!keepModules) removeSnippets('run')
})

/** The chapters of docs/README.md's reading order: each must exist and teach by running code. */
const CHAPTERS = [
  'docs/01-base64url.md',
  'docs/02-jws-hs256.md',
  'docs/03-jwt-claims.md',
  'docs/04-jwe-dir-a256gcm.md',
  'docs/05-nested-sign-then-encrypt.md',
  'docs/06-the-blog-post.md',
  'docs/07-jose-in-production.md',
  'docs/08-inside-the-primitives.md',
  'docs/09-where-the-token-lives.md',
]

describe('the docs machinery finds the docs', () => {
  test.each(CHAPTERS)('%s exists and has runnable snippets', (chapter) => {
    const analysis = analyses.find((a) => a.page === chapter)
    // A runner that silently found nothing would pass every test below.
    expect(analysis?.snippets.length ?? 0).toBeGreaterThan(0)
  })

  test('every ts block follows the conventions', () => {
    const problems: Problem[] = analyses.flatMap((a) => a.problems)
    expect(problems.map((p) => `${p.page}:${p.line}: ${p.message}`)).toEqual([])
  })
})

async function runSnippet(where: string): Promise<unknown> {
  onTestFailed(() => {
    keepModules = true
  })
  const item = written.get(where)
  if (item === undefined) throw new Error(`${where}: no module was written`)
  // Through vitest's module loader, so `jose-by-hand` resolves through the alias in
  // vitest.config.ts, exactly as a reader's import would resolve to this package.
  const url = pathToFileURL(item.file).href
  try {
    await import(/* @vite-ignore */ url)
  } catch (error) {
    return error
  }
  return undefined
}

/** `(at docs/page.md:LINE) Name (CODE): message`; the place when the stack points into the snippet. */
function describeError(error: unknown, where: string): string {
  if (!(error instanceof Error)) return String(error)
  const { code } = error as { code?: unknown }
  const text = `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`
  const item = written.get(where)
  if (item === undefined) return text
  // The first stack frame in the generated module, mapped back to its page line.
  const frame = new RegExp(`${escapeRegExp(item.file)}:(\\d+):\\d+`).exec(error.stack ?? '')
  const pageLine = frame === null ? 0 : (item.pageLines[Number(frame[1]) - 1] ?? 0)
  return pageLine > 0 ? `(at ${item.snippet.block.page}:${pageLine}) ${text}` : text
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

for (const analysis of analyses) {
  if (analysis.snippets.length === 0) continue
  const { page } = analysis
  describe(`${page} snippets`, () => {
    for (const snippet of analysis.snippets) {
      const where = `${page}:${snippet.block.line}`
      const { expectation } = snippet
      if (expectation.kind === 'succeeds') {
        test(`${where} runs`, async () => {
          const error = await runSnippet(where)
          if (error !== undefined) {
            throw new Error(
              `${where} (${written.get(where)?.file}) threw ${describeError(error, where)}`,
              { cause: error },
            )
          }
        })
      } else {
        const name = expectation.error ?? 'an error'
        test(`${where} fails with ${name}, as marked`, async () => {
          const error = await runSnippet(where)
          expect(
            error,
            `${where} is marked "fails" but ran to the end without throwing`,
          ).not.toBeUndefined()
          expect(
            matchesExpectedFailure(error, expectation.error),
            `${where} should fail with ${name}, but threw ${describeError(error, where)}`,
          ).toBe(true)
        })
      }
    }
  })
}

for (const analysis of analyses) {
  if (analysis.excerpts.length === 0) continue
  const { page } = analysis
  describe(`${page} excerpts`, () => {
    for (const excerpt of analysis.excerpts) {
      test(`${page}:${excerpt.block.line} equals ${excerpt.file}#${excerpt.region}`, () => {
        const problem = compareExcerpt(excerpt, ROOT)
        // Thrown as is, so that the source and doc lines print without JSON escaping.
        if (problem !== undefined) throw new Error(problem)
      })
    }
  })
}

describe('relative links lead somewhere', () => {
  // docs/README.md is listed even before it exists, so that this suite is never empty.
  const pages = [...new Set(['docs/README.md', ...analyses.map((a) => a.page)])]
  test.each(pages)('%s', (page) => {
    const markdown = readFileSync(join(ROOT, page), 'utf8')
    const broken: string[] = []
    for (const { line, target } of findLocalLinks(markdown)) {
      const hash = target.indexOf('#')
      const path = hash === -1 ? target : target.slice(0, hash)
      const anchor = hash === -1 ? '' : decodeURIComponent(target.slice(hash + 1))
      const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURI(path))
      if (!existsSync(file)) {
        broken.push(`${page}:${line}: ${target} (no such file)`)
        continue
      }
      if (anchor !== '' && file.endsWith('.md')) {
        if (!headingAnchors(readFileSync(file, 'utf8')).has(anchor))
          broken.push(`${page}:${line}: ${target} (no heading with that anchor)`)
      }
    }
    expect(broken).toEqual([])
  })
})
