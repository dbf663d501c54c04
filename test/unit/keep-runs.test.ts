// --keep: the bundles of the last N runs stay, every run directory goes, and nothing is followed on the way: links
// planted where the container could write are removed as links, and what they point at is untouched.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeTreeNoFollow } from '../../harness/run-files/remove-tree.js';
import { bundlesBeyondKeep, keepLastRuns, runDirOf } from '../../harness/search/keep-runs.js';
import { tempOutDir } from '../helpers/cli.js';

/** Files and directories someone else owns, which a planted link points at. */
function victim(): string {
  const dir = tempOutDir('oom-harness-victim-');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'precious.txt'), 'keep me');
  writeFileSync(join(dir, 'sub', 'also.txt'), 'keep me too');
  return dir;
}

/** A run directory as a run leaves it, with a container part holding links, a FIFO and nested directories. */
function fakeRun(outDir: string, id: string, target: string): string {
  const run = join(outDir, id);
  mkdirSync(join(run, 'container', 'workers'), { recursive: true });
  writeFileSync(join(run, 'container_manifest.json'), '{}');
  writeFileSync(join(run, 'container', 'summary.json'), '{}');
  writeFileSync(join(run, 'container', 'workers', 'worker-1.log'), 'log');
  symlinkSync(target, join(run, 'container', 'dir-link'));
  symlinkSync(join(target, 'precious.txt'), join(run, 'container', 'file-link'));
  symlinkSync(target, join(run, 'container', 'workers', 'nested-link'));
  execFileSync('mkfifo', [join(run, 'container', 'fifo')]);
  writeFileSync(`${run}.tar.gz`, 'bundle');
  return `${run}.tar.gz`;
}

const victimIntact = (dir: string) => {
  assert.deepEqual(readdirSync(dir).sort(), ['precious.txt', 'sub']);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['also.txt']);
};

test('which bundles go, and which paths are runs of ours', () => {
  assert.deepEqual(bundlesBeyondKeep(['a', 'b', 'c', 'd'], 2), ['a', 'b']);
  assert.deepEqual(bundlesBeyondKeep(['a', 'b'], 5), []);
  assert.deepEqual(bundlesBeyondKeep(['a', 'b'], 0), ['a', 'b']);
  assert.equal(runDirOf('/out/20261125-010203-abcdef.tar.gz', '/out'), '/out/20261125-010203-abcdef');
  assert.equal(runDirOf('/out/min-cap-20261125-010203-abcdef.tar.gz', '/out'), null, 'a summary is not a run');
  assert.equal(runDirOf('/elsewhere/20261125-010203-abcdef.tar.gz', '/out'), null);
  assert.equal(runDirOf('/out/../20261125-010203-abcdef.tar.gz', '/out'), null);
});

test('a run directory is removed without following any link in it; a link in its place is refused', () => {
  const target = victim();
  const out = tempOutDir();
  const bundle = fakeRun(out, '20261125-010203-abcdef', target);
  removeTreeNoFollow(bundle.replace(/\.tar\.gz$/, ''));
  assert.deepEqual(readdirSync(out), ['20261125-010203-abcdef.tar.gz']);
  victimIntact(target);
  symlinkSync(target, join(out, 'link-run'));
  assert.throws(() => removeTreeNoFollow(join(out, 'link-run')), /not a directory \(a link is never followed\)/);
  victimIntact(target);
  assert.doesNotThrow(() => removeTreeNoFollow(join(out, 'never-was')));
});

test('--keep 2 of four runs: the last two bundles stay, no run directory does, and nothing else in --out is touched', () => {
  const target = victim();
  const out = tempOutDir();
  const bundles = ['20261125-010200-aaaaaa', '20261125-010201-bbbbbb', '20261125-010202-cccccc', '20261125-010203-dddddd'].map((id) => fakeRun(out, id, target));
  writeFileSync(join(out, 'matrix.json'), '{}');
  mkdirSync(join(out, '20261124-000000-eeeeee'));
  const result = keepLastRuns(out, bundles, 2);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual([...result.removedBundles], bundles.slice(0, 2));
  assert.equal(result.removedRunDirs, 4);
  assert.deepEqual(readdirSync(out).sort(), ['20261124-000000-eeeeee', '20261125-010202-cccccc.tar.gz', '20261125-010203-dddddd.tar.gz', 'matrix.json']);
  victimIntact(target);
});

test('a bundle swapped for a link is left in place and said so; its target is untouched', () => {
  const target = victim();
  const out = tempOutDir();
  const bundle = fakeRun(out, '20261125-010200-aaaaaa', target);
  const swapped = join(out, '20261125-010200-aaaaaa.tar.gz');
  execFileSync('rm', [swapped]);
  symlinkSync(join(target, 'precious.txt'), swapped);
  const result = keepLastRuns(out, [bundle], 0);
  assert.equal(result.removedBundles.size, 0);
  assert.match(result.warnings.join('\n'), /is not a regular file; left in place/);
  assert.ok(existsSync(join(target, 'precious.txt')));
  victimIntact(target);
});
