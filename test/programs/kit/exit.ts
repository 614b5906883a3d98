/**
 * Exit codes shared by every program in test/programs/ and the launchers (bench,
 * fuzz, mutate). Each program's --help lists the ones it can return.
 *
 * 0, 1 and 2 follow the usual shell convention (success, failure, misuse); 3 is this
 * project's own, for "ran fine, proved nothing"; 70 is EX_SOFTWARE from BSD's
 * sysexits.h, "an internal software error", kept far from the others on purpose.
 */
export const EXIT = {
  /** Done, and everything checked out. */
  OK: 0,
  /** Done, and something did not check out: a rejected token, a surprise in the tour, a failed run. */
  FAILURE: 1,
  /** The command line was wrong: an unknown option, a missing value, an unreadable key file. */
  USAGE: 2,
  /** Done, but nothing was proven: the inspector had no usable key for at least one layer. */
  NOT_VERIFIED: 3,
  /** A bug in the program itself, reported in a few lines. */
  INTERNAL: 70,
} as const
