/**
 * The machinery that keeps docs/**\/*.md honest: it finds every fenced code block,
 * sorts the TypeScript ones into runnable snippets and source excerpts, and turns the
 * snippets into modules that vitest imports and the TypeScript compiler checks.
 *
 * The conventions it enforces are documented for authors in docs/README.md, section
 * "How these docs are tested". In short, for a block whose language is `ts`:
 * - first line `// src/<file>.ts#<region>` (or reference/, test/): an EXCERPT, compared
 *   character for character with that `// #region` of the real file; never run;
 * - otherwise a SNIPPET: type-checked, then run as an ES module; it must not throw;
 * - `ts fails=<code or ErrorName>` (or bare `ts fails`): it must throw, and the test
 *   says which error;
 * - `ts continues`: the snippet runs after the page's previous snippet, in one module,
 *   so a worked example can go step by step with prose in between.
 */

import { type Dirent, readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative, sep } from 'node:path'

/** A fenced code block (CommonMark §4.5) as it appears in a page. */
export interface CodeBlock {
  /** Repository-relative path with forward slashes, e.g. `docs/01-base64url.md`. */
  readonly page: string
  /** 1-based line of the opening fence. */
  readonly line: number
  /** 1-based line of the closing fence (the page's last line when the fence is never closed). */
  readonly endLine: number
  /** The info string's first word (`ts`, `mermaid`, …); empty when there is none. */
  readonly lang: string
  /** The info string's other words (`fails=ERR_JWS_INVALID`, `continues`, …). */
  readonly flags: readonly string[]
  /** The content lines, joined with '\n', without the fences. */
  readonly code: string
}

/** What a snippet must do when it runs. */
export type Expectation =
  | { readonly kind: 'succeeds' }
  /** `error` is a `code` (ERR_…) or an error `name`; undefined for a bare `fails`. */
  | { readonly kind: 'fails'; readonly error: string | undefined }

export interface Snippet {
  readonly kind: 'snippet'
  readonly block: CodeBlock
  /** 1-based position among the page's TypeScript blocks (excerpts included). */
  readonly index: number
  readonly expectation: Expectation
  /** The earlier snippets this one continues, oldest first (empty when it stands alone). */
  readonly prefix: readonly CodeBlock[]
}

export interface Excerpt {
  readonly kind: 'excerpt'
  readonly block: CodeBlock
  readonly index: number
  /** Repository-relative source file, e.g. `src/base64url.ts`. */
  readonly file: string
  readonly region: string
  /** The block's lines after the `// file#region` line: what must equal the region. */
  readonly body: string
}

/** A convention broken by a page, reported with its place so the author can fix it. */
export interface Problem {
  readonly page: string
  readonly line: number
  readonly message: string
}

export interface PageAnalysis {
  readonly page: string
  readonly blocks: readonly CodeBlock[]
  readonly snippets: readonly Snippet[]
  readonly excerpts: readonly Excerpt[]
  readonly problems: readonly Problem[]
}

/** Languages that count as TypeScript: a block cannot dodge the runner by spelling. */
const TYPESCRIPT_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'mts'])

// `// src/base64url.ts#base64url-decode`: a repository path under src/, reference/ or
// test/, then '#', then the region name as written after `// #region`.
const EXCERPT_LINE = /^\/\/ ((?:src|reference|test)\/[A-Za-z0-9_./-]+\.ts)#([A-Za-z0-9_-]+)$/

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/

/** Every `.md` file under `docsDir`, as sorted repository-relative paths. */
export function findMarkdownPages(root: string, docsDir = 'docs'): string[] {
  const pages: string[] = []
  const pending = [join(root, docsDir)]
  while (pending.length > 0) {
    const dir = pending.pop() as string
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) pending.push(path)
      else if (entry.isFile() && entry.name.endsWith('.md'))
        pages.push(relative(root, path).split(sep).join('/'))
    }
  }
  return pages.sort()
}

/**
 * The fenced code blocks of a page. A fence may be indented up to three spaces; that
 * indentation is removed from the content lines, as CommonMark §4.5 says. A fence
 * left open at the end of the page is reported as a problem instead of silently
 * swallowing the rest of the page.
 */
