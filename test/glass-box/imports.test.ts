/**
 * The glass box imports nothing: no node: modules, no packages, no other part of src/.
 * Each file may use only its neighbours in src/glass-box/, so that it can be read, and
 * run anywhere JavaScript runs, on its own.
 */

import { readdirSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const folder = new URL('../../src/glass-box/', import.meta.url)
const files = readdirSync(folder).filter((name) => name.endsWith('.ts'))

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g

test('the glass box is these files and no others', () => {
  expect(files.sort()).toEqual([
    'aes.ts',
    'gcm.ts',
    'gctr.ts',
    'gf128.ts',
    'ghash.ts',
    'hmac.ts',
    'index.ts',
    'sha256.ts',
  ])
})

test.each(files)('%s imports only its neighbours (./*.ts)', (name) => {
  const source = readFileSync(new URL(name, folder), 'utf8')
  const specifiers = [...source.matchAll(SPECIFIER)].map((match) => match[1] as string)
  expect(specifiers.filter((specifier) => !/^\.\/[a-z0-9-]+\.ts$/.test(specifier))).toEqual([])
  // No Node globals either: Buffer.from(…) or process.env would tie it to Node.
  expect(source).not.toMatch(/\b(?:Buffer|process)\s*[.(]|\brequire\s*\(/)
})
