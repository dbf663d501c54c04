// The CI smoke gate and the memory-pressure self-test, end to end against the real engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';

function parseJunit(path: string) {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(path, 'utf8'));
  const suite = parsed.testsuites.testsuite;
  return { suite, cases: [suite.testcase].flat() as Array<{ name: string; failure?: { message: string } }> };
}

test('smoke at 2g passes and writes JUnit XML with one testcase per assertion', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const junit = join(out, 'smoke.xml');
  const result = await runCli(['smoke', '--junit', junit, '--out', out]);
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /smoke at 2g: PASSED/);
  const { suite, cases } = parseJunit(junit);
  assert.equal(suite.failures, '0');
  assert.deepEqual(cases.map((c) => c.name), [
    'verdict is completed',
    "processes' peak PSS below 95% of the cap",
    'kernel peak below 95% of the cap',
    'at least one flush succeeded',
    'no failed batch',
  ]);
  assert.match(result.stdout.trim().split('\n').at(-1)!, /\.tar\.gz$/);
});

test('smoke with a peak ratio far too low fails: non-zero exit and a failing testcase carrying the figure', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const junit = join(out, 'smoke.xml');
  const result = await runCli(['smoke', '--max-peak-ratio', '0.01', '--junit', junit, '--out', out]);
  assert.equal(result.exitCode, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /FAIL  processes' peak PSS below 1% of the cap/);
  const { suite, cases } = parseJunit(junit);
  assert.equal(suite.failures, '2');
  const failed = cases.find((c) => c.name === "processes' peak PSS below 1% of the cap")!;
  assert.match(failed.failure!.message, /peak anonymous PSS of all processes \d+(\.\d+)? MiB is \d+(\.\d+)?% of the cap \(limit 1% = 20\.5 MiB/);
  assert.match(result.stdout.trim().split('\n').at(-1)!, /\.tar\.gz$/, 'the bundle is kept when smoke fails');
});

for (const mode of ['ramp', 'churn'] as const) {
  test(`simulate-pressure --target-mb 300 in ${mode} mode allocates the target on the cgroup and gets it back`, async (t) => {
    if (!(await engineOrSkip(t))) return;
    const result = await runCli(['simulate-pressure', '--target-mb', '300', '--mode', mode, '--json', '--out', tempOutDir()]);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout).pressure;
    t.diagnostic(`growth ${report.cgroup_growth_mb} MiB, reclaimed ${report.reclaimed_share_cgroup} on the cgroup, ${report.reclaimed_share_rss} of worker RSS`);
    assert.ok(Math.abs(report.cgroup_growth_mb - 300) <= 30, `cgroup growth ${report.cgroup_growth_mb} MiB`);
    assert.ok(report.reclaimed_share_cgroup >= 0.5);
  });
}

test('simulate-pressure with --leak keeps its memory and fails the reclaim check', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const result = await runCli(['simulate-pressure', '--target-mb', '200', '--leak', '--json', '--out', tempOutDir()]);
  assert.equal(result.exitCode, 1, result.stdout + result.stderr);
  const json = JSON.parse(result.stdout);
  assert.equal(json.pressure_passed, false);
  const reclaim = json.pressure.checks.find((c: { name: string }) => c.name.startsWith('memory came back'));
  assert.equal(reclaim.passed, false);
  assert.ok(json.pressure.reclaimed_share_cgroup < 0.1, `reclaimed ${json.pressure.reclaimed_share_cgroup}`);
});