export function extractCodeBlocks(
  page: string,
  markdown: string,
): { blocks: CodeBlock[]; problems: Problem[] } {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  const problems: Problem[] = []
  let i = 0
  while (i < lines.length) {
    const opening = OPENING_FENCE.exec(lines[i] as string)
    // A backtick fence's info string may not contain a backtick (CommonMark §4.5).
    if (opening === null || (opening[2]?.startsWith('`') && opening[3]?.includes('`'))) {
      i++
      continue
    }
    const indent = (opening[1] as string).length
    const fence = opening[2] as string
    const words = (opening[3] as string).trim().split(/\s+/).filter(Boolean)
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
    const content: string[] = []
    let j = i + 1
    while (j < lines.length && !closing.test(lines[j] as string)) {
      content.push(stripIndent(lines[j] as string, indent))
      j++
    }
    if (j === lines.length) {
      problems.push({ page, line: i + 1, message: 'code fence is never closed' })
    }
    blocks.push({
      page,
      line: i + 1,
      endLine: Math.min(j + 1, lines.length),
      lang: (words[0] ?? '').toLowerCase(),
      flags: words.slice(1),
      code: content.join('\n'),
    })
    i = j + 1
  }
  return { blocks, problems }
}

function stripIndent(line: string, indent: number): string {
  let n = 0
  while (n < indent && line.charCodeAt(n) === 0x20) n++
  return line.slice(n)
}

/** Sorts a page's TypeScript blocks into snippets and excerpts, checking the conventions. */
export function analysePage(page: string, markdown: string): PageAnalysis {
  const { blocks, problems } = extractCodeBlocks(page, markdown)
  const snippets: Snippet[] = []
  const excerpts: Excerpt[] = []
  let index = 0
  // The chain a `continues` block extends: the previous snippet's prefix plus itself.
  let previous: { chain: readonly CodeBlock[]; fails: boolean } | undefined
  for (const block of blocks) {
    if (!TYPESCRIPT_LANGS.has(block.lang)) continue
    index++
    const firstLine = block.code.split('\n', 1)[0] as string
    const excerpt = EXCERPT_LINE.exec(firstLine)
    if (excerpt !== null) {
      if (block.flags.length > 0) {
        problems.push({
          page,
          line: block.line,
          message: `an excerpt takes no flags, found "${block.flags.join(' ')}"`,
        })
      }
      excerpts.push({
        kind: 'excerpt',
        block,
        index,
        file: excerpt[1] as string,
        region: excerpt[2] as string,
        body: block.code.slice(firstLine.length + 1),
      })
      continue
    }
    const parsed = parseFlags(block.flags)
    if ('problem' in parsed) {
      problems.push({ page, line: block.line, message: parsed.problem })
      continue
    }
    let prefix: readonly CodeBlock[] = []
    if (parsed.continues) {
      if (previous === undefined) {
        problems.push({
          page,
          line: block.line,
          message: '"continues" needs an earlier runnable ts block on the same page',
        })
        continue
      }
      if (previous.fails) {
        problems.push({
          page,
          line: block.line,
          message: '"continues" cannot follow a "fails" block: its code throws before this one',
        })
        continue
      }
      prefix = previous.chain
    }
    const snippet: Snippet = {
      kind: 'snippet',
      block,
      index,
      expectation: parsed.expectation,
      prefix,
    }
    snippets.push(snippet)
    previous = { chain: [...prefix, block], fails: parsed.expectation.kind === 'fails' }
  }
  return { page, blocks, snippets, excerpts, problems }
}

function parseFlags(
  flags: readonly string[],
): { expectation: Expectation; continues: boolean } | { problem: string } {
  let expectation: Expectation = { kind: 'succeeds' }
  let continues = false
  for (const flag of flags) {
    if (flag === 'continues') {
      continues = true
    } else if (flag === 'fails') {
      expectation = { kind: 'fails', error: undefined }
    } else if (/^fails=[A-Za-z_][A-Za-z0-9_]*$/.test(flag)) {
      expectation = { kind: 'fails', error: flag.slice('fails='.length) }
    } else {
      return {
        problem: `unknown flag "${flag}" on a ts block (known: continues, fails, fails=<code or ErrorName>)`,
      }
    }
  }
  return { expectation, continues }
}

