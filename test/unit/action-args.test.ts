// The GitHub Action's inputs to the harness's arguments (scripts/action/run-job.mjs): the smoke gate by default,
// exec with a command split as a shell splits words, never expanded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';

interface ActionInputs {
  cap: string;
  input: string;
  command: string;
  image: string;
  mounts: string;
  junit: string;
  out: string;
}
const { splitWords, harnessArgs } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'action', 'run-job.mjs')).href)) as {
  splitWords: (line: string) => string[];
  harnessArgs: (inputs: ActionInputs) => string[];
};
const defaults: ActionInputs = { cap: '2g', input: '', command: '', image: '', mounts: '', junit: '/w/oom-harness/junit.xml', out: '/w/oom-harness' };

test('a command line splits into words as a shell splits it, with nothing expanded', () => {
  assert.deepEqual(splitWords(`python3 -c 'import os; print(1)'  "a b" c\\ d "\\$HOME" $HOME $(id) *`), [
    'python3',
    '-c',
    'import os; print(1)',
    'a b',
    'c d',
    '$HOME',
    '$HOME',
    '$(id)',
    '*',
  ]);
  assert.deepEqual(splitWords(`node -e "console.log(\\"hi\\")"`), ['node', '-e', 'console.log("hi")']);
  assert.deepEqual(splitWords("''"), ['']);
  assert.throws(() => splitWords(`pytest -k 'slow`), /command: got "pytest -k 'slow", expected balanced quotes/);
});

test('no command: the smoke gate at the cap, with the PDF when one is given', () => {
  assert.deepEqual(harnessArgs(defaults), ['smoke', '--cap', '2g', '--out', '/w/oom-harness', '--junit', '/w/oom-harness/junit.xml', '--json']);
  assert.deepEqual(harnessArgs({ ...defaults, input: 'docs/big.pdf', cap: '6g' }).slice(0, 5), ['smoke', '--cap', '6g', '--input', 'docs/big.pdf']);
  assert.throws(() => harnessArgs({ ...defaults, image: 'my/tests' }), /image and mounts are for command/);
});

test('a command: exec with the image and one --mount per line, the command after --', () => {
  const args = harnessArgs({ ...defaults, cap: '6g', command: 'pytest -n 6', image: 'my/tests', mounts: '.:/src\n\n  data:/data:rw  \n' });
  assert.deepEqual(args, ['exec', '6g', '--image', 'my/tests', '--mount', '.:/src', '--mount', 'data:/data:rw', '--out', '/w/oom-harness', '--junit', '/w/oom-harness/junit.xml', '--json', '--', 'pytest', '-n', '6']);
  assert.throws(() => harnessArgs({ ...defaults, command: 'true', input: 'a.pdf' }), /input is the smoke gate's PDF/);
});
