// The bug-report bundle after every kind of ending: its files, their agreement, and what `report` makes of it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { execa } from 'execa';
import { extract } from 'tar';
import { LABEL_RUNNER_PID } from '../../harness/container-runtime/labels.js';
import { runCli, startCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip, harnessContainers } from '../helpers/engine.js';
import { OOM_HARNESS_BIN, RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

const CANARY = 'sk-oom-harness-canary-7f3a9c';
const COMMON_FILES = [
  'README.txt',
  'container/summary.json',
  'container_manifest.json',
  'container/memory_log.csv',
  'memory_chart.svg',
  'dmesg_excerpt.txt',
  'host.json',
  'run-config.json',
  'worker_stderr_tail.txt',
];

interface Bundle {
  runId: string;
  files: string[];
  read: (name: string) => string;
  json: (name: string) => any;
}

async function openBundle(path: string): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-bundle-test-'));
  await extract({ file: path, cwd: dir });
  const [runId] = readdirSync(dir);
  const runDir = join(dir, runId!);
  return {
    runId: runId!,
    files: (readdirSync(runDir, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => relative(runDir, join(entry.parentPath, entry.name)))
      .sort(),
    read: (name) => readFileSync(join(runDir, name), 'utf8'),
    json: (name) => JSON.parse(readFileSync(join(runDir, name), 'utf8')),
  };
}

/** Runs a command with a secret-looking variable in its environment; returns the bundle its last line names. */
async function runWithBundle(args: string[], bin = OOM_HARNESS_BIN) {
  const out = tempOutDir();
  const result = await execa(process.execPath, [bin, ...args, '--out', out], { reject: false, env: { OOM_HARNESS_TEST_SECRET: CANARY } });
  const lastLine = String(result.stdout).trim().split('\n').at(-1)!;
  assert.match(lastLine, /\.tar\.gz$/, `the last line is the bundle: ${result.stdout}\n${result.stderr}`);
  return { exitCode: result.exitCode, bundlePath: lastLine, bundle: await openBundle(lastLine) };
}

async function checkBundle(bundlePath: string, bundle: Bundle, verdict: string, withIngest: boolean): Promise<void> {
  const expected = [...COMMON_FILES, ...(withIngest ? ['container/ingest_manifest.json'] : [])].sort();
  assert.deepEqual(bundle.files, expected);
  const summary = bundle.json('container/summary.json');
  const manifest = bundle.json('container_manifest.json');
  const host = bundle.json('host.json');
  bundle.json('run-config.json');
  assert.equal(summary.run_id, bundle.runId);
  assert.equal(manifest.run_id, bundle.runId);
  assert.equal(summary.verdict, verdict);
  assert.equal(manifest.verdict, verdict);
  if (withIngest) assert.equal(bundle.json('container/ingest_manifest.json').run_id, bundle.runId);
  assert.match(bundle.read('README.txt'), new RegExp(`Verdict:  ${verdict} `));
  assert.match(bundle.read('memory_chart.svg'), /^<svg /);
  assert.equal(host.node_outside, process.version);
  assert.ok(!('env' in host));
  for (const file of bundle.files) assert.ok(!bundle.read(file).includes(CANARY), `${file} must not carry environment variables`);
  const report = await runCli(['report', bundlePath]);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.match(report.stdout, new RegExp(`^verdict:  ${verdict} `, 'm'));
  const json = JSON.parse((await runCli(['report', bundlePath, '--json'])).stdout);
  assert.equal(json.verdict, verdict);
}

test('completed: a bundle with every file, agreeing with itself, and report says completed', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { exitCode, bundlePath, bundle } = await runWithBundle([fixture('pdf', 'sample-3p.pdf'), '512m'], RUN_IN_DOCKER_BIN);
  assert.equal(exitCode, 0);
  await checkBundle(bundlePath, bundle, 'completed', true);
  assert.match(bundle.read('dmesg_excerpt.txt'), /no OOM-killer report for this container/);
});