/**
 * The body of `// #region <name>` in `source`: the lines strictly between the marker
 * line and the next `// #endregion` line (bare or naming the same region), joined
 * with '\n'. Marker lines may be indented; body lines are returned as they are.
 */
export function readRegion(source: string, region: string): { body: string } | { problem: string } {
  const lines = source.split('\n')
  const starts: number[] = []
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() === `// #region ${region}`) starts.push(i)
  }
  if (starts.length === 0) return { problem: `has no "// #region ${region}"` }
  if (starts.length > 1) return { problem: `has "// #region ${region}" ${starts.length} times` }
  const start = starts[0] as number
  for (let i = start + 1; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim()
    if (trimmed === '// #endregion' || trimmed === `// #endregion ${region}`) {
      return { body: lines.slice(start + 1, i).join('\n') }
    }
    if (trimmed.startsWith('// #endregion ') || trimmed === `// #region ${region}`) {
      return { problem: `closes "${region}" with "${trimmed}"` }
    }
  }
  return { problem: `never closes "// #region ${region}"` }
}

/**
 * `undefined` when the excerpt equals its region, otherwise a message that names the
 * first differing line of each side.
 */
export function compareExcerpt(excerpt: Excerpt, root: string): string | undefined {
  const where = `${excerpt.block.page}:${excerpt.block.line}`
  if (excerpt.file.split('/').includes('..')) return `${where}: excerpt path must not contain ".."`
  let source: string
  try {
    source = readFileSync(join(root, excerpt.file), 'utf8')
  } catch {
    return `${where}: excerpt names ${excerpt.file}, which does not exist`
  }
  const region = readRegion(source, excerpt.region)
  if ('problem' in region) return `${where}: ${excerpt.file} ${region.problem}`
  if (region.body === excerpt.body) return undefined
  const docLines = excerpt.body.split('\n')
  const srcLines = region.body.split('\n')
  let n = 0
  while (n < docLines.length && n < srcLines.length && docLines[n] === srcLines[n]) n++
  return [
    `${where}: the excerpt of ${excerpt.file}#${excerpt.region} no longer matches the source.`,
    `First difference at line ${n + 1} of the region (line ${excerpt.block.line + 2 + n} of the page):`,
    `  source: ${JSON.stringify(srcLines[n] ?? '<region ends>')}`,
    `  doc:    ${JSON.stringify(docLines[n] ?? '<excerpt ends>')}`,
    'Copy the region into the page again (and re-read the prose around it).',
  ].join('\n')
}

/** A generated module for one snippet, with a map from its lines back to the page. */
export interface SnippetModule {
  /** File name inside the cache directory, e.g. `01-base64url.3.ts`. */
  readonly fileName: string
  readonly source: string
  /** `pageLines[k]` is the page line of generated line k + 1, or 0 for generated lines. */
  readonly pageLines: readonly number[]
}

/**
 * The module that runs `snippet`: its prefix blocks, then its own code, then `export {}`.
 *
 * Package imports (`jose-by-hand`, `jose`, `node:…`) are left as written. A relative
 * import (`'../reference/production-flow.ts'`) means a file of this repository, as seen
 * from the page, which is what a reader clicking through on GitHub sees; it is rewritten
 * to an absolute path under `root`, because the module itself lives elsewhere.
 */
