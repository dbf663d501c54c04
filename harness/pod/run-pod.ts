// One cell of an emitted Job, inside its pod: the plan's run config for this completion index, the input checked,
// the same supervisor a local container runs, and a run directory on the output volume:
//   <out>/<run-id>/run-config.json and <out>/<run-id>/container/ (pod.json, summary.json, memory_log.csv, ...).
// What only a local runner's host adds (engine inspect, the kernel log, host.json) is listed as unavailable.
import { arch, cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../common/harness-error.js';
import { EXIT_CODES, exitCodeForVerdict } from '../common/verdict.js';
import { OwnCgroup } from '../supervisor/own-cgroup.js';
import { supervise } from '../supervisor/supervise.js';
import { writePodManifest, type PodManifest } from '../run-files/pod-manifest.js';
import { podRunConfig, type PodPlan } from '../run-files/pod-plan.js';
import { RUN_CONFIG_FILE } from '../run-files/run-config.js';
import { RunDir } from '../run-files/run-dir.js';
import { replaceJsonFile } from '../run-files/safe-fs.js';
import { makeRunId } from '../run/run-id.js';
import { inputProblem, readPodPlan } from './pod-input.js';
import { PodSettingsError, type PodSettings } from './pod-settings.js';

export const POD_UNAVAILABLE = [
  "engine inspect (the container's exit code, OOMKilled, the limits read back): there is no engine in a pod; `kubectl get pod -o json` has the exit code and reason",
  "dmesg_excerpt.txt: the node's kernel log (/dev/kmsg) cannot be read from an unprivileged pod",
  "host.json: no host of the harness's ran this pod; pod.json records the node as the pod sees it",
];

export interface PodRunResult {
  runDir: string;
  manifest: PodManifest;
  /** The pod's exit code: 0 once the run's evidence is written, whatever the verdict (see docs/kubernetes.md). */
  exitCode: number;
}

function startingManifest(plan: PodPlan, settings: PodSettings, runId: string): PodManifest {
  const cgroup = new OwnCgroup();
  const input = plan.inputs[settings.index];
  const limitBytes = cgroup.read()?.limitBytes ?? null;
  const warnings =
    limitBytes !== null && limitBytes !== plan.config.cap_bytes
      ? [`the pod's memory cgroup limit is ${limitBytes} bytes, not the cap of ${plan.config.cap_bytes}: the Job's limits.memory did not bind as asked`]
      : [];
  return {
    schema: 'oom-harness/pod-manifest@1',
    run_id: runId,
    state: 'running',
    job: plan.job,
    index: settings.index,
    pod: settings.pod,
    command: plan.command,
    image: plan.image,
    cap_bytes: plan.config.cap_bytes,
    cap_given: plan.cap_given,
    cpus: plan.cpus,
    requested: plan.requested,
    input: input ? { name: input.name, size_bytes: input.size_bytes, sha256: input.sha256 } : null,
    cgroup: { version: cgroup.location?.version ?? null, limit_bytes: limitBytes },
    node: { kernel: release(), arch: arch(), cpu_count: cpus().length, memory_total_mb: Math.round(totalmem() / 1024 / 1024) },
    node_version: process.version,
    started_at: new Date().toISOString(),
    finished_at: null,
    verdict: null,
    supervisor_exit_code: null,
    error: null,
    warnings,
    unavailable: POD_UNAVAILABLE,
  };
}

/** Throws before a run directory exists (a bad plan or index); after that, every ending is written to pod.json. */
export async function runPod(settings: PodSettings): Promise<PodRunResult> {
  const plan = readPodPlan(settings.planPath);
  if (settings.index >= plan.inputs.length) {
    throw new PodSettingsError(`JOB_COMPLETION_INDEX: got ${settings.index}, expected 0 to ${plan.inputs.length - 1} (the plan lists ${plan.inputs.length} inputs)`);
  }
  const runId = settings.runId ?? makeRunId();
  const run = new RunDir(join(settings.outDir, runId));
  run.create(null);
  const config = podRunConfig(plan, settings.index, runId);
  replaceJsonFile(run.hostFile(RUN_CONFIG_FILE), config);
  let manifest = startingManifest(plan, settings, runId);
  const problem = await inputProblem(plan.inputs[settings.index]!);
  if (problem) {
    manifest = { ...manifest, state: 'refused', finished_at: new Date().toISOString(), error: problem };
    writePodManifest(run.containerDir, manifest);
    return { runDir: run.root, manifest, exitCode: EXIT_CODES.usage };
  }
  writePodManifest(run.containerDir, manifest);
  try {
    const summary = await supervise(config, run.hostFile(RUN_CONFIG_FILE), run.containerDir);
    const code = summary.verdict ? exitCodeForVerdict(summary.verdict) : EXIT_CODES.harnessError;
    manifest = { ...manifest, state: 'finished', finished_at: new Date().toISOString(), verdict: summary.verdict, supervisor_exit_code: code };
  } catch (error) {
    manifest = { ...manifest, state: 'finished', finished_at: new Date().toISOString(), supervisor_exit_code: EXIT_CODES.harnessError, error: errorMessage(error) };
  }
  writePodManifest(run.containerDir, manifest);
  return { runDir: run.root, manifest, exitCode: manifest.error ? EXIT_CODES.harnessError : EXIT_CODES.completed };
}
