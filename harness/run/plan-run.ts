// Everything a capped run will do, decided before anything starts: pure, from the options, the checked input and
// who runs it. The cap goes from here straight into the container's create options.
import { basename, join } from 'node:path';
import { containerSpec, TMPFS_BYTES, type BindMount, type ContainerSpec, type ContainerUlimits } from '../container-runtime/container-spec.js';
import { runLabels } from '../container-runtime/labels.js';
import type { RunnerIdentity } from '../container-runtime/runner-identity.js';
import type { CheckedInput } from '../input/check-input.js';
import type { RunOptions } from '../options/run-options.js';
import { CONTAINER_CONFIG_PATH, CONTAINER_INPUT_DIR, CONTAINER_OUT_DIR, RUN_CONFIG_FILE, type RunConfig, type WorkloadSpec } from '../run-files/run-config.js';
import { RunDir } from '../run-files/run-dir.js';
import type { ContainerUser } from './container-user.js';
import { displayCommand, displayPath } from './display-paths.js';
import { autoWorkerLimit, workerHeapMib } from './heap-size.js';

/** An input file as the container sees it. */
export interface MountedFile {
  name: string;
  container_path: string;
  size_bytes: number;
  sha256: string;
}

export interface RunRequest {
  runId: string;
  /** Absolute, checked and created by prepareOutDir. */
  outDir: string;
  options: RunOptions;
  capGiven: string;
  input: CheckedInput | null;
  /** The workload's spec, given where its inputs are mounted. */
  workload: (inputs: MountedFile[]) => WorkloadSpec;
  user: ContainerUser;
  /** Open files and processes, at or below the host's hard limits. */
  ulimits: ContainerUlimits;
  runner: RunnerIdentity;
  programName: string;
  argv: readonly string[];
  /** False with --no-argv: command lines stay out of memory_log.csv. */
  recordArgv?: boolean;
  /** A user's command (exec): its image, mounts, environment, network and user. */
  exec?: ExecContainer;
}

export interface ExecContainer {
  /** The user's image; null runs the command in the harness's own runtime image. */
  image: string | null;
  mounts: BindMount[];
  env: string[];
  network: 'none' | 'bridge';
  /** --user, or null for the image's USER (non-root) or else the harness's default. */
  user: string | null;
  /** Prepend the image's ENTRYPOINT to the command (`--entrypoint keep`). */
  keepEntrypoint: boolean;
}

export interface RunPlan {
  runId: string;
  run: RunDir;
  capBytes: number;
  capGiven: string;
  allowCapAboveHost: boolean;
  baseImage: string;
  config: RunConfig;
  containerSpec: ContainerSpec;
  /** Who must own the container's directory (the runner is root), or null. */
  containerOwner: { uid: number; gid: number } | null;
  input: CheckedInput | null;
  includeInput: boolean;
  /** The command line and --out as a bundle may show them. */
  command: string;
  outDirShown: string;
  /** null: no CPU quota. */
  cpus: number | null;
  ulimits: ContainerUlimits;
  exec: ExecContainer | null;
}

export function mountedFiles(input: CheckedInput | null): MountedFile[] {
  if (!input) return [];
  return input.files.map((file) => ({
    name: file.name,
    container_path: `${CONTAINER_INPUT_DIR}/${file.name}`,
    size_bytes: file.sizeBytes,
    sha256: file.sha256,
  }));
}

function inputMount(input: CheckedInput | null): BindMount[] {
  if (!input) return [];
  // A directory is mounted whole; a file under its own name, so the container sees nothing else of its folder.
  const target = input.isDirectory ? CONTAINER_INPUT_DIR : `${CONTAINER_INPUT_DIR}/${basename(input.hostPath)}`;
  return [{ source: input.hostPath, target, readOnly: true }];
}

/** What the supervisor is asked to do: the one place a run's options become run-config.json (local runs and pods). */
export function runConfigFor(options: RunOptions, runId: string, workload: WorkloadSpec, recordArgv = true): RunConfig {
  const auto = { cpus: options.cpus, capBytes: options.capBytes, heapByRule: options.workerHeapMb === 'auto', pidsLimit: options.pidsLimit };
  const limit = options.workers === 'auto' ? autoWorkerLimit(auto) : { workers: options.workers, bound: null };
  const { workers } = limit;
  return {
    schema: 'oom-harness/run-config@1',
    run_id: runId,
    cap_bytes: options.capBytes,
    sample_interval_ms: options.sampleIntervalMs,
    near_cap_sample_interval_ms: options.nearCapSampleIntervalMs,
    workers,
    workers_auto: options.workers === 'auto',
    workers_bound: limit.bound,
    worker_timeout_ms: options.workerTimeoutMs,
    kill_grace_ms: options.killGraceMs,
    on_worker_death: options.onWorkerDeath,
    worker_heap_mb: options.workerHeapMb === 'auto' ? workerHeapMib(options.capBytes, workers) : options.workerHeapMb,
    record_argv: recordArgv,
    workload,
  };
}

export function planRun(request: RunRequest): RunPlan {
  const { options, runId, input } = request;
  const run = new RunDir(join(request.outDir, runId));
  const config = runConfigFor(options, runId, request.workload(mountedFiles(input)), request.recordArgv ?? true);
  const spec = containerSpec({
    name: `oom-harness-${runId}`,
    capBytes: options.capBytes,
    cpus: options.cpus,
    user: request.user.spec,
    pidsLimit: options.pidsLimit,
    ulimits: request.ulimits,
    tmpfsBytes: TMPFS_BYTES,
    labels: runLabels(runId, request.runner),
    cmd: [CONTAINER_CONFIG_PATH],
    workingDir: CONTAINER_OUT_DIR,
    mounts: [
      { source: run.containerDir, target: CONTAINER_OUT_DIR, readOnly: false },
      { source: run.hostFile(RUN_CONFIG_FILE), target: CONTAINER_CONFIG_PATH, readOnly: true },
      ...inputMount(input),
      ...(request.exec?.mounts ?? []),
    ],
    env: request.exec ? request.exec.env : ['NODE_ENV=production'],
    network: request.exec?.network ?? 'none',
  });
  return {
    runId,
    run,
    capBytes: options.capBytes,
    capGiven: request.capGiven,
    allowCapAboveHost: options.allowCapAboveHost,
    baseImage: options.baseImage,
    config,
    containerSpec: spec,
    containerOwner: request.user.needsChown ? { uid: request.user.uid, gid: request.user.gid } : null,
    input,
    includeInput: options.includeInput,
    command: displayCommand(request.programName, request.argv, input?.hostPath ?? null),
    outDirShown: displayPath(request.outDir),
    cpus: options.cpus,
    ulimits: request.ulimits,
    exec: request.exec ?? null,
  };
}
