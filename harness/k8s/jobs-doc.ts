// jobs.md beside the emitted manifests: what they ask for, the harness's own share of each cap, and the exact
// commands from the image to the evidence (the harness builds the image; pushing and applying are the user's).
import { formatBytes } from '../common/byte-size.js';
import type { InputVolume, OutputVolume } from './k8s-options.js';
import { cpuQuantity, memoryQuantity } from './quantities.js';

export const JOBS_DOC_FILE = 'jobs.md';

/** Measured on this project's machine: summary.json's supervisor_pss_mb and memory_log.csv of pod-like runs. */
export const HARNESS_SHARE =
  "the cap is the whole container, harness included: the supervisor's PSS is 55-68 MiB (31-33 MiB anonymous; the rest is the Node binary, shared with the workers once they run) and an idle ingest worker's about 25 MiB, so below 96m nothing can pass";

export interface JobsDocRequest {
  name: string;
  command: string;
  dirShown: string;
  jobs: Array<{ jobName: string; capBytes: number; cpus: number; completions: number; parallelism: number; file: string }>;
  image: { localTag: string; ref: string; refGiven: boolean; contentHash: string; baseImage: string };
  inputs: readonly string[];
  inputVolume: InputVolume;
  outputVolume: OutputVolume;
  files: readonly string[];
}

function imageSection(request: JobsDocRequest): string[] {
  const { image } = request;
  const lines = ['## 1. The image', '', 'Build it here (once per build of the harness; `build-image` prints the tag), then push it yourself:', '', '```sh'];
  lines.push(`oom-harness build-image${image.baseImage === 'scratch' ? '' : ` --base-image ${image.baseImage}`}   # ${image.localTag}`);
  if (image.refGiven) {
    lines.push(`docker tag ${image.localTag} ${image.ref}`, `docker push ${image.ref}`, '```');
  } else {
    lines.push(
      `docker tag ${image.localTag} <registry>/oom-harness:${image.localTag.split(':')[1]}`,
      `docker push <registry>/oom-harness:${image.localTag.split(':')[1]}`,
      '```',
      '',
      `These manifests name the local tag ${image.ref}, which only a cluster that has the image loaded can run`,
      `(\`kind load docker-image ${image.ref}\`, \`minikube image load ${image.ref}\`). For a registry, emit again with`,
      `\`--k8s-image <registry>/oom-harness:${image.localTag.split(':')[1]}\`.`,
    );
  }
  lines.push('', `The harness never pushes. The image is ${image.baseImage === 'scratch' ? "FROM scratch with this machine's Node and its libraries (x86-64 nodes)" : `built on ${image.baseImage}`}; content hash ${image.contentHash}.`);
  return lines;
}

function inputSection(request: JobsDocRequest): string[] {
  const names = request.inputs.map((name, index) => `| ${index} | ${name} |`);
  const how =
    request.inputVolume.kind === 'pvc'
      ? [`The pods read the inputs from the root of the claim \`${request.inputVolume.claim}\`, by these names:`]
      : [
          'The inputs go to an emptyDir that the init container `fetch-input` fills. **Edit it** in every job-*.yaml before applying:',
          'as emitted it picks this index\'s file name and fails until `/input/<name>` is there (a `wget` line is shown to copy).',
          'It needs the network, so no NetworkPolicy is emitted; with `--k8s-input-volume pvc:<claim>` one denies the pods all traffic.',
        ];
  return ['## 2. The inputs', '', ...how, '', '| index | file |', '|---|---|', ...names, '', 'Each pod checks its file\'s size and sha256 against the one these Jobs were emitted for, and refuses another.'];
}

function runSection(request: JobsDocRequest): string[] {
  const claim = request.outputVolume.claim;
  const label = `app.kubernetes.io/instance=${request.name}`;
  return [
    '## 3. Apply and wait',
    '',
    '```sh',
    `kubectl apply -f ${request.dirShown}/          # add -n <namespace> to every kubectl line`,
    `kubectl get jobs,pods -l ${label}`,
    ...request.jobs.map((job) => `kubectl wait --for=condition=complete --timeout=6h job/${job.jobName}`),
    `kubectl get pods -l ${label} -o json > pods.json   # each pod's exit code and reason (OOMKilled), for collect`,
    '```',
    '',
    '## 4. Copy the run directories out',
    '',
    `Each pod writes \`/out/<run-id>/\` on the claim \`${claim}\`. Copy them out through a pod that mounts it:`,
    '',
    '```sh',
    `kubectl apply -f ${request.dirShown}/tools/copy-out-pod.yaml`,
    `kubectl wait --for=condition=ready pod/${request.name}-copy-out`,
    `kubectl cp ${request.name}-copy-out:/out ./runs`,
    `kubectl delete pod ${request.name}-copy-out`,
    '```',
    '',
    '## 5. Collect',
    '',
    '```sh',
    'oom-harness collect ./runs --pod-status pods.json --out collected',
    '```',
    '',
    'One bundle per run directory and matrix.json, matrix.csv and matrix.html, as a local `matrix` writes them.',
  ];
}

export function renderJobsDoc(request: JobsDocRequest): string {
  const rows = request.jobs.map(
    (job) => `| ${job.jobName} | ${formatBytes(job.capBytes)} | ${memoryQuantity(job.capBytes)} | ${cpuQuantity(job.cpus)} | ${job.completions} | ${job.parallelism} | ${job.file} |`,
  );
  return [
    `# oom-harness Jobs: ${request.inputs.length} input(s) x ${request.jobs.length} cap(s)`,
    '',
    `Emitted by \`${request.command}\`.`,
    '',
    '| Job | cap | limits.memory = requests.memory | cpu | completions | parallelism | file |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `One Indexed Job per cap; the pod with completion index i runs input i. restartPolicy Never and backoffLimit 0: each cell`,
    `runs once. A pod exits 0 once its run directory is written, whatever the verdict, so an OOM in one cell does not end`,
    `the others; the verdict is in the run directory and the pod's log.`,
    '',
    `**The harness's share of the cap**: ${HARNESS_SHARE}.`,
    '',
    ...imageSection(request),
    '',
    ...inputSection(request),
    '',
    ...runSection(request),
    '',
    '## What a pod cannot record',
    '',
    '- No engine: the exit code and OOMKilled come from `pods.json` (`--pod-status`), not from an engine inspect.',
    "- No kernel log: dmesg_excerpt.txt says it is unavailable; host.json is not written (pod.json records the node's kernel, CPUs, memory).",
    '- On cgroup v2 with Kubernetes 1.28 or later the kernel kills the whole container at an OOM (memory.oom.group), supervisor',
    '  included: the run directory then ends with the last sample, the pod fails with OOMKilled, and backoffLimit 0 ends the Job.',
    '  On Kubernetes 1.29 or later replace `backoffLimit: 0` by `backoffLimitPerIndex: 0` so the other cells go on.',
    '- `--pids-limit` does not apply: a pod\'s process limit is the kubelet\'s podPidsLimit.',
    '',
    `Files: ${request.files.join(', ')}.`,
    '',
  ].join('\n');
}
