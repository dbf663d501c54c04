// The capped container itself: limits the engine applied, verdicts from what the kernel did, nothing left behind.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { LABEL_RUNNER_PID } from '../../harness/container-runtime/labels.js';
import { readOwnLimits } from '../../harness/kernel/proc-limits.js';
import { onlyRunDir, readJson, runCli, startCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip, harnessContainers } from '../helpers/engine.js';
import { RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

const MIB = 1024 * 1024;

after(async () => {
  const docker = await import('dockerode').then((m) => new m.default());
  const left = await docker.listContainers({ all: true, filters: { label: ['io.oom-harness.managed=true'] } }).catch(() => []);
  assert.deepEqual(left.map((c) => c.Names), [], 'the suite must leave no harness container behind');
});

test('a workload under the cap completes: exit 0, verdict completed, no OOM kill', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '256m', '--target-mb', '60', '--hold-ms', '300', '--json', '--out', out]);
  assert.equal(result.exitCode, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.equal(json.verdict, 'completed');
  const manifest = readJson(join(onlyRunDir(out), 'container_manifest.json'));
  assert.equal(manifest.verdict, 'completed');
  assert.equal(manifest.exit_code, 0);
  assert.equal(manifest.oom_killed, false);
  assert.equal(manifest.cgroup_oom_kills, 0);
  assert.equal(manifest.cap_bytes, 256 * MIB);
});

test('a workload past a 128m cap is OOM-killed by the kernel: exit 3, verdict cgroup-oom from the cgroup counter', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '128m', '--step-mb', '8', '--step-ms', '20', '--json', '--out', out]);
  assert.equal(result.exitCode, 3, result.stderr);
  assert.equal(JSON.parse(result.stdout).verdict, 'cgroup-oom');
  const runDir = onlyRunDir(out);
  const manifest = readJson(join(runDir, 'container_manifest.json'));
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  assert.equal(manifest.verdict, 'cgroup-oom');
  assert.ok(manifest.cgroup_oom_kills >= 1, `cgroup oom_kill counter: ${manifest.cgroup_oom_kills}`);
  assert.ok(summary.kernel.oom_kills_after > summary.kernel.oom_kills_before);
  assert.equal(summary.workers[0].signal, 'SIGKILL');
  assert.equal(summary.workers[0].oom_killed, true);
  // The kernel's high-water mark reached the cap: that is what the OOM killer acted on.
  assert.ok(summary.kernel_peak_mb >= 120, `kernel peak ${summary.kernel_peak_mb} MiB`);
});

test('a workload that SIGKILLs itself is killed-not-oom: exit 4, and the cgroup counted no OOM kill', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '256m', '--target-mb', '20', '--ending', 'sigkill-self', '--json', '--out', out]);
  assert.equal(result.exitCode, 4, result.stderr);
  assert.equal(JSON.parse(result.stdout).verdict, 'killed-not-oom');
  const summary = readJson(join(onlyRunDir(out), 'container', 'summary.json'));
  assert.equal(summary.workers[0].signal, 'SIGKILL');
  assert.equal(summary.kernel.oom_kills_after, summary.kernel.oom_kills_before);
});

