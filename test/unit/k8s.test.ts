// matrix --emit k8s: the manifests as written validate against the Kubernetes schema and carry the cap, the index
// and the volumes; each pod's run config is the one a local run gets; bad options are refused with exit 2.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { currentRunner } from '../../harness/container-runtime/runner-identity.js';
import { checkInput } from '../../harness/input/check-input.js';
import { POD_COMMAND } from '../../harness/k8s/pod-template.js';
import { parseMemoryQuantity } from '../../harness/k8s/quantities.js';
import { parseOptions } from '../../harness/options/parse-options.js';
import { RUN_DEFAULTS, runOptionsSchema } from '../../harness/options/run-options.js';
import { PodPlanSchema, podRunConfig } from '../../harness/run-files/pod-plan.js';
import { containerUser } from '../../harness/run/container-user.js';
import { planRun } from '../../harness/run/plan-run.js';
import { INGEST_DEFAULTS, ingestOptionsSchema, ingestSpec } from '../../harness/workloads/ingest/options.js';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

const MIB = 1024 * 1024;
const MODELS: Record<string, new (data: any) => { validate(): void }> = { Job, ConfigMap, PersistentVolumeClaim, Pod, NetworkPolicy };

/** Every document of a written file, checked against the Kubernetes schema through its typed model. */
function documents(path: string): Array<Record<string, any>> {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    const json = doc.toJSON() as Record<string, any>;
    const Model = MODELS[json.kind];
    assert.ok(Model, `${path}: a ${json.kind} is not expected`);
    new Model(json).validate();
    return json;
  });
}

