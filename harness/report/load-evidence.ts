// Reads a run's evidence from its directory (or an extracted bundle), tolerating missing pieces. Every file may
// have been shaped by the container, so each is read through safe-fs, bounded, and validated before use.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_MANIFEST_FILE, ContainerManifestSchema, type ContainerManifest } from '../common/container-manifest.js';
import { HarnessError } from '../common/harness-error.js';
import type { IngestManifest } from '../common/ingest-manifest.js';
import { printable } from '../common/terminal-text.js';
import { DMESG_EXCERPT_FILE } from '../bundle/dmesg-excerpt.js';
import type { Summary } from '../common/summary.js';
import { readIngestManifest, readSummary } from '../run/read-run-files.js';
import { RunDir } from '../run-files/run-dir.js';
import { entryKind, readJsonFile, readRegularFile } from '../run-files/safe-fs.js';
import { SUMMARY_FILE } from '../common/summary.js';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_DMESG_BYTES = 16 * 1024 * 1024;

export interface RunEvidence {
  dir: string;
  manifest: ContainerManifest | null;
  summary: Summary | null;
  ingest: IngestManifest | null;
  dmesg: string | null;
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
  const manifest = ContainerManifestSchema.safeParse(readJsonFile(run.hostFile(CONTAINER_MANIFEST_FILE), MAX_MANIFEST_BYTES));
  return {
    dir,
    manifest: manifest.success ? manifest.data : null,
    summary: readSummary(run),
    ingest: readIngestManifest(run),
    dmesg,
  };
}
