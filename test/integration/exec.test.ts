// exec: the user's own command under the cap, in the harness's image and in a real Debian image with Python built
// offline, with the same sampling, verdicts and bundle as the ingest.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { parseMemoryLog } from '../../harness/run-files/memory-log.js';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { DEBIAN, debianOrSkip, engineOrSkip, harnessContainers } from '../helpers/engine.js';

async function exec(args: string[]) {
  const out = tempOutDir();
  const result = await runCli(['exec', ...args.slice(0, 1), '--out', out, '--json', ...args.slice(1)]);
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = {};
  }
  const summary = json.run_dir ? JSON.parse(readFileSync(join(json.run_dir, 'container', 'summary.json'), 'utf8')) : null;
  return { result, json, summary, out };
}

test("exec in the harness's image: Buffers past the cap are cgroup-oom with the victim named; under it, completed", async (t) => {
  if (!(await engineOrSkip(t))) return;
  const grow = (mb: number) => `const a = []; for (let i = 0; i < ${mb}; i++) a.push(Buffer.alloc(1 << 20, 1)); console.log('grew', a.length)`;
  const junitDir = tempOutDir();
  const oom = await exec(['256m', '--junit', join(junitDir, 'oom.xml'), '--', 'node', '-e', grow(400)]);
  assert.equal(oom.result.exitCode, 3, oom.result.stderr);
  assert.equal(oom.json.verdict, 'cgroup-oom');
  assert.match(oom.json.reason, /the command node \(pid \d+\) was killed by the kernel's OOM killer/);
  // --junit: one testcase, failing with the verdict and the peak when the command did not complete under the cap.
  assert.equal(oom.json.junit, join(junitDir, 'oom.xml'));
  const failed = readFileSync(join(junitDir, 'oom.xml'), 'utf8');
  assert.match(failed, /tests="1" failures="1"/);
  assert.match(failed, /<testcase classname="oom-harness exec" name="the command completed under the 256m cap" time="0">\s*<failure message="verdict cgroup-oom: [^"]*kernel peak \d/);
  const fine = await exec(['256m', '--junit', join(junitDir, 'fine.xml'), '--', 'node', '-e', grow(50)]);
  assert.equal(fine.result.exitCode, 0, fine.result.stderr);
  assert.equal(fine.json.verdict, 'completed');
  assert.match(readFileSync(join(junitDir, 'fine.xml'), 'utf8'), /tests="1" failures="0"/);
  assert.match(readFileSync(join(fine.json.run_dir, 'container', 'command.log'), 'utf8'), /grew 50/);
});

test('exec in a Debian image with Python: a leak is cgroup-oom, MemoryError is crashed with the reason quoted', async (t) => {
  if (!(await debianOrSkip(t))) return;
  const leak = await exec(['256m', '--image', DEBIAN, '--', 'python3', '-c', 'a = []\nwhile True: a.append(bytearray(1 << 20))']);
  assert.equal(leak.result.exitCode, 3, leak.result.stderr);
  assert.equal(leak.json.verdict, 'cgroup-oom');
  const limited = 'import resource; resource.setrlimit(resource.RLIMIT_AS, (300 << 20, 300 << 20)); a = bytearray(400 << 20)';
  const memoryError = await exec(['256m', '--image', DEBIAN, '--', 'python3', '-c', limited]);
  assert.equal(memoryError.result.exitCode, 4, memoryError.result.stderr);
  assert.equal(memoryError.json.verdict, 'crashed');
  assert.match(memoryError.json.reason, /the command python3 \(pid \d+\) exited 1: MemoryError/);
  const manifest = JSON.parse(readFileSync(join(memoryError.json.run_dir, 'container_manifest.json'), 'utf8'));
  assert.equal(manifest.exec.image, DEBIAN);
  assert.deepEqual(manifest.exec.command, ['python3', '-c', limited]);
});

