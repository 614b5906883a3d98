/**
 * The type check `verify` runs on a participant's folder before any property: what
 * `npm run typecheck` would say about their src/, with their own paths. A property
 * cannot see `const n: number = x.toString()` (it runs fine), but the compiler can,
 * and src/ is held to it in `npm test`.
 */

import { join, relative } from 'node:path'
import ts from 'typescript'
import { REPO_ROOT } from './paths.ts'

/** The repository's compiler options (tsconfig.json), read once. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(REPO_ROOT, 'tsconfig.json')
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path))
  if (read.error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'))
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT)
  // A workshop folder may lie outside the repository (--dir /tmp/pair-1), where no
  // package.json says "type": "module"; NodeNext would then read the files as CommonJS.
  // They are ES modules wherever they are, as tsx runs them.
  return {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // The repository's @types, whatever folder the command was started from.
    typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    noEmit: true,
  }
}

let cached: ts.CompilerOptions | undefined

/**
 * The type errors in the `.ts` files `files` (absolute paths), as
 * `path:line:column error TSxxxx: message` with paths relative to `cwd`. Errors in
 * other files (the repository's own) are not the participant's and are left out.
 */
export function typeErrors(files: readonly string[], cwd: string): string[] {
  cached ??= compilerOptions()
  const program = ts.createProgram({ rootNames: [...files], options: cached })
  const wanted = new Set(files)
  const lines: string[] = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file
    if (file === undefined || !wanted.has(file.fileName)) continue
    const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    const where = relative(cwd, file.fileName)
    lines.push(`${where}:${line + 1}:${character + 1} error TS${diagnostic.code}: ${message}`)
  }
  return lines
}
