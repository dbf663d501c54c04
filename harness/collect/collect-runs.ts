// `collect`: run directories gathered from anywhere become what a local run leaves: one bundle per run, and
// matrix.json, matrix.csv and matrix.html over all of them. A directory that is not a sound run is reported with
// why and passed over; the others are collected regardless.
import { errorMessage, isHarnessError } from '../common/harness-error.js';
import { writeBundle } from '../bundle/write-bundle.js';
import { writeContainerManifest, type ContainerManifest } from '../run-files/container-manifest.js';
import { RunDir } from '../run-files/run-dir.js';
import { displayPath } from '../run/display-paths.js';
import { skippedEntries } from '../run/skipped-entries.js';
import type { CellResult } from '../search/matrix.js';
import { writeMatrixFiles } from '../search/matrix-files.js';
import { findRunDirs, shownBelow } from './find-run-dirs.js';
import { importRun, runIdOf, RunDirRefused, type ImportedRun } from './import-run.js';
import { podRunManifest } from './pod-run-manifest.js';
import type { PodEnd } from './pod-status.js';

export interface CollectRequest {
  from: string;
  outDir: string;
  /** From --pod-status: pod name -> how its harness container ended. */
  podEnds: Map<string, PodEnd> | null;
  projectRoot: string;
  harnessVersion: string;
}

export interface CollectedRun {
  source: string;
  runId: string;
  cell: CellResult;
  warnings: string[];
}

export interface CollectResult {
  runs: CollectedRun[];
  /** Directories refused, each with why. */
  refused: Array<{ path: string; problem: string }>;
  /** Entries the walk did not enter (links). */
  passedOver: Array<{ path: string; problem: string }>;
}

const POD_ELSEWHERE = "the run was in a Kubernetes pod: the node's kernel log cannot be read from an unprivileged pod, and this host's would be another machine's";
const LOCAL_ELSEWHERE = "the run was collected from a copied run directory: its own host's kernel excerpt and host.json are not carried over, and this host's would be another machine's";

function manifestFor(imported: ImportedRun, src: string, request: CollectRequest): ContainerManifest {
  const skipped = [...imported.skipped];
  for (const entry of skippedEntries(new RunDir(src)).listed) if (!skipped.some((known) => known.path === entry.path)) skipped.push(entry);
  const outDirShown = displayPath(request.outDir);
  if (imported.pod) {
    const end = imported.pod.pod.name ? (request.podEnds?.get(imported.pod.pod.name) ?? null) : null;
    return podRunManifest({ pod: imported.pod, summary: imported.summary, end, outDirShown, skipped, warnings: imported.warnings });
  }
  const manifest = imported.manifest!;
  return { ...manifest, out_dir: outDirShown, skipped_entries: skipped.slice(0, 50), skipped_entries_total: skipped.length, warnings: [...manifest.warnings, ...imported.warnings] };
}

async function collectOne(src: string, request: CollectRequest): Promise<Omit<CollectedRun, 'source'>> {
  const imported = importRun(src, request.outDir);
  const manifest = manifestFor(imported, src, request);
  writeContainerManifest(imported.dest, manifest);
  const startedMs = Date.parse(manifest.started_at ?? imported.summary.started_at);
  const bundle = await writeBundle({
    runDir: imported.dest.root,
    runId: imported.runId,
    manifest,
    summary: imported.summary,
    engine: null,
    projectRoot: request.projectRoot,
    harnessVersion: request.harnessVersion,
    includeInput: null,
    windowStartMs: startedMs,
    windowEndMs: Date.parse(manifest.finished_at ?? imported.summary.updated_at),
    elsewhere: imported.pod ? POD_ELSEWHERE : LOCAL_ELSEWHERE,
  });
  const cell: CellResult = {
    input: manifest.input?.files.map((file) => file.name).join(', ') || manifest.command,
    capBytes: manifest.cap_bytes,
    verdict: manifest.verdict,
    exitCode: manifest.cli_exit_code,
    kernelPeakMb: imported.summary.kernel_peak_mb,
    bundle: bundle.path,
    startedAt: manifest.started_at ?? imported.summary.started_at,
    finishedAt: manifest.finished_at ?? imported.summary.updated_at,
  };
  return { runId: imported.runId, cell, warnings: [...manifest.warnings, ...bundle.warnings] };
}

export async function collectRuns(request: CollectRequest): Promise<CollectResult> {
  const found = findRunDirs(request.from, request.outDir);
  const result: CollectResult = { runs: [], refused: [], passedOver: found.passedOver.map((entry) => ({ ...entry, path: shownBelow(request.from, entry.path) })) };
  const seen = new Map<string, string>();
  for (const src of found.runDirs) {
    const source = shownBelow(request.from, src);
    try {
      const runId = runIdOf(src);
      const twin = seen.get(runId);
      if (twin !== undefined) throw new RunDirRefused(`run ${runId} was already collected from ${twin}`);
      result.runs.push({ source, ...(await collectOne(src, request)) });
      seen.set(runId, source);
    } catch (error) {
      if (!(error instanceof RunDirRefused) && !isHarnessError(error)) throw error;
      result.refused.push({ path: source, problem: errorMessage(error) });
    }
  }
  const cells = result.runs.map((run) => run.cell).sort((a, b) => a.input.localeCompare(b.input) || a.capBytes - b.capBytes);
  if (cells.length > 0) writeMatrixFiles(request.outDir, cells);
  return result;
}
