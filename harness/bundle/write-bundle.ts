// After every ending: the kernel excerpt, host metadata, chart and README beside the run's own files, and all of
// them packed into <out>/<run-id>.tar.gz. Each extra is best effort (a warning); the archive itself must succeed.
// The host writes only into the run directory's root, which the container never saw; what the container wrote is
// read through safe-fs and packed only when it is a regular file.
import { constants, copyFileSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { readIngestManifest, type IngestManifest } from '../workloads/ingest/ingest-manifest.js';
import type { Summary } from '../run-files/summary.js';
import { rangeStarts, readMemoryLog, ticksOf } from '../run-files/memory-log.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { CheckedInput } from '../input/check-input.js';
import type { ContainerManifest } from '../run-files/container-manifest.js';
import { COMMAND_LOG_FILE, RunDir, WORKER_LOG_DIR } from '../run-files/run-dir.js';
import { entryKind, readRegularFileTail, replaceFile, replaceJsonFile, writeFailed } from '../run-files/safe-fs.js';
import { BUNDLE_FILES, BUNDLE_README_FILE, COMMAND_LOG_TAIL_FILE, INPUT_COPY_DIR, WORKER_STDERR_TAIL_FILE, bundlePath, type BundleFile } from './bundle-files.js';
import { renderBundleReadme } from './bundle-readme.js';
import { bootWallMs, collectDmesgExcerpt, DMESG_EXCERPT_FILE, openKernelLog, type KernelLogReader } from './dmesg-excerpt.js';
import { collectHostMetadata, hostGpus, HOST_METADATA_FILE, type HostMetadata } from './host-metadata.js';
import { MEMORY_CHART_FILE, renderMemoryChart } from './memory-chart.js';
import { loadTar, writeTarball } from './tarball.js';
import { packFromStableFiles } from './snapshot.js';
import { describeDeath, diedBadly } from '../outcome/describe-death.js';

const STDERR_TAIL_LINES = 40;
const STDERR_TAIL_BYTES = 64 * 1024;

export interface BundleRequest {
  runDir: string;
  runId: string;
  manifest: ContainerManifest;
  summary: Summary | null;
  engine: EngineInfo | null;
  projectRoot: string;
  harnessVersion: string;
  /** Packed only when asked for with --include-input. */
  includeInput: CheckedInput | null;
  windowStartMs: number;
  windowEndMs: number;
  /** Why this host's kernel log and metadata do not belong to the run: it ran elsewhere (a pod, gathered by collect). */
  elsewhere?: string;
  /** The engine could not confirm the container gone (it went away mid-run): its files are packed from copies. */
  containerMayStillRun?: boolean;
  /** The kernel log opened while the run went on (preloadBundle); closed once read. */
  kernelLog?: KernelLogReader | null;
  /** The host's GPUs, asked for while the run went on (preloadBundle). */
  gpus?: Promise<HostMetadata['gpus']> | null;
}

export interface BundleResult {
  path: string;
  files: string[];
  dmesgLines: string[];
  warnings: string[];
}

/**
 * Loads what packing the bundle needs while the run goes on, so the run's end does not wait for it: node-tar, the
 * host's GPUs, and the kernel log read up to now (to pass as `gpus` and `kernelLog`; the caller closes the kernel log
 * if it never bundles).
 */
export function preloadBundle(): { kernelLog: KernelLogReader | null; gpus: Promise<HostMetadata['gpus']> } {
  loadTar().catch(() => undefined);
  return { kernelLog: openKernelLog(), gpus: hostGpus() };
}

export async function writeBundle(request: BundleRequest): Promise<BundleResult> {
  const run = new RunDir(request.runDir);
  const warnings: string[] = [];
  const attempt = async (what: string, step: () => Promise<void> | void) => {
    try {
      await step();
    } catch (error) {
      warnings.push(`${what}: ${errorMessage(error)}`);
    }
  };

  const dmesgLines = await hostExtras(request, run, attempt, warnings);
  await attempt('worker stderr tail', () => replaceFile(run.hostFile(WORKER_STDERR_TAIL_FILE), workerStderrTail(run)));
  await attempt('command log tail', () => writeCommandLogTail(run));
  const ingest = readIngestManifest(run);
  await attempt('memory chart', () => replaceFile(run.hostFile(MEMORY_CHART_FILE), chartFor(request, run, ingest)));
  if (request.includeInput) await attempt('input copy', () => copyInput(run, request.includeInput!));

  // Every file but README.txt is settled now; each is checked once, and README.txt goes first.
  const packed = BUNDLE_FILES.flatMap((file) => (file.name !== BUNDLE_README_FILE && packable(run, file, warnings) ? [bundlePath(file)] : []));
  const inputs = request.includeInput ? request.includeInput.files.map((file) => `${INPUT_COPY_DIR}/${file.name}`).filter((path) => entryKind(join(run.root, path)) === 'file') : [];
  const files = [BUNDLE_README_FILE, ...packed, ...inputs];
  await attempt('README.txt', () =>
    replaceFile(
      run.hostFile(BUNDLE_README_FILE),
      renderBundleReadme({ manifest: request.manifest, summary: request.summary, ingest, dmesgLines, files }),
    ),
  );
  const entries = entryKind(run.hostFile(BUNDLE_README_FILE)) === 'file' ? files : [...packed, ...inputs];
  const path = join(dirname(run.root), `${request.runId}.tar.gz`);
  try {
    await packFromStableFiles(run.root, request.runId, entries, request.containerMayStillRun ?? false, (cwd) =>
      writeTarball({ cwd, entries: entries.map((entry) => join(request.runId, entry)), file: path }),
    );
  } catch (error) {
    throw new HarnessError('ARTIFACT_WRITE_FAILED', `writing the bundle ${path} failed: ${errorMessage(error)}; the run directory ${run.root} keeps every file`, {
      cause: error,
    });
  }
  return { path, files: entries, dmesgLines, warnings };
}

type Attempt = (what: string, step: () => Promise<void> | void) => Promise<void>;

/**
 * The kernel's excerpt and host.json, from this host; for a run that happened elsewhere (collect) this host's would
 * describe another machine, so the excerpt says why there is none and host.json is not written.
 */
async function hostExtras(request: BundleRequest, run: RunDir, attempt: Attempt, warnings: string[]): Promise<string[]> {
  if (request.elsewhere) {
    request.kernelLog?.close();
    const text = `# oom-harness dmesg excerpt\n# not available: ${printable(request.elsewhere)}\n`;
    await attempt('dmesg excerpt', () => replaceFile(run.hostFile(DMESG_EXCERPT_FILE), text));
    return [];
  }
  let dmesgLines: string[] = [];
  // The kernel's log and the host's facts come from two programs (dmesg, nvidia-smi): asked at the same time.
  await Promise.all([
    attempt('dmesg excerpt', async () => {
      const excerpt = await collectDmesgExcerpt({
        containerId: request.manifest.container.id,
        windowStartMs: request.windowStartMs,
        windowEndMs: request.windowEndMs,
        bootWallMs: bootWallMs(),
        kernelLog: request.kernelLog ?? null,
      });
      replaceFile(run.hostFile(DMESG_EXCERPT_FILE), excerpt.text);
      dmesgLines = excerpt.lines;
      if (excerpt.warning) warnings.push(excerpt.warning);
    }),
    attempt('host metadata', async () => {
      const host = await collectHostMetadata({
        engine: request.engine,
        nodeInside: request.summary?.node_version ?? null,
        harnessVersion: request.harnessVersion,
        projectRoot: request.projectRoot,
        gpus: request.gpus ?? null,
      });
      replaceJsonFile(run.hostFile(HOST_METADATA_FILE), host);
    }),
  ]);
  request.kernelLog?.close(); // read and closed already, unless the excerpt needed no kernel log
  return dmesgLines;
}

/** A bundle file that is there as a regular file, with one link, and within its size limit. */
function packable(run: RunDir, file: BundleFile, warnings: string[]): boolean {
  const path = join(run.root, bundlePath(file));
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return false;
  }
  if (!stats.isFile() || stats.nlink > 1) return false;
  if (file.maxBytes !== undefined && stats.size > file.maxBytes) {
    const note = `${bundlePath(file)} has ${stats.size} bytes, more than the ${file.maxBytes} a bundle takes of it: left in the run directory, not packed`;
    if (!warnings.includes(note)) warnings.push(note);
    return false;
  }
  return true;
}