test("cgroup-oom: the bundle's dmesg excerpt holds the kernel's OOM-kill line for the worker", async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { exitCode, bundlePath, bundle } = await runWithBundle([fixture('pdf', 'sample-200p.pdf'), '256m', '--mock-retain-mb', '100'], RUN_IN_DOCKER_BIN);
  assert.equal(exitCode, 3);
  await checkBundle(bundlePath, bundle, 'cgroup-oom', true);
  const manifest = bundle.json('container_manifest.json');
  const dmesg = bundle.read('dmesg_excerpt.txt');
  assert.match(dmesg, new RegExp(`oom-kill:.*${manifest.container.id}`));
  assert.match(dmesg, /Memory cgroup out of memory: Killed process \d+ \(node\)/);
  assert.match(bundle.read('README.txt'), /In flight: batch \d+ \(sample-200p\.pdf:/);
  const report = await runCli(['report', bundlePath]);
  assert.match(report.stdout, /culprit:  worker 1 on sample-200p\.pdf page \d+ \(range \d+-\d+\)\n.*batch \d+, pages sample-200p\.pdf:\d+/);
  assert.match(report.stdout, /Killed process/);
});

test('heap-oom, timeout and crash each leave a bundle that report reads right', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const endings = [
    ['heap-oom', 3, ['probe', '256m', '--memory', 'heap', '--step-mb', '5', '--step-ms', '20']],
    ['timeout', 4, ['probe', '256m', '--target-mb', '5', '--ending', 'hang', '--worker-timeout-ms', '1000', '--kill-grace-ms', '500']],
    ['crashed', 4, ['probe', '256m', '--target-mb', '5', '--ending', 'crash']],
  ] as const;
  for (const [verdict, code, args] of endings) {
    const { exitCode, bundlePath, bundle } = await runWithBundle([...args]);
    assert.equal(exitCode, code, verdict);
    await checkBundle(bundlePath, bundle, verdict, false);
    if (verdict === 'crashed') assert.match(bundle.read('worker_stderr_tail.txt'), /synthetic workload crashed on purpose/);
  }
});

test('SIGINT to the runner still leaves a bundle, with verdict interrupted', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const out = tempOutDir();
  const child = startCli(['probe', '256m', '--target-mb', '5', '--ending', 'hang', '--out', out]);
  for (let i = 0; i < 600; i += 1) {
    const running = (await harnessContainers(docker)).some((c) => c.Labels[LABEL_RUNNER_PID] === String(child.pid) && c.State === 'running');
    if (running) break;
    await sleep(100);
  }
  await sleep(700);
  child.kill('SIGINT');
  const result = await child;
  assert.equal(result.exitCode, 130);
  const bundlePath = String(result.stdout).trim().split('\n').at(-1)!;
  const bundle = await openBundle(bundlePath);
  await checkBundle(bundlePath, bundle, 'interrupted', false);
  rmSync(out, { recursive: true, force: true });
});

test('the engine going away mid-run still leaves a bundle, with verdict engine-error and exit 5', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const { createServer, connect } = await import('node:net');
  // A proxy in front of the engine's socket, closed while the container runs: to the runner, the engine died.
  const socketPath = join(tempOutDir('oom-harness-proxy-'), 'docker.sock');
  const sockets = new Set<import('node:net').Socket>();
  const proxy = createServer((client) => {
    const upstream = connect('/var/run/docker.sock');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(socketPath, resolve));
  const out = tempOutDir();
  const child = execa(process.execPath, [OOM_HARNESS_BIN, 'probe', '256m', '--target-mb', '5', '--ending', 'hang', '--out', out], {
    reject: false,
    env: { DOCKER_HOST: `unix://${socketPath}` },
  });
  let containerId: string | undefined;
  for (let i = 0; i < 600 && !containerId; i += 1) {
    containerId = (await harnessContainers(docker)).find((c) => c.Labels[LABEL_RUNNER_PID] === String(child.pid) && c.State === 'running')?.Id;
    if (!containerId) await sleep(100);
  }
  assert.ok(containerId, 'the runner started its container through the proxy');
  await sleep(500);
  proxy.close();
  for (const socket of sockets) socket.destroy();
  const result = await child;
  try {
    assert.equal(result.exitCode, 5, String(result.stderr));
    const bundlePath = String(result.stdout).trim().split('\n').at(-1)!;
    const bundle = await openBundle(bundlePath);
    assert.equal(bundle.json('container_manifest.json').verdict, 'engine-error');
    assert.match(bundle.json('container_manifest.json').engine_error, /the engine failed during the run/);
    assert.match(bundle.read('README.txt'), /Verdict:  engine-error \(exit 5\)/);
    for (const file of ['container/summary.json', 'container/memory_log.csv', 'host.json', 'memory_chart.svg']) assert.ok(bundle.files.includes(file), file);
  } finally {
    // The runner could not remove it without an engine; the next run's sweep would. Here the test does.
    await docker.getContainer(containerId).remove({ force: true }).catch(() => undefined);
  }
});
