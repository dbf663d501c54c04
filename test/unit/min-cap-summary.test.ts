// The min-cap summary: its JSON, its table, its chart (valid SVG, every text escaped), its bundle, which `report`
// accepts and says is a summary; and min-cap's flags, refused before anything starts when they do not fit the job.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { main } from '../../harness/cli/main.js';
import { oomHarnessProgram } from '../../harness/cli/commands/program.js';
import { readReport } from '../../harness/report/read-report.js';
import { entryProblem, scanArchive } from '../../harness/report/safe-extract.js';
import { shellWords } from '../../harness/run/display-paths.js';
import type { MinCapAnswer, Probe } from '../../harness/search/min-cap.js';
import { minCapSummaryPaths, writeMinCapSummary } from '../../harness/search/min-cap-bundle.js';
import { renderMinCapChart } from '../../harness/search/min-cap-chart.js';
import { minCapJson, probeTable, type MinCapContext } from '../../harness/search/min-cap-summary.js';
import { memoryIo, tempOutDir } from '../helpers/cli.js';
import { REPO_ROOT, fixture } from '../helpers/paths.js';
import { loadSchemas } from '../helpers/schemas.js';

const MIB = 1024 * 1024;
const probe = (mb: number, verdict: string, peak: number | null, bundle: string | null): Probe => ({ capBytes: mb * MIB, verdict, kernelPeakMb: peak, durationMs: 1500, bundle });

function answerIn(outDir: string): MinCapAnswer {
  const bundle = (id: string) => join(outDir, `20261125-0100${id}-abcdef.tar.gz`);
  return {
    kind: 'answer',
    minSafeCapBytes: 163 * MIB,
    maxFailingCapBytes: 155 * MIB,
    probes: [probe(512, 'completed', 157.8, bundle('00')), probe(96, 'cgroup-oom', 96, bundle('01')), probe(222, 'completed', 157.4, bundle('02')), probe(155, 'cgroup-oom', 155, bundle('03')), probe(163, 'completed', 157.5, bundle('04'))],
  };
}

function context(outDir: string, overrides: Partial<MinCapContext> = {}): MinCapContext {
  return {
    job: { kind: 'exec', description: shellWords(['python3', '-c', 'print("<script>&\x1b[31m")']) },
    workers: 1,
    search: { from_bytes: 96 * MIB, to_bytes: 512 * MIB, tolerance: 0.08, repeat: 1 },
    keep: null,
    removed: new Set(),
    summaryBundle: minCapSummaryPaths(outDir, '20261125-010100-123456').bundle,
    showPath: (path) => path,
    ...overrides,
  };
}

test('min_cap.json carries the answer, every probe and its run id; a bundle --keep removed is null, its run id kept', () => {
  const out = tempOutDir();
  const answer = answerIn(out);
  const removed = new Set([answer.probes[0]!.bundle!]);
  const json = minCapJson(answer, context(out, { keep: 4, removed }));
  assert.equal(json.min_safe_cap_bytes, 163 * MIB);
  assert.equal(json.max_failing_cap_bytes, 155 * MIB);
  assert.equal(json.answer, 'completes at 163 MiB (163m), fails at 155 MiB');
  assert.equal(json.exit_code, 0);
  assert.deepEqual(json.probes[0], { cap_bytes: 512 * MIB, verdict: 'completed', kernel_peak_mb: 157.8, duration_ms: 1500, run_id: '20261125-010000-abcdef', bundle: null });
  assert.equal(json.probes[1]!.bundle, answer.probes[1]!.bundle);
  const table = probeTable(json.probes).split('\n');
  assert.equal(table.length, 6);
  assert.match(table[1]!, /512m\s+completed\s+157\.8 MiB\s+1500 ms\s+\(20261125-010000-abcdef: removed by --keep\)/);
  assert.match(table[2]!, /96m\s+cgroup-oom\s+96 MiB\s+1500 ms\s+20261125-010001-abcdef\.tar\.gz$/);
  const oomAtTop = minCapJson({ kind: 'oom-at-top', probes: [probe(512, 'cgroup-oom', 512, null)] }, context(out));
  assert.deepEqual([oomAtTop.min_safe_cap_bytes, oomAtTop.exit_code], [null, 3]);
  const crashed = minCapJson({ kind: 'other-failure', failed: probe(512, 'crashed', 10, null), probes: [] }, context(out));
  assert.equal(crashed.exit_code, 4);
  assert.equal(minCapJson({ kind: 'other-failure', failed: probe(512, 'interrupted', null, null), probes: [] }, context(out)).exit_code, 130);
});

test('the chart is valid SVG with a mark per probe by verdict and the answer drawn; hostile text is escaped', () => {
  const out = tempOutDir();
  const svg = renderMinCapChart(minCapJson(answerIn(out), context(out)));
  assert.equal(XMLValidator.validate(svg), true);
  assert.ok(!svg.includes('<script>') && !svg.includes('\x1b'), 'no raw markup or escape sequence from the command line');
  const marks = (name: string) => (svg.match(new RegExp(`class="${name}"`, 'g')) ?? []).length;
  assert.deepEqual([marks('completed'), marks('oom'), marks('other'), marks('answer')], [3, 2, 0, 1]);
  assert.match(svg, /completes at 163 MiB/);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
  const title = (parsed.svg.text as Array<Record<string, unknown> | string>)[0] as Record<string, string>;
  assert.match(String(title['#text']), /^min-cap: python3 -c/);
});

