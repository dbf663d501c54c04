// --keep N, for the commands that start many runs (min-cap, matrix): declared, parsed and applied in one place.
import type { Command } from 'commander';
import * as z from 'zod';
import { printable } from '../common/terminal-text.js';
import { intInRange } from '../options/option-schemas.js';
import { parseOptions } from '../options/parse-options.js';
import { keepLastRuns } from '../search/keep-runs.js';
import type { CliIo } from './cli-io.js';

export function addKeepFlag(command: Command): Command {
  return command.option('--keep <n>', 'when done, keep the bundles of the last N runs; remove every run directory, and the bundles of earlier runs');
}

/** The number given, or null when --keep was not: then nothing is removed. */
export function parseKeep(raw: Record<string, unknown>): number | null {
  return raw.keep === undefined ? null : parseOptions(z.object({ keep: intInRange(0, 100_000) }), raw).keep;
}

/**
 * Applies --keep to `bundles` (oldest first); returns the bundles removed. What could not be removed is a warning;
 * what was removed is said on stderr unless the output is --json or --quiet.
 */
export function applyKeep(io: CliIo, outDir: string, bundles: ReadonlyArray<string | null>, keep: number | null, raw: Record<string, unknown>): Set<string> {
  if (keep === null) return new Set();
  const result = keepLastRuns(outDir, bundles.filter((bundle): bundle is string => bundle !== null), keep);
  for (const warning of result.warnings) io.stderr(`warning: ${printable(warning)}\n`);
  if (!raw.json && !raw.quiet) io.stderr(`--keep ${keep}: removed ${result.removedRunDirs} run directories and ${result.removedBundles.size} bundles of earlier runs\n`);
  return result.removedBundles;
}