export function snippetModule(snippet: Snippet, root = '/'): SnippetModule {
  const { page } = snippet.block
  const slug = page
    .replace(/^docs\//, '')
    .replace(/\.md$/, '')
    .replaceAll('/', '__')
  const lines: string[] = [
    `// Generated from ${page}:${snippet.block.line} by test/docs/markdown.ts. Edit the page, not this file.`,
  ]
  const pageLines: number[] = [0]
  for (const block of [...snippet.prefix, snippet.block]) {
    lines.push(`// ${page}:${block.line}`)
    pageLines.push(0)
    const code = block.code.split('\n')
    for (let k = 0; k < code.length; k++) {
      lines.push(resolveRelativeImports(code[k] as string, page, root))
      // Content starts on the line after the opening fence.
      pageLines.push(block.line + 1 + k)
    }
  }
  // Always a module, never a script: snippets must not share one global scope.
  lines.push('export {}', '')
  pageLines.push(0, 0)
  return { fileName: `${slug}.${snippet.index}.ts`, source: lines.join('\n'), pageLines }
}

// `from '…'`, `import '…'` and `import('…')` with a specifier starting ./ or ../
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g

/** Rewrites the relative specifiers of one line to absolute paths, seen from the page. */
export function resolveRelativeImports(line: string, page: string, root: string): string {
  return line.replace(
    RELATIVE_IMPORT,
    (_match, keyword: string, quote: string, specifier: string) => {
      const absolute = posix.join(root.split(sep).join('/'), posix.dirname(page), specifier)
      return `${keyword}${quote}${absolute}${quote}`
    },
  )
}

/** Reads and analyses every page under docs/, and the README, whose usage example must run too. */
export function analyseDocs(root: string): PageAnalysis[] {
  const analyses: PageAnalysis[] = []
  for (const page of ['README.md', ...findMarkdownPages(root)]) {
    analyses.push(analysePage(page, readFileSync(join(root, page), 'utf8')))
  }
  return analyses
}

/**
 * Whether a thrown value is what a `fails` block promised. A named error matches the
 * value's `code` or its `name`. A bare `fails` matches any error except those that
 * mean the snippet itself is broken rather than the API refusing it: an assertion of
 * an intermediate value, a syntax error, a module that cannot be found.
 */
export function matchesExpectedFailure(thrown: unknown, expected: string | undefined): boolean {
  const { code, name } = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    code?: unknown
    name?: unknown
  }
  if (expected !== undefined) return code === expected || name === expected
  if (code === 'ERR_ASSERTION' || code === 'ERR_MODULE_NOT_FOUND') return false
  if (name === 'SyntaxError' || name === 'AssertionError') return false
  return thrown instanceof Error
}

/** The relative links of a page (inline links and images), with their line. Code is skipped. */
export function findLocalLinks(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = []
  const lines = markdown.split('\n')
  const inCode = codeLines(lines)
  for (let i = 0; i < lines.length; i++) {
    if (inCode[i]) continue
    // [text](target) or ![alt](target "title"). Inline code spans go first, so that
    // `a[i](x)` in prose is not taken for a link.
    const prose = (lines[i] as string).replace(/`[^`]*`/g, '')
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] as string
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      links.push({ line: i + 1, target })
    }
  }
  return links
}

/** For each line, whether it belongs to a fenced code block (fences included). */
function codeLines(lines: readonly string[]): boolean[] {
  const mask = new Array<boolean>(lines.length).fill(false)
  const { blocks } = extractCodeBlocks('', lines.join('\n'))
  for (const block of blocks) {
    for (let i = block.line - 1; i < block.endLine; i++) mask[i] = true
  }
  return mask
}

/**
 * The anchors a page offers: explicit `<a id="…">` tags, and GitHub's anchor for each
 * heading: lower case, punctuation dropped, spaces to hyphens, and a `-1`, `-2`, …
 * suffix for repeats (the github-slugger rules). HTML tags, inline code markers,
 * emphasis markers and link targets are not part of a heading's text.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const lines = markdown.split('\n')
  const inCode = codeLines(lines)
  for (let i = 0; i < lines.length; i++) {
    if (inCode[i]) continue
    const line = lines[i] as string
    // Explicit HTML anchors: <a id="name"></a> (or name="…"), anywhere outside code.
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g))
      anchors.add(match[1] as string)
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading === null) continue
    const text = (heading[1] as string)
      .replace(/<[^>]*>/g, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[`*]/g, '')
      .toLowerCase()
    const base = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}
