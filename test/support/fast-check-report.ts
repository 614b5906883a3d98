/**
 * fast-check's failure report, cut to what a reader needs. With verbose on it lists every
 * failure met while shrinking: hundreds of lines for a 64 KiB payload. The counterexample,
 * the error and the first few of those are enough. Shared by the differential suite and
 * the workshop's step properties.
 */
export function shortenedReport(report: string): string {
  const lines = report.split('\n')
  const listed = lines.findIndex((line) => line.startsWith('Encountered failures were'))
  if (listed === -1 || lines.length - listed <= 6) return report
  return [...lines.slice(0, listed + 6), `… ${lines.length - listed - 6} more`].join('\n')
}
