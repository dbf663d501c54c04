// action.yml's own steps, run here as a GitHub runner would run them with the default inputs: the package packed
// from a fresh copy of this checkout and installed, the engine found, the smoke gate run; then the outputs, the
// bundle, the JUnit XML and the job summary are checked, and the run step once more with a command (exec). The upload steps (actions/upload-artifact) cannot run off
// GitHub: they are skipped, and their paths are checked to name the files the run wrote.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { parseCommandFile, readAction, runActionSteps } from '../helpers/action-runner.js';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** What a checkout of this repository holds: no dependencies, no build, no logs. */
function copyCheckout(target: string): void {
  const filter = (source: string) => {
    const path = relative(REPO_ROOT, source);
    return !['node_modules', 'dist', 'logs', '.git'].includes(path.split(sep)[0]!) && !path.startsWith(join('bench', 'tmp'));
  };
  cpSync(REPO_ROOT, target, { recursive: true, filter });
}

test("action.yml's steps, run locally with their default inputs, pass the smoke gate and leave the bundle and the JUnit XML", async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const action = readAction(join(REPO_ROOT, 'action.yml'));
  assert.equal(action.runs.using, 'composite');
  const actionPath = tempOutDir('oom-harness-action-checkout-');
  copyCheckout(actionPath);
  assert.ok(!existsSync(join(actionPath, 'node_modules')) && !existsSync(join(actionPath, 'dist')), 'the copy starts unbuilt, like a checkout');
  const workspace = tempOutDir('oom-harness-action-workspace-');
  const runnerTemp = tempOutDir('oom-harness-action-temp-');
  const run = await runActionSteps(action, { actionPath, workspace, runnerTemp });
  for (const step of run.ran) assert.equal(step.exitCode, 0, `${step.name} failed:\n${step.output.slice(-4000)}`);
  process.stderr.write(`action test: ${run.ran.map((step) => `${step.name} ${(step.durationMs / 1000).toFixed(1)} s`).join('; ')}\n`);
  assert.deepEqual(run.ran.map((step) => step.name), ['Check Node', "Install oom-harness from the action's checkout", 'Find or start the engine', 'Run under the cap']);
  process.stderr.write(`action test: skipped ${run.skipped.map((s) => `"${s.name}" (${s.uses})`).join(', ')}: they need GitHub's artifact service\n`);
  assert.deepEqual(run.skipped.map((s) => s.uses), ['actions/upload-artifact@v4', 'actions/upload-artifact@v4'], 'only the uploads are skipped');

  // The outputs, as a workflow would read them.
  assert.equal(run.outputs.verdict, 'completed');
  assert.equal(run.outputs['exit-code'], '0');
  const bundle = run.outputs.bundle!;
  assert.equal(relative(join(workspace, 'oom-harness'), bundle).includes('..'), false, `the bundle ${bundle} is under the workspace's oom-harness/`);
  assert.match(bundle, /\.tar\.gz$/);
  assert.equal(run.outputs.junit, join(workspace, 'oom-harness', 'junit.xml'));
  const junit = readFileSync(run.outputs.junit!, 'utf8');
  assert.match(junit, /<testsuite name="oom-harness smoke" tests="5" failures="0"/);
  assert.match(run.summary, /### oom-harness smoke at 2g: completed/);
  assert.match(run.summary, /\| kernel peak below 95% of the cap \| pass \|/);
  // The installed package ran it: the log names the tarball it installed.
  assert.match(run.ran[1]!.output, /installed oom-harness-[\d.]+\.tgz/);

  // The uploads would find what the run wrote.
  const [bundleUpload, junitUpload] = run.skipped;
  assert.equal(bundleUpload!.with.path, bundle);
  assert.equal(bundleUpload!.with.name, 'oom-harness-bundle');
  assert.equal(junitUpload!.with.path, run.outputs.junit);
  // An image this test's install built (not one it found) is removed afterwards: it would only pile up.
  const built = /^(oom-harness:\w+) built in/m.exec(run.ran[2]!.output);
  if (built) t.after(() => docker.getImage(built[1]!).remove({ force: false }).catch(() => undefined));
  // The bundle is a whole one: the report reads it back.
  const report = await runCli(['report', bundle, '--json']);
  assert.equal(report.exitCode, 0, report.stderr);
  assert.equal(JSON.parse(report.stdout).verdict, 'completed');

  // The same run step with a command (exec) through the installed package: an OOM fails the step with exit 3, a
  // GitHub error annotation, and a failing JUnit testcase.
  const outputs = join(runnerTemp, 'exec-outputs');
  writeFileSync(outputs, '');
  const exec = await execa(process.execPath, [join(actionPath, 'scripts', 'action', 'run-job.mjs')], {
    cwd: workspace,
    reject: false,
    env: {
      OOM_HARNESS_BIN: join(runnerTemp, 'oom-harness-action', 'project', 'node_modules', '.bin', 'oom-harness'),
      OOM_ACTION_CAP: '128m',
      OOM_ACTION_COMMAND: `node -e "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))"`,
      OOM_ACTION_JUNIT: 'exec/junit.xml',
      OOM_ACTION_OUT: 'exec',
      GITHUB_OUTPUT: outputs,
    },
  });
  assert.equal(exec.exitCode, 3, String(exec.stderr));
  assert.match(String(exec.stdout), /^::error title=oom-harness::exec exited 3, verdict cgroup-oom: /m);
  const execOutputs = parseCommandFile(readFileSync(outputs, 'utf8'));
  assert.equal(execOutputs.verdict, 'cgroup-oom');
  assert.equal(execOutputs['exit-code'], '3');
  assert.match(readFileSync(join(workspace, 'exec', 'junit.xml'), 'utf8'), /name="the command completed under the 128m cap" time="0">\s*<failure message="verdict cgroup-oom/);
});
