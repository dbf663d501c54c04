// Copies one run directory gathered from elsewhere into a fresh one under collect's --out, trusting nothing in it:
// every entry is lstat'ed and opened without following links, every read is bounded, JSON is validated against its
// schema and written again, the memory log must carry its own header, logs are cut to their tails. A link, a FIFO
// or a bad file where the run's summary (or its pod's record) should be refuses the directory; elsewhere it is
// left out and listed.
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as z from 'zod';
import { BUNDLE_FILES } from '../bundle/bundle-files.js';
import { ContainerManifestSchema, CONTAINER_MANIFEST_FILE, type ContainerManifest } from '../run-files/container-manifest.js';
import { MEMORY_LOG_COLUMNS, MEMORY_LOG_FILE } from '../run-files/memory-log.js';
import { PodManifestSchema, POD_MANIFEST_FILE, type PodManifest } from '../run-files/pod-manifest.js';
import { RunConfigSchema, RUN_CONFIG_FILE } from '../run-files/run-config.js';
import { COMMAND_LOG_FILE, CONTAINER_SUBDIR, RunDir, WORKER_LOG_DIR } from '../run-files/run-dir.js';
import { entryKind, readRegularFile, readRegularFileTail, replaceFile, replaceJsonFile, writeFailed } from '../run-files/safe-fs.js';
import { SummarySchema, SUMMARY_FILE, type Summary } from '../run-files/summary.js';
import { IngestManifestSchema, INGEST_MANIFEST_FILE } from '../workloads/ingest/ingest-manifest.js';

const MIB = 1024 * 1024;
const LOG_TAIL_BYTES = 64 * 1024;
const MAX_WORKER_LOGS = 1000;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Why a directory is not collected at all. */
export class RunDirRefused extends Error {}

export interface ImportedRun {
  runId: string;
  dest: RunDir;
  summary: Summary;
  /** A pod's run: its own record. */
  pod: PodManifest | null;
  /** A local run: the manifest its host wrote. */
  manifest: ContainerManifest | null;
  /** Entries left out, as container_manifest.json lists them. */
  skipped: Array<{ path: string; kind: string }>;
  warnings: string[];
}

const limitOf = (name: string, fallback: number) => BUNDLE_FILES.find((file) => file.name === name)?.maxBytes ?? fallback;

/** The text of a regular file, or null when missing; anything else at the path throws RunDirRefused. */
function readEntry(path: string, shown: string, maxBytes: number): string | null {
  const kind = entryKind(path);
  if (kind === 'missing') return null;
  if (kind !== 'file') throw new RunDirRefused(`${shown} is a ${kind}: not followed, not read`);
  try {
    return readRegularFile(path, maxBytes);
  } catch (error) {
    throw new RunDirRefused(`${shown}: ${(error as Error).message.replace(path, shown)}`);
  }
}

function readJsonEntry<T>(path: string, shown: string, schema: z.ZodType<T>, maxBytes: number): T | null {
  const text = readEntry(path, shown, maxBytes);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunDirRefused(`${shown} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new RunDirRefused(`${shown} is not valid: ${parsed.error.issues[0]!.path.join('.') || 'its root'}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

class Importer {
  readonly skipped: ImportedRun['skipped'] = [];
  readonly warnings: string[] = [];
  constructor(
    readonly src: string,
    readonly dest: RunDir,
  ) {}

  /** An optional file: a problem with it leaves it out, listed, instead of refusing the run. */
  optional(step: () => void, shown: string): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof RunDirRefused)) throw error;
      this.skipped.push({ path: shown, kind: entryKind(join(this.src, shown)) });
      this.warnings.push(`${error.message}; left out`);
    }
  }

  json<T>(relative: string, schema: z.ZodType<T>, maxBytes: number): T | null {
    const value = readJsonEntry(join(this.src, relative), relative, schema, maxBytes);
    if (value !== null) replaceJsonFile(join(this.dest.root, relative), value);
    return value;
  }

  memoryLog(): void {
    const shown = `${CONTAINER_SUBDIR}/${MEMORY_LOG_FILE}`;
    const path = join(this.src, shown);
    const kind = entryKind(path);
    if (kind === 'missing') return;
    if (kind !== 'file') throw new RunDirRefused(`${shown} is a ${kind}: not followed, not read`);
    const header = MEMORY_LOG_COLUMNS.join(',');
    const tail = readRegularFileTail(path, limitOf(MEMORY_LOG_FILE, 128 * MIB));
    const text = tail.truncated ? `${header}\n${tail.text.slice(tail.text.indexOf('\n') + 1)}` : tail.text;
    if (!text.startsWith(`${header}\n`)) throw new RunDirRefused(`${shown} does not start with the memory log's header`);
    replaceFile(join(this.dest.root, shown), text);
  }

  /** The last 64 KiB of each log: the bundle keeps only their tails. */
  logTail(relative: string): void {
    const path = join(this.src, relative);
    const kind = entryKind(path);
    if (kind === 'missing') return;
    if (kind !== 'file') throw new RunDirRefused(`${relative} is a ${kind}: not followed, not read`);
    replaceFile(join(this.dest.root, relative), readRegularFileTail(path, LOG_TAIL_BYTES).text);
  }

  workerLogs(): void {
    const relative = `${CONTAINER_SUBDIR}/${WORKER_LOG_DIR}`;
    const kind = entryKind(join(this.src, relative));
    if (kind === 'missing') return;
    if (kind !== 'directory') throw new RunDirRefused(`${relative} is a ${kind}: not followed`);
    try {
      mkdirSync(join(this.dest.root, relative), { mode: 0o755 });
    } catch (error) {
      throw writeFailed(join(this.dest.root, relative), error);
    }
    const names = readdirSync(join(this.src, relative)).filter((name) => /^worker-\d+\.log$/.test(name)).sort().slice(0, MAX_WORKER_LOGS);
    for (const name of names) this.optional(() => this.logTail(`${relative}/${name}`), `${relative}/${name}`);
  }
}

