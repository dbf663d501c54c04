// action.yml and the example workflow, read as GitHub reads them: the inputs the README promises with their
// defaults, every input the steps use declared, and the example using the action with minimal permissions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readAction } from '../helpers/action-runner.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('action.yml: a composite action with the documented inputs and defaults, and no undeclared input used', () => {
  const action = readAction(join(REPO_ROOT, 'action.yml'));
  assert.equal(action.runs.using, 'composite');
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]));
  assert.deepEqual(defaults, { cap: '2g', input: '', command: '', image: '', mounts: '', junit: 'oom-harness/junit.xml', 'upload-bundle': 'true', out: 'oom-harness', 'artifact-name': 'oom-harness' });
  const text = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
  const used = new Set([...text.matchAll(/\$\{\{[^}]*?inputs\.([\w-]+)/g)].map((m) => m[1]!));
  for (const name of used) assert.ok(name in action.inputs, `inputs.${name} is used but not declared`);
  // Inputs reach the shell only through env: never spliced into a script, where a quote could end it.
  for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{\s*inputs\./, `${step.name} splices an input into its script`);
  assert.deepEqual(Object.keys(action.outputs), ['verdict', 'exit-code', 'bundle', 'junit']);
});

test('the example workflow uses the action from this checkout, shows the one-line form, and asks for minimal permissions', () => {
  const path = join(REPO_ROOT, '.github', 'workflows', 'oom-smoke.yml');
  const text = readFileSync(path, 'utf8');
  const workflow = parse(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: Array<{ uses?: string }> }> };
  assert.deepEqual(workflow.permissions, { contents: 'read', checks: 'write' });
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  assert.ok(steps.some((step) => step.uses === './'), 'a step uses ./');
  assert.match(text, /^#\s+- uses: OWNER\/oom-harness@main/m);
  assert.match(text, /cgroup v2/);
  assert.ok(!steps.some((step) => JSON.stringify(step).includes('scripts/setup') || JSON.stringify(step).includes('dist/')), 'nothing only this repository has');
});
