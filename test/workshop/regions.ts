/**
 * `// #region name` … `// #endregion name` blocks of a source file, and the one edit the
 * workshop makes to them: turning every function declared inside a region into a stub
 * that throws a TODO, with its doc comment and signature kept.
 *
 * The functions are found with the TypeScript compiler's parser, not with a regular
 * expression: a signature spread over several lines, a default parameter holding an
 * object literal or a body containing braces in strings must all come out right.
 */

import ts from 'typescript'

/** One region of a file: its name and where its content (between the marker lines) lies. */
export interface Region {
  readonly name: string
  /** Offset of the first character after the `// #region` line. */
  readonly start: number
  /** Offset of the first character of the `// #endregion` line. */
  readonly end: number
}

const OPEN = /^[ \t]*\/\/ #region ([A-Za-z0-9_-]+)[ \t]*$/
const CLOSE = /^[ \t]*\/\/ #endregion ([A-Za-z0-9_-]+)[ \t]*$/

/**
 * Every region of `text`, in order. Regions may not nest or overlap, and every opened
 * region must be closed by name: a file that breaks this is reported, not guessed at.
 */
export function findRegions(text: string, fileName: string): Region[] {
  const regions: Region[] = []
  let open: { name: string; start: number } | undefined
  let offset = 0
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length + 1
    const opened = OPEN.exec(line)
    const closed = CLOSE.exec(line)
    if (opened !== null) {
      if (open !== undefined)
        throw new Error(`${fileName}: region ${opened[1]} opens inside region ${open.name}`)
      open = { name: opened[1] as string, start: lineEnd }
    } else if (closed !== null) {
      if (open === undefined || open.name !== closed[1])
        throw new Error(`${fileName}: #endregion ${closed[1]} does not close an open region`)
      regions.push({ name: open.name, start: open.start, end: offset })
      open = undefined
    }
    offset = lineEnd
  }
  if (open !== undefined) throw new Error(`${fileName}: region ${open.name} is never closed`)
  return regions
}

/**
 * The contents of the regions of `text` that are still whole (opened and closed by
 * name, with no other marker between), by name, even when other markers are broken:
 * what `reset` can keep of a file in which a participant deleted one marker line.
 */
export function intactRegions(text: string): Map<string, string> {
  const found = new Map<string, string>()
  let open: { name: string; start: number } | undefined
  let offset = 0
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length + 1
    const opened = OPEN.exec(line)
    const closed = CLOSE.exec(line)
    if (opened !== null) {
      open = { name: opened[1] as string, start: lineEnd }
    } else if (closed !== null) {
      if (open !== undefined && open.name === closed[1])
        found.set(open.name, text.slice(open.start, offset))
      open = undefined
    }
    offset = lineEnd
  }
  return found
}

/** The region called `name`, or an error that names the file. */
export function getRegion(text: string, fileName: string, name: string): Region {
  for (const region of findRegions(text, fileName)) {
    if (region.name === name) return region
  }
  throw new Error(
    `${fileName}: no "// #region ${name}" … "// #endregion ${name}" markers found (were they deleted?)`,
  )
}

/** The text between a region's marker lines. */
export function regionText(text: string, fileName: string, name: string): string {
  const region = getRegion(text, fileName, name)
  return text.slice(region.start, region.end)
}

/** `text` with the content of region `name` replaced by `content` (markers kept). */
export function replaceRegion(
  text: string,
  fileName: string,
  name: string,
  content: string,
): string {
  const region = getRegion(text, fileName, name)
  return text.slice(0, region.start) + content + text.slice(region.end)
}

/** A function declared inside a region: its name and the offsets of its body's braces. */
export interface RegionFunction {
  readonly name: string
  readonly bodyStart: number
  readonly bodyEnd: number
  readonly body: ts.Block
}

/** The top-level function declarations (with a body) that lie wholly inside `region`. */
export function functionsInRegion(
  text: string,
  fileName: string,
  region: Region,
): RegionFunction[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: RegionFunction[] = []
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.body === undefined) continue
    // getStart() skips the leading doc comment, which belongs to the region as well.
    if (statement.getStart(source) < region.start || statement.end > region.end) continue
    found.push({
      name: statement.name?.text ?? '(anonymous)',
      bodyStart: statement.body.getStart(source),
      bodyEnd: statement.body.end,
      body: statement.body,
    })
  }
  return found
}

/** A string literal in the house style: single quotes, with `\` and `'` escaped. */
function singleQuoted(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/**
 * `text` with the body of every function inside region `name` replaced by
 * `{ throw new Error(message(functionName)) }`. The doc comment, the signature and
 * everything outside the bodies stay as they were.
 */
export function stubRegion(
  text: string,
  fileName: string,
  name: string,
  message: (functionName: string) => string,
): string {
  const region = getRegion(text, fileName, name)
  const functions = functionsInRegion(text, fileName, region)
  if (functions.length === 0)
    throw new Error(`${fileName}: region ${name} declares no function to turn into a TODO`)
  let out = text
  // Last first, so that earlier offsets stay valid.
  for (let i = functions.length - 1; i >= 0; i--) {
    const fn = functions[i] as RegionFunction
    const stub = `{\n  throw new Error(${singleQuoted(message(fn.name))})\n}`
    out = out.slice(0, fn.bodyStart) + stub + out.slice(fn.bodyEnd)
  }
  return out
}

/**
 * `true` when every function inside region `name` still has the stub body: a single
 * `throw new Error('<prefix>…')`. Judged on the syntax tree, so an editor that
 * reformats the stub (quotes, spacing) does not make it count as the participant's work.
 */
export function isStubbedRegion(
  text: string,
  fileName: string,
  name: string,
  prefix: string,
): boolean {
  const region = getRegion(text, fileName, name)
  const functions = functionsInRegion(text, fileName, region)
  if (functions.length === 0) return false
  for (const fn of functions) {
    if (!isTodoBody(fn.body, prefix)) return false
  }
  return true
}

function isTodoBody(body: ts.Block, prefix: string): boolean {
  if (body.statements.length !== 1) return false
  const statement = body.statements[0] as ts.Statement
  if (!ts.isThrowStatement(statement)) return false
  const thrown = statement.expression
  if (!ts.isNewExpression(thrown) || thrown.arguments?.length !== 1) return false
  const argument = thrown.arguments[0] as ts.Expression
  return ts.isStringLiteralLike(argument) && argument.text.startsWith(prefix)
}
