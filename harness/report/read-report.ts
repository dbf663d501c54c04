// A run's report data from its bundle or its run directory, or a min-cap search's summary from its own. The bundle
// may come from anyone: it is checked against the files a bundle holds and the limits before anything is extracted,
// and removed again afterwards.
import { rmSync, statSync } from 'node:fs';
import { HarnessError } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import type { MinCapJson } from '../search/min-cap-summary.js';
import { findRunDir, loadEvidence } from './load-evidence.js';
import { findMinCapSummary } from './min-cap-report.js';
import { reportData, type ReportData } from './report-data.js';
import { DEFAULT_ARCHIVE_LIMITS, extractArchiveSafely, type ArchiveLimits } from './safe-extract.js';

export type ReadTarget = { kind: 'run'; data: ReportData } | { kind: 'min-cap-summary'; summary: MinCapJson };

/** What `report` prints: one run, or the summary of a min-cap search (a bundle of its own kind). */
export async function readReportOrSummary(target: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ReadTarget> {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    throw new HarnessError('BAD_INPUT', `bundle ${printable(target)} does not exist; expected a <run-id>.tar.gz or a run directory`);
  }
  let extracted: string | null = null;
  try {
    if (!stats.isDirectory()) extracted = await extractArchiveSafely(target, limits);
    const summary = findMinCapSummary(extracted ?? target);
    if (summary) return { kind: 'min-cap-summary', summary };
    return { kind: 'run', data: reportData(loadEvidence(findRunDir(extracted ?? target))) };
  } finally {
    if (extracted) rmSync(extracted, { recursive: true, force: true });
  }
}

export async function readReport(target: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ReportData> {
  const read = await readReportOrSummary(target, limits);
  if (read.kind === 'run') return read.data;
  throw new HarnessError(
    'BAD_INPUT',
    `${printable(target)} is a min-cap summary (a search of ${read.summary.probes.length} probes), not one run's bundle; each probe's own bundle beside it is one (oom-harness report prints the summary)`,
  );
}
