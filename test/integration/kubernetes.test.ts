// The Kubernetes path short of a cluster (none can be started here): the emitted Jobs' pods run under docker with the
// command, env, user, limits and volumes their template gives, no engine inside; their run directories, gathered as
// a claim copied out would be, go through collect into bundles and a matrix. Then the attacks a hostile pod could
// plant in what it leaves.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ensureImage } from '../../harness/image/image-builder.js';
import { readJson, runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { REPO_ROOT, fixture } from '../helpers/paths.js';
import { configMapDir, runPodContainer, TEST_POD_LABEL } from '../helpers/pod-as-container.js';

const MIB = 1024 * 1024;
const SECRET = 'pod-planted-secret-7f3a2b-do-not-leak';

/** Run directories the first test leaves for the second: [the OOM run, the completed run]. */
let runDirs: { oom: string; completed: string } | null = null;

function jobFile(path: string): { job: IJob; configMap: IConfigMap } {
  const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJSON() as { kind: string });
  return { configMap: docs.find((doc) => doc.kind === 'ConfigMap') as IConfigMap, job: docs.find((doc) => doc.kind === 'Job') as IJob };
}

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[]).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test('emitted Jobs run as their pods would: a run directory per pod, a kernel OOM classified cgroup-oom, collect gives bundles and a matrix', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const work = tempOutDir('oom-harness-k8s-');
  const jobsDir = join(work, 'jobs');
  const inputs = [fixture('pdf', 'sample-3p.pdf'), fixture('pdf', 'sample-200p.pdf')];
  const emitArgs = ['--caps', '128m,512m', '--mock-retain-mb', '6', '--worker-heap-mb', 'off', '--emit', 'k8s', jobsDir, '--k8s-input-volume', 'pvc:inputs', '--k8s-output-volume', 'pvc:runs'];
  const emitted = await runCli(['matrix', ...inputs, ...emitArgs, '--json']);
  assert.equal(emitted.exitCode, 0, `${emitted.stdout}\n${emitted.stderr}`);
  const image = await ensureImage(docker, { projectRoot: REPO_ROOT });

  // The claims as directories: the inputs by name; the output writable by the pod's fsGroup, as a kubelet makes it.
  const inputDir = join(work, 'claim-inputs');
  const outDir = join(work, 'claim-runs');
  mkdirSync(inputDir);
  mkdirSync(outDir);
  for (const input of inputs) copyFileSync(input, join(inputDir, input.split('/').at(-1)!));
  chmodSync(work, 0o755);
  chownSync(outDir, 0, 1000);
  chmodSync(outDir, 0o2775);

  const cells = [
    { file: 'job-128mi.yaml', index: 1, verdict: 'cgroup-oom', capBytes: 128 * MIB },
    { file: 'job-512mi.yaml', index: 0, verdict: 'completed', capBytes: 512 * MIB },
  ];
  const found: Record<string, string> = {};
  for (const cell of cells) {
    const { job, configMap } = jobFile(join(jobsDir, cell.file));
    assert.equal(job.spec!.template.spec!.containers[0]!.image, image.tag, 'the Job names the image this build of the harness runs in');
    const planDir = join(work, `plan-${cell.file}`);
    configMapDir(planDir, configMap);
    const before = new Set(readdirSync(outDir));
    const ran = await runPodContainer(docker, { job, index: cell.index, image: image.tag, volumes: { plan: planDir, input: inputDir, out: outDir }, podName: `${job.metadata!.name}-${cell.index}-x7k2p` });
    assert.equal(ran.exitCode, 0, `the pod exits 0 once its evidence is written:\n${ran.logs}`);
    assert.match(ran.logs, new RegExp(`verdict ${cell.verdict}`));
    const created = readdirSync(outDir).filter((name) => !before.has(name));
    assert.equal(created.length, 1, `one run directory per pod: ${created.join(', ')}`);
    const runDir = join(outDir, created[0]!);
    const pod = readJson(join(runDir, 'container', 'pod.json'));
    const summary = readJson(join(runDir, 'container', 'summary.json'));
    assert.equal(pod.state, 'finished');
    assert.equal(pod.cgroup.limit_bytes, cell.capBytes, "the pod's own cgroup carries the Job's limits.memory");
    assert.equal(pod.pod.name, `${job.metadata!.name}-${cell.index}-x7k2p`);
    assert.ok(pod.unavailable.some((line: string) => line.startsWith('dmesg_excerpt.txt')), 'what a pod cannot record is listed');
    assert.equal(summary.verdict, cell.verdict);
    assert.equal(readJson(join(runDir, 'run-config.json')).cap_bytes, cell.capBytes);
    for (const name of ['memory_log.csv', 'ingest_manifest.json']) assert.ok(readdirSync(join(runDir, 'container')).includes(name), name);
    if (cell.verdict === 'cgroup-oom') {
      assert.ok(summary.kernel.oom_kills_after > summary.kernel.oom_kills_before, 'the cgroup counted the OOM kill');
      assert.equal(summary.workers[0].oom_killed, true);
      // The engine saw the cgroup's OOM event as a kubelet would, yet the pod exited 0: the kernel took the worker,
      // and the supervisor lived to record it.
      assert.equal(ran.oomKilled, true);
    }
    t.diagnostic(`${cell.file} index ${cell.index}: ${summary.verdict}, kernel peak ${summary.kernel_peak_mb} MiB, supervisor PSS ${summary.supervisor_pss_mb} MiB`);
    assert.ok(summary.supervisor_pss_mb > 20 && summary.supervisor_pss_mb < 100, `the harness's share: ${summary.supervisor_pss_mb} MiB`);
    found[cell.verdict] = runDir;
  }
  runDirs = { oom: found['cgroup-oom']!, completed: found.completed! };

  const collected = join(work, 'collected');
  const result = await runCli(['collect', outDir, '--out', collected, '--json']);
  assert.equal(result.exitCode, 3, `an OOM among the runs: exit 3\n${result.stdout}\n${result.stderr}`);
  const json = JSON.parse(result.stdout);
  assert.equal(json.runs.length, 2);
  assert.deepEqual(json.refused, []);
  const matrix = readJson(join(collected, 'matrix.json'));
  assert.deepEqual(
    matrix.cells.map((c: Record<string, unknown>) => [c.input, c.cap_bytes, c.verdict]).sort(),
    [['sample-200p.pdf', 128 * MIB, 'cgroup-oom'], ['sample-3p.pdf', 512 * MIB, 'completed']].sort(),
  );
  assert.equal(readFileSync(join(collected, 'matrix.csv'), 'utf8').trim().split('\n').length, 3);
  const oomBundle = matrix.cells.find((c: Record<string, unknown>) => c.verdict === 'cgroup-oom').bundle as string;
  const listing = execFileSync('tar', ['-tzf', oomBundle], { encoding: 'utf8' });
  assert.match(listing, /container\/pod\.json/);
  assert.doesNotMatch(listing, /host\.json/, "this host's metadata would describe another machine: not written");
  const report = await runCli(['report', oomBundle]);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.match(report.stdout, /^verdict: +cgroup-oom/m);
  const runId = oomBundle.split('/').at(-1)!.replace('.tar.gz', '');
  assert.match(readFileSync(join(collected, runId, 'dmesg_excerpt.txt'), 'utf8'), /not available: the run was in a Kubernetes pod/);
  const left = await docker.listContainers({ all: true, filters: { label: [TEST_POD_LABEL] } });
  assert.deepEqual(left, [], 'no pod container is left');
});