test('emitted Jobs validate against the Kubernetes schema and carry the cap, the completion index and the volumes', async () => {
  const dir = join(tempOutDir(), 'jobs');
  const inputs = [fixture('pdf', 'sample-3p.pdf'), fixture('pdf', 'sample-200p.pdf')];
  const result = await runCli(['matrix', ...inputs, '--caps', '512m,2g', '--cpus', '0.5', '--emit', 'k8s', dir, '--k8s-input-volume', 'pvc:pdfs', '--k8s-output-volume', 'pvc:runs', '--k8s-image', 'registry.example.com/team/oom-harness:abc']);
  assert.equal(result.exitCode, 0, result.stderr);
  for (const [file, capBytes] of [['job-512mi.yaml', 512 * MIB], ['job-2gi.yaml', 2048 * MIB]] as const) {
    const [configMap, job] = documents(join(dir, file));
    assert.equal(configMap!.kind, 'ConfigMap');
    assert.equal(job!.spec.completionMode, 'Indexed');
    assert.equal(job!.spec.completions, 2);
    assert.equal(job!.spec.backoffLimit, 0);
    const pod = job!.spec.template.spec;
    assert.equal(pod.restartPolicy, 'Never');
    const container = pod.containers[0];
    assert.deepEqual(container.command, POD_COMMAND);
    assert.equal(container.image, 'registry.example.com/team/oom-harness:abc');
    assert.equal(parseMemoryQuantity(container.resources.limits.memory), capBytes);
    assert.deepEqual(container.resources.requests, container.resources.limits, 'requests = limits: a Guaranteed pod');
    assert.equal(container.resources.limits.cpu, '500m');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    const mounts = Object.fromEntries(container.volumeMounts.map((m: Record<string, any>) => [m.name, m]));
    const volumes = Object.fromEntries(pod.volumes.map((v: Record<string, any>) => [v.name, v]));
    assert.deepEqual([mounts.input.mountPath, mounts.input.readOnly, volumes.input.persistentVolumeClaim.claimName], ['/input', true, 'pdfs']);
    assert.deepEqual([mounts.out.mountPath, volumes.out.persistentVolumeClaim.claimName], ['/out', 'runs']);
    assert.equal(volumes.plan.configMap.name, configMap!.metadata.name);
    assert.equal(pod.initContainers, undefined, 'inputs from a claim need no init container');
    const plan = PodPlanSchema.parse(JSON.parse(configMap!.data['pod-plan.json']));
    assert.equal(plan.config.cap_bytes, capBytes);
    assert.deepEqual(plan.inputs.map((input) => input.name), ['sample-3p.pdf', 'sample-200p.pdf'], 'index i runs input i');
  }
  documents(join(dir, 'networkpolicy.yaml'));
  documents(join(dir, 'tools', 'copy-out-pod.yaml'));
  const doc = readFileSync(join(dir, 'jobs.md'), 'utf8');
  assert.match(doc, /docker tag oom-harness:[0-9a-f]{12} registry\.example\.com\/team\/oom-harness:abc\ndocker push registry\.example\.com\/team\/oom-harness:abc/);
  assert.match(doc, /kubectl apply -f .*jobs\//);
  assert.match(doc, /supervisor's PSS is 55-68 MiB/);
});

test("a pod's run config is the one a local run of the same options and input gets", async () => {
  const dir = join(tempOutDir(), 'jobs');
  const inputs = [fixture('pdf', 'sample-3p.pdf'), fixture('pdf', 'sample-200p.pdf')];
  const flags = ['--workers', '2', '--mock-retain-mb', '3', '--batch-size', '7'];
  const result = await runCli(['matrix', ...inputs, '--caps', '256m', ...flags, '--emit', 'k8s', dir]);
  assert.equal(result.exitCode, 0, result.stderr);
  const plan = PodPlanSchema.parse(JSON.parse(documents(join(dir, 'job-256mi.yaml'))[0]!.data['pod-plan.json']));
  const options = parseOptions(runOptionsSchema(), { ...RUN_DEFAULTS, capBytes: '256m', workers: '2' });
  const ingest = parseOptions(ingestOptionsSchema, { ...INGEST_DEFAULTS, mockRetainMb: '3', batchSize: '7' });
  for (const [index, path] of inputs.entries()) {
    const local = planRun({
      runId: 'r1',
      outDir: tempOutDir(),
      options,
      capGiven: '256m',
      input: await checkInput(path, null),
      workload: (files) => ingestSpec(ingest, files),
      user: containerUser(1000, 1000),
      ulimits: { nofile: 1024, nproc: 1024 },
      runner: currentRunner(),
      programName: 'oom-harness',
      argv: [],
    });
    assert.deepEqual(podRunConfig(plan, index, 'r1'), local.config);
  }
});

test('the init container of an emptyDir input picks its own file by index, whatever the name holds, and fails until edited', async () => {
  const work = tempOutDir();
  const odd = join(work, `it's "odd" $(x).pdf`);
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), odd);
  const dir = join(work, 'jobs');
  const result = await runCli(['matrix', fixture('pdf', 'sample-200p.pdf'), odd, '--caps', '512m', '--emit', 'k8s', dir]);
  assert.equal(result.exitCode, 0, result.stderr);
  const [, job] = documents(join(dir, 'job-512mi.yaml'));
  const script = job!.spec.template.spec.initContainers[0].command[2] as string;
  let stderr = '';
  try {
    execFileSync('sh', ['-c', script], { env: { JOB_COMPLETION_INDEX: '1' }, stdio: 'pipe' });
  } catch (error) {
    stderr = String((error as { stderr: Buffer }).stderr);
  }
  assert.equal(stderr, `/input/it's "odd" $(x).pdf is missing: edit the init container fetch-input (see jobs.md)\n`);
  documents(join(dir, 'pvc.yaml'));
});

test('bad --emit and --k8s-* values, directories, twin names and the jsonl sink exit 2 with one line naming them', async () => {
  const pdf = fixture('pdf', 'sample-3p.pdf');
  const dir = join(tempOutDir(), 'jobs');
  const cases: Array<[string[], RegExp]> = [
    [[pdf, '--caps', '512m', '--emit', 'k8s'], /--emit: got \["k8s"\], expected two values: k8s and a directory/],
    [[pdf, '--caps', '512m', '--emit', 'helm', dir], /--emit: got \["helm",.*expected two values/],
    [[pdf, '--caps', '512m', '--emit', 'k8s', dir, '--k8s-input-volume', 'nfs:x'], /--k8s-input-volume: got "nfs:x", expected emptydir .* or pvc:<claim>/],
    [[pdf, '--caps', '512m', '--emit', 'k8s', dir, '--k8s-name', 'Bad_Name'], /--k8s-name: got "Bad_Name"/],
    [[fixture('pdf'), '--caps', '512m', '--emit', 'k8s', dir], /is a directory; expected PDF files with --emit k8s/],
    [[pdf, pdf, '--caps', '512m', '--emit', 'k8s', dir], /has the same name as .*expected distinct file names/],
    [[pdf, '--caps', '512m', '--sink', 'jsonl', '--emit', 'k8s', dir], /--sink: got "jsonl", expected mock with --emit k8s/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(['matrix', ...args]);
    assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, message);
  }
});
