/**
 * Where generated snippet modules live: node_modules/.cache/doc-snippets/<purpose>-<pid>/.
 * Inside the repository, so that `jose-by-hand` resolves to this project, and inside
 * node_modules/, which git and biome already ignore. Each test file writes its own
 * directory, and each vitest process its own (several may run in one checkout), so no
 * run ever deletes or overwrites files that another one is importing. A directory is
 * removed when its tests pass and kept when one fails, for a look at the generated code.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyseDocs, type PageAnalysis, type Snippet, snippetModule } from './markdown.ts'

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL('../../', import.meta.url))

export interface WrittenSnippet {
  readonly snippet: Snippet
  readonly file: string
  readonly pageLines: readonly number[]
  /** `docs/01-base64url.md:42`: where a reader finds the block. */
  readonly where: string
}

/** The directory of this process's modules for one purpose (`run`, `typecheck`). */
export function snippetDir(purpose: string): string {
  return join(ROOT, 'node_modules', '.cache', 'doc-snippets', `${purpose}-${process.pid}`)
}

/** Removes this process's directory for `purpose`. */
export function removeSnippets(purpose: string): void {
  rmSync(snippetDir(purpose), { recursive: true, force: true })
}

/** Writes one module per snippet into a fresh directory for `purpose`. */
export function writeSnippets(
  analyses: readonly PageAnalysis[],
  purpose: string,
): WrittenSnippet[] {
  const dir = snippetDir(purpose)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const written: WrittenSnippet[] = []
  for (const analysis of analyses) {
    for (const snippet of analysis.snippets) {
      const module = snippetModule(snippet, ROOT)
      const file = join(dir, module.fileName)
      writeFileSync(file, module.source)
      written.push({
        snippet,
        file,
        pageLines: module.pageLines,
        where: `${snippet.block.page}:${snippet.block.line}`,
      })
    }
  }
  return written
}

/** Every page's analysis, read once per test file. */
export function loadDocs(): PageAnalysis[] {
  return analyseDocs(ROOT)
}
