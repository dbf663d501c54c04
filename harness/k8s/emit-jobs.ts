// `matrix --emit k8s <dir>`: instead of running, writes one Indexed Job per cap (with its ConfigMap), the shared
// objects, a copy-out pod and jobs.md. Every object is typed (kubernetes-models) and validated against the
// Kubernetes schema before it is written. Nothing is applied or pushed.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { HarnessError } from '../common/harness-error.js';
import { planImage } from '../image/build-context.js';
import { checkInput, type CheckedInput } from '../input/check-input.js';
import { prepareOutDir } from '../input/check-out-dir.js';
import type { RunOptions } from '../options/run-options.js';
import { parseOptions } from '../options/parse-options.js';
import { replaceFile, writeFailed } from '../run-files/safe-fs.js';
import type { WorkloadSpec } from '../run-files/run-config.js';
import { displayPath } from '../run/display-paths.js';
import type { MountedFile } from '../run/plan-run.js';
import { copyOutPod, denyAllTraffic, outputClaim } from './cluster-objects.js';
import { jobFor, type EmittedJob } from './job-manifest.js';
import { HARNESS_SHARE, JOBS_DOC_FILE, renderJobsDoc } from './jobs-doc.js';
import { K8S_DEFAULTS, k8sOptionsSchema, type K8sOptions } from './k8s-options.js';
import { capLabel } from './quantities.js';

export interface EmitRequest {
  /** The command's raw options: the --emit and --k8s-* values are read from here. */
  raw: Record<string, unknown>;
  inputPaths: readonly string[];
  caps: readonly number[];
  options: RunOptions;
  workload: (inputs: MountedFile[]) => WorkloadSpec;
  /** --parallel when given as a number: each Job's parallelism; else all of a Job's pods at once. */
  parallel: number | null;
  projectRoot: string;
  harnessVersion: string;
  command: string;
}

/** What every kubernetes-models object offers: its JSON, and a check against the Kubernetes schema that throws. */
interface KubernetesObject {
  validate(): void;
  toJSON(): unknown;
}

export interface EmitResult {
  dir: string;
  files: string[];
  jobs: EmittedJob[];
}

async function checkedInputs(paths: readonly string[]): Promise<CheckedInput[]> {
  const inputs: CheckedInput[] = [];
  for (const path of paths) {
    const input = await checkInput(path, null);
    if (input.isDirectory) throw new HarnessError('BAD_INPUT', `input ${path} is a directory; expected PDF files with --emit k8s (one file per completion index)`);
    const twin = inputs.find((other) => other.files[0]!.name === input.files[0]!.name);
    if (twin) throw new HarnessError('BAD_INPUT', `input ${path} has the same name as ${twin.hostPath}; expected distinct file names with --emit k8s (the pods find inputs by name)`);
    inputs.push(input);
  }
  return inputs;
}

function yamlOf(header: readonly string[], objects: readonly KubernetesObject[]): string {
  for (const object of objects) object.validate();
  const docs = objects.map((object) => stringify(object.toJSON(), { lineWidth: 0 }));
  return `${header.map((line) => `# ${line}`).join('\n')}\n${docs.join('---\n')}`;
}

function writeIn(dir: string, name: string, text: string, files: string[]): void {
  replaceFile(join(dir, name), text);
  files.push(name);
}

function sharedObjects(dir: string, k8s: K8sOptions, request: EmitRequest, files: string[]): void {
  const header = [`oom-harness ${request.harnessVersion}: see ${JOBS_DOC_FILE}`];
  if ((request.raw.k8sOutputVolume ?? K8S_DEFAULTS.outputVolume) === K8S_DEFAULTS.outputVolume) {
    writeIn(dir, 'pvc.yaml', yamlOf([...header, 'The claim the pods write their run directories to; size and storage class are yours to set.'], [outputClaim(k8s.k8sName, k8s.k8sOutputVolume.claim)]), files);
  }
  if (k8s.k8sInputVolume.kind === 'pvc') {
    writeIn(dir, 'networkpolicy.yaml', yamlOf([...header, 'No traffic to or from the pods, as a local run has no network (needs a CNI that enforces policies).'], [denyAllTraffic(k8s.k8sName)]), files);
  }
  const tools = join(dir, 'tools');
  try {
    mkdirSync(tools, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailed(tools, error);
  }
  writeIn(dir, 'tools/copy-out-pod.yaml', yamlOf([...header, 'Mounts the output claim read-only so `kubectl cp` can copy the run directories out.'], [copyOutPod(k8s.k8sName, k8s.k8sOutputVolume.claim)]), files);
}

export async function emitKubernetesJobs(request: EmitRequest): Promise<EmitResult> {
  const k8s = parseOptions(k8sOptionsSchema, request.raw);
  const sink = (request.workload([]) as { sink?: { kind?: string } }).sink;
  // The jsonl sink writes /out/sink.jsonl, one file per container; in a pod /out is the volume every pod shares.
  if (sink?.kind === 'jsonl') throw new HarnessError('BAD_OPTION', '--sink: got "jsonl", expected mock with --emit k8s (a pod\'s /out is shared by every pod)');
  const inputs = await checkedInputs(request.inputPaths);
  const dir = prepareOutDir(k8s.emit[1]!, '--emit k8s');
  const image = await planImage(request.projectRoot, request.options.baseImage);
  const imageRef = k8s.k8sImage ?? image.tag;
  const parallelism = request.parallel ?? inputs.length;
  const jobRequest = {
    name: k8s.k8sName,
    imageRef,
    image: { contentHash: image.hash, baseImage: image.baseImage },
    command: request.command,
    options: request.options,
    workload: request.workload,
    inputs,
    inputVolume: k8s.k8sInputVolume,
    outputVolume: k8s.k8sOutputVolume,
    parallelism,
    harnessShare: HARNESS_SHARE,
  };
  const jobs = [...new Set(request.caps)].sort((a, b) => a - b).map((cap) => jobFor(jobRequest, cap));
  const files: string[] = [];
  for (const job of jobs) {
    const header = [
      `oom-harness ${request.harnessVersion}: ${job.jobName}, ${inputs.length} input(s) at a ${job.plan.cap_given} cap; see ${JOBS_DOC_FILE}`,
      `limits.memory = requests.memory = the cap; ${HARNESS_SHARE}.`,
    ];
    writeIn(dir, `job-${capLabel(job.capBytes)}.yaml`, yamlOf(header, [job.configMap, job.job]), files);
  }
  sharedObjects(dir, k8s, request, files);
  const doc = renderJobsDoc({
    name: k8s.k8sName,
    command: request.command,
    dirShown: displayPath(dir),
    jobs: jobs.map((job) => ({ jobName: job.jobName, capBytes: job.capBytes, cpus: job.plan.cpus, completions: job.plan.inputs.length, parallelism: job.job.spec!.parallelism!, file: `job-${capLabel(job.capBytes)}.yaml` })),
    image: { localTag: image.tag, ref: imageRef, refGiven: k8s.k8sImage !== undefined, contentHash: image.hash, baseImage: image.baseImage },
    inputs: inputs.map((input) => basename(input.hostPath)),
    inputVolume: k8s.k8sInputVolume,
    outputVolume: k8s.k8sOutputVolume,
    files: [...files, JOBS_DOC_FILE],
  });
  writeIn(dir, JOBS_DOC_FILE, doc, files);
  return { dir, files, jobs };
}
