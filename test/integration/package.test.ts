// The package as a user gets it: packed, installed into an empty project, and used through npx and import by name.
// Every JSON file its real runs write is checked against the JSON Schemas the package ships.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { loadSchemas, type SchemaSet } from '../helpers/schemas.js';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

function checkRunDir(schemas: SchemaSet, runDir: string): void {
  schemas.check('summary', readJson(join(runDir, 'container', 'summary.json')), `${runDir}/container/summary.json`);
  schemas.check('container-manifest', readJson(join(runDir, 'container_manifest.json')), 'container_manifest.json');
  schemas.check('run-config', readJson(join(runDir, 'run-config.json')), 'run-config.json');
  schemas.check('host', readJson(join(runDir, 'host.json')), 'host.json');
  const ingest = join(runDir, 'container', 'ingest_manifest.json');
  if (existsSync(ingest)) schemas.check('ingest-manifest', readJson(ingest), 'ingest_manifest.json');
}

// What a user's module does with the library: an OOM resolves, an abort stops the run with a bundle, bad options reject.
const LIBRARY_SCRIPT = `
import { runIngest, execCommand, readBundle, OomHarnessError } from 'oom-harness';
const [input, out] = process.argv.slice(2);
const oom = await runIngest({ input, cap: '128m', out, workerHeapMb: 'off', mockRetainMb: 6 });
const controller = new AbortController();
const aborted = await runIngest({ input, cap: 268435456, out, slowPageMs: 200, signal: controller.signal, onProgress: () => controller.abort() });
const report = await readBundle(oom.bundle);
const grow = 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));';
const exec = await execCommand({ cap: '128m', command: ['node', '-e', grow], out, exitCode: 'passthrough' });
const refused = [];
for (const bad of [{ input, cap: 'lots' }, { input, cap: '1g', worker: 2 }]) {
  try { await runIngest({ ...bad, out }); refused.push(null); } catch (error) { refused.push({ isError: error instanceof OomHarnessError, code: error.error.code, exit_code: error.exit_code, message: error.message }); }
}
process.stdout.write(JSON.stringify({ oom, exec, aborted, reportVerdict: report.verdict, refused }));
`;

test('installed from npm pack: npx run-in-docker, npx oom-harness smoke and import by name run real capped jobs; artifacts match the shipped schemas', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const work = tempOutDir('oom-harness-package-');
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
  const tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
  const installed = join(project, 'node_modules', 'oom-harness');
  assert.ok(!existsSync(join(installed, 'package-lock.json')), 'the package runs without the lockfile of a clone');
  const schemas = loadSchemas(join(installed, 'schemas'));
  const sample = join(installed, 'fixtures', 'pdf', 'sample-200p.pdf');
  const out = join(work, 'out');
  const npx = (args: string[]) => execa('npx', ['--no', ...args], { cwd: project, reject: false });

  const run = await npx(['run-in-docker', sample, '512m', '--json', '--out', out]);
  assert.equal(run.exitCode, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  schemas.check('run-result', result, 'run-in-docker --json');
  assert.equal(result.verdict, 'completed');
  checkRunDir(schemas, result.run_dir);

  const smoke = await npx(['oom-harness', 'smoke', '--cap', '1g', '--json', '--out', out]);
  assert.equal(smoke.exitCode, 0, smoke.stderr);
  const smokeResult = JSON.parse(smoke.stdout);
  schemas.check('run-result', smokeResult, 'smoke --json');
  assert.equal(smokeResult.smoke_passed, true);
  schemas.check('smoke-report', readJson(join(smokeResult.run_dir, 'smoke_report.json')), 'smoke_report.json');

  const pressure = await npx(['oom-harness', 'simulate-pressure', '--target-mb', '100', '--json', '--out', out]);
  assert.equal(pressure.exitCode, 0, pressure.stderr);
  schemas.check('pressure-report', readJson(join(JSON.parse(pressure.stdout).run_dir, 'pressure_report.json')), 'pressure_report.json');

  const missing = await npx(['run-in-docker', join(work, 'nope.pdf'), '1g', '--json']);
  assert.equal(missing.exitCode, 2);
  schemas.check('error', JSON.parse(missing.stdout), 'the --json error of a missing input');

  // The shipped declarations type a consumer's TypeScript, and catch a misuse.
  writeFileSync(join(project, 'typed.ts'), "import { runIngest, type RunResult } from 'oom-harness';\nexport const r: Promise<RunResult> = runIngest({ input: 'a.pdf', cap: '1g', workers: 2 });\n");
  writeFileSync(join(project, 'mistyped.ts'), "import { runIngest } from 'oom-harness';\nexport const r = runIngest({ input: 'a.pdf', cap: '1g', workers: 'two' });\n");
  const tsc = (file: string) => execa(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules', '@types'), file], { cwd: project, reject: false });
  const typed = await tsc('typed.ts');
  assert.equal(typed.exitCode, 0, typed.stdout);
  assert.match((await tsc('mistyped.ts')).stdout, /Type '"two"' is not assignable to type 'number \| "auto" \| undefined'/);

  writeFileSync(join(project, 'use-library.mjs'), LIBRARY_SCRIPT);
  const library = await execa(process.execPath, ['use-library.mjs', sample, out], { cwd: project, reject: false });
  assert.equal(library.exitCode, 0, library.stderr);
  const used = JSON.parse(library.stdout);
  assert.equal(used.oom.verdict, 'cgroup-oom', 'an OOM is a result, not an exception');
  assert.equal(used.oom.exit_code, 3);
  schemas.check('run-result', used.oom, 'runIngest() result');
  checkRunDir(schemas, used.oom.run_dir);
  assert.equal(used.exec.verdict, 'cgroup-oom', "execCommand: the user's command, killed by the kernel at the cap");
  schemas.check('run-result', used.exec, 'execCommand() result');
  assert.equal(used.aborted.verdict, 'interrupted', 'aborting stops the run');
  assert.ok(existsSync(used.aborted.bundle), 'and the bundle is written');
  assert.equal(used.reportVerdict, 'cgroup-oom', 'readBundle reads the OOM bundle back');
  assert.deepEqual(used.refused.map((r: any) => r && [r.isError, r.code, r.exit_code]), [[true, 'BAD_OPTION', 2], [true, 'BAD_OPTION', 2]]);
  assert.match(used.refused[0].message, /cap: got "lots"/);
  assert.match(used.refused[1].message, /unknown option "worker"/);
});
