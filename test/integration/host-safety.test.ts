// The host never trusts what the container wrote: each test reproduces an attack or a fault on a real engine and
// real files, and checks that it does no harm.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { createGzip } from 'node:zlib';
import { execa } from 'execa';
import { create, extract } from 'tar';
import type Docker from 'dockerode';
import { LABEL_RUNNER_PID } from '../../harness/container-runtime/labels.js';
import { runLabels } from '../../harness/container-runtime/labels.js';
import { currentRunner } from '../../harness/container-runtime/runner-identity.js';
import { writeBundle } from '../../harness/bundle/write-bundle.js';
import { ContainerManifestSchema } from '../../harness/run-files/container-manifest.js';
import { runCli, startCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip, harnessContainers } from '../helpers/engine.js';
import { RUN_IN_DOCKER_BIN, REPO_ROOT, fixture } from '../helpers/paths.js';

const SECRET = 'host-secret-4c1d9e-do-not-leak';

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function unpack(bundle: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-host-safety-'));
  await extract({ file: bundle, cwd: dir });
  return dir;
}

/** A fresh directory with a tmpfs of `size` mounted on it, or null after a loud skip where mounting is not allowed. */
function smallTmpfsOrSkip(t: TestContext, size: string): string | null {
  const dir = tempOutDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
    return dir;
  } catch (error) {
    const reason = `SKIPPED: cannot mount a small tmpfs here (${(error as Error).message.split('\n')[0]})`;
    process.stderr.write(`\n!!! ${reason}\n`);
    t.skip(reason);
    return null;
  }
}

async function runningContainerOf(docker: Docker, pid: number | undefined): Promise<string> {
  for (let i = 0; i < 600; i += 1) {
    const found = (await harnessContainers(docker)).find((c) => c.Labels[LABEL_RUNNER_PID] === String(pid) && c.State === 'running');
    if (found) return found.Id;
    await sleep(100);
  }
  throw new Error('the runner never started its container');
}

async function assertNoContainerOf(docker: Docker, pid: number | undefined): Promise<void> {
  assert.equal((await harnessContainers(docker)).filter((c) => c.Labels[LABEL_RUNNER_PID] === String(pid)).length, 0, 'no container is left');
}

test('links planted in /out during a run are never followed: host files keep their bytes, no secret reaches the bundle, report reads it', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  // Root-owned, 0600, in a 0700 directory outside the run directory: what a hostile container would aim at.
  const vault = mkdtempSync(join(tmpdir(), 'oom-harness-vault-'));
  chmodSync(vault, 0o700);
  const target = join(vault, 'secret');
  writeFileSync(target, SECRET, { mode: 0o600 });
  const out = tempOutDir();
  const child = startCli([fixture('pdf', 'sample-200p.pdf'), '512m', '--slow-page-ms', '20', '--include-input', '--out', out], RUN_IN_DOCKER_BIN);
  const id = await runningContainerOf(docker, child.pid);
  const plant = [
    'README.txt', 'dmesg_excerpt.txt', 'worker_stderr_tail.txt', 'memory_chart.svg', 'host.json', 'container_manifest.json', 'run-config.json', 'input',
    'workers/zz.log', 'workers/worker-99.log',
  ];
  const script = `const fs=require('fs');fs.mkdirSync('/out/workers',{recursive:true});for(const p of ${JSON.stringify(plant)}){try{fs.symlinkSync(${JSON.stringify(target)},'/out/'+p)}catch(e){console.error(p,e.message)}}`;
  const planted = await execa('docker', ['exec', id, 'node', '-e', script], { reject: false });
  assert.equal(planted.exitCode, 0, String(planted.stderr));
  const result = await child;
  assert.equal(result.exitCode, 0, String(result.stderr));
  assert.equal(readFileSync(target, 'utf8'), SECRET, 'the planted target keeps its bytes');
  const bundlePath = String(result.stdout).trim().split('\n').at(-1)!;
  const bytes = execFileSync('sh', ['-c', `gzip -dc '${bundlePath}'`]);
  assert.ok(!bytes.includes(SECRET), 'no secret bytes in the archive');
  const dir = await unpack(bundlePath);
  const runId = readdirSync(dir)[0]!;
  const files = filesUnder(join(dir, runId));
  assert.ok(files.includes('input/sample-200p.pdf'), 'the input copy is the host\'s own');
  assert.ok(!files.some((file) => file.startsWith('container/workers')), 'no worker log link was packed');
  const readme = readFileSync(join(dir, runId, 'README.txt'), 'utf8');
  assert.match(readme, /Skipped \(links, FIFOs, sockets, devices, hard links: neither read nor packed\):/);
  assert.match(readme, /container\/README\.txt +symbolic link/);
  assert.match(readme, /container\/workers\/worker-99\.log +symbolic link/);
  assert.ok(!readFileSync(join(dir, runId, 'worker_stderr_tail.txt'), 'utf8').includes(SECRET));
  const report = await runCli(['report', bundlePath]);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.match(report.stdout, /^verdict:  completed/m);
  rmSync(dir, { recursive: true });
  rmSync(vault, { recursive: true });
});