test('the engine applied every limit asked for, and SIGINT to the runner leaves no container', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const out = tempOutDir();
  const child = startCli(['probe', '200m', '--target-mb', '10', '--ending', 'hang', '--pids-limit', '128', '--out', out]);
  const runnerPid = child.pid!;
  let found: Awaited<ReturnType<typeof harnessContainers>>[number] | undefined;
  for (let i = 0; i < 600 && !found; i += 1) {
    found = (await harnessContainers(docker)).find((c) => c.Labels[LABEL_RUNNER_PID] === String(runnerPid) && c.State === 'running');
    if (!found) await sleep(100);
  }
  assert.ok(found, 'the runner started a labelled container');
  const info = await docker.getContainer(found.Id).inspect();
  assert.equal(info.HostConfig.Memory, 200 * MIB);
  assert.equal(info.HostConfig.MemorySwap, 200 * MIB);
  assert.equal(info.HostConfig.NetworkMode, 'none');
  assert.equal(info.HostConfig.ReadonlyRootfs, true);
  assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
  assert.ok(info.HostConfig.SecurityOpt?.includes('no-new-privileges'));
  assert.equal(info.HostConfig.PidsLimit, 128);
  assert.equal(info.HostConfig.AutoRemove, false);
  assert.notEqual(info.Config.User, '');
  assert.ok(!info.Config.User.startsWith('0'), `runs as ${info.Config.User}, not root`);
  // No CPU quota by default, as docker run: the cap under test is memory.
  assert.ok(!info.HostConfig.NanoCpus && !info.HostConfig.CpuQuota, `no CPU quota: NanoCpus ${info.HostConfig.NanoCpus}, CpuQuota ${info.HostConfig.CpuQuota}`);
  // Open files and processes are set, never above this host's hard limits (an engine may not be able to grant more).
  const own = readOwnLimits();
  const ulimit = (name: string) => info.HostConfig.Ulimits?.find((limit) => limit.Name === name);
  assert.ok(ulimit('nofile')!.Hard! <= (own.get('Max open files')?.hard ?? Infinity), JSON.stringify(info.HostConfig.Ulimits));
  assert.ok(ulimit('nproc')!.Hard! <= (own.get('Max processes')?.hard ?? Infinity), JSON.stringify(info.HostConfig.Ulimits));
  // The interrupt must land mid-run: once the supervisor has written its first summary (it is then handling signals).
  for (let i = 0; i < 100 && !existsSync(join(onlyRunDir(out), 'container', 'summary.json')); i += 1) await sleep(100);
  await sleep(300);
  child.kill('SIGINT');
  const result = await child;
  assert.equal(result.exitCode, 130, String(result.stderr));
  const remaining = (await harnessContainers(docker)).filter((c) => c.Id === found!.Id);
  assert.deepEqual(remaining, []);
  const runDir = onlyRunDir(out);
  const manifest = readJson(join(runDir, 'container_manifest.json'));
  assert.equal(manifest.verdict, 'interrupted');
  assert.equal(manifest.interrupted_by, 'SIGINT');
  // What the engine reported back after the run agrees with what was asked.
  assert.deepEqual(manifest.container.applied.memory_bytes, manifest.container.requested.memory_bytes);
  assert.deepEqual(manifest.container.applied.ulimits, manifest.container.requested.ulimits);
  assert.equal(manifest.engine.product, 'Docker');
  assert.equal(manifest.cpus, null);
  assert.ok(!manifest.container.applied.nano_cpus, `applied nano_cpus ${manifest.container.applied.nano_cpus}`);
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  assert.equal(summary.state, 'finished');
  assert.equal(summary.verdict, 'interrupted');
});

test('bad caps and bad inputs exit 2 with one line naming the value, and start no container', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const before = (await harnessContainers(docker)).length;
  const out = tempOutDir();
  const pdf = fixture('pdf', 'sample-3p.pdf');
  for (const cap of ['0', '-1g', '6x', '32m']) {
    const result = await runCli([pdf, cap, '--out', out], RUN_IN_DOCKER_BIN);
    assert.equal(result.exitCode, 2, `${cap}: ${result.stderr}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0]!.includes(JSON.stringify(cap)), lines[0]);
  }
  const missing = join(out, 'no-such.pdf');
  const result = await runCli([missing, '512m', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr, /no-such\.pdf does not exist/);

  if (process.getuid?.() === 0) {
    const secret = join(out, 'secret.pdf');
    writeFileSync(secret, '%PDF-1.4\n');
    chmodSync(secret, 0o600);
    const unreadable = await runCli([secret, '512m', '--out', out], RUN_IN_DOCKER_BIN);
    assert.equal(unreadable.exitCode, 2);
    assert.match(unreadable.stderr, /secret\.pdf is not readable by the container's user .*mode 0600/);
  }
  assert.equal((await harnessContainers(docker)).length, before);
  assert.deepEqual(readdirSync(out).filter((name) => !name.endsWith('.pdf')), [], 'no run directory was created');
  assert.equal(existsSync(join(out, 'logs')), false);
});

test('with no engine answering, a run exits 5 and says how to start one', async () => {
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [RUN_IN_DOCKER_BIN, fixture('pdf', 'sample-3p.pdf'), '512m', '--out', tempOutDir()], {
    reject: false,
    env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
  assert.equal(result.exitCode, 5);
  assert.match(String(result.stderr), /no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock/);
  assert.match(String(result.stderr), /scripts\/setup/);
});

test('with --json a refused input is a JSON object on stdout too', async () => {
  const result = await runCli([fixture('pdf', 'broken', 'empty.pdf'), '1g', '--json', '--out', tempOutDir()], RUN_IN_DOCKER_BIN);
  assert.equal(result.exitCode, 2);
  const json = JSON.parse(result.stdout);
  assert.equal(json.exit_code, 2);
  assert.equal(json.error.code, 'BAD_INPUT');
  assert.match(json.error.message, /empty\.pdf is empty \(0 bytes\)/);
});
