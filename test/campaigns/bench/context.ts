/**
 * Where the numbers were measured: ratios travel between machines far better than
 * absolute times, but neither means much without the runtime, the crypto library and
 * the CPU behind them.
 */

import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface BenchContext {
  readonly date: string
  readonly node: string
  readonly v8: string
  readonly openssl: string
  readonly platform: string
  readonly cpu: string
  readonly cores: number
  /** 1-minute load average at the start: a loaded machine is noisier. */
  readonly loadAverage: number
  readonly packages: Readonly<Record<string, string>>
}

const PACKAGES = ['jose', 'fast-jwt', 'jsonwebtoken', 'tinybench'] as const

function packageVersion(name: string): string {
  const url = new URL(`../../../node_modules/${name}/package.json`, import.meta.url)
  try {
    const manifest = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown }
    return typeof manifest.version === 'string' ? manifest.version : 'unknown'
  } catch {
    return 'not installed'
  }
}

export function benchContext(): BenchContext {
  const cpus = os.cpus()
  const packages: Record<string, string> = {}
  for (const name of PACKAGES) packages[name] = packageVersion(name)
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    loadAverage: os.loadavg()[0] ?? 0,
    packages,
  }
}

/** One line per fact, for the console and for the markdown report. */
export function contextLines(context: BenchContext): string[] {
  const packages: string[] = []
  for (const [name, version] of Object.entries(context.packages))
    packages.push(`${name} ${version}`)
  return [
    `date: ${context.date}`,
    `Node ${context.node} (V8 ${context.v8}), OpenSSL ${context.openssl}, ${context.platform}`,
    `CPU: ${context.cpu} x ${context.cores}, load average (1 min) at start: ${context.loadAverage.toFixed(2)}`,
    `packages: ${packages.join(', ')}`,
  ]
}
