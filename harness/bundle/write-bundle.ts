// After every ending: the kernel excerpt, host metadata, chart and README beside the run's own files, and all of
// them packed into <out>/<run-id>.tar.gz. Each extra is best effort (a warning); the archive itself must succeed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../common/atomic-file.js';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { INGEST_MANIFEST_FILE, type IngestManifest } from '../common/ingest-manifest.js';
import { RUN_CONFIG_FILE } from '../common/run-config.js';
import { MEMORY_LOG_FILE, SUMMARY_FILE, WORKER_LOG_DIR, type Summary } from '../common/summary.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { CheckedInput } from '../input/check-input.js';
import { CONTAINER_MANIFEST_FILE, type ContainerManifest } from '../common/container-manifest.js';
import { readIngestManifest } from '../run/read-run-files.js';
import { BUNDLE_README_FILE, renderBundleReadme } from './bundle-readme.js';
import { bootWallMs, collectDmesgExcerpt, DMESG_EXCERPT_FILE } from './dmesg-excerpt.js';
import { collectHostMetadata, HOST_METADATA_FILE } from './host-metadata.js';
import { MEMORY_CHART_FILE, renderMemoryChart } from './memory-chart.js';
import { readMemoryLogFile, ticksOf } from './memory-log-reader.js';
import { writeTarball } from './tarball.js';

export const WORKER_STDERR_TAIL_FILE = 'worker_stderr_tail.txt';
const STDERR_TAIL_LINES = 40;

/** The files a bundle holds, in the order README.txt lists them. */
export const BUNDLE_FILES = [
  BUNDLE_README_FILE,
  SUMMARY_FILE,
  CONTAINER_MANIFEST_FILE,
  INGEST_MANIFEST_FILE,
  MEMORY_LOG_FILE,
  MEMORY_CHART_FILE,
  DMESG_EXCERPT_FILE,
  HOST_METADATA_FILE,
  RUN_CONFIG_FILE,
  WORKER_STDERR_TAIL_FILE,
] as const;

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
  /** Files a command wrote into the run directory for the bundle (a smoke or pressure report). */
  extraFiles?: string[];
}

export interface BundleResult {
  path: string;
  files: string[];
  dmesgLines: string[];
  warnings: string[];
}

export async function writeBundle(request: BundleRequest): Promise<BundleResult> {
  const { runDir } = request;
  const warnings: string[] = [];
  const attempt = async (what: string, step: () => Promise<void> | void) => {
    try {
      await step();
    } catch (error) {
      warnings.push(`${what}: ${errorMessage(error)}`);
    }
  };

  let dmesgLines: string[] = [];
  await attempt('dmesg excerpt', async () => {
    const excerpt = await collectDmesgExcerpt({
      containerId: request.manifest.container.id,
      windowStartMs: request.windowStartMs,
      windowEndMs: request.windowEndMs,
      bootWallMs: bootWallMs(),
    });
    writeFileSync(join(runDir, DMESG_EXCERPT_FILE), excerpt.text);
    dmesgLines = excerpt.lines;
    if (excerpt.warning) warnings.push(excerpt.warning);
  });
  await attempt('host metadata', async () => {
    const host = await collectHostMetadata({
      engine: request.engine,
      nodeInside: request.summary?.node_version ?? null,
      harnessVersion: request.harnessVersion,
      projectRoot: request.projectRoot,
    });
    await writeJsonAtomic(join(runDir, HOST_METADATA_FILE), host);
  });
  await attempt('worker stderr tail', () => writeFileSync(join(runDir, WORKER_STDERR_TAIL_FILE), workerStderrTail(runDir)));
  const ingest = readIngestManifest(runDir);
  await attempt('memory chart', () => writeFileSync(join(runDir, MEMORY_CHART_FILE), chartFor(request, ingest)));
  const present = [...BUNDLE_FILES, ...(request.extraFiles ?? [])].filter((file) => file === BUNDLE_README_FILE || existsSync(join(runDir, file)));
  await attempt('README.txt', () =>
    writeFileSync(join(runDir, BUNDLE_README_FILE), renderBundleReadme({ manifest: request.manifest, summary: request.summary, ingest, dmesgLines, files: present })),
  );
  const entries: string[] = present.filter((file) => existsSync(join(runDir, file)));
  if (request.includeInput) {
    mkdirSync(join(runDir, 'input'), { recursive: true });
    for (const file of request.includeInput.files) {
      copyFileSync(file.hostPath, join(runDir, 'input', file.name));
      entries.push(join('input', file.name));
    }
  }
  const path = join(dirname(runDir), `${request.runId}.tar.gz`);
  try {
    await writeTarball({ cwd: dirname(runDir), entries: entries.map((entry) => join(request.runId, entry)), file: path });
  } catch (error) {
    throw new HarnessError('ARTIFACT_WRITE_FAILED', `writing the bundle ${path} failed: ${errorMessage(error)}; the run directory ${runDir} keeps every file`, {
      cause: error,
    });
  }
  return { path, files: entries, dmesgLines, warnings };
}

function workerStderrTail(runDir: string): string {
  const dir = join(runDir, WORKER_LOG_DIR);
  if (!existsSync(dir)) return '# no worker wrote anything\n';
  const sections = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((name) => {
      const lines = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
      const tail = lines.slice(-STDERR_TAIL_LINES);
      const note = lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : '';
      return `== ${name}${note} ==\n${tail.join('\n')}`;
    });
  return sections.length > 0 ? `${sections.join('\n\n')}\n` : '# no worker wrote anything\n';
}

function chartFor(request: BundleRequest, ingest: IngestManifest | null): string {
  const summary = request.summary;
  const startMs = Date.parse(summary?.started_at ?? request.manifest.started_at ?? new Date(request.windowStartMs).toISOString());
  const seconds = (iso: string | null) => (iso ? (Date.parse(iso) - startMs) / 1000 : null);
  const deaths = (summary?.workers ?? [])
    .filter((worker) => worker.exit_code !== 0 || worker.signal !== null)
    .flatMap((worker) => {
      const at = seconds(worker.ended_at);
      if (at === null) return [];
      const label = worker.oom_killed ? 'OOM kill' : worker.heap_oom ? 'heap out of memory' : worker.timed_out ? 'timeout' : `${worker.signal ?? `exit ${worker.exit_code}`}`;
      return [{ atS: at, label: `worker ${worker.worker_id}: ${label}` }];
    });
  return renderMemoryChart({
    title: `oom-harness ${request.runId}`,
    verdict: `${request.manifest.verdict}: ${request.manifest.verdict_reason}`,
    capMb: Math.round((request.manifest.cap_bytes / 1024 / 1024) * 10) / 10,
    ticks: ticksOf(readMemoryLogFile(join(request.runDir, MEMORY_LOG_FILE))),
    batchStartsS: (ingest?.batches ?? []).flatMap((batch) => seconds(batch.started_at) ?? []),
    deaths,
  });
}
