/**
 * docs/requirements.md, read as data: its rows, the test titles it cites, and the
 * summary block computed from the rows.
 *
 *   npx tsx test/requirements-matrix.ts            print the summary the rows give
 *   npx tsx test/requirements-matrix.ts --update   write it into docs/requirements.md
 *
 * test/requirements.test.ts holds the page to these rules; this module only reads it.
 */

import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const PAGE_URL = new URL('../docs/requirements.md', import.meta.url)

/** The columns of every row table, in order. */
export const COLUMNS = [
  'Row',
  '§',
  'Level',
  'Requirement, in our words',
  'Applies',
  '`src/`',
  'jose',
  'Proof',
] as const

/** BCP 14 keywords (RFC 2119, RFC 8174), as the RFCs capitalise them. */
export const KEYWORD_LEVELS: readonly string[] = [
  'MUST',
  'MUST NOT',
  'REQUIRED',
  'SHOULD',
  'SHOULD NOT',
  'RECOMMENDED',
  'NOT RECOMMENDED',
]
/** The other levels: a processing step, a definition other rules rely on, lowercase advice. */
export const OTHER_LEVELS: readonly string[] = ['step', 'format', 'advice']

export const APPLIES = ['yes', 'caller', 'no'] as const
export const SRC_VERDICTS = ['enforced', 'default', 'documented', 'gap', 'n/a'] as const
export const JOSE_VERDICTS = ['default', 'options', 'not', 'n/a'] as const

export type Applies = (typeof APPLIES)[number]
export type SrcVerdict = (typeof SRC_VERDICTS)[number]
export type JoseVerdict = (typeof JOSE_VERDICTS)[number]

/** A test named by a row: the file, relative to the repository root, and its title. */
export interface ProofRef {
  readonly file: string
  readonly title: string
}

export interface MatrixRow {
  /** 1-based line of the row in the page, for error messages. */
  readonly line: number
  readonly id: string
  readonly section: string
  readonly level: string
  readonly requirement: string
  /** The Applies cell as written. */
  readonly appliesText: string
  /** The first word of each verdict cell; `undefined` when it is not in the vocabulary. */
  readonly applies: Applies | undefined
  readonly srcText: string
  readonly src: SrcVerdict | undefined
  readonly joseText: string
  readonly jose: JoseVerdict | undefined
  readonly proofText: string
  readonly proofs: readonly ProofRef[]
}

/** The verdict a cell starts with: a vocabulary word followed by the end, a space, `:` or `,`. */
function leadingWord<T extends string>(cell: string, vocabulary: readonly T[]): T | undefined {
  for (const word of vocabulary) {
    const next = cell.charAt(word.length)
    if (cell.startsWith(word) && (next === '' || next === ' ' || next === ':' || next === ','))
      return word
  }
  return undefined
}

/** The cells of a Markdown table line (no cell here contains a `|`). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim())
}

const ANCHORED_ID = /^<a id="([^"]+)"><\/a>(.*)$/
const PROOF = /`([^`]+)` › "([^"]+)"/g

/** Every row of every table whose header is {@link COLUMNS}. Malformed lines throw. */
export function parseRows(page: string): MatrixRow[] {
  const lines = page.split('\n')
  const rows: MatrixRow[] = []
  let inTable = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (!line.startsWith('|')) {
      inTable = false
      continue
    }
    const row = cells(line)
    if (row.join('|') === COLUMNS.join('|')) {
      inTable = true
      i++ // the |---| line
      continue
    }
    if (!inTable) continue
    if (row.length !== COLUMNS.length) {
      throw new Error(`docs/requirements.md:${i + 1}: ${row.length} cells, not ${COLUMNS.length}`)
    }
    const [idCell, section, level, requirement, appliesText, srcText, joseText, proofText] =
      row as [string, string, string, string, string, string, string, string]
    const anchored = ANCHORED_ID.exec(idCell)
    if (anchored === null || anchored[1] !== anchored[2]) {
      throw new Error(`docs/requirements.md:${i + 1}: the Row cell must be <a id="ID"></a>ID`)
    }
    rows.push({
      line: i + 1,
      id: anchored[1] as string,
      section,
      level,
      requirement,
      appliesText,
      applies: leadingWord(appliesText, APPLIES),
      srcText,
      src: leadingWord(srcText, SRC_VERDICTS),
      joseText,
      jose: leadingWord(joseText, JOSE_VERDICTS),
      proofText,
      proofs: [...proofText.matchAll(PROOF)].map((match) => ({
        file: match[1] as string,
        title: match[2] as string,
      })),
    })
  }
  return rows
}

// ---------------------------------------------------------------------------------------
// Test titles in a source file
// ---------------------------------------------------------------------------------------

/** A string literal's value, for the escapes test titles use. */
function stringValue(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)/g, (_, sequence: string) => {
    if (sequence.startsWith('u{'))
      return String.fromCodePoint(Number.parseInt(sequence.slice(2, -1), 16))
    if (sequence.startsWith('u') && sequence.length === 5)
      return String.fromCharCode(Number.parseInt(sequence.slice(1), 16))
    return sequence === 'n' ? '\n' : sequence
  })
}