test('collect refuses what a hostile pod could plant: links at the summary and at container/, links and a FIFO among the logs, a linked folder', async (t) => {
  if (!runDirs) {
    t.skip('SKIPPED: needs the run directories of the test before (it needs a Docker engine)');
    return;
  }
  const work = tempOutDir('oom-harness-k8s-attack-');
  const vault = join(work, 'vault');
  mkdirSync(vault, { mode: 0o700 });
  const secret = join(vault, 'secret');
  writeFileSync(secret, SECRET, { mode: 0o600 });
  const tree = join(work, 'runs');
  const oomId = runDirs.oom.split('/').at(-1)!;
  const completedId = runDirs.completed.split('/').at(-1)!;
  // a: the summary is a link to the secret; d: container/ itself is a link to a copy of it.
  cpSync(runDirs.oom, join(tree, 'a', oomId), { recursive: true });
  rmSync(join(tree, 'a', oomId, 'container', 'summary.json'));
  symlinkSync(secret, join(tree, 'a', oomId, 'container', 'summary.json'));
  cpSync(runDirs.oom, join(work, 'elsewhere', oomId), { recursive: true });
  mkdirSync(join(tree, 'd', oomId), { recursive: true });
  symlinkSync(join(work, 'elsewhere', oomId, 'container'), join(tree, 'd', oomId, 'container'));
  // b: a sound run but for a linked worker log and memory log, and a FIFO where the ingest manifest was.
  cpSync(runDirs.completed, join(tree, 'b', completedId), { recursive: true });
  for (const name of ['workers/worker-1.log', 'memory_log.csv']) {
    rmSync(join(tree, 'b', completedId, 'container', name));
    symlinkSync(secret, join(tree, 'b', completedId, 'container', name));
  }
  rmSync(join(tree, 'b', completedId, 'container', 'ingest_manifest.json'));
  execFileSync('mkfifo', [join(tree, 'b', completedId, 'container', 'ingest_manifest.json')]);
  // c: a folder that is a link to the vault.
  symlinkSync(vault, join(tree, 'c'));

  const collected = join(work, 'collected');
  const result = await runCli(['collect', tree, '--out', collected, '--json']);
  assert.equal(result.exitCode, 4, `refused directories make it exit 4\n${result.stdout}\n${result.stderr}`);
  const json = JSON.parse(result.stdout);
  assert.deepEqual(json.runs.map((run: Record<string, unknown>) => [run.source, run.verdict]), [[`b/${completedId}`, 'completed']]);
  const refused = Object.fromEntries(json.refused.map((entry: { path: string; problem: string }) => [entry.path, entry.problem]));
  assert.match(refused[`a/${oomId}`], /container\/summary\.json is a symbolic link: not followed/);
  assert.match(refused[`d/${oomId}`], /container is a symbolic link: not followed/);
  assert.deepEqual(json.passed_over, [{ path: 'c', problem: 'a symbolic link: not followed' }]);
  assert.equal(readFileSync(secret, 'utf8'), SECRET, 'the link target keeps its bytes');
  for (const file of filesUnder(collected)) {
    const bytes = file.endsWith('.tar.gz') ? execFileSync('gzip', ['-dc', file]) : readFileSync(file);
    assert.ok(!bytes.includes(SECRET), `no secret bytes in ${file}`);
  }
  const readme = readFileSync(join(collected, completedId, 'README.txt'), 'utf8');
  assert.match(readme, /container\/memory_log\.csv +symbolic link/);
  assert.match(readme, /container\/workers\/worker-1\.log +symbolic link/);
  assert.match(readme, /container\/ingest_manifest\.json +fifo/);
});
