/**
 * What a pitfall test found (a shrunk counterexample, a timing), shown only when asked:
 *
 *   PITFALLS_SHOW=1 npx vitest run test/pitfalls
 *
 * Passing tests otherwise print nothing but the runner's summary. Every finding shown
 * here is also asserted by the test that shows it; timings are shown and never asserted.
 */
export function show(finding: string): void {
  if (process.env.PITFALLS_SHOW === '1') console.info(finding)
}