test('exec: a child killed by the OOM killer while its parent exits 0 is cgroup-oom with that child named, and every process sampled', async (t) => {
  if (!(await debianOrSkip(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-job-'));
  chmodSync(dir, 0o755);
  writeFileSync(
    join(dir, 'job.py'),
    [
      'import multiprocessing, time',
      'def work(i):',
      '    data = []',
      '    while i == 2:',
      '        data.append(bytearray(8 << 20)); time.sleep(0.02)',
      '    time.sleep(3)',
      "if __name__ == '__main__':",
      '    procs = [multiprocessing.Process(target=work, args=(i,)) for i in range(4)]',
      '    [p.start() for p in procs]; [p.join() for p in procs]',
      "    print('children ended', [p.exitcode for p in procs])",
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const { result, json, summary } = await exec(['256m', '--image', DEBIAN, '--mount', `${dir}:/job`, '--workdir', '/job', '--', 'python3', 'job.py']);
  assert.equal(result.exitCode, 3, result.stderr);
  assert.equal(json.verdict, 'cgroup-oom');
  assert.equal(summary.workers[0].exit_code, 0, "the parent's own exit code is recorded");
  assert.equal(summary.victims.length, 1);
  assert.equal(summary.victims[0].comm, 'python3');
  assert.notEqual(summary.victims[0].pid, summary.workers[0].pid, 'the victim is the child, not the parent');
  assert.match(json.reason, /OOM killer killed 1 process\(es\).*python3 \(pid \d+/);
  const rows = parseMemoryLog(readFileSync(join(json.run_dir, 'container', 'memory_log.csv'), 'utf8'));
  const pythons = new Set(rows.filter((row) => row.comm === 'python3').map((row) => row.pid));
  assert.equal(pythons.size, 5, `the parent and its 4 children were sampled (${[...pythons].join(', ')})`);
  assert.ok(summary.processes_started >= 5);
});

test('exec: a missing command exits 4 with one line; a missing image or mount path exits 2 naming it; passthrough keeps the command code', async (t) => {
  if (!(await debianOrSkip(t))) return;
  const docker = (await engineOrSkip(t))!;
  const before = (await harnessContainers(docker)).length;
  const missing = await exec(['256m', '--image', DEBIAN, '--', 'no-such-command-x']);
  assert.equal(missing.result.exitCode, 4, missing.result.stderr);
  assert.match(missing.json.reason, /no-such-command-x/);
  const noImage = await runCli(['exec', '256m', '--image', 'no/such-image:nowhere', '--out', tempOutDir(), '--', 'true']);
  assert.equal(noImage.exitCode, 2);
  assert.match(noImage.stderr, /--image: got "no\/such-image:nowhere", expected an image present on the engine/);
  const noJunitDir = await runCli(['exec', '256m', '--junit', '/nonexistent/dir/x.xml', '--out', tempOutDir(), '--', 'true']);
  assert.equal(noJunitDir.exitCode, 2);
  assert.match(noJunitDir.stderr, /--junit: got "\/nonexistent\/dir\/x\.xml", expected a file in an existing directory/);
  const noMount = await runCli(['exec', '256m', '--mount', '/nonexistent/x:/x', '--out', tempOutDir(), '--', 'true']);
  assert.equal(noMount.exitCode, 2);
  assert.match(noMount.stderr, /--mount: got "\/nonexistent\/x:\/x", expected an existing host path/);
  const seven = await exec(['256m', '--image', DEBIAN, '--exit-code', 'passthrough', '--', 'sh', '-c', 'exit 7']);
  assert.equal(seven.result.exitCode, 7, seven.result.stderr);
  assert.equal(seven.json.command_exit_code, 7);
  assert.equal((await harnessContainers(docker)).length, before, 'no container is left');
});

test('exec: a hang past --timeout-ms ends timeout; --no-argv keeps command lines out; the command cannot plant links the host follows', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const hang = await exec(['256m', '--timeout-ms', '1000', '--kill-grace-ms', '500', '--no-argv', '--', 'node', '-e', 'setInterval(() => {}, 1000)']);
  assert.equal(hang.result.exitCode, 4, hang.result.stderr);
  assert.equal(hang.json.verdict, 'timeout');
  const rows = parseMemoryLog(readFileSync(join(hang.json.run_dir, 'container', 'memory_log.csv'), 'utf8'));
  assert.ok(rows.length > 0 && rows.every((row) => row.argv === ''), 'no command line recorded');
  const secret = join(mkdtempSync(join(tmpdir(), 'oom-harness-vault-')), 'secret');
  writeFileSync(secret, 'exec-secret-55aa', { mode: 0o600 });
  const plant = `const fs = require('fs'); for (const name of ['README.txt', 'host.json', 'summary.json.1.1.tmp', 'command.log']) { try { fs.rmSync('/out/' + name, { force: true }); fs.symlinkSync(${JSON.stringify(secret)}, '/out/' + name); } catch (e) { console.error(e.message); } }`;
  const planted = await exec(['256m', '--', 'node', '-e', plant]);
  assert.equal(readFileSync(secret, 'utf8'), 'exec-secret-55aa');
  const bundle = planted.json.bundle as string;
  const listing = (await execa('tar', ['tzf', bundle])).stdout;
  const contents = (await execa('sh', ['-c', `gzip -dc '${bundle}'`], { encoding: 'buffer' })).stdout as unknown as Buffer;
  assert.ok(!contents.includes(Buffer.from('exec-secret-55aa')), 'no secret in the bundle');
  assert.doesNotMatch(listing, /command_log_tail\.txt/, 'a command.log the command made a link is not read');
  const manifest = JSON.parse(readFileSync(join(planted.json.run_dir, 'container_manifest.json'), 'utf8'));
  assert.ok(manifest.skipped_entries.some((entry: { path: string; kind: string }) => entry.path === 'container/command.log' && entry.kind === 'symbolic link'));
  assert.equal((await runCli(['report', bundle])).exitCode, 0);
  assert.ok(readdirSync(planted.out).some((name) => name.endsWith('.tar.gz')));
});

test('exec: a fork bomb ends at the pids limit with verdict pids-limit, not a hang', async (t) => {
  if (!(await debianOrSkip(t))) return;
  const bomb = ['import os, time', 'while True:', '    try:', '        os.fork()', '    except OSError:', '        time.sleep(0.05)'].join('\n');
  const started = Date.now();
  const { result, json, summary } = await exec(['512m', '--image', DEBIAN, '--pids-limit', '40', '--cpus', '1', '--timeout-ms', '120000', '--', 'python3', '-c', bomb]);
  assert.equal(result.exitCode, 4, result.stderr);
  assert.equal(json.verdict, 'pids-limit', json.reason);
  assert.ok(summary.pids_limit_hits > 0);
  assert.ok(summary.processes_started >= 10, `${summary.processes_started} processes started`);
  assert.ok(Date.now() - started < 60_000, 'it ended well before its timeout');
});

test('exec --user in the harness image: the command runs as that user and the run directory is theirs to write', async (t) => {
  if (!(await engineOrSkip(t))) return;
  for (const user of ['1234:1234', 'root']) {
    const result = await runCli(['exec', '128m', '--user', user, '--json', '--out', tempOutDir(), '--', 'node', '-e', 'console.log(process.getuid())']);
    const json = JSON.parse(result.stdout);
    assert.equal(json.verdict, 'completed', `--user ${user}: ${json.reason}\n${result.stderr}`);
  }
});
