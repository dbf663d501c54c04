// Reads a run's evidence from its directory (or an extracted bundle), tolerating missing pieces.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_MANIFEST_FILE, type ContainerManifest } from '../common/container-manifest.js';
import { HarnessError } from '../common/harness-error.js';
import { INGEST_MANIFEST_FILE, type IngestManifest } from '../common/ingest-manifest.js';
import { SUMMARY_FILE, SummarySchema, type Summary } from '../common/summary.js';

export const DMESG_FILE = 'dmesg_excerpt.txt';

export interface RunEvidence {
  dir: string;
  manifest: ContainerManifest | null;
  summary: Summary | null;
  ingest: IngestManifest | null;
  dmesg: string | null;
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** The run directory: `dir` itself, or the one directory below it that holds a run (an extracted bundle). */
export function findRunDir(dir: string): string {
  const holdsRun = (candidate: string) => existsSync(join(candidate, CONTAINER_MANIFEST_FILE)) || existsSync(join(candidate, SUMMARY_FILE));
  if (holdsRun(dir)) return dir;
  const children = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory() && holdsRun(path));
  if (children.length === 1) return children[0]!;
  throw new HarnessError('BAD_INPUT', `${dir} holds no oom-harness run (no ${CONTAINER_MANIFEST_FILE} or ${SUMMARY_FILE}); expected a run directory or a bundle`);
}

export function loadEvidence(dir: string): RunEvidence {
  const summaryJson = readJson<unknown>(join(dir, SUMMARY_FILE));
  const parsed = summaryJson === null ? null : SummarySchema.safeParse(summaryJson);
  return {
    dir,
    manifest: readJson<ContainerManifest>(join(dir, CONTAINER_MANIFEST_FILE)),
    summary: parsed?.success ? parsed.data : null,
    ingest: readJson<IngestManifest>(join(dir, INGEST_MANIFEST_FILE)),
    dmesg: existsSync(join(dir, DMESG_FILE)) ? readFileSync(join(dir, DMESG_FILE), 'utf8') : null,
  };
}