test('a full disk after the container started: exit 5, one line naming the path and ENOSPC, a JSON error, no temp file, no container', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const out = smallTmpfsOrSkip(t, '200k');
  if (!out) return;
  try {
    const child = startCli([fixture('pdf', 'sample-200p.pdf'), '512m', '--sink', 'jsonl', '--json', '--out', out], RUN_IN_DOCKER_BIN);
    const result = await child;
    assert.equal(result.exitCode, 5, `${result.stdout}\n${result.stderr}`);
    const lines = String(result.stderr).trim().split('\n');
    assert.equal(lines.length, 1, String(result.stderr));
    assert.match(lines[0]!, /writing \/.* failed: ENOSPC: no space left on device/);
    const json = JSON.parse(String(result.stdout));
    assert.equal(json.exit_code, 5);
    assert.equal(json.error.code, 'ARTIFACT_WRITE_FAILED');
    assert.deepEqual(filesUnder(out).filter((file) => /\.tmp$|\.partial$/.test(file)), []);
    await assertNoContainerOf(docker, child.pid);
  } finally {
    execFileSync('umount', ['-l', out]);
  }
});

test('a full disk at the bundle stage: the archive fails whole with ENOSPC and leaves no temp file', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const source = tempOutDir();
  const ran = await runCli([fixture('pdf', 'sample-3p.pdf'), '512m', '--out', source], RUN_IN_DOCKER_BIN);
  assert.equal(ran.exitCode, 0, ran.stderr);
  const runId = readdirSync(source).find((name) => !name.endsWith('.tar.gz'))!;
  const out = smallTmpfsOrSkip(t, '1m');
  if (!out) return;
  try {
    const runDir = join(out, runId);
    cpSync(join(source, runId), runDir, { recursive: true });
    for (const name of ['README.txt', 'host.json', 'memory_chart.svg', 'dmesg_excerpt.txt', 'worker_stderr_tail.txt']) rmSync(join(runDir, name), { force: true });
    // Fill what is left of the disk.
    try {
      writeFileSync(join(out, 'filler'), Buffer.alloc(2 * 1024 * 1024));
    } catch {
      // ENOSPC: the filler took all there was
    }
    const manifest = ContainerManifestSchema.parse(JSON.parse(readFileSync(join(runDir, 'container_manifest.json'), 'utf8')));
    await assert.rejects(
      writeBundle({ runDir, runId, manifest, summary: null, engine: null, projectRoot: REPO_ROOT, harnessVersion: 'test', includeInput: null, windowStartMs: Date.now(), windowEndMs: Date.now() }),
      (error: Error & { exitCode?: number }) => error.exitCode === 5 && /ENOSPC|no space/.test(error.message),
    );
    assert.deepEqual(filesUnder(out).filter((file) => /\.tmp$|\.partial$/.test(file)), []);
  } finally {
    execFileSync('umount', ['-l', out]);
  }
});

test('an unusable --out is bad input: exit 2 at once with one line, nothing started', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const before = (await harnessContainers(docker)).length;
  for (const out of ['/etc/passwd', '/dev/null/x', '/sys/kernel/x', '/proc/nonexistent/x']) {
    const started = Date.now();
    const result = await execa(process.execPath, [RUN_IN_DOCKER_BIN, fixture('pdf', 'sample-3p.pdf'), '512m', '--out', out], { reject: false, timeout: 20_000 });
    assert.equal(result.exitCode, 2, `${out}: ${result.stderr}`);
    assert.ok(Date.now() - started < 15_000, `${out} answered at once`);
    assert.equal(String(result.stderr).trim().split('\n').length, 1, String(result.stderr));
    assert.match(String(result.stderr), new RegExp(`--out: "${out.replaceAll('/', '\\/')}"`));
  }
  assert.equal((await harnessContainers(docker)).length, before);
});

