/**
 * Moved to test/programs/kit/colour.ts, with the rest of the programs' terminal kit.
 * This re-export stays only until the workshop imports the kit from its new home.
 */

export * from '../../test/programs/kit/colour.ts'
