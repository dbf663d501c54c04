// A run's report data from its bundle or its run directory. The bundle may come from anyone: it is checked against
// the files a bundle holds and the limits before anything is extracted, and removed again afterwards.
import { rmSync, statSync } from 'node:fs';
import { HarnessError } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { findRunDir, loadEvidence } from './load-evidence.js';
import { reportData, type ReportData } from './report-data.js';
import { DEFAULT_ARCHIVE_LIMITS, extractArchiveSafely, type ArchiveLimits } from './safe-extract.js';

export async function readReport(target: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ReportData> {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    throw new HarnessError('BAD_INPUT', `bundle ${printable(target)} does not exist; expected a <run-id>.tar.gz or a run directory`);
  }
  let extracted: string | null = null;
  try {
    if (!stats.isDirectory()) extracted = await extractArchiveSafely(target, limits);
    return reportData(loadEvidence(findRunDir(extracted ?? target)));
  } finally {
    if (extracted) rmSync(extracted, { recursive: true, force: true });
  }
}