/** The run id a directory names, checked: it becomes a path under --out. */
export function runIdOf(src: string): string {
  const runId = basename(src);
  if (!RUN_ID.test(runId)) throw new RunDirRefused(`its name ${JSON.stringify(runId)} is not a run id (letters, digits, ".", "_", "-")`);
  return runId;
}

/** Copies `src` into `<outDir>/<run id>`; throws RunDirRefused, before anything is written, when it is not a run. */
export function importRun(src: string, outDir: string): ImportedRun {
  const runId = runIdOf(src);
  const containerKind = entryKind(join(src, CONTAINER_SUBDIR));
  if (containerKind !== 'directory') throw new RunDirRefused(`${CONTAINER_SUBDIR} is ${containerKind === 'missing' ? 'missing' : `a ${containerKind}: not followed`}`);
  const containerFile = (name: string) => join(src, CONTAINER_SUBDIR, name);
  const summary = readJsonEntry(containerFile(SUMMARY_FILE), `${CONTAINER_SUBDIR}/${SUMMARY_FILE}`, SummarySchema, limitOf(SUMMARY_FILE, 8 * MIB));
  const pod = readJsonEntry(containerFile(POD_MANIFEST_FILE), `${CONTAINER_SUBDIR}/${POD_MANIFEST_FILE}`, PodManifestSchema, limitOf(POD_MANIFEST_FILE, MIB));
  const manifest = pod ? null : readJsonEntry(join(src, CONTAINER_MANIFEST_FILE), CONTAINER_MANIFEST_FILE, ContainerManifestSchema, 16 * MIB);
  if (pod?.state === 'refused') throw new RunDirRefused(`the pod refused to run: ${pod.error ?? 'no reason given'}`);
  if (!summary) throw new RunDirRefused(`${CONTAINER_SUBDIR}/${SUMMARY_FILE} is missing: the supervisor never started`);
  if (!pod && !manifest) throw new RunDirRefused(`neither ${CONTAINER_SUBDIR}/${POD_MANIFEST_FILE} (a pod's run) nor ${CONTAINER_MANIFEST_FILE} (a local run) is there`);
  for (const [what, id] of [['summary.json', summary.run_id], ['pod.json', pod?.run_id], [CONTAINER_MANIFEST_FILE, manifest?.run_id]] as const) {
    if (id !== undefined && id !== runId) throw new RunDirRefused(`${what} names run ${JSON.stringify(id)}, not the directory's ${runId}`);
  }
  const dest = new RunDir(join(outDir, runId));
  if (entryKind(dest.root) !== 'missing') throw new RunDirRefused(`${dest.root} already exists (collected before?): remove it to collect this run again`);
  dest.create(null);
  const importer = new Importer(src, dest);
  replaceJsonFile(join(dest.containerDir, SUMMARY_FILE), summary);
  if (pod) replaceJsonFile(join(dest.containerDir, POD_MANIFEST_FILE), pod);
  importer.optional(() => importer.json(RUN_CONFIG_FILE, RunConfigSchema, MIB), RUN_CONFIG_FILE);
  importer.optional(() => importer.json(`${CONTAINER_SUBDIR}/${INGEST_MANIFEST_FILE}`, IngestManifestSchema, limitOf(INGEST_MANIFEST_FILE, 16 * MIB)), `${CONTAINER_SUBDIR}/${INGEST_MANIFEST_FILE}`);
  importer.optional(() => importer.memoryLog(), `${CONTAINER_SUBDIR}/${MEMORY_LOG_FILE}`);
  importer.optional(() => importer.logTail(`${CONTAINER_SUBDIR}/${COMMAND_LOG_FILE}`), `${CONTAINER_SUBDIR}/${COMMAND_LOG_FILE}`);
  importer.optional(() => importer.workerLogs(), `${CONTAINER_SUBDIR}/${WORKER_LOG_DIR}`);
  return { runId, dest, summary, pod, manifest, skipped: importer.skipped, warnings: importer.warnings };
}
