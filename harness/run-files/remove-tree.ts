// Removes a run directory, which the container could write into: no link is ever followed. Each directory is opened
// with O_NOFOLLOW and its entries are reached through that open descriptor (/proc/self/fd/<fd>/<name>), so a
// directory swapped for a link after it was checked is never entered; links, FIFOs and devices are unlinked as what
// they are, never opened.
import { closeSync, constants, lstatSync, openSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { HarnessError, errorMessage } from '../common/harness-error.js';

const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** Deeper than any run directory the harness writes: a tree past it was not made by us. */
const MAX_DEPTH = 32;

function removeBelow(path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`${path} is nested more than ${MAX_DEPTH} directories deep`);
  const fd = openSync(path, DIRECTORY_FLAGS);
  try {
    const here = `/proc/self/fd/${fd}`;
    for (const name of readdirSync(here)) {
      const child = `${here}/${name}`;
      if (lstatSync(child).isDirectory()) {
        removeBelow(child, depth + 1);
        rmdirSync(child);
      } else {
        unlinkSync(child);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the directory `path` and everything below it without following a link; a link at `path` itself is
 * refused. A directory that is already gone is not an error.
 */
export function removeTreeNoFollow(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isDirectory()) throw new HarnessError('ARTIFACT_WRITE_FAILED', `not removing ${path}: it is not a directory (a link is never followed)`);
  try {
    removeBelow(path, 0);
    rmdirSync(path);
  } catch (error) {
    throw new HarnessError('ARTIFACT_WRITE_FAILED', `removing ${path} failed: ${errorMessage(error)}`, { cause: error });
  }
}
