// `report` on a min-cap summary (its bundle or its directory): the search's answer and every probe, said to be a
// summary of many runs, not one. min_cap.json is read through safe-fs and validated like any file from a bundle.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { entryKind } from '../run-files/safe-fs.js';
import { MIN_CAP_SUMMARY_PREFIX } from '../search/min-cap-bundle.js';
import { MIN_CAP_JSON_FILE, pinnedNote, probeTable, readMinCapJson, type MinCapJson } from '../search/min-cap-summary.js';

/** The summary directory: `dir` itself, or its only entry when that is a min-cap-<id>/ directory (an extracted bundle). */
function summaryDir(dir: string): string | null {
  if (entryKind(join(dir, MIN_CAP_JSON_FILE)) !== 'missing') return dir;
  const names = readdirSync(dir);
  const only = names.length === 1 ? join(dir, names[0]!) : null;
  return only && names[0]!.startsWith(MIN_CAP_SUMMARY_PREFIX) && entryKind(only) === 'directory' ? only : null;
}

/** The summary in `dir`, null when `dir` is not one (then it may be a run); a broken summary is an error. */
export function findMinCapSummary(dir: string): MinCapJson | null {
  const found = summaryDir(dir);
  if (found === null) return null;
  const json = readMinCapJson(join(found, MIN_CAP_JSON_FILE));
  if (json === null) throw new HarnessError('BAD_INPUT', `${printable(found)} holds a ${MIN_CAP_JSON_FILE} that is not a valid min-cap summary (not a regular file, too large, or not its schema)`);
  return json;
}

export function renderMinCapReport(json: MinCapJson): string {
  return [
    `min-cap summary: a search of ${json.probes.length} probe(s), not a single run (each probe's bundle has its own report)`,
    `job:     ${json.job.kind}: ${json.job.description}`,
    `answer:  ${json.answer} (exit ${json.exit_code})`,
    `         ${pinnedNote(json)}`,
    '',
    probeTable(json.probes),
    '',
  ].join('\n');
}
