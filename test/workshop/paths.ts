/**
 * Where things are: the repository, its src/, and a participant's workshop folder.
 */

import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is test/workshop/paths.ts). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The reference solution: the real src/. */
export const REFERENCE_SRC: string = join(REPO_ROOT, 'src')

/** The participant's folder unless `--dir` says otherwise; gitignored (`/workshop/`). */
export const DEFAULT_WORKSHOP_DIR: string = join(REPO_ROOT, 'workshop')

/** The files of one workshop folder. */
export interface WorkshopLayout {
  readonly dir: string
  /** The participant's copy of src/, with TODOs where the steps are. */
  readonly src: string
  /** The bonus step's property file. */
  readonly bonusProperty: string
  readonly progress: string
  /** Copies of work replaced by `reset` or `init --force`, never deleted by the tool. */
  readonly trash: string
  /** Scratch copies made for one verification run, deleted after it. */
  readonly runs: string
}

export function layoutOf(dir: string): WorkshopLayout {
  const root = resolve(dir)
  return {
    dir: root,
    src: join(root, 'src'),
    bonusProperty: join(root, 'bonus', 'property.ts'),
    progress: join(root, '.progress.json'),
    trash: join(root, '.trash'),
    runs: join(root, '.runs'),
  }
}
