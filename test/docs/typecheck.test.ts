/**
 * Every runnable ```ts block of docs/**\/*.md type-checks with the project's own
 * compiler options (tsconfig.json: strict, noUncheckedIndexedAccess, …), importing the
 * project by its package name. Diagnostics are reported at their line in the page.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadDocs, ROOT, removeSnippets, type WrittenSnippet, writeSnippets } from './cache.ts'

const analyses = loadDocs()
const diagnosticsByFile = new Map<string, string[]>()
const optionProblems: string[] = []

/**
 * The project's compiler options, plus `paths` for the package's own name. The
 * mapping is read from package.json "exports", so a snippet can import exactly what a
 * user of the package could: the snippets sit under node_modules/.cache, outside the
 * package scope where TypeScript would resolve a self-reference by itself.
 */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json')
  const read = ts.readConfigFile(configPath, ts.sys.readFile)
  if (read.error !== undefined) throw new Error(flatten(read.error))
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath)
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string
    exports: Record<string, string>
  }
  const paths: Record<string, string[]> = {}
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
    paths[specifier] = [join(ROOT, target)]
  }
  return { ...parsed.options, noEmit: true, paths }
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
}

/** `docs/page.md:LINE: TS2322 message`, or the generated file's line when it has no page line. */
function format(diagnostic: ts.Diagnostic, item: WrittenSnippet): string {
  const { file, start } = diagnostic
  let place = item.where
  if (file !== undefined && start !== undefined) {
    const { line } = file.getLineAndCharacterOfPosition(start)
    const pageLine = item.pageLines[line] ?? 0
    place =
      pageLine > 0
        ? `${item.snippet.block.page}:${pageLine}`
        : `${item.file}:${line + 1} (generated)`
  }
  return `${place}: TS${diagnostic.code} ${flatten(diagnostic)}`
}

beforeAll(() => {
  const items = writeSnippets(analyses, 'typecheck')
  if (items.length === 0) return
  const program = ts.createProgram({
    rootNames: items.map((item) => item.file),
    options: compilerOptions(),
  })
  for (const diagnostic of [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ]) {
    optionProblems.push(flatten(diagnostic))
  }
  for (const item of items) {
    const source = program.getSourceFile(item.file)
    if (source === undefined) {
      diagnosticsByFile.set(item.where, [`${item.where}: the compiler did not load ${item.file}`])
      continue
    }
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]
    diagnosticsByFile.set(
      item.where,
      diagnostics.map((d) => format(d, item)),
    )
  }
})

afterAll(() => {
  // Kept when a snippet has diagnostics, so that the generated file can be inspected.
  const clean = [...diagnosticsByFile.values()].every((list) => list.length === 0)
  if (clean && optionProblems.length === 0) removeSnippets('typecheck')
})

describe('docs snippets type-check', () => {
  test('the compiler options are valid', () => {
    expect(optionProblems).toEqual([])
  })

  for (const analysis of analyses) {
    for (const snippet of analysis.snippets) {
      const where = `${snippet.block.page}:${snippet.block.line}`
      test(`${where} type-checks`, () => {
        expect(diagnosticsByFile.get(where)).toEqual([])
      })
    }
  }
})
