/**
 * The lab's server clock: real time plus an offset that the lab page (and the tests)
 * can move forward, so that a stolen token's expiry can be watched without waiting
 * for it. Every app of the lab issues and checks tokens against this clock.
 */
export class LabClock {
  #offsetMs = 0

  /** The lab's current time. */
  now(): Date {
    return new Date(Date.now() + this.#offsetMs)
  }

  /** How far ahead of real time the lab runs, in whole seconds. */
  offsetSeconds(): number {
    return Math.round(this.#offsetMs / 1000)
  }

  /** Moves the lab's time forward (or back, for a negative number). */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError('advance takes a number of seconds')
    this.#offsetMs += seconds * 1000
  }

  /** Back to real time. */
  reset(): void {
    this.#offsetMs = 0
  }
}
