// Reads a run's evidence from its directory (or an extracted bundle), tolerating missing pieces. Every file may
// have been shaped by the container, so each is read through safe-fs, bounded, and validated before use.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_MANIFEST_FILE, readContainerManifest, type ContainerManifest } from '../run-files/container-manifest.js';
import { HarnessError } from '../common/harness-error.js';
import { readIngestManifest, type IngestManifest } from '../workloads/ingest/ingest-manifest.js';
import { printable } from '../common/terminal-text.js';
import { DMESG_EXCERPT_FILE } from '../bundle/dmesg-excerpt.js';
import { SUMMARY_FILE, readSummary, type Summary } from '../run-files/summary.js';
import { readMemoryLog, type MemoryLogRecord } from '../run-files/memory-log.js';
import { RunDir } from '../run-files/run-dir.js';
import { entryKind, readRegularFile } from '../run-files/safe-fs.js';

const MAX_DMESG_BYTES = 16 * 1024 * 1024;

export interface RunEvidence {
  dir: string;
  manifest: ContainerManifest | null;
  summary: Summary | null;
  ingest: IngestManifest | null;
  dmesg: string | null;
  memoryLog: MemoryLogRecord[];
}

function holdsRun(dir: string): boolean {
  const run = new RunDir(dir);
  return entryKind(run.hostFile(CONTAINER_MANIFEST_FILE)) === 'file' || entryKind(run.containerFile(SUMMARY_FILE)) === 'file';
}

/** The run directory: `dir` itself, or the one directory below it that holds a run (an extracted bundle). */
export function findRunDir(dir: string): string {
  if (holdsRun(dir)) return dir;
  const children = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => entryKind(path) === 'directory' && holdsRun(path));
  if (children.length === 1) return children[0]!;
  throw new HarnessError(
    'BAD_INPUT',
    `${printable(dir)} holds no oom-harness run (no ${CONTAINER_MANIFEST_FILE}); expected a run directory or a bundle`,
  );
}

export function loadEvidence(dir: string): RunEvidence {
  const run = new RunDir(dir);
  let dmesg: string | null = null;
  try {
    dmesg = readRegularFile(run.hostFile(DMESG_EXCERPT_FILE), MAX_DMESG_BYTES);
  } catch {
    dmesg = null;
  }
  return {
    dir,
    manifest: readContainerManifest(run),
    summary: readSummary(run),
    ingest: readIngestManifest(run),
    dmesg,
    memoryLog: memoryLogOrEmpty(run),
  };
}

/** The memory log, or none when it is unsafe or too large: the report goes on without the growth table. */
function memoryLogOrEmpty(run: RunDir): MemoryLogRecord[] {
  try {
    return readMemoryLog(run);
  } catch {
    return [];
  }
}
