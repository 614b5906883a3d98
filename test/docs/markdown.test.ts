/**
 * The docs machinery itself, on small made-up pages: a checker that could not fail
 * would let the docs rot while the suite stays green.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { ROOT } from './cache.ts'
import {
  analysePage,
  compareExcerpt,
  extractCodeBlocks,
  findLocalLinks,
  headingAnchors,
  matchesExpectedFailure,
  readRegion,
  resolveRelativeImports,
  snippetModule,
} from './markdown.ts'

const FENCE = '```'

describe('extractCodeBlocks', () => {
  test('reads language, flags, content and lines; strips the fence indentation', () => {
    const page = [
      'text',
      `${FENCE}ts fails=ERR_JWS_INVALID continues`,
      'const a = 1',
      '',
      FENCE,
      '  ~~~~mermaid',
      '  graph LR',
      '    A --> B',
      '  ~~~~',
      `${FENCE}`,
      'plain',
      `${FENCE}`,
    ].join('\n')
    const { blocks, problems } = extractCodeBlocks('docs/x.md', page)
    expect(problems).toEqual([])
    expect(blocks).toEqual([
      {
        page: 'docs/x.md',
        line: 2,
        endLine: 5,
        lang: 'ts',
        flags: ['fails=ERR_JWS_INVALID', 'continues'],
        code: 'const a = 1\n',
      },
      {
        page: 'docs/x.md',
        line: 6,
        endLine: 9,
        lang: 'mermaid',
        flags: [],
        code: 'graph LR\n  A --> B',
      },
      { page: 'docs/x.md', line: 10, endLine: 12, lang: '', flags: [], code: 'plain' },
    ])
  })

  test('a shorter fence does not close a longer one, and an unclosed fence is a problem', () => {
    const page = [`${FENCE}\`md`, FENCE, `${FENCE}\``, `${FENCE}ts`, 'open'].join('\n')
    const { blocks, problems } = extractCodeBlocks('docs/x.md', page)
    expect(blocks.map((b) => [b.lang, b.code])).toEqual([
      ['md', FENCE],
      ['ts', 'open'],
    ])
    expect(problems).toEqual([
      { page: 'docs/x.md', line: 4, message: 'code fence is never closed' },
    ])
  })
})

describe('analysePage', () => {
  test('sorts ts blocks into snippets and excerpts and chains "continues"', () => {
    const page = [
      `${FENCE}ts`,
      'const one = 1',
      FENCE,
      `${FENCE}typescript`,
      '// src/base64url.ts#base64url-alphabet',
      'body',
      FENCE,
      `${FENCE}ts continues`,
      'const two = one + 1',
      FENCE,
      `${FENCE}ts continues fails=TypeError`,
      'null.x',
      FENCE,
      `${FENCE}js`,
      'not run',
      FENCE,
    ].join('\n')
    const analysis = analysePage('docs/x.md', page)
    expect(analysis.problems).toEqual([])
    expect(analysis.excerpts).toMatchObject([
      { index: 2, file: 'src/base64url.ts', region: 'base64url-alphabet', body: 'body' },
    ])
    expect(
      analysis.snippets.map((s) => [s.index, s.expectation, s.prefix.map((b) => b.line)]),
    ).toEqual([
      [1, { kind: 'succeeds' }, []],
      [3, { kind: 'succeeds' }, [1]],
      [4, { kind: 'fails', error: 'TypeError' }, [1, 8]],
    ])
  })

  test('reports unknown flags, orphan and post-failure "continues", flagged excerpts', () => {
    const page = [
      `${FENCE}ts continues`,
      'a',
      FENCE,
      `${FENCE}ts fail`,
      'b',
      FENCE,
      `${FENCE}ts fails`,
      'c',
      FENCE,
      `${FENCE}ts continues`,
      'd',
      FENCE,
      `${FENCE}ts fails`,
      '// src/jws.ts#sign-compact',
      FENCE,
    ].join('\n')
    expect(analysePage('docs/x.md', page).problems.map((p) => p.line)).toEqual([1, 4, 10, 13])
  })

  test('the generated module maps its lines back to the page', () => {
    const page = [`${FENCE}ts`, 'const a = 1', FENCE, 'prose', `${FENCE}ts continues`, 'a', FENCE]
    const [, second] = analysePage('docs/sub/x.md', page.join('\n')).snippets
    const module = snippetModule(second as NonNullable<typeof second>)
    expect(module.fileName).toBe('sub__x.2.ts')
    const lines = module.source.split('\n')
    expect(lines.indexOf('const a = 1') + 1).toBe(3)
    expect(module.pageLines[lines.indexOf('const a = 1')]).toBe(2)
    expect(module.pageLines[lines.lastIndexOf('a')]).toBe(6)
    expect(lines.at(-2)).toBe('export {}')
  })
})

describe('excerpts', () => {
  const source = [
    'before',
    '// #region demo',
    'export const x = 1',
    '  indented',
    '// #endregion demo',
    '  // #region inner',
    '  kept as is',
    '  // #endregion',
    '// #region open',
  ].join('\n')

  test('readRegion returns the lines strictly between the markers', () => {
    expect(readRegion(source, 'demo')).toEqual({ body: 'export const x = 1\n  indented' })
    expect(readRegion(source, 'inner')).toEqual({ body: '  kept as is' })
    expect(readRegion(source, 'absent')).toEqual({ problem: 'has no "// #region absent"' })
    expect(readRegion(source, 'open')).toEqual({ problem: 'never closes "// #region open"' })
    expect(readRegion(`${source}\n// #region demo`, 'demo')).toMatchObject({
      problem: expect.stringContaining('2 times'),
    })
    expect(readRegion('// #region a\nx\n// #endregion b', 'a')).toMatchObject({
      problem: expect.stringContaining('#endregion b'),
    })
  })

  // A fresh clone has no node_modules/.cache yet.
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'doc-snippets-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const root = dir
  mkdirSync(join(root, 'src'))
  writeFileSync(join(root, 'src', 'demo.ts'), source)

  function excerptOf(body: string): Parameters<typeof compareExcerpt>[0] {
    const page = `${FENCE}ts\n// src/demo.ts#demo\n${body}\n${FENCE}`
    return analysePage('docs/x.md', page).excerpts[0] as Parameters<typeof compareExcerpt>[0]
  }

  test('an exact copy passes; one extra space, a missing line or a wrong region fails', () => {
    expect(compareExcerpt(excerptOf('export const x = 1\n  indented'), root)).toBeUndefined()
    expect(compareExcerpt(excerptOf('export const x = 1\n   indented'), root)).toContain(
      'First difference at line 2 of the region (line 4 of the page)',
    )
    expect(compareExcerpt(excerptOf('export const x = 1'), root)).toContain('<excerpt ends>')
    expect(compareExcerpt(excerptOf('export const x = 1\n  indented\n'), root)).toContain(
      '<region ends>',
    )
    const missing = analysePage('docs/x.md', `${FENCE}ts\n// src/nope.ts#demo\nx\n${FENCE}`)
    expect(compareExcerpt(missing.excerpts[0] as never, root)).toContain('does not exist')
    const noRegion = analysePage('docs/x.md', `${FENCE}ts\n// src/demo.ts#nope\nx\n${FENCE}`)
    expect(compareExcerpt(noRegion.excerpts[0] as never, root)).toContain(
      'has no "// #region nope"',
    )
  })
})

describe('matchesExpectedFailure', () => {
  const jwsInvalid = Object.assign(new Error('bad'), {
    name: 'JWSInvalid',
    code: 'ERR_JWS_INVALID',
  })

  test('a named failure matches the code or the name, nothing else', () => {
    expect(matchesExpectedFailure(jwsInvalid, 'ERR_JWS_INVALID')).toBe(true)
    expect(matchesExpectedFailure(jwsInvalid, 'JWSInvalid')).toBe(true)
    expect(matchesExpectedFailure(new TypeError('x'), 'TypeError')).toBe(true)
    expect(matchesExpectedFailure(jwsInvalid, 'ERR_JWE_INVALID')).toBe(false)
    expect(matchesExpectedFailure(undefined, 'ERR_JWS_INVALID')).toBe(false)
  })

  test('a bare "fails" does not accept a broken snippet as the failure', () => {
    expect(matchesExpectedFailure(jwsInvalid, undefined)).toBe(true)
    const assertion = Object.assign(new Error('x'), {
      name: 'AssertionError',
      code: 'ERR_ASSERTION',
    })
    expect(matchesExpectedFailure(assertion, undefined)).toBe(false)
    expect(matchesExpectedFailure(new SyntaxError('x'), undefined)).toBe(false)
    const notFound = Object.assign(new Error('x'), { code: 'ERR_MODULE_NOT_FOUND' })
    expect(matchesExpectedFailure(notFound, undefined)).toBe(false)
    expect(matchesExpectedFailure('a string', undefined)).toBe(false)
  })
})

describe('links and anchors', () => {
  test('finds relative links outside code, skips URLs and inline code', () => {
    const page = [
      'See [one](01-a.md#step-2), ![pic](img/x.png "t") and [web](https://example.com).',
      '`[not](a-link.md)` [mail](mailto:a@b.c) [here](#local)',
      FENCE,
      '[in](code.md)',
      FENCE,
    ].join('\n')
    expect(findLocalLinks(page)).toEqual([
      { line: 1, target: '01-a.md#step-2' },
      { line: 1, target: 'img/x.png' },
      { line: 2, target: '#local' },
    ])
  })

  test('anchors follow GitHub: lower case, punctuation dropped, repeats numbered', () => {
    const page = [
      '# Step 2: the `alg` header',
      '## Why *dir*? (RFC 7518 §4.5)',
      '## Why *dir*? (RFC 7518 §4.5)',
      '### [Linked](x.md) title_with_underscore',
      '### <a id="short-name"></a>short-name: a long title',
      FENCE,
      '# not a heading',
      FENCE,
    ].join('\n')
    expect([...headingAnchors(page)]).toEqual([
      'step-2-the-alg-header',
      'why-dir-rfc-7518-45',
      'why-dir-rfc-7518-45-1',
      'linked-title_with_underscore',
      'short-name',
      'short-name-a-long-title',
    ])
  })
})

describe('resolveRelativeImports', () => {
  test('relative specifiers are resolved from the page; package names are left alone', () => {
    const page = 'docs/pitfalls/x.md'
    expect(
      resolveRelativeImports(
        "import { a } from '../../reference/production-flow.ts' // from './x'",
        page,
        '/repo',
      ),
    ).toBe("import { a } from '/repo/reference/production-flow.ts' // from '/repo/docs/pitfalls/x'")
    expect(resolveRelativeImports(`const m = await import("./y.ts")`, page, '/repo')).toBe(
      'const m = await import("/repo/docs/pitfalls/y.ts")',
    )
    expect(resolveRelativeImports("import 'jose-by-hand'", page, '/repo')).toBe(
      "import 'jose-by-hand'",
    )
    expect(resolveRelativeImports("import { b } from 'jose'", page, '/repo')).toBe(
      "import { b } from 'jose'",
    )
  })
})
