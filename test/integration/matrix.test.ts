// matrix on a real engine: every input at every cap, within the budget, with files that agree with the bundles.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { REPO_ROOT, fixture } from '../helpers/paths.js';
import { loadSchemas } from '../helpers/schemas.js';

const MIB = 1024 * 1024;

test('matrix of 2 inputs x 2 caps with --parallel 2: four bundles, files that agree with them, and the budget kept', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const inputs = [fixture('pdf', 'sample-3p.pdf'), fixture('pdf', 'sample-200p.pdf')];
  const result = await runCli(['matrix', ...inputs, '--caps', '256m,512m', '--parallel', '2', '--max-total-cap', '800m', '--out', out, '--json']);
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  const matrix = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8'));
  loadSchemas(join(REPO_ROOT, 'schemas')).check('matrix', matrix, 'matrix.json');
  assert.equal(matrix.cells.length, 4);
  const windows = matrix.cells.map((cell: Record<string, any>) => {
    const runDir = cell.bundle.replace(/\.tar\.gz$/, '');
    const manifest = JSON.parse(readFileSync(join(runDir, 'container_manifest.json'), 'utf8'));
    assert.equal(manifest.verdict, cell.verdict);
    assert.equal(manifest.cap_bytes, cell.cap_bytes);
    return { cap: cell.cap_bytes, start: Date.parse(manifest.started_at), end: Date.parse(manifest.finished_at) };
  });
  for (const a of windows) {
    for (const b of windows) {
      if (a === b || a.end <= b.start || b.end <= a.start) continue;
      assert.ok(a.cap + b.cap <= 800 * MIB, `runs of ${a.cap / MIB} and ${b.cap / MIB} MiB overlapped past the 800 MiB budget`);
    }
  }
  assert.equal(readFileSync(join(out, 'matrix.csv'), 'utf8').trim().split('\n').length, 5);
  const html = readFileSync(join(out, 'matrix.html'), 'utf8');
  assert.equal(XMLValidator.validate(html.replace('<!DOCTYPE html>\n', '')), true);
  assert.equal((html.match(/href="[^"]+\.tar\.gz"/g) ?? []).length, 4);
});

test('matrix --keep 1: the last run keeps its bundle, the other is recorded as removed, and no run directory is left', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['matrix', fixture('pdf', 'sample-3p.pdf'), '--caps', '256m,384m', '--parallel', '1', '--keep', '1', '--out', out, '--json']);
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  const matrix = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8'));
  const byFinish = [...matrix.cells].sort((a: Record<string, any>, b: Record<string, any>) => a.finished_at.localeCompare(b.finished_at));
  assert.equal(byFinish[0].bundle, null, 'the earlier run lost its bundle');
  assert.match(byFinish[1].bundle, /\/\d{8}-\d{6}-[0-9a-f]{6}\.tar\.gz$/);
  assert.deepEqual(readdirSync(out).sort(), [basename(byFinish[1].bundle), 'matrix.csv', 'matrix.html', 'matrix.json'].sort());
  assert.equal((readFileSync(join(out, 'matrix.html'), 'utf8').match(/href="[^"]+\.tar\.gz"/g) ?? []).length, 1);
});