test('the summary bundle holds its four files, report accepts it and says it is a min-cap summary', async () => {
  const out = tempOutDir();
  const json = minCapJson(answerIn(out), context(out));
  const bundle = await writeMinCapSummary(out, '20261125-010100-123456', json);
  assert.equal(bundle, json.summary_bundle);
  loadSchemas(join(REPO_ROOT, 'schemas')).check('min-cap', json, 'min_cap.json');
  assert.throws(() => loadSchemas(join(REPO_ROOT, 'schemas')).check('min-cap', { ...json, probes: [{ cap_bytes: '1g' }] }, 'a bad probe'), /must be number/);
  const entries = (await scanArchive(bundle)).map((entry) => entry.path);
  assert.deepEqual(entries.sort(), ['README.txt', 'min_cap.json', 'min_cap_chart.svg', 'min_cap_probes.csv'].map((name) => `min-cap-20261125-010100-123456/${name}`));
  const dir = bundle.replace(/\.tar\.gz$/, '');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'min_cap.json'), 'utf8')), json);
  assert.equal(readFileSync(join(dir, 'min_cap_probes.csv'), 'utf8').trim().split('\n').length, 6);
  assert.ok(!readFileSync(join(dir, 'README.txt'), 'utf8').includes('\x1b'), 'README.txt is escaped text');
  const io = memoryIo();
  assert.equal(await main(oomHarnessProgram, ['report', bundle], io), 0, io.err());
  assert.match(io.out(), /^min-cap summary: a search of 5 probe\(s\), not a single run/);
  assert.match(io.out(), /answer: {2}completes at 163 MiB \(163m\), fails at 155 MiB/);
  assert.ok(!io.out().includes('\x1b'));
  const jsonIo = memoryIo();
  assert.equal(await main(oomHarnessProgram, ['report', dir, '--json'], jsonIo), 0);
  assert.equal(JSON.parse(jsonIo.out()).kind, 'min-cap-summary');
  await assert.rejects(readReport(bundle), /is a min-cap summary \(a search of 5 probes\), not one run's bundle/, 'the library says what it is');
});

test('a min-cap summary archive may hold only its own files, flat, under min-cap-<id>/', () => {
  const top = 'min-cap-20261125-010100-123456';
  assert.equal(entryProblem({ path: `${top}/min_cap.json`, type: 'File', size: 10 }), null);
  assert.equal(entryProblem({ path: `${top}/`, type: 'Directory', size: 0 }), null);
  assert.match(entryProblem({ path: `${top}/container/summary.json`, type: 'File', size: 10 })!, /min-cap summary/);
  assert.match(entryProblem({ path: `${top}/min_cap.json`, type: 'SymbolicLink', size: 0 })!, /SymbolicLink/);
  assert.match(entryProblem({ path: 'min-cap-x/min_cap.json', type: 'File', size: 10 })!, /outside a <run-id>/);
  assert.match(entryProblem({ path: `${top}/../min_cap.json`, type: 'File', size: 10 })!, /\.\./);
});

test('min-cap refuses, before anything starts, flags of the other kind of job and a missing or doubled input', async () => {
  const sample = fixture('pdf', 'sample-3p.pdf');
  const cases: Array<[string[], RegExp]> = [
    [['min-cap', sample, 'second.pdf'], /input: got 2 arguments .*expected one PDF file or directory; to search for your own command, use --exec/],
    [['min-cap', sample, '--image', 'debian'], /--image: got "debian", expected no such option without --exec/],
    [['min-cap', '--exec', '--batch-size', '5', '--', 'python3'], /--batch-size: got "5", expected no such option with --exec/],
    [['min-cap', '--exec', '--workers', '2', '--', 'python3'], /--workers: got "2", expected no such option with --exec/],
    [['min-cap', sample, '--workers', 'auto'], /--workers: got "auto", expected an integer from 1 to 64: the smallest safe cap is searched for a fixed count/],
    [['min-cap', '--exec', '--mount', '/no/such/path:/data', '--', 'python3'], /--mount: .*expected an existing host path/],
    [['min-cap', sample, '--keep', '-1'], /--keep: got "-1", expected an integer from 0/],
    [['min-cap', sample, '--from', '1g', '--to', '512m'], /--from: got "1g", expected a cap below --to/],
  ];
  for (const [args, message] of cases) {
    const out = tempOutDir();
    const io = memoryIo();
    assert.equal(await main(oomHarnessProgram, [...args, '--out', out], io), 2, args.join(' '));
    assert.match(io.err(), message);
    assert.deepEqual(readdirSync(out), [], 'nothing was written');
  }
  assert.ok(!existsSync(join(tempOutDir(), 'min-cap')));
});