// `test(` or `it(`, optionally `.each(<table>)` with parentheses nested up to three deep,
// then the title: a quoted string, or a template literal without `${`.
const TEST_CALL =
  /\b(?:test|it)(?:\.each\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?\(\s*(?:'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\.|[^`\\$])*)`)/g

/**
 * The titles of the tests declared in `source`, as written (a `test.each` title keeps its
 * `%s`). Titles built from `${…}` cannot be cited and are not listed.
 */
export function testTitles(source: string): string[] {
  const titles: string[] = []
  for (const match of source.matchAll(TEST_CALL)) {
    const body = match[1] ?? match[2] ?? match[3]
    if (body !== undefined) titles.push(stringValue(body))
  }
  return titles
}

/** The row ids a title starts with: `7515-5.2-8, 7516-4-1: …` gives both ids. */
export function titleIds(title: string): string[] {
  const colon = title.indexOf(': ')
  if (colon === -1) return []
  const ids = title.slice(0, colon).split(', ')
  return ids.every((id) => ROW_ID.test(id)) ? ids : []
}

/** `7515-5.2-8`: the RFC (or `8725bis`), the section, a number within the section. */
export const ROW_ID = /^(?:7515|7516|7518|7519|7797|8725|8725bis)-\d+(?:\.\d+)*-\d+$/

// ---------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------

export const SUMMARY_START =
  '<!-- requirements-summary:start (npx tsx test/requirements-matrix.ts --update rewrites this part) -->'
export const SUMMARY_END = '<!-- requirements-summary:end -->'

const GAPS_LINK = '[gaps](#gaps-what-src-leaves-open-and-why)'

function count(rows: readonly MatrixRow[], keep: (row: MatrixRow) => boolean): number {
  let n = 0
  for (const row of rows) if (keep(row)) n++
  return n
}

/** The summary table the rows give, as Markdown. */
export function renderSummary(rows: readonly MatrixRow[]): string {
  const library = rows.filter((row) => row.applies === 'yes')
  const caller = rows.filter((row) => row.applies === 'caller')
  const applying = [...library, ...caller]
  const of = (n: number, total: readonly MatrixRow[]): string => `${n} of ${total.length}`
  const lines: [string, string][] = [
    ['requirements listed', String(rows.length)],
    [
      'with a BCP 14 keyword (MUST … RECOMMENDED, or NOT RECOMMENDED)',
      String(count(rows, (row) => KEYWORD_LEVELS.includes(row.level))),
    ],
    [
      'processing steps and formats the keyworded rules rely on',
      String(count(rows, (row) => row.level === 'step' || row.level === 'format')),
    ],
    [
      'lowercase advice (RFC 7519 §11.2, RFC 8725bis §3.10)',
      String(count(rows, (row) => row.level === 'advice')),
    ],
    ['apply here', String(applying.length)],
    ['on the library', String(library.length)],
    ['on the caller (the application)', String(caller.length)],
    ['do not apply (the row says why)', String(count(rows, (row) => row.applies === 'no'))],
    [
      'library rows `src/` enforces, each proved by a test',
      of(
        count(library, (row) => row.src === 'enforced' && row.proofs.length > 0),
        library,
      ),
    ],
    [
      `library rows \`src/\` leaves open (${GAPS_LINK})`,
      of(
        count(library, (row) => row.src === 'gap'),
        library,
      ),
    ],
    [
      "caller rows where the API's default is the safe choice",
      of(
        count(caller, (row) => row.src === 'default'),
        caller,
      ),
    ],
    [
      'caller rows the docs warn about',
      of(
        count(caller, (row) => row.src === 'documented'),
        caller,
      ),
    ],
    [
      `caller rows nobody checks (${GAPS_LINK})`,
      of(
        count(caller, (row) => row.src === 'gap'),
        caller,
      ),
    ],
    [
      'raw jose meets it by default',
      of(
        count(applying, (row) => row.jose === 'default'),
        applying,
      ),
    ],
    [
      'raw jose meets it only with the right options',
      of(
        count(applying, (row) => row.jose === 'options'),
        applying,
      ),
    ],
    [
      'raw jose does not meet it',
      of(
        count(applying, (row) => row.jose === 'not'),
        applying,
      ),
    ],
    [
      "not jose's to meet",
      of(
        count(applying, (row) => row.jose === 'n/a'),
        applying,
      ),
    ],
  ]
  return ['| | rows |', '|---|---:|', ...lines.map(([what, n]) => `| ${what} | ${n} |`)].join('\n')
}

/** The text between the summary markers, trimmed; `undefined` when the markers are missing. */
export function summarySection(page: string): string | undefined {
  const start = page.indexOf(SUMMARY_START)
  const end = page.indexOf(SUMMARY_END)
  if (start === -1 || end === -1 || end < start) return undefined
  return page.slice(start + SUMMARY_START.length, end).trim()
}

/** `page` with the summary replaced by `summary`. */
export function replaceSummary(page: string, summary: string): string {
  const start = page.indexOf(SUMMARY_START)
  const end = page.indexOf(SUMMARY_END)
  if (start === -1 || end === -1 || end < start) {
    throw new Error('docs/requirements.md: the summary markers are missing or out of order')
  }
  return `${page.slice(0, start + SUMMARY_START.length)}\n\n${summary}\n\n${page.slice(end)}`
}

function main(argv: readonly string[]): void {
  const page = readFileSync(PAGE_URL, 'utf8')
  const summary = renderSummary(parseRows(page))
  if (argv.includes('--update')) {
    writeFileSync(PAGE_URL, replaceSummary(page, summary))
    process.stdout.write(`updated ${fileURLToPath(PAGE_URL)}\n`)
  } else {
    process.stdout.write(`${summary}\n`)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2))
}