/** The input as given (the user's own file, not the container's), copied into a fresh directory of the host's. */
function copyInput(run: RunDir, input: CheckedInput): void {
  const dir = run.hostFile(INPUT_COPY_DIR);
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (error) {
    throw writeFailed(dir, error);
  }
  for (const file of input.files) {
    const target = join(dir, file.name);
    try {
      // COPYFILE_EXCL: never onto an existing name, so never through a link.
      copyFileSync(file.hostPath, target, constants.COPYFILE_EXCL);
    } catch (error) {
      throw writeFailed(target, error);
    }
  }
}

const MAX_TAIL_LOGS = 40;
const MAX_TAIL_LINE_CHARS = 500;

function writeCommandLogTail(run: RunDir): void {
  const log = run.containerFile(COMMAND_LOG_FILE);
  if (entryKind(log) !== 'missing') replaceFile(run.hostFile(COMMAND_LOG_TAIL_FILE), logTail(log));
}

/** The last 200 lines of a log the container wrote, each cut at 500 characters and escaped. */
function logTail(path: string): string {
  const tail = readRegularFileTail(path, STDERR_TAIL_BYTES);
  const lines = tail.text.trimEnd().split('\n').slice(-200);
  return `${lines.map((line) => printable(line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}...` : line)).join('\n')}\n`;
}

/** The last lines of each worker's log: at most 40 logs (the first and last 20), lines cut at 500 characters. */
function workerStderrTail(run: RunDir): string {
  const dir = run.containerFile(WORKER_LOG_DIR);
  if (entryKind(dir) !== 'directory') return '# no worker wrote anything\n';
  const names = readdirSync(dir)
    .filter((name) => /^worker-\d+\.log$/.test(name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const shown = names.length > MAX_TAIL_LOGS ? [...names.slice(0, MAX_TAIL_LOGS / 2), ...names.slice(-MAX_TAIL_LOGS / 2)] : names;
  const sections = shown.map((name) => {
    let tail: { text: string; truncated: boolean };
    try {
      tail = readRegularFileTail(join(dir, name), STDERR_TAIL_BYTES);
    } catch (error) {
      return `== ${name}: not read (${printable(errorMessage(error))}) ==`;
    }
    const lines = tail.text.trimEnd().split('\n');
    const kept = lines.slice(-STDERR_TAIL_LINES).map((line) => printable(line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}...` : line));
    const note = tail.truncated || lines.length > kept.length ? ` (last ${kept.length} lines)` : '';
    return `== ${name}${note} ==\n${kept.join('\n')}`;
  });
  if (names.length > shown.length) sections.splice(MAX_TAIL_LOGS / 2, 0, `== ${names.length - shown.length} more worker logs left out ==`);
  return sections.length > 0 ? `${sections.join('\n\n')}\n` : '# no worker wrote anything\n';
}

