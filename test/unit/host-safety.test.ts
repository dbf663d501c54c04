// The host's defences on real files: links, FIFOs and oversized files in a run directory; --out checks; what is
// printed; which leftover containers may be swept.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { printable, printableJson, printableLines } from '../../harness/common/terminal-text.js';
import { LABEL_RUNNER_BOOT_ID, LABEL_RUNNER_HOST, LABEL_RUNNER_PID, LABEL_RUNNER_PID_NAMESPACE } from '../../harness/container-runtime/labels.js';
import { deadRunnerReason } from '../../harness/container-runtime/reaper.js';
import type { RunnerIdentity } from '../../harness/container-runtime/runner-identity.js';
import { prepareOutDir } from '../../harness/input/check-out-dir.js';
import { capBytesSchema } from '../../harness/options/option-schemas.js';
import { displayCommand, displayPath } from '../../harness/run/display-paths.js';
import { entryKind, readRegularFile, readRegularFileTail, replaceFile } from '../../harness/run-files/safe-fs.js';
import { tempOutDir } from '../helpers/cli.js';

test('a link, a FIFO or an oversized file in the run directory is refused, never followed or blocked on', () => {
  const dir = tempOutDir();
  const secret = join(dir, 'secret');
  writeFileSync(secret, 'host secret');
  symlinkSync(secret, join(dir, 'summary.json'));
  execFileSync('mkfifo', [join(dir, 'memory_log.csv')]);
  writeFileSync(join(dir, 'big.json'), 'x'.repeat(2000));
  assert.throws(() => readRegularFile(join(dir, 'summary.json'), 1000), /symbolic link; not followed/);
  assert.throws(() => readRegularFile(join(dir, 'memory_log.csv'), 1000), /fifo, not a regular file/);
  assert.throws(() => readRegularFile(join(dir, 'big.json'), 1000), /2000 bytes, more than the 1000/);
  assert.equal(readRegularFileTail(join(dir, 'big.json'), 10).text, 'x'.repeat(10));
  assert.equal(entryKind(join(dir, 'summary.json')), 'symbolic link');
  assert.equal(entryKind(join(dir, 'memory_log.csv')), 'fifo');
});

test('replacing a file never writes through a link planted at its name, and leaves no temp file when it fails', () => {
  const dir = tempOutDir();
  const target = join(dir, 'target');
  writeFileSync(target, 'original');
  symlinkSync(target, join(dir, 'README.txt'));
  replaceFile(join(dir, 'README.txt'), 'new');
  assert.equal(readFileSync(target, 'utf8'), 'original');
  assert.equal(readFileSync(join(dir, 'README.txt'), 'utf8'), 'new');
  assert.equal(entryKind(join(dir, 'README.txt')), 'file');
  assert.throws(() => replaceFile(join(dir, 'missing-dir', 'x.json'), '{}'), /writing .*x\.json failed: ENOENT/);
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
});

test('--out: files, pseudo-filesystems and unwritable places are refused at once; a missing path is created', () => {
  const started = Date.now();
  for (const [given, problem] of [
    ['/etc/passwd', /is a file, not a directory/],
    ['/dev/null/x', /file where a directory should be|under \/dev/],
    ['/proc/nonexistent/x', /under \/proc/],
    ['/sys/kernel/x', /under \/sys/],
  ] as const) {
    assert.throws(() => prepareOutDir(given), (error: Error & { exitCode?: number }) => problem.test(error.message) && error.exitCode === 2 && /^--out: /.test(error.message));
  }
  assert.ok(Date.now() - started < 2000, 'no check spins');
  const made = join(tempOutDir(), 'a', 'b');
  assert.equal(prepareOutDir(made), made);
  assert.equal(entryKind(made), 'directory');
});

test('strings from a bundle reach the terminal with their control characters escaped', () => {
  const hostile = 'ok\x1b[2J\x1b]0;owned\x07\u009b31m\u202edone\nnext';
  assert.equal(printable(hostile), 'ok\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202edone\\x0anext');
  assert.equal(printableLines('a\x1b[1m\nb'), 'a\\x1b[1m\nb');
  const json = printableJson({ reason: hostile });
  assert.ok(!/[\x00-\x1f\x7f-\x9f\u202e]/.test(json), json);
  assert.equal(JSON.parse(json).reason, hostile, 'the JSON still says exactly what the bundle said');
});

test('bundles show paths relative to the working directory or under ~, and the input by name only', () => {
  assert.equal(displayPath('/home/alice/work/logs', '/home/alice/work', '/home/alice'), 'logs');
  assert.equal(displayPath('/home/alice/other/logs', '/home/alice/work', '/home/alice'), '~/other/logs');
  assert.equal(displayPath('/srv/logs', '/home/alice/work', '/home/alice'), '/srv/logs');
  assert.equal(
    displayCommand('run-in-docker', ['/home/alice/docs/big.pdf', '6g', '--out=/home/alice/out', '--junit', '/home/alice/work/j.xml'], '/home/alice/docs/big.pdf', '/home/alice/work', '/home/alice'),
    'run-in-docker big.pdf 6g --out=~/out --junit j.xml',
  );
});

test('caps the engine cannot take are refused by the option check', () => {
  assert.equal(capBytesSchema.safeParse('100000000000g').success, false);
  assert.match(capBytesSchema.safeParse('100000000000g').error!.issues[0]!.message, /signed 64-bit/);
  assert.equal(capBytesSchema.parse('8t'), 8 * 1024 ** 4, '8t is a valid size: the engine-memory check refuses it later');
});

test('a leftover container is swept only when its runner is provably gone', () => {
  const me: RunnerIdentity = { host: 'h', bootId: 'boot-1', pidNamespace: 'pid:[1]', pid: 100, bootWallMs: 1_000_000 };
  const labels = (pid: number, boot = 'boot-1', ns = 'pid:[1]', host = 'h') => ({
    [LABEL_RUNNER_HOST]: host,
    [LABEL_RUNNER_PID]: String(pid),
    [LABEL_RUNNER_BOOT_ID]: boot,
    [LABEL_RUNNER_PID_NAMESPACE]: ns,
  });
  const dead = () => false;
  const alive = () => true;
  assert.match(deadRunnerReason(labels(7), 2_000_000, me, dead)!, /pid 7, this boot\) is gone/);
  assert.equal(deadRunnerReason(labels(7), 2_000_000, me, alive), null, 'runner alive');
  assert.equal(deadRunnerReason(labels(100), 2_000_000, me, dead), null, 'our own');
  assert.equal(deadRunnerReason(labels(7, 'boot-1', 'pid:[2]'), 2_000_000, me, dead), null, 'another pid namespace cannot be judged');
  assert.equal(deadRunnerReason(labels(7, 'boot-1', 'pid:[1]', 'other'), 2_000_000, me, dead), null, 'another host');
  assert.match(deadRunnerReason(labels(7, 'boot-0'), 500_000, me, alive)!, /before this machine last booted/);
  assert.equal(deadRunnerReason(labels(7, 'boot-0'), 2_000_000, me, dead), null, 'another boot id, created since this boot: not ours to judge');
});

test('prepareOutDir does not create anything under a file', () => {
  const dir = tempOutDir();
  writeFileSync(join(dir, 'file'), '');
  assert.throws(() => prepareOutDir(join(dir, 'file', 'x', 'y')), /file where a directory should be/);
  mkdirSync(join(dir, 'ok'));
  assert.equal(prepareOutDir(join(dir, 'ok')), join(dir, 'ok'));
});
