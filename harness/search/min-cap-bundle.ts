// The summary bundle of a min-cap search: <out>/min-cap-<id>/ with min_cap.json, every probe as CSV, the chart of
// kernel peak against cap, and a README, packed into <out>/min-cap-<id>.tar.gz beside the probes' own bundles. The
// list of its files is the allow-list `report` checks such an archive against (the sibling of bundle-files.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes } from '../common/byte-size.js';
import { printableLines } from '../common/terminal-text.js';
import { writeTarball } from '../bundle/tarball.js';
import { csvLines } from '../run-files/csv.js';
import { replaceFile, replaceJsonFile, writeFailed } from '../run-files/safe-fs.js';
import { MIN_CAP_CHART_FILE, renderMinCapChart } from './min-cap-chart.js';
import { MIN_CAP_JSON_FILE, pinnedNote, probeTable, type MinCapJson } from './min-cap-summary.js';

export const MIN_CAP_SUMMARY_PREFIX = 'min-cap-';
export const MIN_CAP_PROBES_FILE = 'min_cap_probes.csv';
export const MIN_CAP_README_FILE = 'README.txt';

/** In the order README.txt lists them. */
export const MIN_CAP_SUMMARY_FILES: ReadonlyArray<{ name: string; description: string }> = [
  { name: MIN_CAP_README_FILE, description: 'this page' },
  { name: MIN_CAP_JSON_FILE, description: 'the answer and every probe, as `min-cap --json` prints them' },
  { name: MIN_CAP_PROBES_FILE, description: 'every probe: cap, verdict, kernel peak, duration, run id, bundle' },
  { name: MIN_CAP_CHART_FILE, description: 'kernel peak against cap, each probe marked by its verdict (open in a browser)' },
];

/** Whether `relative` (below the summary's directory) is a file a min-cap summary bundle may hold. */
export function isMinCapSummaryPath(relative: string): boolean {
  return MIN_CAP_SUMMARY_FILES.some((file) => file.name === relative);
}

/** Where the summary of the search `id` goes: its directory and its archive. */
export function minCapSummaryPaths(outDir: string, id: string): { dir: string; bundle: string } {
  const dir = join(outDir, `${MIN_CAP_SUMMARY_PREFIX}${id}`);
  return { dir, bundle: `${dir}.tar.gz` };
}

function probesCsv(json: MinCapJson): string {
  const header = ['cap_bytes', 'cap', 'verdict', 'kernel_peak_mb', 'duration_ms', 'run_id', 'bundle'] as const;
  return csvLines([header, ...json.probes.map((p) => [p.cap_bytes, formatBytes(p.cap_bytes), p.verdict, p.kernel_peak_mb, p.duration_ms, p.run_id, p.bundle])]);
}

function readme(json: MinCapJson): string {
  const s = json.search;
  const lines = [
    'oom-harness min-cap summary',
    '',
    `job:     ${json.job.kind}: ${json.job.description}`,
    `answer:  ${json.answer}`,
    `         ${pinnedNote(json)}`,
    `search:  from ${formatBytes(s.from_bytes)} to ${formatBytes(s.to_bytes)}, tolerance ${Math.round(s.tolerance * 1000) / 10}%, ${s.repeat} run(s) per cap${json.keep === null ? '' : `; --keep ${json.keep}`}`,
    '',
    probeTable(json.probes),
    '',
    'Files:',
    ...MIN_CAP_SUMMARY_FILES.map((file) => `  ${file.name.padEnd(20)} ${file.description}`),
    '',
    'Each probe was a real capped run with its own bundle beside this one: `oom-harness report <bundle>` reads it.',
    '',
  ];
  return printableLines(lines.join('\n'));
}

/** Writes the summary directory and packs it; returns the archive's path (already in `json.summary_bundle`). */
export async function writeMinCapSummary(outDir: string, id: string, json: MinCapJson): Promise<string> {
  const { dir, bundle } = minCapSummaryPaths(outDir, id);
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (error) {
    throw writeFailed(dir, error);
  }
  replaceJsonFile(join(dir, MIN_CAP_JSON_FILE), json);
  replaceFile(join(dir, MIN_CAP_PROBES_FILE), probesCsv(json));
  replaceFile(join(dir, MIN_CAP_CHART_FILE), renderMinCapChart(json));
  replaceFile(join(dir, MIN_CAP_README_FILE), readme(json));
  const name = `${MIN_CAP_SUMMARY_PREFIX}${id}`;
  try {
    await writeTarball({ cwd: outDir, entries: MIN_CAP_SUMMARY_FILES.map((file) => `${name}/${file.name}`), file: bundle });
  } catch (error) {
    throw writeFailed(bundle, error);
  }
  return bundle;
}