function chartFor(request: BundleRequest, run: RunDir, ingest: IngestManifest | null): string {
  const summary = request.summary;
  const startMs = Date.parse(summary?.started_at ?? request.manifest.started_at ?? new Date(request.windowStartMs).toISOString());
  const seconds = (iso: string | null) => (iso ? (Date.parse(iso) - startMs) / 1000 : null);
  const deaths = (summary?.workers ?? []).filter(diedBadly).flatMap((worker) => {
    const at = seconds(worker.ended_at);
    return at === null ? [] : [{ atS: at, label: `worker ${worker.worker_id}: ${describeDeath(worker).label}` }];
  });
  const records = readMemoryLog(run);
  const rangePages = Number(ingest?.options.range_pages ?? 0);
  const inputName = request.manifest.input?.files.map((file) => file.name).join(', ') || request.manifest.command.split(' ').slice(0, 2).join(' ');
  return renderMemoryChart({
    title: `${inputName} under a ${request.manifest.cap_given} cap (run ${request.runId})`,
    verdict: `${request.manifest.verdict}: ${request.manifest.verdict_reason}`,
    capMb: Math.round((request.manifest.cap_bytes / 1024 / 1024) * 10) / 10,
    heapLimitMb: summary?.worker_heap_mb ?? null,
    ticks: ticksOf(records),
    batchStartsS: (ingest?.batches ?? []).flatMap((batch) => seconds(batch.started_at) ?? []),
    rangeStarts: rangePages > 0 ? rangeStarts(records, rangePages).map((start) => ({ atS: start.elapsedMs / 1000, page: start.page })) : [],
    deaths,
  });
}
