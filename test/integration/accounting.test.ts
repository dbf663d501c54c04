// Memory figures that add up, on real runs: PSS against the kernel's high-water mark, gates that pass healthy runs
// at small caps, the culprit of a real OOM kill, progress a person can wait on, and the floor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

const SAMPLE_200 = fixture('pdf', 'sample-200p.pdf');

async function runJson(args: string[], bin = RUN_IN_DOCKER_BIN) {
  const result = await runCli([...args, '--json', '--out', tempOutDir()], bin);
  const json = JSON.parse(result.stdout);
  const summary = JSON.parse(readFileSync(join(json.run_dir, 'container', 'summary.json'), 'utf8'));
  return { result, json, summary };
}

test('the smoke gate passes a healthy run at 160m, where summed RSS alone would fail it', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const result = await runCli(['smoke', '--cap', '160m', '--out', tempOutDir()]);
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /PASS  processes' peak PSS below 95% of the cap/);
  assert.match(result.stdout, /PASS  kernel peak below 95% of the cap/);
});

test("anonymous PSS adds up to the kernel's figure and stays under the cap where summed RSS passes it", async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { json, summary } = await runJson([SAMPLE_200, '160m', '--workers', '2', '--cpus', '2']);
  assert.equal(json.verdict, 'completed');
  const capMb = 160;
  assert.ok(summary.peak_rss_mb > capMb, `summed RSS ${summary.peak_rss_mb} MiB passes the ${capMb} MiB cap (shared pages counted once per process)`);
  assert.ok(summary.peak_pss_anon_mb < capMb, `anonymous PSS ${summary.peak_pss_anon_mb} MiB stays under the cap`);
  assert.ok(
    summary.peak_pss_anon_mb <= summary.kernel_peak_mb * 1.05,
    `anonymous PSS ${summary.peak_pss_anon_mb} MiB is within 5% of the kernel's high-water mark ${summary.kernel_peak_mb} MiB`,
  );
  assert.ok(summary.peak_pss_file_mb > 0, 'file-backed PSS is reported apart');
  assert.ok(summary.supervisor_pss_mb > 0 && summary.supervisor_pss_mb < summary.peak_pss_mb, "the harness's own share is reported");
  const header = readFileSync(join(json.run_dir, 'container', 'memory_log.csv'), 'utf8').split('\n')[0]!;
  for (const column of ['pss_mb', 'pss_anon_mb', 'pss_file_mb', 'file_index', 'page']) assert.ok(header.split(',').includes(column), column);
});

test('a real OOM kill in pdf-parse: report names the range and the page the worker was on', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli([SAMPLE_200, '100m', '--worker-heap-mb', 'off', '--workers', '2', '--cpus', '2', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(result.exitCode, 3, `${result.stdout}\n${result.stderr}`);
  const bundle = result.stdout.trim().split('\n').at(-1)!;
  const report = await runCli(['report', bundle]);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.match(report.stdout, /^culprit:  worker \d+ on sample-200p\.pdf (page \d+|before its first page) \(range \d+-\d+\)$/m);
  const json = JSON.parse((await runCli(['report', bundle, '--json'])).stdout);
  assert.equal(json.verdict, 'cgroup-oom');
  assert.match(json.culprit.range, /^\d+-\d+$/);
  assert.ok(json.pages.done >= json.pages.flushed, 'pages done counts every page extracted, flushed or not');
  assert.equal(json.peak.process_vms_mb > 0, true);
});

test('progress off a terminal: a line every 5 s with pages, percent, ETA and memory against the cap', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const result = await runCli([SAMPLE_200, '512m', '--slow-page-ms', '60', '--out', tempOutDir()], RUN_IN_DOCKER_BIN);
  assert.equal(result.exitCode, 0, result.stderr);
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('pages '));
  assert.ok(lines.length >= 1, result.stderr);
  // Every line has the same shape; the ETA appears once a page is done.
  const shape = /^pages \d+\/200 \(\d+%\)( · ETA (\d+m)?\d+s)? · memory \d+\/512 MiB \(\d+%\) · peak \d+ MiB · batches \d+ · worker 1$/;
  for (const line of lines) assert.match(line, shape);
  assert.ok(lines.some((line) => / · ETA (\d+m)?\d+s · /.test(line)), `an ETA once pages are done:\n${lines.join('\n')}`);
  assert.ok(!result.stderr.includes('\r'), 'no carriage returns off a terminal');
});

test('a small PDF completes at the documented floor, and a cap under it is refused', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { json } = await runJson([fixture('pdf', 'sample-3p.pdf'), '96m']);
  assert.equal(json.verdict, 'completed', json.reason);
  const under = await runCli([fixture('pdf', 'sample-3p.pdf'), '90m', '--out', tempOutDir()], RUN_IN_DOCKER_BIN);
  assert.equal(under.exitCode, 2);
  assert.match(under.stderr, /cap: got "90m", expected at least 96m/);
});
