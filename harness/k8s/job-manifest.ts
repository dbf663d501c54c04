// One Indexed Job per cap (a Job has one pod template, so one memory limit) and the ConfigMap holding its pod plan.
// The run config inside the plan is the one a local run of the same options would get (run/plan-run.ts).
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { formatBytes } from '../common/byte-size.js';
import type { CheckedInput } from '../input/check-input.js';
import type { RunOptions } from '../options/run-options.js';
import type { ContainerLimits } from '../run-files/container-manifest.js';
import { MAX_POD_PLAN_BYTES, POD_PLAN_FILE, POD_RUN_ID_PLACEHOLDER, podPlanText, type PodPlan } from '../run-files/pod-plan.js';
import type { WorkloadSpec } from '../run-files/run-config.js';
import { TMPFS_BYTES } from '../container-runtime/container-spec.js';
import { mountedFiles, runConfigFor, type MountedFile } from '../run/plan-run.js';
import { HarnessError } from '../common/harness-error.js';
import type { InputVolume, OutputVolume } from './k8s-options.js';
import { podSpec, POD_UID } from './pod-template.js';
import { capLabel } from './quantities.js';

export const APP_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const CAP_LABEL = 'oom-harness/cap';

export interface JobSetRequest {
  name: string;
  imageRef: string;
  image: { contentHash: string; baseImage: string };
  command: string;
  options: RunOptions;
  workload: (inputs: MountedFile[]) => WorkloadSpec;
  inputs: readonly CheckedInput[];
  inputVolume: InputVolume;
  outputVolume: OutputVolume;
  parallelism: number;
  /** The harness's own share of the cap, for the Job's annotation. */
  harnessShare: string;
}

export interface EmittedJob {
  capBytes: number;
  jobName: string;
  plan: PodPlan;
  configMap: ConfigMap;
  job: Job;
}

function requestedLimits(capBytes: number, cpus: number): ContainerLimits {
  return {
    memory_bytes: capBytes,
    memory_swap_bytes: null,
    nano_cpus: Math.round(cpus * 1e9),
    pids_limit: null,
    ulimits: [],
    network_mode: null,
    readonly_rootfs: true,
    cap_drop: ['ALL'],
    security_opt: ['allowPrivilegeEscalation=false', 'seccompProfile=RuntimeDefault'],
    init: null,
    user: `${POD_UID}:${POD_UID}`,
    auto_remove: null,
  };
}

/** A pod keeps a CPU limit when --cpus gives none (the local default of no quota): what it had before, one CPU. */
const POD_DEFAULT_CPUS = 1;

export function podPlanFor(request: JobSetRequest, capBytes: number, jobName: string): PodPlan {
  const options = { ...request.options, capBytes, cpus: request.options.cpus ?? POD_DEFAULT_CPUS };
  const inputs = request.inputs.flatMap((input) => mountedFiles(input));
  return {
    schema: 'oom-harness/pod-plan@1',
    job: jobName,
    command: request.command,
    cap_given: formatBytes(capBytes),
    cpus: options.cpus,
    image: { ref: request.imageRef, content_hash: request.image.contentHash, base_image: request.image.baseImage },
    requested: requestedLimits(capBytes, options.cpus),
    config: runConfigFor(options, POD_RUN_ID_PLACEHOLDER, request.workload([])),
    inputs,
  };
}

export function jobFor(request: JobSetRequest, capBytes: number): EmittedJob {
  const jobName = `${request.name}-${capLabel(capBytes)}`;
  const plan = podPlanFor(request, capBytes, jobName);
  const text = podPlanText(plan);
  if (Buffer.byteLength(text) > MAX_POD_PLAN_BYTES) {
    throw new HarnessError('BAD_INPUT', `the plan of ${request.inputs.length} inputs takes ${Buffer.byteLength(text)} bytes, more than a ConfigMap holds (${MAX_POD_PLAN_BYTES}); expected fewer inputs per emit: split them`);
  }
  const labels = { [APP_LABEL]: 'oom-harness', [INSTANCE_LABEL]: request.name, [CAP_LABEL]: capLabel(capBytes) };
  const configMap = new ConfigMap({ metadata: { name: `${jobName}-plan`, labels }, data: { [POD_PLAN_FILE]: text } });
  const completions = plan.inputs.length;
  const job = new Job({
    metadata: {
      name: jobName,
      labels,
      annotations: { 'oom-harness/cap': plan.cap_given, 'oom-harness/harness-share': request.harnessShare, 'oom-harness/command': request.command },
    },
    spec: {
      completionMode: 'Indexed',
      completions,
      parallelism: Math.min(completions, request.parallelism),
      // One try per cell: a retry would re-run an OOM and hide a flaky one.
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: podSpec({
          image: request.imageRef,
          capBytes,
          cpus: plan.cpus,
          tmpBytes: TMPFS_BYTES,
          configMap: configMap.metadata!.name!,
          inputs: plan.inputs.map((input) => input.name),
          inputVolume: request.inputVolume,
          outputVolume: request.outputVolume,
        }),
      },
    },
  });
  return { capBytes, jobName, plan, configMap, job };
}
