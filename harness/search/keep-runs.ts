// --keep N for commands that start many runs (min-cap, matrix): once they are done, the bundles of the last N runs
// stay; every run directory of theirs goes (its bundle holds the evidence), and so do the bundles of the earlier
// runs. Only runs this command started are touched, each checked to be <out>/<run-id>[.tar.gz]; nothing is followed.
import { lstatSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../common/harness-error.js';
import { removeTreeNoFollow } from '../run-files/remove-tree.js';
import { RUN_ID_PATTERN } from '../run/run-id.js';

export interface KeepResult {
  /** Bundles removed: the caller records them as gone (a null bundle). */
  removedBundles: Set<string>;
  removedRunDirs: number;
  /** What could not be removed, one line each; the command goes on. */
  warnings: string[];
}

/** The bundles that go: all but the last `keep` (oldest first in, in the same order out). Pure. */
export function bundlesBeyondKeep(bundles: readonly string[], keep: number): string[] {
  return bundles.slice(0, Math.max(0, bundles.length - keep));
}

/** The run directory of a bundle this harness wrote, or null when the path is not `<outDir>/<run-id>.tar.gz`. */
export function runDirOf(bundle: string, outDir: string): string | null {
  const match = /^(.+)\.tar\.gz$/.exec(basename(bundle));
  if (!match || !RUN_ID_PATTERN.test(match[1]!) || dirname(bundle) !== outDir) return null;
  return join(outDir, match[1]!);
}

/** A regular file unlinked (unlink removes a link itself, never its target); anything else is left and said so. */
function removeBundle(path: string): void {
  const stats = lstatSync(path);
  if (!stats.isFile()) throw new Error(`${path} is not a regular file; left in place`);
  unlinkSync(path);
}

/** Applies --keep to the runs behind `bundles` (oldest first), all of them in `outDir`. */
export function keepLastRuns(outDir: string, bundles: readonly string[], keep: number): KeepResult {
  const result: KeepResult = { removedBundles: new Set(), removedRunDirs: 0, warnings: [] };
  const ours = bundles.filter((bundle) => runDirOf(bundle, outDir) !== null);
  for (const bundle of ours) {
    try {
      removeTreeNoFollow(runDirOf(bundle, outDir)!);
      result.removedRunDirs += 1;
    } catch (error) {
      result.warnings.push(`--keep: ${errorMessage(error)}`);
    }
  }
  for (const bundle of bundlesBeyondKeep(ours, keep)) {
    try {
      removeBundle(bundle);
      result.removedBundles.add(bundle);
    } catch (error) {
      result.warnings.push(`--keep: removing ${bundle} failed: ${errorMessage(error)}`);
    }
  }
  return result;
}
