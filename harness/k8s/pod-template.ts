// The pod every index of a Job runs: the harness's runtime image started at its pod entry point, memory limit =
// request = the cap (and CPU likewise, so the pod is Guaranteed), the hardening of a local container, the plan from
// a ConfigMap, the inputs and the run directories on volumes.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { CONTAINER_INPUT_DIR, CONTAINER_OUT_DIR } from '../run-files/run-config.js';
import { POD_PLAN_DIR, POD_PLAN_PATH } from '../run-files/pod-plan.js';
import type { InputVolume, OutputVolume } from './k8s-options.js';
import { cpuQuantity, memoryQuantity } from './quantities.js';

/** Where docker/Dockerfile puts the compiled harness in the runtime image. */
const IMAGE_APP_DIR = '/opt/oom-harness';
export const POD_COMMAND = ['node', `${IMAGE_APP_DIR}/dist/harness/pod/main.js`];
/** The user the runtime image runs as (docker/Dockerfile's USER). */
export const POD_UID = 1000;
export const INIT_IMAGE = 'busybox:1.36';
const INIT_MEMORY_BYTES = 64 * 1024 * 1024;

export interface PodTemplateRequest {
  image: string;
  capBytes: number;
  cpus: number;
  tmpBytes: number;
  configMap: string;
  inputs: readonly string[];
  inputVolume: InputVolume;
  outputVolume: OutputVolume;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The init container of an emptyDir input: picks this index's file name and fails until edited to fetch it. */
function fetchInputContainer(request: PodTemplateRequest): IContainer {
  const script = [
    'set -eu',
    `set -- ${request.inputs.map(shellQuote).join(' ')}`,
    'shift "$JOB_COMPLETION_INDEX"',
    'name="$1"',
    `# EDIT: fetch the input this pod runs into ${CONTAINER_INPUT_DIR}, for example:`,
    `# wget -q -O "${CONTAINER_INPUT_DIR}/$name" "https://files.example.org/pdfs/$name"`,
    `if [ ! -f "${CONTAINER_INPUT_DIR}/$name" ]; then`,
    `  echo "${CONTAINER_INPUT_DIR}/$name is missing: edit the init container fetch-input (see jobs.md)" >&2`,
    '  exit 1',
    'fi',
  ].join('\n');
  const resources = { memory: memoryQuantity(INIT_MEMORY_BYTES), cpu: cpuQuantity(request.cpus) };
  return {
    name: 'fetch-input',
    image: INIT_IMAGE,
    command: ['sh', '-c', script],
    resources: { limits: resources, requests: resources },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'input', mountPath: CONTAINER_INPUT_DIR }],
  };
}

function harnessContainer(request: PodTemplateRequest): IContainer {
  const resources = { memory: memoryQuantity(request.capBytes), cpu: cpuQuantity(request.cpus) };
  const fromField = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  return {
    name: 'harness',
    image: request.image,
    imagePullPolicy: 'IfNotPresent',
    command: POD_COMMAND,
    env: [
      { name: 'OOM_HARNESS_POD_PLAN', value: POD_PLAN_PATH },
      { name: 'OOM_HARNESS_OUT', value: CONTAINER_OUT_DIR },
      { name: 'NODE_ENV', value: 'production' },
      fromField('POD_NAME', 'metadata.name'),
      fromField('POD_NAMESPACE', 'metadata.namespace'),
      fromField('NODE_NAME', 'spec.nodeName'),
    ],
    resources: { limits: resources, requests: resources },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [
      { name: 'plan', mountPath: POD_PLAN_DIR, readOnly: true },
      { name: 'input', mountPath: CONTAINER_INPUT_DIR, readOnly: true },
      { name: 'out', mountPath: CONTAINER_OUT_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

function volumes(request: PodTemplateRequest): IVolume[] {
  const input: IVolume =
    request.inputVolume.kind === 'pvc'
      ? { name: 'input', persistentVolumeClaim: { claimName: request.inputVolume.claim, readOnly: true } }
      : { name: 'input', emptyDir: {} };
  return [
    { name: 'plan', configMap: { name: request.configMap } },
    input,
    { name: 'out', persistentVolumeClaim: { claimName: request.outputVolume.claim } },
    // Memory-backed like a local run's tmpfs: what is written there counts against the cap.
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: memoryQuantity(request.tmpBytes) } },
  ];
}

export function podSpec(request: PodTemplateRequest): IPodSpec {
  return {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: POD_UID, runAsGroup: POD_UID, fsGroup: POD_UID, seccompProfile: { type: 'RuntimeDefault' } },
    ...(request.inputVolume.kind === 'emptyDir' ? { initContainers: [fetchInputContainer(request)] } : {}),
    containers: [harnessContainer(request)],
    volumes: volumes(request),
  };
}