test('caps the engine cannot take, or that cannot bind on its machine, are refused before anything starts', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const out = tempOutDir();
  const huge = await runCli([fixture('pdf', 'sample-3p.pdf'), '100000000000g', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(huge.exitCode, 2, huge.stderr);
  assert.match(huge.stderr, /cap: got "100000000000g", expected at most \d+t: the engine takes a cap as a signed 64-bit count of bytes/);
  const aboveHost = await runCli([fixture('pdf', 'sample-3p.pdf'), '8t', '--json', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(aboveHost.exitCode, 2, aboveHost.stderr);
  assert.match(aboveHost.stderr, /cap: got "8t" \(8g*.*\), expected at most the engine's memory, [\d.]+ MiB/);
  assert.equal(JSON.parse(aboveHost.stdout).error.code, 'BAD_OPTION');
  assert.deepEqual(readdirSync(out), [], 'no run directory was written');
  const allowed = await runCli([fixture('pdf', 'sample-3p.pdf'), '8t', '--allow-cap-above-host', '--worker-heap-mb', '256', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(allowed.exitCode, 0, allowed.stderr);
});

test('report refuses a bundle-shaped archive that unpacks to 1.8 GB, at once, extracting nothing', async () => {
  const dir = tempOutDir();
  const archive = join(dir, 'bomb.tar.gz');
  const runId = '20261124-064015-f554b3';
  const names = ['container/summary.json', 'container/memory_log.csv', 'container/ingest_manifest.json', 'container_manifest.json', 'host.json', 'README.txt'];
  const size = 300 * 1024 * 1024;
  const gzip = createGzip({ level: 9 });
  const file = createWriteStream(archive);
  gzip.pipe(file);
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  for (const name of names) {
    const header = Buffer.alloc(512);
    header.write(`${runId}/${name}`, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    header.write('14524623000\0', 136);
    header.fill(' ', 148, 156);
    header.write('0', 156);
    header.write('ustar\x0000', 257);
    header.write(`${header.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
    gzip.write(header);
    for (let done = 0; done < size; done += zeros.length) if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end(Buffer.alloc(1024));
  await once(file, 'close');
  const before = readdirSync(tmpdir()).filter((name) => name.startsWith('oom-harness-report-')).length;
  const started = Date.now();
  const result = await runCli(['report', archive]);
  assert.equal(result.exitCode, 2, result.stderr);
  assert.ok(Date.now() - started < 10_000);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /refusing .*bomb\.tar\.gz: its files hold more than 268435456 bytes unpacked/);
  assert.equal(readdirSync(tmpdir()).filter((name) => name.startsWith('oom-harness-report-')).length, before);
  const small = await runCli(['report', archive, '--max-unpacked-bytes', '1m']);
  assert.match(small.stderr, /more than 1048576 bytes unpacked/);
});

test('report escapes terminal control sequences taken from a bundle, on screen and in JSON', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const out = tempOutDir();
  const ran = await runCli([fixture('pdf', 'sample-3p.pdf'), '512m', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(ran.exitCode, 0, ran.stderr);
  const runId = readdirSync(out).find((name) => !name.endsWith('.tar.gz'))!;
  const manifestPath = join(out, runId, 'container_manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.verdict_reason = 'fine\x1b[2J\x1b]0;owned\x07\u009b2J';
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const hostile = join(out, 'hostile.tar.gz');
  await create({ gzip: true, cwd: out, file: hostile, portable: true }, [`${runId}/container_manifest.json`, `${runId}/container/summary.json`]);
  for (const args of [['report', hostile], ['report', hostile, '--json'], ['report', join(out, runId)]]) {
    const result = await runCli(args);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(!/[\x07\x1b\x9b]/.test(result.stdout), `no control character reaches the terminal: ${JSON.stringify(result.stdout)}`);
    assert.match(result.stdout, /fine\\(x1b|u001b)\[2J/);
  }
});

test('a bundle carries no home or absolute working path: the input by name, paths relative or under ~', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const home = mkdtempSync(join(tmpdir(), 'oom-harness-home-'));
  chmodSync(home, 0o755);
  const docs = join(home, 'private-docs');
  const work = join(home, 'work');
  mkdirSync(docs, { mode: 0o755 });
  mkdirSync(work, { mode: 0o755 });
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(docs, 'quarterly.pdf'));
  chmodSync(join(docs, 'quarterly.pdf'), 0o644);
  const result = await execa(process.execPath, [RUN_IN_DOCKER_BIN, join(docs, 'quarterly.pdf'), '512m', '--out', join(home, 'runs')], {
    cwd: work,
    env: { HOME: home },
    reject: false,
  });
  assert.equal(result.exitCode, 0, String(result.stderr));
  const dir = await unpack(String(result.stdout).trim().split('\n').at(-1)!);
  const runId = readdirSync(dir)[0]!;
  for (const file of filesUnder(join(dir, runId))) {
    const text = readFileSync(join(dir, runId, file), 'latin1');
    assert.ok(!text.includes(home), `${file} holds the home directory`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, runId, 'container_manifest.json'), 'utf8'));
  assert.equal(manifest.command, 'run-in-docker quarterly.pdf 512m --out ~/runs');
  assert.equal(manifest.out_dir, '~/runs');
  assert.deepEqual(manifest.input.files.map((file: { name: string }) => file.name), ['quarterly.pdf']);
  assert.match(readFileSync(join(dir, runId, 'README.txt'), 'utf8'), /Command:  run-in-docker quarterly\.pdf 512m --out ~\/runs/);
  rmSync(home, { recursive: true });
});

test('a sweep removes only containers whose runner is provably gone, and says so on stderr, in --json and the manifest', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const image = (await docker.listImages({ filters: { reference: ['oom-harness'] } }))[0]!.RepoTags![0]!;
  const me = currentRunner();
  const create = (pid: number) =>
    docker.createContainer({
      Image: image,
      Labels: runLabels(`orphan-${pid}`, { ...me, pid }),
      HostConfig: { Memory: 64 * 1024 * 1024, MemorySwap: 64 * 1024 * 1024, NetworkMode: 'none' },
    });
  // A pid above pid_max is never alive; pid 1 always is.
  const orphan = await create(99_999_999);
  const alive = await create(1);
  try {
    const result = await runCli(['probe', '256m', '--target-mb', '5', '--json', '--out', tempOutDir()]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`removed leftover container ${orphan.id.slice(0, 12)} of run orphan-99999999: its runner \\(pid 99999999, this boot\\) is gone`));
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.swept_containers.map((c: { id: string }) => c.id), [orphan.id]);
    const manifest = JSON.parse(readFileSync(join(json.run_dir, 'container_manifest.json'), 'utf8'));
    assert.deepEqual(manifest.swept_containers.map((c: { id: string }) => c.id), [orphan.id]);
    const left = (await harnessContainers(docker)).map((c) => c.Id);
    assert.equal(left.includes(orphan.id), false);
    assert.equal(left.includes(alive.id), true, 'a container whose runner lives is not touched');
  } finally {
    await alive.remove({ force: true }).catch(() => undefined);
    await orphan.remove({ force: true }).catch(() => undefined);
  }
});

/** One real run's directory, copied so each case can tamper with its own. */
async function realRunDir(t: TestContext): Promise<{ runDir: string; runId: string } | null> {
  if (!(await engineOrSkip(t))) return null;
  const out = tempOutDir();
  const ran = await runCli([fixture('pdf', 'sample-3p.pdf'), '512m', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(ran.exitCode, 0, ran.stderr);
  const runId = readdirSync(out).find((name) => !name.endsWith('.tar.gz'))!;
  return { runDir: join(out, runId), runId };
}

async function bundleOf(runDir: string, runId: string) {
  for (const name of ['README.txt', 'host.json', 'memory_chart.svg', 'dmesg_excerpt.txt', 'worker_stderr_tail.txt']) rmSync(join(runDir, name), { force: true });
  const manifest = ContainerManifestSchema.parse(JSON.parse(readFileSync(join(runDir, 'container_manifest.json'), 'utf8')));
  const started = Date.now();
  const result = await writeBundle({ runDir, runId, manifest, summary: null, engine: null, projectRoot: REPO_ROOT, harnessVersion: 'test', includeInput: null, windowStartMs: started, windowEndMs: started });
  return { ...result, ms: Date.now() - started };
}

test('a hostile memory log (non-finite figures, a 1 TiB sparse file) neither hangs nor crashes the bundle, and is not packed whole', async (t) => {
  const base = await realRunDir(t);
  if (!base) return;
  const log = join(base.runDir, 'container', 'memory_log.csv');
  writeFileSync(log, `${readFileSync(log, 'utf8')}x,1e400,99,1,supervisor,,,,,Infinity,5\n`);
  const infinite = await bundleOf(base.runDir, base.runId);
  assert.ok(infinite.ms < 10_000, `the chart was drawn in ${infinite.ms} ms`);
  assert.match(readFileSync(join(base.runDir, 'memory_chart.svg'), 'utf8'), /^<svg /);
  execFileSync('truncate', ['-s', '1T', log]);
  const sparse = await bundleOf(base.runDir, base.runId);
  assert.ok(sparse.ms < 20_000, `bundled in ${sparse.ms} ms`);
  assert.ok(!sparse.files.includes('container/memory_log.csv'), 'a log past its limit is not packed');
  assert.ok(sparse.warnings.some((warning) => /memory_log\.csv has 1099511627776 bytes/.test(warning)), sparse.warnings.join('\n'));
  const report = await runCli(['report', sparse.path]);
  assert.equal(report.exitCode, 0, report.stderr);
});

test('hard links, thousands of worker logs and escape sequences in names stay bounded, escaped and out of the archive', async (t) => {
  const base = await realRunDir(t);
  if (!base) return;
  const container = join(base.runDir, 'container');
  rmSync(join(container, 'ingest_manifest.json'));
  linkSync(join(container, 'summary.json'), join(container, 'ingest_manifest.json'));
  mkdirSync(join(container, 'workers'), { recursive: true });
  for (let i = 0; i < 3000; i += 1) writeFileSync(join(container, 'workers', `worker-${i}.log`), `${'x'.repeat(70_000)}\n\x1b]0;owned\x07\n`);
  symlinkSync('/etc/passwd', join(container, 'name\x1b[31mred\nwarning: forged'));
  const bundle = await bundleOf(base.runDir, base.runId);
  assert.ok(!bundle.files.includes('container/ingest_manifest.json'), 'a file with a second link is not packed');
  const tail = readFileSync(join(base.runDir, 'worker_stderr_tail.txt'), 'utf8');
  assert.ok(tail.length < 1024 * 1024, `the stderr tail is bounded (${tail.length} bytes)`);
  assert.match(tail, /more worker logs left out/);
  assert.ok(!/[\x07\x1b]/.test(tail), 'escape sequences from worker logs are escaped');
  const listing = execFileSync('tar', ['tzvf', bundle.path], { encoding: 'utf8' });
  assert.ok(listing.split('\n').every((line) => line === '' || /^[-d]/.test(line)), `only files and directories:\n${listing}`);
  const report = await runCli(['report', bundle.path]);
  assert.equal(report.exitCode, 0, report.stderr);
  const readme = readFileSync(join(base.runDir, 'README.txt'), 'utf8');
  assert.ok(!/\x1b/.test(readme));
});

test('report on a run directory does not follow a link in place of container/', async (t) => {
  const base = await realRunDir(t);
  if (!base) return;
  const elsewhere = mkdtempSync(join(tmpdir(), 'oom-harness-elsewhere-'));
  const forged = JSON.parse(readFileSync(join(base.runDir, 'container', 'summary.json'), 'utf8'));
  forged.verdict_reason = 'forged elsewhere';
  writeFileSync(join(elsewhere, 'summary.json'), JSON.stringify(forged));
  rmSync(join(base.runDir, 'container'), { recursive: true });
  symlinkSync(elsewhere, join(base.runDir, 'container'));
  const report = await runCli(['report', base.runDir, '--json']);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.ok(!report.stdout.includes('forged elsewhere'));
  assert.equal(JSON.parse(report.stdout).peak.pss_mb, null, 'nothing was read through the link');
});
