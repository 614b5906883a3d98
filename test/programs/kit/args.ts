/**
 * Command lines, read with node:util's parseArgs in strict mode: every option must be
 * declared, a string option must have its value, a boolean option must not. When the
 * command line breaks a rule, the tokens are read again to say which rule, in one
 * short line of our own (parseArgs' messages run to three lines and name its API).
 */

import { parseArgs } from 'node:util'
import { UsageError } from './main.ts'

/** One option: a flag (`boolean`) or an option with a value (`string`), possibly repeated. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string'
  readonly short?: string
  readonly multiple?: boolean
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>

export interface CommandLine {
  /** Each option given, by its long name: true for a flag, the text (or texts) for a value. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>
  readonly positionals: readonly string[]
}

export interface ParseOptions {
  /** How many positional arguments the program takes, at most (default 0). */
  readonly maxPositionals?: number
}

/** Reads `argv` against `options`; throws a UsageError naming the first mistake. */
export function parseCommandLine(
  argv: readonly string[],
  options: OptionSpecs,
  parse: ParseOptions = {},
): CommandLine {
  const maxPositionals = parse.maxPositionals ?? 0
  let line: CommandLine
  try {
    // Positionals are counted below, with a message that names the extra one.
    line = parseArgs({
      args: [...argv],
      options: { ...options },
      strict: true,
      allowPositionals: true,
    })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(describeMistake(argv, options))
    }
    throw error
  }
  if (line.positionals.length > maxPositionals) {
    const extra = line.positionals[maxPositionals] as string
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
  }
  return line
}

/** The first rule `argv` breaks, in words. Called only once strict parsing has failed. */
function describeMistake(argv: readonly string[], options: OptionSpecs): string {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options },
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const spec = options[token.name]
    if (spec === undefined) return `unknown option ${token.rawName}`
    if (spec.type === 'boolean' && token.value !== undefined) {
      return `${token.rawName} takes no value`
    }
    if (spec.type === 'string' && token.value === undefined) return `${token.rawName} needs a value`
    // Strict mode will not take "--minutes --help" to mean minutes = "--help".
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      return `${token.rawName} needs a value (for one that starts with "-", write ${token.rawName}=VALUE)`
    }
  }
  // Unreachable while every ERR_PARSE_ARGS_ code parseArgs has is handled above.
  return 'the command line cannot be read (see --help)'
}

/** Whether the flag `name` was given. */
export function flag(line: CommandLine, name: string): boolean {
  return line.values[name] === true
}

/** The value of the option `name`, or undefined when it was not given. */
export function value(line: CommandLine, name: string): string | undefined {
  const given = line.values[name]
  return typeof given === 'string' ? given : undefined
}

/** Every value of the repeatable option `name`, in order. */
export function values(line: CommandLine, name: string): string[] {
  const given = line.values[name]
  const texts: string[] = []
  if (!Array.isArray(given)) return texts
  for (const item of given) if (typeof item === 'string') texts.push(item)
  return texts
}
